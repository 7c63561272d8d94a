"""How long a cheap request takes while a reconciliation batch of the maximum size runs (issue 9, item 3).

    .venv/bin/python bench/reconcile_stall.py --url http://127.0.0.1:8000 [--batch 100] [--rounds 3]

First the cheap requests alone (idle, after a warm-up), then each round sends one batch of --batch queries (registry names with a
number, so most names are compared in full: the costly kind) and, while it runs, the cheap requests one after
another: the manifest (answered on the event loop), a type suggestion (in the reconciliation threads) and an ASK
(in the query workers). It prints the batch's own time and the cheap requests' latencies during it. If the batch
holds the event loop, the cheap requests wait for it to end. Only loopback addresses are accepted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from urllib.parse import urlparse

import httpx

NAMES = ["Harir Air Base", "Ayn al-Asad", "Mohamed Shia al-Sudani", "Daesh", "Kataib Hezbollah", "Erbil", "Pentagon",
         "Combined Joint Task Force", "Baghdad", "Kurdistan Region"]
CHEAP = [("manifest", "/reconcile", {}, {}),
         ("suggest", "/reconcile/suggest/type", {"prefix": "base"}, {}),
         ("ask", "/sparql", {"query": "ASK {}"}, {"Accept": "application/sparql-results+json"})]


def summary(ms: list[float]) -> str:
    if not ms:
        return "none completed"
    ms = sorted(ms)
    return f"n={len(ms):4d}  p50 {statistics.median(ms):8.1f} ms  p95 {ms[int(0.95 * (len(ms) - 1))]:8.1f} ms  max {ms[-1]:8.1f} ms"


def cheap_round(c: httpx.Client, base: str, out: dict[str, list[float]]) -> None:
    for name, path, params, headers in CHEAP:
        t = time.perf_counter()
        r = c.get(base + path, params=params, headers=headers)
        out.setdefault(name, []).append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            out.setdefault(f"{name} HTTP {r.status_code}", []).append(0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--batch", type=int, default=100, help="queries per batch (the server's limit: 100)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("benchmarks target loopback only")
    base = args.url.rstrip("/")
    with httpx.Client(timeout=600) as c:
        for _ in range(10):  # warm up: the query workers start, the labels are read
            cheap_round(c, base, {})
        idle: dict[str, list[float]] = {}
        for _ in range(20):
            cheap_round(c, base, idle)
        print("idle:")
        for name, ms in idle.items():
            print(f"  {name:10s} {summary(ms)}")
        for round_no in range(args.rounds):
            queries = {f"q{i}": {"query": f"{NAMES[i % len(NAMES)]} {round_no}-{i}"} for i in range(args.batch)}
            result: dict[str, object] = {}

            def send() -> None:
                t = time.perf_counter()
                r = httpx.post(base + "/reconcile", data={"queries": json.dumps(queries)}, timeout=600)
                result.update(status=r.status_code, seconds=time.perf_counter() - t)

            sender = threading.Thread(target=send)
            sender.start()
            time.sleep(0.2)  # let the batch reach the server first
            during: dict[str, list[float]] = {}
            while sender.is_alive():
                cheap_round(c, base, during)
            sender.join()
            print(f"round {round_no + 1}: batch of {args.batch} -> HTTP {result['status']} in {result['seconds']:.2f} s; "
                  "cheap requests meanwhile:")
            for name, ms in during.items():
                print(f"  {name:10s} {summary(ms)}")


if __name__ == "__main__":
    main()
