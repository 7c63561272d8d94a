"""Names a claim's quote holds that the claim does not link: the audit behind ``oirld audit`` and the build's count.

A claim links the entities it is about as its subject, its value, a qualifier or a mention (``oirl:mentions``).
When its quoted words name another registry entity, either the claim drops something its sentence says ("40,000
U.S. personnel in Central Command" with no link to the command) or the name is incidental to it. Only a person can
tell which, so these are warnings, never errors: each names the mapping line to look at.

Names are found as ``oirld draft`` finds them (:class:`oirld.draft.names.NameIndex`: the registry's names, then the
reconciler's transliteration folding), so the audit and the drafter agree on what a sentence names. Descriptions
("the coalition", "the task force") are left out: they name a thing only by context, and a claim's subject is often
given by one.

A name is not reported when another claim already ties its entity to one this claim links (the date of a meeting
whose quote names the two leaders, when claims say they took part): the graph holds that link, and repeating it on
every claim of the sentence would say nothing new. Nor is one the mapping line calls ``incidental:`` (a person read
it and judged the claim is not about it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Iterable

from .claims import Claim, merge_claims
from .config import Config
from .errors import RunError
from .mapping import compile_mappings
from .ontology import load_ontology
from .registry import Registry, load_registry
from .seeds import Seed, load_seeds

__all__ = ["Unlinked", "audit", "find_unlinked", "linked_keys", "named_in", "summary", "ties", "tied_to"]

#: how many places a build's warning line names before it points to ``oirld audit``
SHOWN = 10


@dataclass(frozen=True)
class Unlinked:
    """One registry entity named in a claim's quote and linked by no part of the claim."""

    file: str
    line: int
    source: str
    claim: str       # subject · property · value, as keys, for the reader to find the line
    entity: str
    label: str
    words: str       # the name as the article writes it
    start: int
    end: int
    quote: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "where": self.where}


def linked_keys(subject: str, values: Iterable[Any], mentions: Iterable[str] = ()) -> set[str]:
    """The entities a claim links: its subject, the entity values (value and qualifiers) and its mentions."""
    return {subject, *(v.entity for v in values if v.kind == "entity" and v.entity), *mentions}


def named_in(index: Any, text: str, start: int, end: int) -> list[Any]:
    """The registry names (not descriptions) in ``text[start:end]``, as :class:`oirld.draft.names.Mention`\\ s;
    ``index`` is a :class:`~oirld.draft.names.NameIndex`."""
    return [m for m in index.mentions(text, start, end) if not m.generic and m.how != "new"]


def find_unlinked(claims: list[Claim], seeds: list[Seed], registry: Registry) -> list[Unlinked]:
    """Every (mapping line, entity) where the line's quote names the entity and the claim does not link it, in
    file and line order. ``writtenAs`` claims are left out: their quote is the name of their subject."""
    from .draft.names import NameIndex  # the drafter's matcher; imported here so loading the build stays light

    index = NameIndex(registry)
    texts = {s.stem: s.text for s in seeds}
    tied = ties(claims)
    cache: dict[tuple[str, int, int], list[Any]] = {}
    out: dict[tuple[str, int, str], Unlinked] = {}
    for c in claims:
        if c.prop == "writtenAs":
            continue
        linked = linked_keys(c.subject, (c.value, *(v for _, v in c.qualifiers)), c.mentions)
        # through the subject, the value and the mentions; not through qualifiers: a place or a source qualifies
        # many claims, and what it is tied to is not what this claim is about
        linked |= tied_to(tied, linked_keys(c.subject, (c.value,), c.mentions))
        label = f"{c.subject} · {c.prop} · {c.value.label() if c.value.kind != 'entity' else c.value.entity}"
        for ev in c.evidence:
            a = ev.anchor
            text = texts.get(a.source)
            if text is None:
                continue
            spot = (a.source, a.start, a.end)
            if spot not in cache:
                cache[spot] = named_in(index, text, a.start, a.end)
            for m in cache[spot]:
                if m.key in linked or m.key in ev.incidental or m.key not in registry.entities:
                    continue
                out.setdefault((ev.mapping_file, ev.line, m.key), Unlinked(
                    ev.mapping_file, ev.line, a.source, label[:160], m.key, registry.entities[m.key].label, m.text,
                    m.start, m.end, a.exact))
    return sorted(out.values(), key=lambda u: (u.file, u.line, u.start, u.entity))


def ties(claims: list[Claim]) -> dict[str, set[str]]:
    """Each entity with the entities claims link it to, either way (subject to value, qualifier and mention)."""
    out: dict[str, set[str]] = {}
    for c in claims:
        if c.prop == "writtenAs":
            continue
        others = linked_keys(c.subject, (c.value, *(v for _, v in c.qualifiers)), c.mentions) - {c.subject}
        out.setdefault(c.subject, set()).update(others)
        for o in others:
            out.setdefault(o, set()).add(c.subject)
    return out


def tied_to(tied: dict[str, set[str]], keys: set[str]) -> set[str]:
    """The entities other claims tie to any of ``keys`` (the entities a claim links)."""
    return set().union(*(tied.get(k, set()) for k in keys)) if keys else set()


def summary(found: list[Unlinked]) -> str | None:
    """The build's one warning line: how many, and where the first ones are; None when there are none."""
    if not found:
        return None
    shown = ", ".join(f"{u.where} {u.entity}" for u in found[:SHOWN])
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return (f"{len(found)} name(s) in claims' quotes are linked by no subject, value, qualifier or mention: {shown}{more}; "
            "'oirld audit' lists them; link each the claim is about (a qualifier or 'mentions:'), leave incidental ones")


def audit(config: Config, name: str | None = None) -> list[Unlinked]:
    """``oirld audit``: compile the mappings as a build does (a mapping error stops it, as it stops a build) and
    list the unlinked names of every article, or of article ``name`` (judged against the whole corpus's claims)."""
    ontology = load_ontology(config.ontology_dir / "oirld.ttl")
    registry = load_registry(config.ontology_dir / "registry", ontology.classes)
    seeds = load_seeds(config.seeds_dir)
    if name is not None and name not in {s.stem for s in seeds}:
        raise RunError(f"no seed named {name!r} in {config.seeds_dir}", hint="oirld audit without a name audits every article")
    raw = compile_mappings(config.mappings_dir, seeds, ontology, registry, config.home)[0]
    found = find_unlinked(merge_claims(raw), seeds, registry)
    return [u for u in found if name is None or u.source == name]
