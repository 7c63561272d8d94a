"""A bounded load test of a running oirld server: mixed good, slow and malformed requests.

    .venv/bin/python bench/load.py --url http://127.0.0.1:8000/sparql --seconds 60 --concurrency 8 [--pid PID]

Every request has an expected outcome (200; 400 for malformed; 406 for an impossible Accept; for the runaway query,
503 once the timeout stops it). A 503 with Retry-After is the server shedding load as documented: it is counted,
and the client waits as told before its next request. Anything else (another status, a 503 without Retry-After, a
broken connection) is an unexpected error. With --pid (the server's
process id, and its worker processes found as its children) it samples resident memory each second and reports
growth from the first to the last third of the run. The run stops by itself after --seconds or --requests.
Only loopback addresses are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections import Counter
from urllib.parse import urlparse

import httpx
from compare import tree_rss_kib  # bench/ is on the path when this runs as a script

RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "*/*"]
GRAPHS = ["text/turtle", "application/n-triples", "application/ld+json", "*/*"]
GOOD = [
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", RESULTS),
    ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?l WHERE { ?s rdfs:label ?l } LIMIT 50", RESULTS),
    ("ASK { ?s a <https://w3id.org/oirld/ontology#Claim> }", RESULTS),
    ("CONSTRUCT WHERE { <https://w3id.org/oirld/id/oir> ?p ?o }", GRAPHS),
    ("PREFIX oirl: <https://w3id.org/oirld/ontology#> SELECT ?d ?s WHERE { ?d a oirl:Disagreement ; oirl:onSubject ?s }", RESULTS),
]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MALFORMED = ["SELECT WHERE {", "SELEC * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p }"]


def pick(rng: random.Random) -> tuple[str, dict, dict, set[int]]:
    r = rng.random()
    if r < 0.83:
        query, accepts = rng.choice(GOOD)
        return "good", {"query": query}, {"Accept": rng.choice(accepts)}, {200}
    if r < 0.93:
        return "malformed", {"query": rng.choice(MALFORMED)}, {}, {400}
    if r < 0.98:
        return "not-acceptable", {"query": GOOD[0][0]}, {"Accept": "image/png"}, {406}
    return "slow", {"query": SLOW}, {}, {200, 503}


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8000/sparql")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--requests", type=int, default=100_000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--pid", type=int)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load tests target loopback only")
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.seconds
    sent = 0
    outcomes: Counter[tuple[str, int]] = Counter()
    unexpected: list[str] = []
    latencies: dict[str, list[float]] = {}
    memory: list[int] = []

    async def sampler() -> None:
        while time.monotonic() < deadline:
            if args.pid:
                memory.append(tree_rss_kib(args.pid))
            await asyncio.sleep(1)

    async def client(c: httpx.AsyncClient) -> None:
        nonlocal sent
        while time.monotonic() < deadline and sent < args.requests:
            sent += 1
            kind, params, headers, expected = pick(rng)
            t = time.perf_counter()
            try:
                r = await c.get(args.url, params=params, headers=headers)
                status = r.status_code
            except httpx.HTTPError as exc:
                status = 0
                unexpected.append(f"{kind}: {type(exc).__name__}")
            latencies.setdefault(kind, []).append(time.perf_counter() - t)
            outcomes[(kind, status)] += 1
            if status == 503 and "retry-after" in r.headers:
                # shed load: the documented answer when every worker is busy (or a query was stopped); honour it
                await asyncio.sleep(min(float(r.headers["retry-after"]), max(0.0, deadline - time.monotonic())))
            elif status and status not in expected:
                unexpected.append(f"{kind}: HTTP {status}")

    async with httpx.AsyncClient(timeout=120) as c:
        started = time.monotonic()
        await asyncio.gather(sampler(), *(client(c) for _ in range(args.concurrency)))
        elapsed = time.monotonic() - started
    print(f"{sent} requests in {elapsed:.1f} s ({sent / elapsed:.1f}/s) at concurrency {args.concurrency}")
    for (kind, status), n in sorted(outcomes.items()):
        lat = sorted(latencies[kind])
        print(f"  {kind:15s} HTTP {status}: {n:6d}   p50 {statistics.median(lat) * 1000:8.1f} ms   p99 {lat[int(len(lat) * 0.99) - 1 if len(lat) > 1 else 0] * 1000:8.1f} ms")
    if memory:
        third = max(1, len(memory) // 3)
        first, last = statistics.mean(memory[:third]), statistics.mean(memory[-third:])
        print(f"memory (server + workers, RSS): first third {first / 1024:.1f} MiB, last third {last / 1024:.1f} MiB, "
              f"growth {(last - first) / 1024:+.1f} MiB, peak {max(memory) / 1024:.1f} MiB")
    print(f"unexpected errors: {len(unexpected)}" + (f" ({Counter(unexpected).most_common(5)})" if unexpected else ""))
    raise SystemExit(1 if unexpected else 0)


if __name__ == "__main__":
    asyncio.run(main())
