"""Full-text search: how long the build's index takes to write and a query to answer, on the current build.

    .venv/bin/python bench/search.py [--store var/current/store] [--repeat 200]

Prints the index's rows and size, the build time of the index (from the store and seeds/), and per query the median
and 95th percentile in milliseconds over --repeat runs (SearchIndex.search in this process, no HTTP).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from oirld.search import SearchIndex, build_index
from oirld.seeds import load_seeds
from oirld.store import open_store
from oirld.web.linkeddata.views import ontology_labels

QUERIES = [("withdrawal", {}), ("troops Iraq", {}), ("hare", {"prefix": True}), ("Iraq", {"kinds": ["quote"], "outlet": "SOFX"}),
           ("Iraq", {"date_from": "2025"}), ('"NEAR( * -', {}), ("zzqxvj", {})]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", default="var/current/store")
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--base", default="https://w3id.org/oirld/")
    args = ap.parse_args()
    store = open_store(Path(args.store))
    texts = {f"{args.base}source/{s.stem}": s.text for s in load_seeds(Path("seeds"))}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "search.sqlite"
        t = time.perf_counter()
        rows = build_index(path, store, args.base, ontology_labels("ontology/oirld.ttl"), texts)
        print(f"index: {rows} rows, {path.stat().st_size} bytes, built in {time.perf_counter() - t:.2f} s")
        index = SearchIndex(path)
        print("| query | options | hits | median ms | p95 ms |\n|---|---|---:|---:|---:|")
        for q, opts in QUERIES:
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                page = index.search(q, **opts)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            print(f"| `{q}` | {opts or ''} | {page.total} | {statistics.median(times):.2f} | {times[int(len(times) * 0.95) - 1]:.2f} |")


if __name__ == "__main__":
    main()
