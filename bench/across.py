"""CPU seconds of a rebuild's read and wire-copy steps on a corpus, the old way and with the build cache's kept forms:

    .venv/bin/python bench/across.py CORPUS SCRATCH_CACHE

The registry parsed (PyYAML) and read back from ``oirld.registrycache``; the wire-copy search over every pair (the
prints known) and with the pairs kept by ``oirld.globalparts.cached_reprints``, after one text changed and with
nothing changed. The kept search's result is checked against the search from scratch. SCRATCH_CACHE is emptied.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import sys
import time
from pathlib import Path

from oirld.globalparts import cached_reprints
from oirld.ontology import load_ontology
from oirld.registry import load_registry
from oirld.registrycache import cached_registry
from oirld.reprints import find_reprints
from oirld.seeds import load_seeds


def cpu(f, *args):
    t = time.process_time()
    r = f(*args)
    return time.process_time() - t, r


def main() -> None:
    home, cache = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(cache, ignore_errors=True)
    registry, classes = home / "ontology" / "registry", load_ontology(home / "ontology" / "oirld.ttl").classes
    print(f"registry parse {cpu(load_registry, registry, classes)[0]:.2f}")
    cached_registry(registry, classes, cache)
    print(f"registry cached {cpu(cached_registry, registry, classes, cache)[0]:.3f}")
    seeds = load_seeds(home / "seeds")
    prints: dict = {}
    find_reprints(seeds, prints)
    print(f"wire copy, all pairs (prints known) {cpu(find_reprints, seeds, prints)[0]:.2f}")
    cached_reprints(seeds, cache)
    s = seeds[len(seeds) // 2]
    text = s.text.replace(".", ". Indeed.", 1)
    seeds[len(seeds) // 2] = dataclasses.replace(s, text=text, text_sha256=hashlib.sha256(text.encode()).hexdigest())
    t, got = cpu(cached_reprints, seeds, cache)
    print(f"wire copy, kept pairs, one text changed {t:.2f}")
    print(f"wire copy, kept pairs, nothing changed {cpu(cached_reprints, seeds, cache)[0]:.2f}")
    assert got == find_reprints(seeds)


if __name__ == "__main__":
    main()
