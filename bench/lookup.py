"""Latency of single-resource lookups at concurrency 1, with enough samples for a steady p99.

    .venv/bin/python bench/lookup.py --url http://127.0.0.1:8000/sparql [--n 2000] [--resources 500]

Each request asks for everything about one of --resources different synthetic entities (bench/synth.py), so a
result cache cannot answer (run oirld with --cache-mb 0 anyway to be sure).
"""

from __future__ import annotations

import argparse
import time
from urllib.parse import urlparse

import httpx


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--resources", type=int, default=500)
    args = ap.parse_args()
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    lat = []
    with httpx.Client() as c:
        for i in range(args.n):
            q = f"SELECT ?p ?o WHERE {{ <https://w3id.org/oirld/id/e{i % args.resources}> ?p ?o }}"
            t = time.perf_counter()
            r = c.get(args.url, params={"query": q}, headers={"Accept": "application/sparql-results+json"})
            lat.append(time.perf_counter() - t)
            r.raise_for_status()
    lat.sort()
    pick = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000  # noqa: E731
    print(f"{args.url}: n={args.n} p50 {pick(50):.1f} ms, p95 {pick(95):.1f} ms, p99 {pick(99):.1f} ms, max {lat[-1] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
