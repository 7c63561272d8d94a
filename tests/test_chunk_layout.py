"""The record of a version's graphs laid out chunk by chunk with each chunk's placement cached
(oirld.chunklayout): a rebuild that reuses the cache records what a record made from scratch records, also when a
chunk that did not change must be placed elsewhere because another part changed (a claim follows its evidence's
source), and a one-article rebuild of a real project reuses most chunks and records what the cut of its store
gives."""

from __future__ import annotations

import hashlib

import oirld.chunklayout
import oirld.dumpparts
from oirld.config import Config
from oirld.graphrecord import read_record, record_graphs
from oirld.partition import graph_iri, partition
from oirld.pipeline import build
from oirld.store import open_store

from .test_incremental_publish import _corpus, _edit, _files, _rebuild, _stems

B = "http://ex.org/"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ARTICLE = "<https://schema.org/NewsArticle>"
HAS = "<http://www.w3.org/ns/oa#hasSource>"
DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
VALUE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#value>"
LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"


class Part:
    def __init__(self, stem: str, *lines: str) -> None:
        self.stem, self.triples = stem, len(lines)
        self.chunk = "".join(f"{line} .\n" for line in lines).encode()
        self.digest = hashlib.sha256(self.chunk).hexdigest()


def _article(stem: str, *passages: str) -> Part:
    return Part(stem, f"<{B}source/{stem}> {TYPE} {ARTICLE}", *(f"<{B}evidence/{p}> {HAS} <{B}source/{stem}>" for p in passages))


# the claim's evidence is named in the first chunk only: the second, naming the claim, must follow it too
CHUNKS = [f"<{B}claim/c1> {DERIVED} <{B}evidence/e1> .\n".encode(),
          f"<{B}claim/c1> {VALUE} <{B}value/v1> .\n<{B}value/v1> {VALUE} \"1\" .\n".encode(),
          f"<{B}id/x> {LABEL} \"X\" .\n<{B}id/x> {VALUE} <{B}value/v2> .\n<{B}value/v2> {VALUE} \"2\" .\n".encode()]


def _graphs(folder) -> dict:
    return {g: (e["sha256"], e["triples"]) for g, e in read_record(folder, B)["graphs"].items()}


def test_an_unchanged_chunk_is_placed_again_when_what_it_names_moved(tmp_path):
    cache, v1, v2, scratch = (tmp_path / n for n in ("cache", "v1", "v2", "scratch"))
    for f in (v1, v2, scratch):
        f.mkdir()
    assert record_graphs(v1, B, CHUNKS, [_article("a1", "e1"), _article("a2")], None, cache)
    assert graph_iri(B, "source/a1") in _graphs(v1)
    assert _graphs(v1)[graph_iri(B, "source/a1")][1] == 5  # the article, its passage, the claim and its value
    moved = [_article("a1"), _article("a2", "e1")]  # the evidence is the other article's now
    assert record_graphs(v2, B, CHUNKS, moved, v1, cache)
    assert record_graphs(scratch, B, CHUNKS, moved)
    assert _graphs(v2) == _graphs(scratch)
    assert _graphs(v2)[graph_iri(B, "source/a2")][1] == 5


def test_a_record_with_the_cache_equals_one_without(tmp_path):
    cache = tmp_path / "cache"
    arts = [_article("a1", "e1"), _article("a2")]
    for n in range(3):  # the second and third reuse every chunk
        (tmp_path / str(n)).mkdir()
        assert record_graphs(tmp_path / str(n), B, CHUNKS, arts, tmp_path / str(n - 1) if n else None, cache)
    (tmp_path / "scratch").mkdir()
    assert record_graphs(tmp_path / "scratch", B, b"".join(CHUNKS), arts)
    assert _graphs(tmp_path / "2") == _graphs(tmp_path / "scratch")


