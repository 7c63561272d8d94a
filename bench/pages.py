"""Time to serve the pages for people, against a running `oirld serve` (real uvicorn, real HTTP, no browser).

    .venv/bin/python bench/pages.py --url http://127.0.0.1:8000 [--n 50] [--markdown]

For each page: the median and 95th percentile over --n requests at concurrency 1, and the size on the wire with
gzip. A browser asking again with If-None-Match gets 304 and no body; that path is timed too ("revalidate").
"""

from __future__ import annotations

import argparse
import statistics
import time
from urllib.parse import urlparse

import httpx

PAGES = ["/", "/index", "/timeline", "/disagreements", "/search?q=Hareer", "/doc/id/oir", "/doc/id/iraq",
         "/doc/id/harir-air-base", "/doc/source/001_2f6905f1a8d1b6b7", "/ontology", "/shapes", "/sparql", "/doc/id/oir.ttl"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    headers = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Encoding": "gzip"}
    rows = []
    with httpx.Client(base_url=args.url, headers=headers) as c:
        for page in PAGES:
            first = c.get(page)
            first.raise_for_status()
            wire = int(first.headers.get("content-length") or len(first.content))
            lat = []
            for _ in range(args.n):
                t = time.perf_counter()
                c.get(page).raise_for_status()
                lat.append(1000 * (time.perf_counter() - t))
            tag = first.headers.get("etag")
            revalidate = []
            for _ in range(args.n if tag else 0):
                t = time.perf_counter()
                r = c.get(page, headers={"If-None-Match": tag})
                assert r.status_code == 304, (page, r.status_code)
                revalidate.append(1000 * (time.perf_counter() - t))
            lat.sort()
            rows.append((page, statistics.median(lat), lat[int(0.95 * (len(lat) - 1))], wire, len(first.content),
                         statistics.median(revalidate) if revalidate else None))
    if args.markdown:
        print("| page | median ms | p95 ms | bytes on the wire (gzip) | bytes | 304 median ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for page, med, p95, wire, size, rev in rows:
            print(f"| `{page}` | {med:.1f} | {p95:.1f} | {wire:,} | {size:,} | {'' if rev is None else f'{rev:.1f}'} |")
    else:
        for page, med, p95, wire, size, rev in rows:
            print(f"{page:40} median {med:6.1f} ms  p95 {p95:6.1f} ms  {wire:>8,} B gzip  {size:>8,} B  304 {rev or 0:5.1f} ms")


if __name__ == "__main__":
    main()
