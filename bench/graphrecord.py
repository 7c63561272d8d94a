"""What the build's record of a version's graphs (``graphs.json``, oirld.graphrecord) costs, and whether it is right.

    .venv/bin/python bench/graphrecord.py VERSION_DIR PREVIOUS_VERSION_DIR [--check]

Makes the record of VERSION_DIR from its dump parts (what the build holds in memory then), once without a previous
record (a first or full build) and once with PREVIOUS_VERSION_DIR's (a rebuild), and says whether each equals the
``graphs.json`` the build wrote; with ``--check``, also cuts the version's store (oirld.partition) and compares its
digests and counts with the record. Wall and CPU seconds of each step; nothing is asserted: the numbers go to
bench/RESULTS.md.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from oirld.dumpparts import part_ntriples, read_parts
from oirld.graphrecord import GRAPHS_FILE, read_record, record_graphs
from oirld.partition import partition


class _Part:
    def __init__(self, version: Path, stem: str, part: dict) -> None:
        self.stem, self.digest, self.triples = stem, part["digest"], part["triples"]
        self.chunk = part_ntriples(version, part["nt"])


def main() -> None:
    version, previous = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    base = json.loads((version / "manifest.json").read_text(encoding="utf-8"))["base_iri"]
    parts = read_parts(version)
    if parts is None:
        raise SystemExit(f"{version} has no parts.json")
    global_nt = part_ntriples(version, parts["global"]["nt"])
    articles = [_Part(version, stem, p) for stem, p in sorted(parts["articles"].items())]
    print("global part lines", global_nt.count(b"\n"), "articles", len(articles))
    for label, before in (("no previous record", None), ("previous version's record", previous)):
        with tempfile.TemporaryDirectory() as tmp:
            t, c = time.perf_counter(), time.process_time()
            made = record_graphs(Path(tmp), base, global_nt, articles, before)
            same = made and (Path(tmp) / GRAPHS_FILE).read_text() == (version / GRAPHS_FILE).read_text()
            print(f"{label}: wall {time.perf_counter() - t:.1f} s, cpu {time.process_time() - c:.1f} s; "
                  f"same as the build's: {same}", flush=True)
    if "--check" in sys.argv:
        t, c = time.perf_counter(), time.process_time()
        cut = partition(ox.Store.read_only(str(version / "store")), base)
        record = (read_record(version, base) or {"graphs": {}})["graphs"]
        print(f"cut of the store: wall {time.perf_counter() - t:.1f} s, cpu {time.process_time() - c:.1f} s; "
              f"{len(record)} graphs recorded, {len(cut.digests())} cut; digests equal: "
              f"{ {g: e['sha256'] for g, e in record.items()} == cut.digests()}; counts equal: "
              f"{ {g: e['triples'] for g, e in record.items()} == cut.counts()}")


if __name__ == "__main__":
    main()
