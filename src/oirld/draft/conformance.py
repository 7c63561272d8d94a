"""The shapes' rules across claims, applied to the draft before it is written.

Each drafted claim is compiled on its own (:mod:`.writer`), which enforces what one claim can break (ranges, values,
quotes). What it cannot see are the SHACL rules that join several claims, possibly from several articles: a thing
must not end before it starts (``oirsh:EventTimesInOrder``, ``oirsh:Phase``), and a phase must not start before the
phase before it ends at the earliest. A new article that gives, say, a first-phase end after the second phase's
start in the corpus would make ``oirld build`` fail; the drafted claim that does it becomes a commented suggestion
saying so, and the reviewer decides. The rules judge best-ranked values (the plain triples), as the shapes do.

The shapes themselves run afterwards (:mod:`.shapes`) and refuse what still would not conform; these rules come
first because they see the whole corpus and turn a conflict into a suggestion instead of a refusal.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..claims import Claim
from ..graph import best_claims
from .context import Candidate
from .writer import Checked, yaml_lines

__all__ = ["time_order_problems", "without_disorder"]

Kept = tuple[Candidate, dict[str, Any], Claim]


def _label(c: Claim) -> str:
    return c.value.time.label() if c.value.time else str(c.value.key)


def time_order_problems(claims: list[Claim]) -> list[tuple[str, list[Claim]]]:
    """Each break of the shapes' time-order rules in ``claims``: the message and the claims that make it."""
    best = best_claims(claims)
    by: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in best:
        by[(c.subject, c.prop)].append(c)
    out: list[tuple[str, list[Claim]]] = []
    subjects = {s for s, _ in by}
    for s in sorted(subjects):
        for start in by.get((s, "startDate"), []):
            for end in by.get((s, "endDate"), []):
                lo, hi = start.value.time, end.value.time
                if lo and hi and lo.earliest and hi.latest and hi.latest < lo.earliest:
                    out.append((f"{s} would end ({_label(end)}) before it starts ({_label(start)})", [start, end]))
    phases: dict[str, list[tuple[Claim, Claim]]] = defaultdict(list)  # operation -> (phaseOf, phaseNumber) claims
    for s in subjects:
        for of in by.get((s, "phaseOf"), []):
            for number in by.get((s, "phaseNumber"), []):
                if of.value.entity:
                    phases[of.value.entity].append((of, number))
    for op, members in sorted(phases.items()):
        for of_n, num_n in members:
            for of_m, num_m in members:
                n, m = num_n.value.number, num_m.value.number
                if n is None or m is None or not m < n:
                    continue
                for start in by.get((of_n.subject, "startDate"), []):
                    for end in by.get((of_m.subject, "endDate"), []):
                        lo, hi = start.value.time, end.value.time
                        if lo and hi and lo.latest and hi.earliest and lo.latest < hi.earliest:
                            out.append((f"phase {n} of {op} would start ({_label(start)}) before phase {m} ends at the "
                                        f"earliest ({_label(end)})", [start, end, of_n, num_n, of_m, num_m]))
    return out


def without_disorder(checked: Checked, corpus: list[Claim]) -> Checked:
    """``checked`` with each drafted claim that would break a time-order rule (with the corpus) made a suggestion."""
    kept: list[Kept] = list(checked.claims)
    commented = list(checked.commented)
    while True:
        ids = {c.id: i for i, (_, _, c) in enumerate(kept)}
        blamed: dict[int, str] = {}
        for why, involved in time_order_problems([*corpus, *(c for _, _, c in kept)]):
            for c in involved:
                if c.id in ids and not any(c.id == o.id for o in corpus):
                    blamed.setdefault(ids[c.id], why)
        if not blamed:
            return Checked(kept, commented)
        for i, why in sorted(blamed.items()):
            cand, item, _ = kept[i]
            commented.append((cand.start, [f"suggestion ({cand.rule}), the shapes would refuse it: {why}", *yaml_lines(item)]))
        kept = [k for i, k in enumerate(kept) if i not in blamed]
