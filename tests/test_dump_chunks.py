"""The global part of the dumps in chunks (oirld.dumpparts.global_chunks): a rebuild after one article changed
gzips only the chunks whose triples changed, copies the others from the previous version, and publishes what a
build from scratch publishes (the same triples in each dump; the JSON-LD dump one valid array)."""

from __future__ import annotations

import gzip
import json

import oirld.dumpparts
from oirld.config import Config
from oirld.dumpparts import global_chunks, part_ntriples, read_parts
from oirld.pipeline import build

from .test_incremental_publish import _assert_same, _corpus, _edit, _from_scratch, _rebuild, _state, _stems


class _G:
    def __init__(self, nt: bytes) -> None:
        self.nt = nt


def test_chunks_are_the_groups_in_order_and_a_changed_group_moves_no_other_boundary():
    groups = {f"claim:{i}": _G(f"<http://a/{i}> <http://a/p> \"{i}\" .\n".encode()) for i in range(400)}
    groups = {"build": _G(b"<http://a/b> <http://a/p> <http://a/c> .\n"), **groups}
    tail = b"<http://a/1> <http://a/g> <http://a/b> .\n"
    nt = b"".join(g.nt for g in groups.values()) + tail
    chunks = global_chunks(groups, nt, span=8)
    assert b"".join(chunks) == nt and chunks[0] == groups["build"].nt and chunks[-1] == tail
    assert 20 < len(chunks) < 120
    changed = dict(groups)
    changed["claim:200"] = _G(b"<http://a/200> <http://a/p> \"changed\" .\n")
    del changed["claim:300"]
    again = global_chunks(changed, b"".join(g.nt for g in changed.values()) + tail, span=8)
    assert len(set(chunks) - set(again)) <= 2 and len(set(again) - set(chunks)) <= 2
    # not the groups' triples: one chunk, never a wrong one
    assert global_chunks(groups, b"<http://a/x> <http://a/p> <http://a/y> .\n" + nt, span=8) == [
        b"<http://a/x> <http://a/p> <http://a/y> .\n" + nt]


def test_a_one_article_rebuild_copies_the_unchanged_chunks_and_publishes_what_a_build_from_scratch_does(tmp_path, monkeypatch):
    monkeypatch.setattr(oirld.dumpparts, "CHUNK_SPAN", 4)
    home = _corpus(tmp_path / "home")
    cfg = Config(home=home, out=tmp_path / "out")
    first = build(cfg, workers=1)
    _edit(home, _stems(home)[1])
    second, _ = _rebuild(cfg)
    before, after = read_parts(first.path)["global"]["chunks"], read_parts(second.path)["global"]["chunks"]
    assert len(after) > 10
    kept = {c["key"] for c in before} & {c["key"] for c in after}
    assert 0 < len(kept) < len(after)
    _assert_same(_state(second), _state(_from_scratch(home, tmp_path / "scratch")))
    whole = gzip.decompress((second.path / "dumps" / "oirld.jsonld.gz").read_bytes())
    assert isinstance(json.loads(whole), list)
    # each chunk reads back alone, and the global part's range is all of them
    parts = read_parts(second.path)
    pieces = [part_ntriples(second.path, c["members"]["nt"][:2]) for c in after]
    assert b"".join(pieces) == part_ntriples(second.path, parts["global"]["nt"])
