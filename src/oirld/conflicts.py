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
from bisect import bisect_left
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
    """The groups of the rule above, found in O(n log n) per slot rather than by comparing every pair: with many
    sources on the same points a slot holds thousands of claims (one per asOf date and wording), and the pairs grew
    with its square. The pairwise definition, ``compatible``, stays the reference (the tests compare the two)."""
    found: list[Disagreement] = []
    slots: dict[tuple[object, ...], list[Claim]] = defaultdict(list)
    for c in claims:
        if c.prop != "writtenAs":  # a deprecated claim still disagrees: ranking is a judgement, not a deletion
            slots[_slot(c)].append(c)
    for slot, group in slots.items():
        if len(group) < 2:
            continue
        info = ontology.properties.get(group[0].prop)
        for component in _value_components(group, bool(info and info.functional)):
            members = tuple(sorted((group[i] for i in component), key=_order))
            found.append(Disagreement("value", group[0].subject, group[0].prop, members))
    names: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.prop == "writtenAs" and c.value.text:
            names[c.subject].append(c)
    for subject, group in names.items():
        for component in _spelling_components(group):
            members = tuple(sorted((group[i] for i in component), key=_order))
            found.append(Disagreement("spelling", subject, "writtenAs", members))
    return sorted(found, key=lambda d: (d.kind != "value", d.subject, d.prop, d.id))


class _Union:
    """Union-find over 0..n-1 (path halving, union by size)."""

    def __init__(self, n: int) -> None:
        self.parent, self.size = list(range(n)), [1] * n

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            if self.size[a] < self.size[b]:
                a, b = b, a
            self.parent[b] = a
            self.size[a] += self.size[b]

    def groups(self) -> list[list[int]]:
        """The sets of two or more: a claim alone disagrees with nobody."""
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return sorted((sorted(g) for g in out.values() if len(g) > 1), key=lambda g: g[0])


# the ends of a range as comparable keys: an open start lies below every day or number, an open end above
_OPEN_LOW, _OPEN_HIGH = (0, None), (2, None)


def _ends(lo: object, hi: object) -> tuple[tuple[int, object], tuple[int, object]]:
    return (_OPEN_LOW if lo is None else (1, lo)), (_OPEN_HIGH if hi is None else (1, hi))


def _link_disjoint(items: list[tuple[int, tuple[tuple[int, object], tuple[int, object]]]], union: _Union) -> None:
    """Join every two items whose ranges share no point (``times_compatible``/``quantities_compatible`` false).
    An empty range (start after end) meets nothing, so it joins everything. Otherwise, sorted by end, the ranges
    that end before ``j`` starts are a prefix of that order, each disjoint from ``j``: a pointer over the prefixes
    makes the whole O(n log n) instead of one comparison per pair."""
    if len(items) < 2:
        return
    if any(lo > hi for _, (lo, hi) in items):
        for i, _ in items[1:]:
            union.union(items[0][0], i)
        return
    by_end = sorted(items, key=lambda it: it[1][1])
    ends = [hi for _, (_, hi) in by_end]
    joined = 0  # by_end[:joined] is already one set
    for i, (lo, _) in items:
        reach = bisect_left(ends, lo)  # the ranges ending strictly before this one starts
        if reach == 0:
            continue
        while joined < reach:
            union.union(by_end[0][0], by_end[joined][0])
            joined += 1
        union.union(by_end[0][0], i)


def _value_components(group: list[Claim], functional: bool) -> list[list[int]]:
    """The connected sets of ``group`` (one slot) under pairwise disagreement, as ``compatible`` defines it. Claims
    only disagree within a family: times; quantities of one kind without asOf; quantities of one kind with known,
    bounded asOf times (compared only where those times overlap); entities of a functional property."""
    union = _Union(len(group))
    times, counts, dated, entities = [], defaultdict(list), defaultdict(lambda: defaultdict(list)), defaultdict(list)
    for i, c in enumerate(group):
        v = c.value
        if v.kind == "time" and v.time is not None:
            times.append((i, _ends(v.time.earliest, v.time.latest)))
        elif v.kind == "quantity" and v.quantity is not None:
            when = c.qualifier("asOf")
            ends = _ends(*v.quantity.base_range())
            if when is None:
                counts[v.quantity.kind].append((i, ends))
            elif when.time and when.time.earliest and when.time.latest and when.time.earliest <= when.time.latest:
                # a claim at an unbounded or empty time is compared with nobody (a change, not a disagreement)
                dated[v.quantity.kind][(when.time.earliest, when.time.latest)].append((i, ends))
        elif v.kind == "entity" and functional:
            entities[v.entity].append(i)
    _link_disjoint(times, union)
    for items in counts.values():
        _link_disjoint(items, union)
    for by_time in dated.values():
        # claims at the same asOf are one sub-slot; two sub-slots meet only where their times overlap, found by a
        # sweep over the times sorted by start (a corpus of dated reports has one sub-slot per day, few overlapping)
        spans = sorted(by_time)
        for k, (lo, hi) in enumerate(spans):
            _link_disjoint(by_time[(lo, hi)], union)
            for m in range(k + 1, len(spans)):
                if spans[m][0] > hi:
                    break
                _link_disjoint(by_time[(lo, hi)] + by_time[spans[m]], union)
    if len(entities) > 1:  # two values of a functional property: every claim of one disagrees with each of another
        everyone = [i for members in entities.values() for i in members]
        for i in everyone[1:]:
            union.union(everyone[0], i)
    return union.groups()


def _spelling_components(group: list[Claim]) -> list[list[int]]:
    """The connected sets of names spelled differently. Two names can only be spellings of one another when their
    words have the same skeletons, so names are compared within those buckets, once per distinct text."""
    union = _Union(len(group))
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(group):
        by_text[c.value.text or ""].append(i)
    buckets: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for text in by_text:
        buckets[tuple(_skeleton(w) for w in _name_words(text))].append(text)
    for texts in buckets.values():
        for a in range(len(texts)):
            for b in range(a + 1, len(texts)):
                if spelled_differently(texts[a], texts[b]):
                    for i in by_text[texts[a]] + by_text[texts[b]]:
                        union.union(by_text[texts[a]][0], i)
    return union.groups()


def _order(c: Claim) -> tuple[object, ...]:
    return (min(e.anchor.source for e in c.evidence), c.value.label())


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
