"""Writes on an update-enabled server: what a write costs in the writer process (transaction, flush, checkpoint of
a new generation) and what the first query after it costs (a worker reopens the new generation).

    .venv/bin/python bench/writes.py --store var/current/store --writes 50
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from oirld.web.sparql.backend import Backend
from oirld.web.sparql.workers import QueryJob
from oirld.web.sparql.writer import WriteJob

ASK = QueryJob("ASK { ?s ?p ?o }", "http://bench/", {"use_default_graph_as_union": True}, ["application/sparql-results+json"], [])


async def main(store: str, writes: int, workers: int) -> None:
    backend = Backend(store, updates=True, workers=workers, timeout=60)
    await backend.start()
    try:
        for _ in range(workers * 2):  # workers started and on the first generation
            await backend.query(ASK)
        steady, write, after = [], [], []
        for i in range(writes):
            t = time.perf_counter()
            await backend.query(ASK)
            steady.append(time.perf_counter() - t)
            t = time.perf_counter()
            outcome = await backend.write(WriteJob("update", "http://bench/", text=f'INSERT DATA {{ <http://bench/s{i}> <http://bench/p> "{i}" }}'))
            write.append(time.perf_counter() - t)
            assert outcome.status == 204, outcome
            t = time.perf_counter()
            await backend.query(ASK)
            after.append(time.perf_counter() - t)
        print(f"{backend.describe()}; store {store}; {writes} writes")
        print("| step | median ms | p90 ms |\n|---|---:|---:|")
        for name, xs in (("ASK, no write since the last one", steady), ("INSERT DATA (one triple) incl. checkpoint", write),
                         ("first ASK after a write (reopens the generation)", after)):
            xs = sorted(xs)
            print(f"| {name} | {statistics.median(xs) * 1000:.1f} | {xs[int(len(xs) * 0.9)] * 1000:.1f} |")
    finally:
        await backend.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="an on-disk store folder (read, never written)")
    parser.add_argument("--writes", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(main(args.store, args.writes, args.workers))
