"""Benchmark of the build's stages on the repository's data.

    .venv/bin/python bench/build.py [--repeat N] [--markdown]

Each stage runs N times (default 3) in this process; the table gives the median and the fastest run in seconds,
and the sizes involved. Nothing here is asserted: the numbers go to bench/RESULTS.md with the command and versions.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph
import pyshacl
import rdflib
from rdflib import Graph

import oirld
from oirld.config import Config
from oirld.dumps import write_dumps
from oirld.pipeline import compile_dataset
from oirld.store import export_ntriples, write_store
from oirld.validation import load_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, repeat: int):
    runs, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), min(runs), value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    config = Config(home=ROOT, out=Path(tempfile.mkdtemp()))
    rows = []
    med, best, compiled = timed(lambda: compile_dataset(config), args.repeat)
    rows.append(("compile: seeds, registry, mappings -> claims -> RDF", med, best, f"{len(compiled.claims)} claims, {len(compiled.graph)} triples"))
    nt = compiled.graph.serialize(format="nt", encoding="utf-8")
    counter = iter(range(10**6))
    work = Path(tempfile.mkdtemp())
    med, best, _ = timed(lambda: write_store(work / f"store{next(counter)}", nt), args.repeat)
    rows.append(("load the on-disk pyoxigraph store", med, best, f"{len(nt)} bytes of N-Triples"))
    store_path = work / "store0"
    med, best, exported = timed(lambda: export_ntriples(store_path), args.repeat)
    rows.append(("export the store as N-Triples", med, best, ""))
    med, best, published = timed(lambda: Graph().parse(data=exported, format="nt"), args.repeat)
    rows.append(("parse the export into rdflib", med, best, f"{len(published)} triples"))
    shapes = load_shapes(config.shapes_dir)
    med, best, result = timed(lambda: validate_graph(published, shapes, compiled.ontology.graph), args.repeat)
    rows.append(("SHACL validation (pySHACL)", med, best, f"conforms={result.conforms}"))
    med, best, dumps = timed(lambda: write_dumps(published, exported, work / "dumps"), args.repeat)
    rows.append(("write gzipped Turtle, N-Triples, JSON-LD", med, best, ", ".join(f"{d.name} {d.size} B" for d in dumps)))
    total = sum(r[1] for r in rows)
    versions = (f"oirld {oirld.__version__}, Python {platform.python_version()}, rdflib {rdflib.__version__}, "
                f"pySHACL {pyshacl.__version__}, pyoxigraph {pyoxigraph.__version__}, {platform.machine()}")
    if args.markdown:
        print("| stage | median s | best s | size |\n|---|---:|---:|---|")
        for name, m, b, size in rows:
            print(f"| {name} | {m:.3f} | {b:.3f} | {size} |")
        print(f"| **total (medians)** | **{total:.3f}** | | |\n\n{versions}; {args.repeat} runs each")
    else:
        for name, m, b, size in rows:
            print(f"{name:55s} {m:8.3f} {b:8.3f}  {size}")
        print(f"{'total (medians)':55s} {total:8.3f}\n{versions}")


if __name__ == "__main__":
    main()
