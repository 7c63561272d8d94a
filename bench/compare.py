"""oirld serve against the Oxigraph server and rdflib-endpoint, on the same synthetic data, in one run.

    .venv/bin/python bench/synth.py --triples 100000 --out /tmp/synth-100k.nt
    .venv/bin/python bench/compare.py --data /tmp/synth-100k.nt --tools /tmp/benchenv/bin --seconds 8

--tools is a folder with the `oxigraph` and `rdflib-endpoint` commands (PyPI `oxigraph` and `rdflib-endpoint[cli]`:
without its `cli` extra rdflib-endpoint installs no working command), installed in a separate virtual environment
so their pins do not touch oirld's; oirld's own venv needs `pip install -e '.[bench]'` (httpx). Each system is started on
loopback, loaded with the same file (on-disk stores for oirld and Oxigraph; rdflib-endpoint keeps rdflib's memory
store), checked to return the same answers to every query, then driven with a fixed query mix by closed-loop
clients at concurrency 1 and 8. It reports throughput, p50/p95/p99 latency per query, errors, load time and peak
resident memory of the server's process tree, and the ratios between systems. oirld runs twice: without its result
cache (oirld-nocache) and with it (oirld; every query of the mix repeats, so after the first round all are hits).
Clients send no If-None-Match.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
P = """PREFIX oirl: <https://w3id.org/oirld/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX schema: <https://schema.org/>
"""
B = "https://w3id.org/oirld/"
QUERIES = {
    "lookup": P + f"SELECT ?p ?o WHERE {{ <{B}id/e17> ?p ?o }}",
    "label": P + 'SELECT ?e WHERE { ?e rdfs:label "Entity 42"@en }',
    "claims-of-entity": P + f"SELECT ?c ?p ?exact WHERE {{ ?c rdf:subject <{B}id/e5> ; rdf:predicate ?p ; prov:wasDerivedFrom/oa:hasSelector/oa:exact ?exact }}",
    "evidence-of-claim": P + f"SELECT ?src ?start ?end WHERE {{ <{B}claim/c100> prov:wasDerivedFrom ?ev . ?ev oa:hasSource ?src ; oa:hasSelector/oa:start ?start ; oa:hasSelector/oa:end ?end }}",
    "disagreements": P + "SELECT ?d ?s ?c WHERE { ?d a oirl:Disagreement ; oirl:onSubject ?s ; oirl:involvesClaim ?c } ORDER BY ?d ?c LIMIT 100",
    "troops-over-time": P + "SELECT ?s ?n ?when WHERE { ?c rdf:predicate oirl:troopCount ; rdf:subject ?s ; rdf:object/schema:value ?n ; oirl:asOf/oirl:earliest ?when } ORDER BY ?when ?s ?n LIMIT 100",
    "latest-troops (materialised)": P + "SELECT ?s ?n ?when WHERE { ?cv a oirl:CurrentValue ; oirl:onProperty oirl:troopCount ; oirl:onSubject ?s ; oirl:latestAsOf ?when ; oirl:currentClaim/rdf:object/schema:value ?n } ORDER BY ?s ?when ?n LIMIT 100",
    "count-by-type": P + "SELECT ?t (COUNT(?e) AS ?n) WHERE { ?e a ?t } GROUP BY ?t",
    "ask": P + f"ASK {{ <{B}id/e1> a ?t }}",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_kib(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in open(f"/proc/{p}/task/{task}/children").read().split()]
        except OSError:
            pass
    return total


class System:
    def __init__(self, name: str, cmd: list[str], url: str, prepare: list[str] | None = None, load_url: str | None = None) -> None:
        self.name, self.cmd, self.url, self.prepare, self.load_url = name, cmd, url, prepare, load_url
        self.data: str | None = None
        self.proc: subprocess.Popen | None = None
        self.load_seconds = 0.0
        self.peak_kib = 0

    def start(self) -> None:
        t = time.monotonic()
        if self.prepare:
            subprocess.run(self.prepare, check=True, capture_output=True)
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                r = httpx.get(self.url, params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"}, timeout=2)
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        if self.load_url and self.data:
            with open(self.data, "rb") as fh:
                httpx.put(self.load_url, content=fh.read(), headers={"Content-Type": "application/n-triples"}, timeout=600).raise_for_status()
        if self.name == "oirld-mem":
            # workers load their copies in the background: wait until both answer
            for _ in range(4):
                httpx.get(self.url, params={"query": "ASK { ?s ?p ?o }"}, timeout=600)
        self.load_seconds = time.monotonic() - t

    def stop(self) -> None:
        if self.proc:
            os.killpg(self.proc.pid, 15)
            self.proc.wait(20)


def normalise(body: dict) -> object:
    if "boolean" in body:
        return body["boolean"]
    rows = []
    for b in body["results"]["bindings"]:
        row = []
        for v in sorted(b):
            t = b[v]
            dt = t.get("datatype")
            value = t["value"]
            if dt and dt.endswith(("#integer", "#decimal")):
                value = str(float(value))
            row.append((v, t["type"].replace("typed-literal", "literal"), value, t.get("xml:lang", "")))
        rows.append(tuple(row))
    return sorted(rows)


async def drive(system: System, concurrency: int, seconds: float) -> dict:
    lat: dict[str, list[float]] = {q: [] for q in QUERIES}
    errors = 0
    done = 0
    names = list(QUERIES)
    deadline = time.monotonic() + seconds

    async def sampler() -> None:
        while time.monotonic() < deadline:
            system.peak_kib = max(system.peak_kib, tree_rss_kib(system.proc.pid))
            await asyncio.sleep(0.5)

    async def client(i: int, c: httpx.AsyncClient) -> None:
        nonlocal errors, done
        k = i
        while time.monotonic() < deadline:
            name = names[k % len(names)]
            k += 1
            t = time.perf_counter()
            try:
                r = await c.get(system.url, params={"query": QUERIES[name]}, headers={"Accept": "application/sparql-results+json"})
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            lat[name].append(time.perf_counter() - t)
            done += 1
            errors += 0 if ok else 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=120, limits=limits) as c:
        started = time.monotonic()
        await asyncio.gather(sampler(), *(client(i, c) for i in range(concurrency)))
        elapsed = time.monotonic() - started
    return {"qps": done / elapsed, "errors": errors, "lat": lat}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] * 1000 if xs else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--tools", required=True, help="folder with the oxigraph and rdflib-endpoint commands")
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--systems", default="oirld-nocache,oirld,oxigraph,rdflib-endpoint",
                    help="oirld-nocache is oirld serve --cache-mb 0; oirld has its default result cache")
    args = ap.parse_args()
    data = str(Path(args.data).resolve())
    tools = Path(args.tools)
    work = Path(tempfile.mkdtemp(prefix="oirld-compare-"))
    systems = []
    for name in args.systems.split(","):
        port = free_port()
        if name in ("oirld", "oirld-nocache", "oirld-mem"):
            extra = {"oirld": [], "oirld-nocache": ["--cache-mb", "0"], "oirld-mem": ["--cache-mb", "0", "--in-memory"]}[name]
            systems.append(System(name, [str(ROOT / ".venv" / "bin" / "oirld"), "serve", data, "--port", str(port), *extra],
                                  f"http://127.0.0.1:{port}/sparql"))
        elif name == "oxigraph":
            loc = work / "oxigraph"
            systems.append(System("oxigraph", [str(tools / "oxigraph"), "serve-read-only", "--location", str(loc), "--bind", f"127.0.0.1:{port}"],
                                  f"http://127.0.0.1:{port}/query", prepare=[str(tools / "oxigraph"), "load", "--location", str(loc), "--file", data]))
        elif name == "oxigraph-mem":
            systems.append(System("oxigraph-mem", [str(tools / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}"],
                                  f"http://127.0.0.1:{port}/query", load_url=f"http://127.0.0.1:{port}/store?default"))
        elif name == "rdflib-endpoint":
            systems.append(System("rdflib-endpoint", [str(tools / "rdflib-endpoint"), "serve", data, "--host", "127.0.0.1", "--port", str(port)],
                                  f"http://127.0.0.1:{port}/"))
    for s in systems:
        s.data = data
    results: dict[str, dict] = {}
    answers: dict[str, dict] = {}
    try:
        for s in systems:
            print(f"starting {s.name} ...", file=sys.stderr, flush=True)
            s.start()
            answers[s.name] = {}
            for q, text in QUERIES.items():
                r = httpx.get(s.url, params={"query": text}, headers={"Accept": "application/sparql-results+json"}, timeout=300)
                answers[s.name][q] = normalise(r.json()) if r.status_code == 200 else f"HTTP {r.status_code}"
            results[s.name] = {"load": s.load_seconds}
            for c in (1, 8):
                print(f"  {s.name} at concurrency {c} ...", file=sys.stderr, flush=True)
                results[s.name][c] = asyncio.run(drive(s, c, args.seconds))
            results[s.name]["peak_mib"] = s.peak_kib / 1024
            s.stop()
    finally:
        for s in systems:
            if s.proc and s.proc.poll() is None:
                s.stop()
        shutil.rmtree(work, ignore_errors=True)
    ref = systems[0].name
    print(f"Data: {args.data}; {args.seconds:g} s per system and concurrency; no caches.\n")
    print("Answers:", ", ".join(f"{q}: " + ("same" if all(answers[s.name][q] == answers[ref][q] for s in systems) else
                                         "DIFFER (" + ", ".join(s.name for s in systems if answers[s.name][q] != answers[ref][q]) + ")")
                                 for q in QUERIES))
    print("\n| system | load s | peak MiB | q/s c=1 | q/s c=8 | errors |\n|---|---:|---:|---:|---:|---:|")
    for s in systems:
        r = results[s.name]
        print(f"| {s.name} | {r['load']:.1f} | {r['peak_mib']:.0f} | {r[1]['qps']:.1f} | {r[8]['qps']:.1f} | {r[1]['errors'] + r[8]['errors']} |")
    ours = [s for s in systems if s.name.startswith("oirld")]
    others = [s for s in systems if not s.name.startswith("oirld")]
    for mine in ours:
        if others:
            print(f"\nRatios ({mine.name} / other): " + "; ".join(
                f"{s.name}: c=1 {results[mine.name][1]['qps'] / results[s.name][1]['qps']:.2f}x, "
                f"c=8 {results[mine.name][8]['qps'] / results[s.name][8]['qps']:.2f}x" for s in others))
    print("\nLatency p50 / p95 / p99 in ms at concurrency 1:\n")
    print("| query | " + " | ".join(s.name for s in systems) + " |\n|---|" + "---:|" * len(systems))
    for q in QUERIES:
        cells = [f"{pct(results[s.name][1]['lat'][q], 50):.1f} / {pct(results[s.name][1]['lat'][q], 95):.1f} / {pct(results[s.name][1]['lat'][q], 99):.1f}" for s in systems]
        print(f"| {q} | " + " | ".join(cells) + " |")
    print(f"\nVersions: Python {sys.version.split()[0]}; " + json.dumps({
        "oxigraph": subprocess.run([str(tools / "oxigraph"), "--version"], capture_output=True, text=True).stdout.strip(),
    }))


if __name__ == "__main__":
    main()
