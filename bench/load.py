"""A bounded load test of a running oirld server: mixed good, slow and malformed requests, and hostile ones.

    .venv/bin/python bench/load.py --url http://127.0.0.1:8000/sparql --seconds 60 --concurrency 8 [--pid PID]
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000/sparql --seconds 120 --hostile 0.3 --pid PID \
        [--token TOKEN] [--hostile-body-mb 8] [--only deep-nesting,bad-host]

Every request has an expected outcome (200; 400 for malformed; 406 for an impossible Accept; for the runaway query,
503 once the timeout stops it). A 503 with Retry-After is the server shedding load as documented: it is counted,
and the client waits as told before its next request. Anything else (another status, a 503 without Retry-After, a
broken connection) is an unexpected error. With --pid (the server's
process id, and its worker processes found as its children) it samples resident memory each second and reports
growth from the first to the last third of the run. The run stops by itself after --seconds or --requests.
Only loopback addresses are accepted.

--hostile F makes a fraction F of the requests hostile: the classes of issue 9 (SERVICE/LOAD to loopback with
lexical tricks, deep nesting, oversize bodies/URLs/headers, bad Host, non-UTF-8 bodies, oversized reconciliation
batches and names, writes without a token), each with the answers a hardened server gives (see bench/hostile.py).
Run it against a server started without --allow-update (with --update-token T, pass --token T: the LOAD tricks are
then sent with the token). The report lists, per class, what was sent, answered as expected, shed (503 with
Retry-After) and unexpected: a wrong status, a 4xx without the JSON error shape, any 5xx, no answer. When a
request gets no answer, the server is probed; if it is down, the run stops and names the class that killed it.
Exit status: 0 when nothing was unexpected, 1 otherwise, 3 when the server went down.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from collections import Counter
from urllib.parse import urlparse

import httpx
from compare import tree_rss_kib  # bench/ is on the path when this runs as a script
from hostile import CLASSES, Request, attack, raw_status

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


def pick(rng: random.Random) -> Request:
    r = rng.random()
    if r < 0.83:
        query, accepts = rng.choice(GOOD)
        return Request("good", frozenset({200}), params={"query": query}, headers={"Accept": rng.choice(accepts)})
    if r < 0.93:
        return Request("malformed", frozenset({400}), params={"query": rng.choice(MALFORMED)}, error_shape=False)
    if r < 0.98:
        return Request("not-acceptable", frozenset({406}), params={"query": GOOD[0][0]}, headers={"Accept": "image/png"},
                       error_shape=False)
    return Request("slow", frozenset({200, 503}), params={"query": SLOW}, error_shape=False)


def _is_error_shape(headers, body: bytes) -> bool:
    if "json" not in headers.get("content-type", ""):
        return False
    try:
        return isinstance(json.loads(body).get("error"), dict)
    except (ValueError, AttributeError):
        return False


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8000/sparql")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--requests", type=int, default=100_000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--pid", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hostile", type=float, default=0.0, metavar="F", help="fraction of hostile requests (0-1)")
    ap.add_argument("--hostile-body-mb", type=float, default=8, help="size of the oversize bodies, MiB")
    ap.add_argument("--only", default="", help="comma-separated hostile classes to send (default: all)")
    ap.add_argument("--token", default=None, help="the server's --update-token, if it has one")
    ap.add_argument("--timeout", type=float, default=60, help="seconds a request may take before it counts as no answer")
    args = ap.parse_args()
    target = urlparse(args.url)
    if target.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load tests target loopback only")
    only = [c for c in args.only.split(",") if c]
    if set(only) - set(CLASSES):
        raise SystemExit(f"unknown classes {sorted(set(only) - set(CLASSES))}; known: {', '.join(CLASSES)}")
    root = f"{target.scheme}://{target.netloc}"
    port = target.port or 80
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.seconds
    sent = 0
    outcomes: Counter[tuple[str, int]] = Counter()
    unexpected: Counter[tuple[str, str]] = Counter()
    shed: Counter[str] = Counter()
    latencies: dict[str, list[float]] = {}
    memory: list[int] = []
    down: list[str] = []
    inflight: Counter[str] = Counter()

    async def sampler() -> None:
        while time.monotonic() < deadline and not down:
            rss = tree_rss_kib(args.pid) if args.pid else 0
            if rss:  # 0 once the process is gone
                memory.append(rss)
            await asyncio.sleep(1)

    async def alive(c: httpx.AsyncClient) -> bool:
        for _ in range(3):
            try:
                await c.get(args.url, params={"query": "ASK {}"}, timeout=10)
                return True
            except httpx.HTTPError:
                await asyncio.sleep(1)
        return False

    async def send(c: httpx.AsyncClient, req: Request) -> tuple[int, dict, bytes]:
        if req.raw is not None:
            return await raw_status(target.hostname, port, req.raw, args.timeout)
        url = args.url if req.path == "/sparql" else root + req.path
        r = await c.request(req.method, url, params=req.params, headers=req.headers, content=req.content)
        return r.status_code, r.headers, r.content

    async def client(c: httpx.AsyncClient) -> None:
        nonlocal sent
        while time.monotonic() < deadline and sent < args.requests and not down:
            sent += 1
            hostile = rng.random() < args.hostile
            req = attack(rng, port, args.token, args.hostile_body_mb, only) if hostile else pick(rng)
            t = time.perf_counter()
            headers: dict = {}
            inflight[req.kind] += 1
            try:
                status, headers, body = await send(c, req)
            except (httpx.HTTPError, OSError, asyncio.TimeoutError) as exc:
                status, body = 0, b""
                unexpected[(req.kind, f"no answer ({type(exc).__name__})")] += 1
                if not down and not await alive(c):
                    down.append(", ".join(f"{k} x{v}" for k, v in sorted((inflight + Counter()).items())))
            finally:
                inflight[req.kind] -= 1
            latencies.setdefault(req.kind, []).append(time.perf_counter() - t)
            outcomes[(req.kind, status)] += 1
            if status == 503 and "retry-after" in headers:
                # shed load: the documented answer when every worker is busy (or a query was stopped); honour it
                shed[req.kind] += 1
                await asyncio.sleep(min(float(headers["retry-after"]), max(0.0, deadline - time.monotonic())))
            elif status and status not in req.expected:
                unexpected[(req.kind, f"HTTP {status}")] += 1
            elif status and 400 <= status < 500 and hostile and req.error_shape and not _is_error_shape(headers, body):
                unexpected[(req.kind, f"HTTP {status} not in the JSON error shape")] += 1

    async with httpx.AsyncClient(timeout=args.timeout) as c:
        started = time.monotonic()
        await asyncio.gather(sampler(), *(client(c) for _ in range(args.concurrency)))
        elapsed = time.monotonic() - started
    print(f"{sent} requests in {elapsed:.1f} s ({sent / elapsed:.1f}/s) at concurrency {args.concurrency}"
          + (f", {args.hostile:.0%} hostile" if args.hostile else ""))
    for (kind, status), n in sorted(outcomes.items()):
        lat = sorted(latencies[kind])
        print(f"  {kind:15s} HTTP {status}: {n:6d}   p50 {statistics.median(lat) * 1000:8.1f} ms   p99 {lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000:8.1f} ms")
    if args.hostile:
        print("hostile classes (expected answers; shed = 503 with Retry-After):")
        for kind in sorted({k for k, _ in outcomes} & set(CLASSES)):
            n = sum(v for (k, _), v in outcomes.items() if k == kind)
            bad = {why: v for (k, why), v in unexpected.items() if k == kind}
            verdict = "FAIL " + ", ".join(f"{why} x{v}" for why, v in sorted(bad.items())) if bad else "ok"
            print(f"  {kind:16s} sent {n:5d}  shed {shed[kind]:4d}  unexpected {sum(bad.values()):5d}  {verdict}")
    if memory:
        third = max(1, len(memory) // 3)
        first, last = statistics.mean(memory[:third]), statistics.mean(memory[-third:])
        print(f"memory (server + workers, RSS): first third {first / 1024:.1f} MiB, last third {last / 1024:.1f} MiB, "
              f"growth {(last - first) / 1024:+.1f} MiB, peak {max(memory) / 1024:.1f} MiB")
    n_5xx = sum(v for (_, why), v in unexpected.items() if why.startswith("HTTP 5"))
    print(f"unexpected errors: {sum(unexpected.values())} (5xx: {n_5xx})"
          + (f" ({[(f'{k}: {w}', v) for (k, w), v in unexpected.most_common(8)]})" if unexpected else ""))
    if down:
        state = "no --pid given to tell a crash from a stall"
        if args.pid:
            state = "its process is still there: stalled" if os.path.exists(f"/proc/{args.pid}") else "its process is gone: crashed"
        print(f"SERVER DOWN ({state}): it stopped answering with these requests in flight: {down[0]}; the run was cut short")
        raise SystemExit(3)
    raise SystemExit(1 if unexpected else 0)


if __name__ == "__main__":
    asyncio.run(main())
