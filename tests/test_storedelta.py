"""The store of a rebuild, made from the previous version's by its difference (:mod:`oirld.storedelta`), is
counted rather than measured: the count must catch a triple added that the store holds already and a previous
version whose parts do not count what its store holds, and make the build load a fresh store instead."""

from __future__ import annotations

import gc
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from oirld.config import Config
from oirld.dumpparts import part_ntriples, read_parts
from oirld.pipeline import build
from oirld.storedelta import update_store

from .test_incremental_publish import _corpus


@dataclass
class _Part:
    stem: str
    digest: str
    triples: int
    chunk: bytes


def _parts(version: Path) -> tuple[bytes, list[_Part]]:
    parts = read_parts(version)
    return (part_ntriples(version, parts["global"]["nt"]),
            [_Part(stem, p["digest"], p["triples"], part_ntriples(version, p["nt"])) for stem, p in parts["articles"].items()])


def test_the_difference_is_counted_and_a_count_that_cannot_be_right_makes_a_fresh_store(tmp_path) -> None:
    cfg = Config(home=_corpus(tmp_path / "home"), out=tmp_path / "out")
    first = build(cfg, workers=1)
    assert not gc.get_freeze_count()  # the build froze the heap while it ran (pipeline.compile_incremental)
    global_nt, articles = _parts(first.path)
    same = update_store(first.path, tmp_path / "same", cfg.base_iri, global_nt, articles)
    assert same is not None and not same.removed and not same.added
    assert len(ox.Store.read_only(str(tmp_path / "same"))) == first.triples

    one = global_nt.split(b"\n", 1)[0] + b"\n"
    fewer = update_store(first.path, tmp_path / "fewer", cfg.base_iri, global_nt.replace(one, b"", 1), articles)
    assert fewer is not None and len(fewer.removed) == 1 and not fewer.added
    assert len(ox.Store.read_only(str(tmp_path / "fewer"))) == first.triples - 1

    # an article's triple written again in the global part: the store would hold it once, the parts twice
    twice = articles[0].chunk.split(b"\n", 1)[0] + b"\n"
    assert update_store(first.path, tmp_path / "twice", cfg.base_iri, global_nt + twice, articles) is None
    assert not (tmp_path / "twice").exists()

    # a previous version whose parts count one triple more than its store holds
    record = json.loads((first.path / "parts.json").read_text())
    record["global"]["triples"] += 1
    (first.path / "parts.json").write_text(json.dumps(record))
    assert update_store(first.path, tmp_path / "miscounted", cfg.base_iri, global_nt.replace(one, b"", 1), articles) is None


def test_lines_are_removed_in_one_update_and_blank_nodes_one_by_one() -> None:
    from oirld.storedelta import _quads, _remove

    lines = {b'<http://x/a> <http://x/p> <http://x/b> .', b'_:n1 <http://x/p> "one" .',
             b'<http://x/a> <http://x/q> _:n2 .', b'<http://x/a> <http://x/r> "a _:n3 in a text"@en .',
             b'<http://x/a> <http://x/s> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .'}
    kept = b'<http://x/b> <http://x/p> <http://x/a> .'
    store = ox.Store()
    store.extend(_quads(lines | {kept}))
    _remove(store, lines)
    assert list(store) == _quads({kept})
