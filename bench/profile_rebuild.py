"""Where a one-article rebuild spends its time: cProfile of one, in-process (the article workers are not profiled).

    .venv/bin/python bench/profile_rebuild.py CORPUS OUT STATS [--top N]

CORPUS and OUT are a project folder and its built output (e.g. from ``bench/build.py --keep DIR``: ``DIR/corpus-1000``
and ``DIR/out-1000``); one article of CORPUS is edited as bench/build.py's one-article rebuild does, so work on a copy.
The progress lines are printed with their times, the profile is written to STATS and its top functions by
cumulative time are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import touch_one_article  # noqa: E402  (bench/build.py)

from oirld.config import Config  # noqa: E402
from oirld.pipeline import build  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("stats")
    ap.add_argument("--top", type=int, default=60)
    args = ap.parse_args()
    touch_one_article(args.corpus)
    t0 = time.perf_counter()

    def progress(step: int, message: str) -> None:
        print(f"{time.perf_counter() - t0:7.2f} [{step}] {message}", flush=True)

    profiler = cProfile.Profile()
    profiler.enable()
    build(Config(home=args.corpus, out=args.out), progress)
    profiler.disable()
    profiler.dump_stats(args.stats)
    pstats.Stats(args.stats).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
