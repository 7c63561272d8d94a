"""What importing costs the commands that should be fast: ``-X importtime`` of a fresh interpreter, and its CPU seconds.

    .venv/bin/python bench/imports.py [--runs 10] [--before-src DIR]

Each case runs ``--runs`` times in a fresh process; the import time is the sum of the top-level imports'
cumulative times as ``-X importtime`` reports them, the CPU seconds are the child's user + system time (steadier than
wall time on a shared machine). With ``--before-src`` (a ``src/`` folder of another commit, e.g. from ``git archive
REV src | tar -x -C DIR``) every case also runs with that folder first on ``PYTHONPATH``, interleaved run by run so
that both sides meet the same load. Nothing is asserted: the numbers go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys

CASES = {
    "from oirld.web import ServeSettings": ["-c", "from oirld.web import ServeSettings"],
    "oirld --help": ["-m", "oirld", "--help"],
    "oirld build --help": ["-m", "oirld", "build", "--help"],
}


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float, bool]:
    """(import seconds, CPU seconds, whether FastAPI was imported) of one fresh interpreter."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-X", "importtime", *args], env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rows = [line.split("|") for line in done.stderr.splitlines()
            if line.startswith("import time:") and "imported package" not in line]
    top = sum(int(r[1]) for r in rows if r[2].startswith(" ") and not r[2].startswith("  "))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return top / 1e6, cpu, any(r[2].strip() == "fastapi" for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--before-src", help="a src/ folder of another commit, measured side by side")
    opts = parser.parse_args()
    sides = {"this tree": dict(os.environ)}
    if opts.before_src:
        sides = {"before": {**os.environ, "PYTHONPATH": opts.before_src}, "after": dict(os.environ)}
    found: dict[tuple[str, str], list[tuple[float, float, bool]]] = {(c, s): [] for c in CASES for s in sides}
    for _ in range(opts.runs):
        for case, args in CASES.items():
            for side, env in sides.items():
                found[(case, side)].append(measure(args, env))
    print("| command | side | import s, median | min | CPU s, median | min | loads FastAPI |")
    print("|---|---|---:|---:|---:|---:|---|")
    for (case, side), runs in found.items():
        imports, cpu = [r[0] for r in runs], [r[1] for r in runs]
        print(f"| `{case}` | {side} | {statistics.median(imports):.3f} | {min(imports):.3f} | "
              f"{statistics.median(cpu):.3f} | {min(cpu):.3f} | {'yes' if any(r[2] for r in runs) else 'no'} |")


if __name__ == "__main__":
    main()
