"""Time to find the disagreements (oirld.conflicts.find_disagreements) when many sources report the same points.

    .venv/bin/python bench/disagreements.py [--sources 250 500 1000 2000 4000] [--pairwise-up-to 500] [--markdown]
    .venv/bin/python bench/disagreements.py --home /tmp/corpus-1k     # a project folder (bench/corpus.py's)

Synthetic slots: each of N sources reports the same points, as wire-fed outlets do: the US troop count in Iraq as
of its publication day (N days over three years, two figures in circulation), the day the mission ends (six
versions), and the names of two places (a few spellings each). So one slot holds N claims, and N names one subject.
For each N the grouped search is timed against the pairwise rule it replaced (tests/test_conflicts.py's
reference, every pair compared), and both must find the same groups. With --home the claims are those the build
compiles from that folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oirld.claims import Claim, Evidence, Value  # noqa: E402
from oirld.conflicts import find_disagreements  # noqa: E402
from oirld.ontology import load_ontology  # noqa: E402
from oirld.provenance import Anchor  # noqa: E402
from oirld.quantities import parse_quantity  # noqa: E402
from oirld.timeexpr import TimeValue  # noqa: E402
from tests.test_conflicts import _pairwise_reference  # noqa: E402


def synthetic(n: int, seed: int = 7) -> list[Claim]:
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    figures = [parse_quantity("2,500 troops"), parse_quantity("about 2,500 troops"), parse_quantity("more than 3,000 troops")]
    ends = [(dt.date(2025, 9, 1), dt.date(2025, 9, 30)), (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
            (None, dt.date(2026, 12, 31)), (dt.date(2026, 9, 1), dt.date(2026, 9, 30)), (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
            (dt.date(2024, 9, 27), dt.date(2024, 9, 27))]
    names = {"harir-air-base": ["Harir Air Base", "Hareer base", "Harir airbase"], "mohammed": ["Mohammed", "Mohamed", "Muhammad"]}
    iraq = Value("entity", entity="iraq")
    out = []
    for i in range(n):
        ev = [Evidence(Anchor(f"src{i:06d}", 0, 10, "x", "", ""), f"mappings/src{i:06d}.yaml", 1)]
        day = start + dt.timedelta(days=rng.randrange(1100))
        as_of = Value("time", time=TimeValue("@published", day, day, "day", "in"))
        out.append(Claim("united-states", "troopCount", Value("quantity", quantity=rng.choice(figures)),
                         (("location", iraq), ("asOf", as_of)), evidence=ev))
        lo, hi = rng.choice(ends)
        out.append(Claim("oir", "endDate", Value("time", time=TimeValue("t", lo, hi, "month", "in")), evidence=list(ev)))
        for subject, spellings in names.items():
            out.append(Claim(subject, "writtenAs", Value("text", text=rng.choice(spellings)), evidence=list(ev)))
    return out


def timed(fn, repeat: int) -> tuple[float, object]:
    runs, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, nargs="+", default=[250, 500, 1000, 2000, 4000])
    ap.add_argument("--pairwise-up-to", type=int, default=500, help="largest N to time the pairwise rule at")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--home", type=Path, help="a project folder: time its compiled claims instead")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    ontology = load_ontology(ROOT / "ontology" / "oirld.ttl")
    cases: list[tuple[str, list[Claim]]] = []
    if args.home:
        from oirld.config import Config
        from oirld.pipeline import compile_dataset

        compiled = compile_dataset(Config(home=args.home, out=args.home / "var"))
        cases.append((f"{args.home.name} ({len(compiled.seeds)} articles)", compiled.claims))
    else:
        cases += [(f"{n} sources", synthetic(n)) for n in args.sources]
    rows = []
    for name, claims in cases:
        grouped, found = timed(lambda: find_disagreements(claims, ontology), args.repeat)
        pairwise = same = None
        if args.home or len(claims) // 4 <= args.pairwise_up_to:
            pairwise, reference = timed(lambda: _pairwise_reference(claims, ontology), 1)
            same = {(d.kind, d.subject, d.prop, frozenset(map(id, d.claims))) for d in found} == reference  # type: ignore[union-attr]
        rows.append((name, len(claims), len(found), grouped, pairwise, same))  # type: ignore[arg-type]
    if args.markdown:
        print("| corpus | claims | disagreements | grouped s | pairwise s | same groups |")
        print("|---|---:|---:|---:|---:|---|")
    for name, n, d, g, p, same in rows:
        pw = "" if p is None else f"{p:.3f}"
        if args.markdown:
            print(f"| {name} | {n:,} | {d:,} | {g:.3f} | {pw} | {'' if same is None else 'yes' if same else 'NO'} |")
        else:
            print(f"{name:32} {n:>8,} claims {d:>6,} disagreements  grouped {g:8.3f} s  pairwise {pw:>8} s  same {same}")


if __name__ == "__main__":
    main()
