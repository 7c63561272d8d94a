"""Time to serve the pages for people, against a running `oirld serve` (real uvicorn, real HTTP, no browser).

    .venv/bin/python bench/pages.py --url http://127.0.0.1:8000 [--n 50] [--markdown] [--uncached] [--pages P ...]

With --uncached every request carries a query parameter of its own (``&bench=<n>``), so the page cache never has it
and each one is rendered: what a first visitor to each page waits. --pages replaces the list of pages.

A store of a large synthetic corpus for it (bench/corpus.py's folder), compiled and loaded without SHACL
validation and without dumps (a full build of 1,000 articles takes hours; the pages read only the store):

    .venv/bin/python bench/pages.py --prepare /tmp/corpus-1k --store /tmp/store-1k
    .venv/bin/oirld serve --store /tmp/store-1k --port 8000

For each page: the median and 95th percentile over --n requests at concurrency 1, and the size on the wire with
gzip. A browser asking again with If-None-Match gets 304 and no body; that path is timed too ("revalidate").

With --against URL2 the same pages are timed on two servers, their requests alternating (A, B, A, B, …), so a busy
machine's load falls on both alike: the medians of each, side by side (two branches over copies of one store). The
table also says whether the two servers' first answers to each page were the same bytes, each server's address put
for the other's (two branches that must render alike).
"""

from __future__ import annotations

import argparse
import statistics
import time
from urllib.parse import urlparse

import httpx

PAGES = ["/", "/index", "/timeline", "/disagreements", "/search?q=Hareer", "/doc/id/oir", "/doc/id/iraq",
         "/doc/id/harir-air-base", "/doc/source/001_2f6905f1a8d1b6b7", "/ontology", "/shapes", "/sparql", "/doc/id/oir.ttl"]


def prepare(home: str, store: str) -> None:
    """Compile the project at ``home`` and load its graph into a new store at ``store``: the build without SHACL."""
    from pathlib import Path

    from oirld.config import Config
    from oirld.pipeline import compile_dataset
    from oirld.store import write_store

    t = time.perf_counter()
    compiled = compile_dataset(Config(home=Path(home), out=Path(store).parent / "unused"))
    took = time.perf_counter() - t
    ntriples = compiled.graph.serialize(format="nt", encoding="utf-8")
    write_store(Path(store), ntriples)
    print(f"{len(compiled.seeds)} articles, {len(compiled.claims)} claims, {len(compiled.disagreements)} disagreements, "
          f"{len(compiled.graph)} triples; compiled in {took:.0f} s, store written in {time.perf_counter() - t - took:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--uncached", action="store_true", help="a new address per request: every answer is rendered")
    ap.add_argument("--pages", nargs="+", help="the pages to time (default: the usual list)")
    ap.add_argument("--prepare", metavar="HOME", help="compile HOME and write its store to --store, then stop")
    ap.add_argument("--store")
    ap.add_argument("--against", metavar="URL2", help="a second server: time both, requests alternating")
    args = ap.parse_args()
    if args.prepare:
        prepare(args.prepare, args.store)
        return
    if not args.url:
        raise SystemExit("give --url (or --prepare HOME --store DIR)")
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    headers = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Encoding": "gzip"}
    rows = []
    counter = iter(range(10**9))

    def address(page: str) -> str:
        """The page, or with --uncached an address of its own that no cache has seen (a parameter pages ignore)."""
        return f"{page}{'&' if '?' in page else '?'}bench={next(counter)}" if args.uncached else page

    if args.against:
        against(args, headers, address)
        return
    with httpx.Client(base_url=args.url, headers=headers, timeout=120) as c:
        for page in args.pages or PAGES:
            t = time.perf_counter()
            first = c.get(address(page))
            cold = 1000 * (time.perf_counter() - t)  # the first request for the page since the server started
            first.raise_for_status()
            wire = int(first.headers.get("content-length") or len(first.content))
            lat = []
            for _ in range(args.n):
                t = time.perf_counter()
                c.get(address(page)).raise_for_status()
                lat.append(1000 * (time.perf_counter() - t))
            tag = first.headers.get("etag")
            revalidate = []
            for _ in range(args.n if tag and not args.uncached else 0):
                t = time.perf_counter()
                r = c.get(page, headers={"If-None-Match": tag})
                assert r.status_code == 304, (page, r.status_code)
                revalidate.append(1000 * (time.perf_counter() - t))
            lat.sort()
            rows.append((page, statistics.median(lat), lat[int(0.95 * (len(lat) - 1))], wire, len(first.content),
                         statistics.median(revalidate) if revalidate else None, cold))
    if args.markdown:
        print("| page | first request ms | median ms | p95 ms | bytes on the wire (gzip) | bytes | 304 median ms |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for page, med, p95, wire, size, rev, cold in rows:
            print(f"| `{page}` | {cold:.0f} | {med:.1f} | {p95:.1f} | {wire:,} | {size:,} | {'' if rev is None else f'{rev:.1f}'} |")
    else:
        for page, med, p95, wire, size, rev, cold in rows:
            print(f"{page:40} first {cold:7.0f} ms  median {med:6.1f} ms  p95 {p95:6.1f} ms  {wire:>8,} B gzip  {size:>8,} B  304 {rev or 0:5.1f} ms")


def against(args: argparse.Namespace, headers: dict[str, str], address: object) -> None:
    """Median ms of each page on --url and on --against, each request of one followed by one of the other."""
    if urlparse(args.against).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    print(f"| page | {args.url} median ms | {args.against} median ms | bytes | same bytes |\n|---|---:|---:|---:|---|")
    with httpx.Client(headers=headers, timeout=120) as c:
        for page in args.pages or PAGES:
            lat: dict[str, list[float]] = {args.url: [], args.against: []}
            bodies = []
            for site in lat:
                first = c.get(site + page)  # the first is not counted (at the page's own address, to compare)
                first.raise_for_status()
                bodies.append(first.content)
            for _ in range(args.n):
                for site in lat:
                    t = time.perf_counter()
                    c.get(site + address(page)).raise_for_status()  # type: ignore[operator]
                    lat[site].append(1000 * (time.perf_counter() - t))
            # each server writes its own address into absolute links (Hydra views, the home page's): one for the other
            here, there = (urlparse(u).netloc.encode() for u in (args.url, args.against))
            same = "yes" if bodies[0].replace(here, there) == bodies[1] else "NO"
            print(f"| `{page}` | {statistics.median(lat[args.url]):.1f} | {statistics.median(lat[args.against]):.1f} | {len(bodies[0]):,} | {same} |",
                  flush=True)


if __name__ == "__main__":
    main()
