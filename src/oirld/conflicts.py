"""Where the sources disagree.

The rule (also in the README, "When do two claims disagree?"):

1. Only claims on the same *slot* are compared: the same subject, the same property, and the same place/phase/victim
   qualifiers. "Troops in Iraq" and "troops in Syria" never conflict; "according to" does not split a slot, since
   disagreeing informants are what we want to see.
2. Times disagree when their intervals of days do not meet. "by 2026" (up to 31 Dec 2026) and "by September 2026"
   meet; "in 2026" and "September 2025" do not.
3. Quantities disagree when their ranges (README, "Numbers") do not meet in a common unit; 42,000 square miles and
   about 108,780 km² meet. Counts that hold at a time (qualifier ``asOf``) are compared only when both times are
   known and overlap: 2,500 troops in 2024 and 3,000 in 2025 are a change, not a disagreement; a claim whose "now"
   is open-ended (an article of unknown date) is compared with nobody.
4. Entities disagree only on properties the ontology declares functional (none yet), where two values cannot both hold.
5. Names: when two names of one entity differ, word for word, only in vowels and doubled letters ("Harir"/"Hareer",
   "Mohamed"/"Mohammed"), that is a spelling disagreement. Other names ("ISIS", "Daech"), punctuation ("U.S."/"US")
   and word forms ("Iran-backed"/"Iranian-backed") are not.

Disagreeing claims are grouped: each group is the set of claims connected by pairwise disagreement in one slot.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .claims import Claim, digest
from .ontology import Ontology
from .quantities import quantities_compatible
from .registry import normalize_name
from .reprints import Reprints
from .timeexpr import times_compatible

__all__ = ["Disagreement", "CurrentValue", "find_disagreements", "current_values", "compatible", "spelled_differently",
           "SLOT_QUALIFIERS"]

SLOT_QUALIFIERS = ("location", "during", "victim")
_GENERIC_NAME_WORDS = {"base", "air", "airbase", "camp", "the", "of"}


@dataclass(frozen=True)
class Disagreement:
    kind: str  # value | spelling
    subject: str
    prop: str
    claims: tuple[Claim, ...]

    @property
    def id(self) -> str:
        return digest(self.kind, self.subject, self.prop, *sorted(c.id for c in self.claims))


def _slot(c: Claim) -> tuple[object, ...]:
    return (c.subject, c.prop, tuple((q, v.key) for q, v in c.qualifiers if q in SLOT_QUALIFIERS))


def compatible(a: Claim, b: Claim, functional: bool = False) -> bool:
    va, vb = a.value, b.value
    if va.kind != vb.kind:
        return True
    if va.kind == "time":
        return times_compatible(va.time, vb.time)  # type: ignore[arg-type]
    if va.kind == "quantity":
        ta, tb = a.qualifier("asOf"), b.qualifier("asOf")
        if (ta is None) != (tb is None):
            return True
        if ta is not None and tb is not None:
            bounded = all(t.time and t.time.earliest and t.time.latest for t in (ta, tb))
            if not bounded or not times_compatible(ta.time, tb.time):  # type: ignore[arg-type]
                return True
        return quantities_compatible(va.quantity, vb.quantity)  # type: ignore[arg-type]
    if va.kind == "entity" and functional:
        return va.entity == vb.entity
    return True


def _name_words(name: str) -> list[str]:
    """The words of a name that can be misspelled: letters only, generic words ("air", "base") dropped."""
    return [w for w in re.split(r"[^a-z]+", normalize_name(name).replace(".", "")) if w and w not in _GENERIC_NAME_WORDS]


def _skeleton(word: str) -> str:
    s = re.sub(r"(?<!^)[aeiouy]", "", word)
    return re.sub(r"(.)\1+", r"\1", s)


def spelled_differently(a: str, b: str) -> bool:
    """Two names are spellings of one name when, word for word, they differ only in vowels and doubled letters,
    by at most two letters a word ("Harir Air Base" / "Hareer base", "Mohamed" / "Mohammed"); "U.S." / "US" and
    "airbase" / "air base" are one spelling; "Iran-backed" / "Iranian-backed" are different words."""
    wa, wb = _name_words(a), _name_words(b)
    if wa == wb or len(wa) != len(wb) or "".join(wa) == "".join(wb):
        return False
    return all(x == y or (_skeleton(x) == _skeleton(y) and abs(len(x) - len(y)) <= 2) for x, y in zip(wa, wb))


def find_disagreements(claims: list[Claim], ontology: Ontology) -> list[Disagreement]:
    found: list[Disagreement] = []
    slots: dict[tuple[object, ...], list[Claim]] = defaultdict(list)
    for c in claims:
        if c.prop != "writtenAs":  # a deprecated claim still disagrees: ranking is a judgement, not a deletion
            slots[_slot(c)].append(c)
    for slot, group in slots.items():
        if len(group) < 2:
            continue
        info = ontology.properties.get(group[0].prop)
        functional = bool(info and info.functional)
        edges: dict[int, set[int]] = defaultdict(set)
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                if not compatible(group[i], group[j], functional):
                    edges[i].add(j)
                    edges[j].add(i)
        for component in _components(edges):
            members = tuple(sorted((group[i] for i in component), key=_order))
            found.append(Disagreement("value", group[0].subject, group[0].prop, members))
    names: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.prop == "writtenAs" and c.value.text:
            names[c.subject].append(c)
    for subject, group in names.items():
        edges = defaultdict(set)
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                if spelled_differently(group[i].value.text or "", group[j].value.text or ""):
                    edges[i].add(j)
                    edges[j].add(i)
        for component in _components(edges):
            members = tuple(sorted((group[i] for i in component), key=_order))
            found.append(Disagreement("spelling", subject, "writtenAs", members))
    return sorted(found, key=lambda d: (d.kind != "value", d.subject, d.prop, d.id))


def _order(c: Claim) -> tuple[object, ...]:
    return (min(e.anchor.source for e in c.evidence), c.value.label())


def _components(edges: dict[int, set[int]]) -> list[list[int]]:
    seen: set[int] = set()
    out = []
    for start in sorted(edges):
        if start in seen:
            continue
        stack, comp = [start], []
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            comp.append(n)
            stack.extend(edges[n] - seen)
        out.append(sorted(comp))
    return out


@dataclass(frozen=True)
class CurrentValue:
    subject: str
    prop: str
    location: str | None
    latest: object  # datetime.date
    claims: tuple[Claim, ...]

    @property
    def id(self) -> str:
        return digest("current", self.subject, self.prop, self.location, *sorted(c.id for c in self.claims))


def current_values(claims: list[Claim], reprints: Reprints | None = None) -> list[CurrentValue]:
    """Per slot of claims that hold at a time (an ``asOf`` with a known end), the non-deprecated claims whose time
    reaches latest. Where sources give that same time different values, all of them are current, the best supported
    first: most independent sources, the reprints of one wire story counting once. None is dropped."""
    reprints = reprints or Reprints()
    slots: dict[tuple[object, ...], list[tuple[object, Claim]]] = defaultdict(list)
    for c in claims:
        when = c.qualifier("asOf")
        if c.rank == "deprecated" or when is None or when.time is None or when.time.latest is None:
            continue
        slots[_slot(c)].append((when.time.latest, c))
    out = []
    for items in slots.values():
        latest = max(d for d, _ in items)
        best = tuple(sorted((c for d, c in items if d == latest), key=lambda c: (-reprints.independent(c.sources), _order(c))))
        loc = best[0].qualifier("location")
        out.append(CurrentValue(best[0].subject, best[0].prop, loc.entity if loc else None, latest, best))
    return sorted(out, key=lambda v: (v.subject, v.prop, v.location or ""))
