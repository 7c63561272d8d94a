"""CPU time of the pages for people, in-process: steadier than wall time on a machine shared with other work.

    .venv/bin/python bench/pagecpu.py --version DIR [--n 10] [--profile PAGE] [--pages P ...]

The app is built over a published version folder (``DIR/store``, ``search.sqlite`` and, when there, ``pages.sqlite``)
exactly as ``oirld serve --store DIR/store --cache-mb 0`` builds it, and asked through httpx's ASGI transport, with no
HTTP server or socket between. Each page is asked once first (what a server reads once: labels, orders, charts),
then ``--n`` times at addresses of their own (``&bench=<i>``, as ``bench/pages.py --uncached``), each timed by the
process's CPU time (every thread: the handlers run in the offload threads) and by the wall clock. ``--profile PAGE``
runs cProfile over the ``--n`` requests of that page and prints where its time goes (cumulative, then own time).
``--no-index`` serves the version as if it had no ``pages.sqlite`` (the store's queries, as an older version).

Run with ``PYTHONPATH=/work/main/src`` to measure another tree's code on the same version.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import time
from pathlib import Path

import httpx

PAGES = ["/", "/index", "/timeline", "/timeline.ttl", "/disagreements", "/disagreements.ttl", "/doc/id/iraq",
         "/doc/id/iraq.ttl", "/doc/id/iraq.jsonld", "/doc/id/united-states", "/doc/id/syn-base-3", "/doc/id/iraq?page=2"]


_PROFILE: list = [None]  # the profiler the offloaded page work runs under (the handlers run in threads)


def _profiled() -> None:
    from oirld.web.common.offload import Offload

    plain = Offload.run

    async def run(self, fn, *args):
        prof = _PROFILE[0]
        if prof is None:
            return await plain(self, fn, *args)
        return await plain(self, lambda *a: prof.runcall(fn, *a), *args)

    Offload.run = run


def _app(version: Path, home: str | None, index: bool):
    import pyoxigraph as ox

    from oirld.web.app import create_app
    from oirld.web.settings import ServeSettings

    fields = {"base_iri": "https://w3id.org/oirld/", "dataset_version": version.name, "cache_bytes": 0,
              "void_path": str(version / "dumps" / "void.ttl") if (version / "dumps" / "void.ttl").is_file() else None,
              "search_path": str(version / "search.sqlite"), "home": home}
    if "pages_path" in ServeSettings.__dataclass_fields__:
        fields["pages_path"] = str(version / "pages.sqlite") if index and (version / "pages.sqlite").is_file() else None
    return create_app(ServeSettings(**fields), ox.Store.read_only(str(version / "store")))


async def _run(args: argparse.Namespace) -> None:
    _profiled()
    app = _app(Path(args.version), args.home, not args.no_index)
    transport = httpx.ASGITransport(app=app)
    headers = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Encoding": "gzip"}  # as bench/pages.py
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000", headers=headers) as client:
        await client.get("/")  # the lifespan's first use
        print(f"| page | first request ms | CPU median ms | CPU min ms | wall median ms | bytes |")
        print("|---|---:|---:|---:|---:|---:|")
        for page in args.pages:
            t = time.perf_counter()
            first = await client.get(page)
            first_ms = (time.perf_counter() - t) * 1000
            if first.status_code != 200:
                print(f"| `{page}` | status {first.status_code} | | | | |")
                continue
            cpu, wall = [], []
            prof = cProfile.Profile() if page == args.profile else None
            _PROFILE[0] = prof
            for i in range(args.n):
                sep = "&" if "?" in page else "?"
                c, w = time.process_time(), time.perf_counter()
                r = await client.get(f"{page}{sep}bench={i}")
                cpu.append((time.process_time() - c) * 1000)
                wall.append((time.perf_counter() - w) * 1000)
                assert r.status_code == 200, (page, r.status_code)
            print(f"| `{page}` | {first_ms:.0f} | {statistics.median(cpu):.1f} | {min(cpu):.1f} | {statistics.median(wall):.1f} | {len(r.content):,} |")
            _PROFILE[0] = None
            if prof:
                out = io.StringIO()
                stats = pstats.Stats(prof, stream=out)
                stats.sort_stats("cumulative").print_stats(45)
                stats.sort_stats("tottime").print_stats(25)
                print(out.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", required=True, help="a published version folder (holding store/)")
    ap.add_argument("--home", help="the project folder (a source page shows its text from there)")
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--pages", nargs="+", default=PAGES)
    ap.add_argument("--profile", metavar="PAGE")
    ap.add_argument("--no-index", action="store_true", help="serve as if the version had no pages.sqlite")
    asyncio.run(_run(ap.parse_args()))


if __name__ == "__main__":
    main()
