"""Claims as Wikidata models statements: subject, property, value, qualifiers, rank, and the evidence behind them.

The same statement from several articles is one claim with several pieces of evidence: claims are keyed by what
they say (subject, property, value, qualifiers), never by who says it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .provenance import Anchor
from .quantities import Quantity
from .timeexpr import TimeValue

__all__ = ["Value", "Evidence", "Claim", "merge_claims", "RANKS", "digest"]

RANKS = ("preferred", "normal", "deprecated")


def digest(*parts: object, size: int = 16) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:size]


@dataclass(frozen=True)
class Value:
    kind: str  # entity | time | quantity | text | integer | concept
    entity: str | None = None
    time: TimeValue | None = None
    quantity: Quantity | None = None
    text: str | None = None
    number: int | None = None

    @property
    def key(self) -> tuple[object, ...]:
        if self.kind == "time":
            assert self.time is not None
            return ("time", *self.time.key)
        if self.kind == "quantity":
            assert self.quantity is not None
            return ("quantity", *self.quantity.key)
        return (self.kind, self.entity, self.text, self.number)

    def label(self) -> str:
        if self.time is not None:
            return self.time.label()
        if self.quantity is not None:
            return self.quantity.text
        if self.number is not None:
            return str(self.number)
        return self.text or self.entity or ""


@dataclass(frozen=True)
class Evidence:
    """A passage cited by one mapping line. Draft-ness belongs here, not to the merged claim: the same claim can be
    machine-read in one article and reviewed in another."""

    anchor: Anchor
    mapping_file: str
    line: int
    #: the mapping line says ``draft: true``: machine-read, not yet reviewed by a person
    draft: bool = False
    confidence: float | None = None
    rule: str | None = None
    #: registry entities the quote names that this line judged incidental to the claim (``incidental:``): the audit
    #: of unlinked names (:mod:`oirld.unlinked`) does not report them again; not published
    incidental: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        # a reviewed passage keeps the id it always had; a machine reading of it is a node of its own
        if not self.draft:
            return digest(self.anchor.source, self.anchor.start, self.anchor.end)
        return digest(self.anchor.source, self.anchor.start, self.anchor.end, "draft", self.rule, self.confidence)


@dataclass
class Claim:
    subject: str
    prop: str
    value: Value
    qualifiers: tuple[tuple[str, Value], ...] = ()
    rank: str = "normal"
    rank_reason: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    #: how the value reads in each source, when words differ ("next September" vs "until September 2025")
    wordings: dict[str, str] = field(default_factory=dict)
    #: other entities the quote names that the claim is about or that qualify it (``oirl:mentions``); not part of
    #: the key: two articles making the same statement make one claim, whatever else each sentence names
    mentions: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[object, ...]:
        qs = self.qualifiers  # a list, not a generator, into tuple(): this runs once per claim of every article
        return (self.subject, self.prop, self.value.key, tuple([(q, v.key) for q, v in qs]) if qs else ())

    @property
    def id(self) -> str:
        return digest(*self.key)

    def qualifier(self, name: str) -> Value | None:
        return next((v for q, v in self.qualifiers if q == name), None)

    @property
    def sources(self) -> list[str]:
        return sorted({e.anchor.source for e in self.evidence})

    @property
    def unreviewed(self) -> bool:
        """Every passage behind the claim was machine-read and none reviewed: a person has not vouched for it."""
        return bool(self.evidence) and all(e.draft for e in self.evidence)


def merge_claims(claims: list[Claim]) -> list[Claim]:
    """One claim per key, with all evidence; a deprecation from any source wins and keeps every reason."""
    merged: dict[tuple[object, ...], Claim] = {}
    anchors: dict[tuple[object, ...], set] = {}  # the anchors each merged claim has, so merging stays linear
    for c in claims:
        key = c.key
        have = merged.get(key)
        if have is None:
            merged[key] = Claim(c.subject, c.prop, c.value, c.qualifiers, c.rank, c.rank_reason, list(c.evidence), dict(c.wordings),
                                c.mentions)
            anchors[key] = {e.anchor for e in c.evidence}
            continue
        seen = anchors[key]
        for ev in c.evidence:
            if ev.anchor not in seen:
                seen.add(ev.anchor)
                have.evidence.append(ev)
        if c.wordings:
            have.wordings.update(c.wordings)
        if c.mentions:
            have.mentions = tuple(dict.fromkeys((*have.mentions, *c.mentions)))
        # most duplicates have the same rank and no reason: nothing to compare or join for them
        if c.rank != have.rank and (RANKS.index(c.rank) > RANKS.index(have.rank) or (c.rank != "normal" and have.rank == "normal")):
            have.rank = c.rank
        if not c.rank_reason:
            have.rank_reason = have.rank_reason or None
        elif c.rank_reason != have.rank_reason:
            have.rank_reason = " / ".join(dict.fromkeys(r for r in (have.rank_reason, c.rank_reason) if r))
    return list(merged.values())
