"""Benchmark of the incremental build on synthetic corpora: full build, no-change rebuild, one-article rebuild.

    .venv/bin/python bench/build.py --articles 100 1000 [--workers N] [--markdown] [--keep DIR] [--stages STAGE ...]

For each size, bench/corpus.py writes a corpus, then three builds run, each in a fresh process (as ``oirld build``
does): a full build with an empty cache, a rebuild with nothing changed, and a rebuild after one article's text
and mapping changed (one claim's quote gains a word). Each row gives the wall time, the peak resident memory of the
build's process tree (the build and its worker processes, summed, sampled every 0.1 s), the CPU seconds of the
build and its workers (less sensitive than wall time to other work on a shared machine) and the seconds spent in
each step as the build's progress lines report them. The fitted growth exponent is the slope of log(full-build time)
against log(triples) between the sizes given, for wall and for CPU time. Nothing is asserted: the numbers go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_RUN = """
import json, sys, time
from pathlib import Path
from oirld.config import Config
from oirld.pipeline import build
t0 = time.perf_counter()
epoch = time.time()
marks = []
def progress(step, message):
    marks.append((time.perf_counter() - t0, step, message))
workers = int(sys.argv[3]) or None
r = build(Config(home=Path(sys.argv[1]), out=Path(sys.argv[2])), progress, workers=workers)
print(json.dumps({"marks": marks, "epoch": epoch, "triples": r.triples, "claims": r.claims, "unchanged": r.unchanged,
                  "total": time.perf_counter() - t0}))
"""


def _tree_rss(pid: int) -> int:
    """Resident KiB of ``pid`` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


def run_build(home: Path, out: Path, workers: int) -> dict:
    proc = subprocess.Popen([sys.executable, "-c", _RUN, str(home), str(out), str(workers)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, int]] = []

    def sample() -> None:
        while proc.poll() is None:
            samples.append((time.time(), _tree_rss(proc.pid)))
            time.sleep(0.1)

    t = threading.Thread(target=sample, daemon=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t.start()
    start = time.perf_counter()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    t.join()
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{stderr[-3000:]}")
    data = json.loads(stdout.strip().splitlines()[-1])
    data["wall"], data["peak_mib"] = wall, max((r for _, r in samples), default=0) / 1024
    # CPU seconds of the build and its workers: on a shared machine, less sensitive to the others' load than wall time
    data["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    steps: dict[str, float] = {}
    marks = data["marks"]
    for (t0, step, _), (t1, _, _) in zip(marks, marks[1:] + [[data["total"], 0, ""]]):
        steps[str(step)] = steps.get(str(step), 0.0) + (t1 - t0)
    data["steps"] = steps
    # the peak of each step: the samples taken between its first progress line and the next step's
    peaks: dict[str, float] = {}
    bounds = [(data["epoch"] + t, str(step)) for t, step, _ in marks]
    for when, rss in samples:
        step = next((s for t, s in reversed(bounds) if t <= when), "start")
        peaks[step] = max(peaks.get(step, 0.0), rss / 1024)
    data["step_peaks_mib"] = peaks
    return data


def touch_one_article(home: Path) -> None:
    """Change one article as an editor would: a word added to its text and to the quote that cites it."""
    mapping = sorted((home / "mappings").glob("syn*.yaml"))[len(list((home / "mappings").glob("syn*.yaml"))) // 2]
    seed = home / "seeds" / f"{mapping.stem}.txt"
    text = seed.read_text(encoding="utf-8")
    m = re.search(r'quote: "([^"\\]+)"', mapping.read_text(encoding="utf-8"))
    assert m and text.count(m.group(1)) == 1
    old = m.group(1)
    new = old + " indeed"
    seed.write_text(text.replace(old, new), encoding="utf-8")
    mapping.write_text(mapping.read_text(encoding="utf-8").replace(f'quote: "{old}"', f'quote: "{new}"', 1), encoding="utf-8")


STAGES = ("full build", "no-change rebuild", "one-article rebuild")
STEP_NAMES = {"1": "read", "2": "articles", "3": "global RDF", "4": "store", "5": "validate", "6": "dumps", "7": "publish"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--workers", type=int, default=0, help="worker processes (default: one per core)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the corpora and builds in this folder")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--stages", nargs="+", choices=STAGES, default=list(STAGES),
                    help="which builds to run, in this order (default: all three); with --keep, a later run can go on "
                         "from an earlier one's folder")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="oirld-bench-"))
    rows, fits = [], []
    for n in args.articles:
        home, out = work / f"corpus-{n}", work / f"out-{n}"
        if not home.exists():
            subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--articles", str(n), "--out", str(home)], check=True)
        for stage in [s for s in STAGES if s in args.stages]:
            if stage == "one-article rebuild":
                touch_one_article(home)
            r = run_build(home, out, args.workers)
            rows.append((n, stage, r))
            print(f"{n:6d} {stage:20s} {r['wall']:8.1f} s {r['cpu']:8.1f} cpu-s {r['peak_mib']:8.0f} MiB {r['triples']:>9} triples  "
                  + " ".join(f"{STEP_NAMES.get(k, k)} {v:.1f}" for k, v in r["steps"].items()), flush=True)
            print("       peak MiB per step: " + " ".join(f"{STEP_NAMES.get(k, k)} {v:.0f}" for k, v in r["step_peaks_mib"].items()),
                  flush=True)
            if stage == "full build":
                fits.append((r["triples"], r["wall"], r["cpu"]))
    exponents = {}
    if len(fits) >= 2:
        xs = [math.log(f[0]) for f in fits]
        for i, name in ((1, "wall time"), (2, "CPU time")):
            ys = [math.log(f[i]) for f in fits]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            exponents[name] = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    load = os.getloadavg()
    versions = f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, load average {load[0]:.1f}"
    if args.markdown:
        print("\n| articles | triples | stage | wall s | CPU s | peak RSS MiB | wall seconds per step | peak MiB per step |\n"
              "|---:|---:|---|---:|---:|---:|---|---|")
        for n, stage, r in rows:
            steps = ", ".join(f"{STEP_NAMES.get(k, k)} {v:.1f}" for k, v in r["steps"].items())
            peaks = ", ".join(f"{STEP_NAMES.get(k, k)} {v:,.0f}" for k, v in r["step_peaks_mib"].items())
            print(f"| {n} | {r['triples']:,} | {stage} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak_mib']:,.0f} | {steps} | {peaks} |")
        print()
    for name, e in exponents.items():
        print(f"fitted growth exponent of full-build {name} against triples: {e:.2f}")
    print(versions)


if __name__ == "__main__":
    main()
