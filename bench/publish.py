"""Benchmark of ``oirld publish`` on a large store: the streamed cut, then the push to an Oxigraph server.

    .venv/bin/python bench/publish.py --store STORE [--base IRI] [--push] [--old] [--no-cut]
    .venv/bin/python bench/publish.py --versions VERSION_DIR... --server-db DIR [--src SRC]

Each step runs in a fresh process, so its peak resident memory (``ru_maxrss``) is its own: the cut into graphs
(wall and CPU seconds, peak RSS, graphs, the largest graph, disk used by the spooled files); with ``--push``, a whole publish
(cut, lock, send, count check) into an empty Oxigraph server started on a free loopback port, then a republish
with nothing changed; with ``--old``, the whole-version cut of the commit before the streamed one, for comparison.
With ``--versions``, each version folder (a real build's) is published in turn into one Oxigraph server whose database
is kept in ``--server-db`` (so a later run goes on from what an earlier one left there); each publish is a fresh
process and reports what it sent and whether it cut the store; ``--src`` runs the publishes with the oirld package
of another checkout (its ``src/`` folder), for a before/after on the same data.
Nothing is asserted: the numbers go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CUT = """
import json, resource, sys, time
import pyoxigraph as ox
from oirld.partition import partition
t = time.perf_counter()
cut = partition(ox.Store.read_only(sys.argv[1]), sys.argv[2])
counts = cut.counts()
disk = sum(cut.size(g) for g in counts)
u = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu_s": u.ru_utime + u.ru_stime, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "graphs": len(counts), "triples": sum(counts.values()), "largest": cut.largest,
                  "largest_graph": max(counts, key=counts.get), "disk_mib": disk / 2**20}))
"""

_OLD = """
import importlib.util, json, resource, subprocess, sys, time
import pyoxigraph as ox
source = subprocess.run(["git", "show", "59fd053~1:src/oirld/partition.py"], capture_output=True, text=True, check=True, cwd=sys.argv[3]).stdout
spec = importlib.util.spec_from_loader("oldpart", loader=None)
old = importlib.util.module_from_spec(spec)
sys.modules["oldpart"] = old
exec(compile(source, "oldpart", "exec"), old.__dict__)
t = time.perf_counter()
store = ox.Store.read_only(sys.argv[1])
cut = old.partition(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), sys.argv[2])
u = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu_s": u.ru_utime + u.ru_stime, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "graphs": len(cut.graphs), "triples": sum(cut.counts().values())}))
"""

_PUSH = """
import json, resource, sys, time
from pathlib import Path
import oirld.partition
from oirld.publish import publish_version
from oirld.remote import RemoteClient
version, gsp, query = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
t = time.perf_counter()
with RemoteClient(query, gsp, timeout=3600) as client:
    report = publish_version(version, client)
u = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu_s": u.ru_utime + u.ru_stime, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "sent": len(report.sent), "sent_mib": report.sent_bytes / 2**20, "counted": sum(report.counts.values()),
                  "cut": getattr(report, "cut", True), "oirld": oirld.partition.__file__}))
"""


def _run(code: str, *args: str, src: Path | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)} if src else None
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--versions", nargs="+", type=Path, default=[])
    parser.add_argument("--server-db", type=Path)
    parser.add_argument("--src", type=Path)
    parser.add_argument("--base", default="https://w3id.org/oirld/")
    parser.add_argument("--push", action="store_true")
    parser.add_argument("--old", action="store_true")
    parser.add_argument("--no-cut", action="store_true", help="leave out the streamed cut on its own")
    args = parser.parse_args()
    if args.versions:
        _in_turn(args.versions, args.server_db, args.src)
        return
    if not args.no_cut:
        print("cut (streamed):", _run(_CUT, str(args.store), args.base), flush=True)
    if args.old:
        print("cut (whole version, before):", _run(_OLD, str(args.store), args.base, str(ROOT)), flush=True)
    if args.push:
        sys.path.insert(0, str(ROOT))
        from tests.sparql_servers import start_oxigraph

        with tempfile.TemporaryDirectory(prefix="oirld-bench-publish-") as tmp:
            version = Path(tmp) / "versions" / "bench"
            version.mkdir(parents=True)
            (version / "store").symlink_to(args.store.resolve())
            (version / "manifest.json").write_text(json.dumps({"version": "bench", "base_iri": args.base}))
            server = start_oxigraph(Path(tmp) / "oxigraph")
            try:
                print("publish into an empty server:", _run(_PUSH, str(version), server.gsp, server.query), flush=True)
                print("republish, nothing changed:", _run(_PUSH, str(version), server.gsp, server.query), flush=True)
            finally:
                server.stop()


def _in_turn(versions: list[Path], db: Path, src: Path | None) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.sparql_servers import start_oxigraph

    db.parent.mkdir(parents=True, exist_ok=True)
    server = start_oxigraph(db, wait=900)  # a large database opens slowly on a loaded machine
    try:
        for version in versions:
            print(f"publish {version.name}:", _run(_PUSH, str(version), server.gsp, server.query, src=src), flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