def test_a_one_article_rebuild_reuses_most_chunks_and_records_the_cut_of_its_store(tmp_path, monkeypatch):
    monkeypatch.setattr(oirld.dumpparts, "CHUNK_SPAN", 4)
    layouts: list = []
    place = oirld.chunklayout.ChunkLayout.place

    def spy(self, layout, articles):
        layouts.append(self)
        return place(self, layout, articles)
    monkeypatch.setattr(oirld.chunklayout.ChunkLayout, "place", spy)
    home = _corpus(tmp_path / "home")
    cfg = Config(home=home, out=tmp_path / "out")
    build(cfg, workers=1)
    assert layouts[-1].reused == 0
    _edit(home, _stems(home)[1])
    second, _ = _rebuild(cfg)
    assert 0 < layouts[-1].reused < len(layouts[-1].entries)
    assert layouts[-1].reused >= len(layouts[-1].entries) // 3  # a fifth of the corpus changed
    _assert_record_is_the_cut(second.path, cfg.base_iri)
    # an article removed, then a thing renamed: what the layout knows changes more widely
    for f in _files(home, _stems(home)[0]):
        f.unlink()
    third, _ = _rebuild(cfg)
    assert layouts[-1].reused > 0
    _assert_record_is_the_cut(third.path, cfg.base_iri)
    registry = home / "ontology" / "registry" / "actors.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("label: United States\n", "label: United States (renamed)\n", 1),
                        encoding="utf-8")
    fourth, _ = _rebuild(cfg)
    _assert_record_is_the_cut(fourth.path, cfg.base_iri)


def _assert_record_is_the_cut(version, base: str) -> None:
    cut = partition(open_store(version / "store"), base)
    record = read_record(version, base)["graphs"]
    assert {g: e["sha256"] for g, e in record.items()} == cut.digests()
    assert {g: e["triples"] for g, e in record.items()} == cut.counts()


def test_an_unchanged_chunk_is_placed_again_when_a_new_claim_restates_its_line(tmp_path):
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    entity = f"<{B}id/x> {LABEL} \"X\" .\n<{B}id/x> <{B}p> <{B}id/y> .\n<{B}id/y> {LABEL} \"Y\" .\n".encode()
    claim = (f"<{B}claim/c2> <{rdf}subject> <{B}id/x> .\n<{B}claim/c2> <{rdf}predicate> <{B}p> .\n"
             f"<{B}claim/c2> <{rdf}object> <{B}id/y> .\n<{B}claim/c2> {DERIVED} <{B}evidence/e1> .\n").encode()
    cache = tmp_path / "cache"
    arts = [_article("a1", "e1")]
    for name, chunks in (("v1", [entity]), ("v2", [entity, claim]), ("v3", [entity])):
        (tmp_path / name).mkdir()
        assert record_graphs(tmp_path / name, B, chunks, arts, None, cache)
        (tmp_path / f"scratch-{name}").mkdir()
        assert record_graphs(tmp_path / f"scratch-{name}", B, chunks, arts)
        assert _graphs(tmp_path / name) == _graphs(tmp_path / f"scratch-{name}")
    assert _graphs(tmp_path / "v2")[graph_iri(B, "claims")][1] == 1  # the restating line


def test_a_damaged_or_foreign_cache_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    arts = [_article("a1", "e1"), _article("a2")]
    (tmp_path / "scratch").mkdir()
    assert record_graphs(tmp_path / "scratch", B, CHUNKS, arts)
    (tmp_path / "v0").mkdir()
    assert record_graphs(tmp_path / "v0", "http://other.org/", CHUNKS, arts, None, cache)  # another base
    for n, damage in enumerate((None, b"not a pickle", b"")):
        if damage is not None:
            (cache / oirld.chunklayout.CACHE_FILE).write_bytes(damage)
        (tmp_path / str(n)).mkdir()
        assert record_graphs(tmp_path / str(n), B, CHUNKS, arts, None, cache)
        assert _graphs(tmp_path / str(n)) == _graphs(tmp_path / "scratch")
