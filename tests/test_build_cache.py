"""The incremental build: per-article results are cached by their inputs, a rebuild redoes only what changed, and
what it publishes is what the whole-graph compile makes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from oirld.buildcache import ArticleResult
from oirld.config import Config
from oirld.pipeline import build, compile_dataset, current_version_dir
from oirld.store import export_ntriples, write_store

from .conftest import CURATED, ROOT, make_project

TWO = CURATED[:2]


def _project(dest: Path) -> Config:
    home = make_project(dest / "project", seeds=TWO)
    for stem in TWO:
        shutil.copy(ROOT / "mappings" / f"{stem}.yaml", home / "mappings" / f"{stem}.yaml")
    return Config(home=home, out=dest / "out")


def _published(path: Path) -> Graph:
    return Graph().parse(data=export_ntriples(path / "store"), format="nt")


def _round_trip(graph: Graph, tmp: Path) -> Graph:
    """A graph as the store gives it back (canonical literals), as the build publishes it."""
    write_store(tmp, graph.serialize(format="nt", encoding="utf-8"))
    return Graph().parse(data=export_ntriples(tmp), format="nt")


def _assert_same(got: Graph, expected: Graph) -> None:
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        raise AssertionError("only in the build:\n" + only_got.serialize(format="nt")[:3000]
                             + "\nonly in the whole-graph compile:\n" + only_expected.serialize(format="nt")[:3000])


def test_the_build_publishes_what_the_whole_graph_compile_makes_on_the_live_seeds(built, tmp_path):
    """The split build's output is graph-isomorphic to the one-graph compile (the build before the split)."""
    manifest = json.loads((built.path / "manifest.json").read_text())
    started = dt.datetime.fromisoformat(manifest["started"])
    whole = compile_dataset(Config(home=ROOT, out=tmp_path / "unused"), started=started)
    assert whole.info.version == built.version
    _assert_same(_published(built.path), _round_trip(whole.graph, tmp_path / "store"))


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    """A two-article project built, rebuilt unchanged, then rebuilt after one article's mapping changed."""
    cfg = _project(tmp_path_factory.mktemp("cache"))
    lines: list[list[str]] = [[], [], []]
    first = build(cfg, lambda n, m: lines[0].append(m), workers=1)
    again = build(cfg, lambda n, m: lines[1].append(m), workers=1)
    mapping = cfg.mappings_dir / f"{TWO[1]}.yaml"
    text = mapping.read_text()
    mapping.write_text(text + "\n# an edit that changes the file, not the claims\n")
    third = build(cfg, lambda n, m: lines[2].append(m), workers=1)
    return cfg, (first, again, third), lines


def test_a_rebuild_with_nothing_changed_keeps_the_current_version(twice):
    cfg, (first, again, _), lines = twice
    assert again.unchanged and again.version == first.version and again.path == first.path
    assert again.triples == first.triples and again.claims == first.claims
    assert any("nothing changed" in m for m in lines[1])


def test_a_rebuild_after_one_change_redoes_only_that_article(twice):
    cfg, (first, _, third), lines = twice
    assert not third.unchanged and third.version != first.version
    assert any("(1 compiled now, 1 from the cache)" in m for m in lines[2]), lines[2]
    assert current_version_dir(cfg.out) == third.path
    # a comment changed nothing in the data: the same graph, bar the build's own record of its inputs and time
    strip = lambda g: {t for t in g if "/build/" not in str(t[0]) and "/input/" not in str(t[0])  # noqa: E731
                       and "/mapping/" not in str(t[0]) and "wasGeneratedBy" not in str(t[1])}
    assert strip(_published(first.path)) == strip(_published(third.path))


def test_each_article_leaves_its_own_triples_in_the_cache(twice):
    cfg, (first, _, _), _ = twice
    published = _published(first.path)
    for stem in TWO:
        chunk = Graph().parse(cfg.out / "cache" / "articles" / f"{stem}.nt", format="nt")
        assert len(chunk) > 50
        assert all(t in published for t in chunk)


def test_a_damaged_cache_entry_is_recomputed_not_trusted(tmp_path):
    cfg = _project(tmp_path)
    first = build(cfg, workers=1)
    cache = cfg.out / "cache" / "articles" / f"{TWO[0]}.pickle"
    cache.write_bytes(b"not a pickle")
    (cfg.mappings_dir / f"{TWO[1]}.yaml").write_text((cfg.mappings_dir / f"{TWO[1]}.yaml").read_text() + "\n# edit\n")
    lines: list[str] = []
    again = build(cfg, lambda n, m: lines.append(m), workers=1)
    assert any("(2 compiled now, 0 from the cache)" in m for m in lines), lines
    assert again.triples == first.triples
    import pickle

    assert isinstance(pickle.loads(cache.read_bytes()), ArticleResult)


def test_a_mapping_error_found_in_a_worker_names_file_and_line(tmp_path):
    cfg = _project(tmp_path)
    mapping = cfg.mappings_dir / f"{TWO[1]}.yaml"
    mapping.write_text(mapping.read_text().replace("property: ", "property: notAProperty", 1))
    from oirld.mapping import MappingProblems

    with pytest.raises(MappingProblems) as err:
        build(cfg, workers=2)
    assert f"mappings/{TWO[1]}.yaml:" in str(err.value) and "unknown claim property" in str(err.value)
    assert current_version_dir(cfg.out) is None


def test_a_synthetic_corpus_builds_unchanged_and_says_it_is_synthetic(tmp_path, capsys, monkeypatch):
    import importlib.util

    from oirld.cli import main
    from oirld.namespaces import RDFS, SCHEMA

    spec = importlib.util.spec_from_file_location("corpus", ROOT / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    home = tmp_path / "synthetic"
    corpus.write_corpus(4, home, seed=3, topics_per_article=12)
    monkeypatch.setenv("OIRLD_HOME", str(home))
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--out", str(tmp_path / "out"), "-q"])
    assert exit_.value.code == 0, capsys.readouterr().err
    current = current_version_dir(tmp_path / "out")
    void = (current / "dumps" / "void.ttl").read_text()
    assert "SYNTHETIC DATA" in void
    data = _published(current)
    sources = set(data.subjects(None, SCHEMA.NewsArticle))
    assert len(sources) == 4
    assert all(any("Synthetic" in str(c) for c in data.objects(s, RDFS.comment)) for s in sources)
    assert any("disagree" in str(o) for o in data.objects(None, RDFS.label))  # shared topics do conflict


def test_the_cache_forgets_an_article_that_is_gone(tmp_path):
    cfg = _project(tmp_path)
    build(cfg, workers=1)
    cache = cfg.out / "cache" / "articles"
    assert (cache / f"{TWO[1]}.pickle").is_file()
    for path in (cfg.seeds_dir / f"{TWO[1]}.txt", cfg.seeds_dir / f"{TWO[1]}.meta.yaml", cfg.mappings_dir / f"{TWO[1]}.yaml"):
        path.unlink()
    result = build(cfg, workers=1)
    assert not (cache / f"{TWO[1]}.pickle").exists() and not (cache / f"{TWO[1]}.nt").exists()
    assert (cache / f"{TWO[0]}.pickle").is_file()
    assert f"source/{TWO[1]}" not in export_ntriples(result.path / "store").decode()


def test_the_build_time_is_written_as_the_store_keeps_it(project):
    """Regression: rdflib rewrote the build's start "…Z" as "…+00:00", which the store turns back into "Z", so the
    triples validated were not the triples published (caught by the build's store digest check)."""
    from .conftest import MINI_MAPPING

    nt = compile_dataset(project(MINI_MAPPING)).graph.serialize(format="nt")
    line = next(x for x in nt.splitlines() if "startedAtTime" in x)
    assert 'Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>' in line


def test_a_first_build_keeps_no_article_big_bytes_in_memory(tmp_path):
    """The articles' N-Triples and dump members are streamed from the cache, read on each use and not kept, so a
    first build never holds every article's at once; what is read is what the worker made."""
    from oirld.pipeline import compile_incremental

    cfg = _project(tmp_path)
    inc = compile_incremental(cfg, workers=1)
    assert [a.stem for a in inc.articles] == sorted(TWO)
    for a in inc.articles:
        assert a.own is None and a.own_file
        chunk = a.chunk
        assert chunk == (cfg.out / "cache" / "articles" / f"{a.stem}.nt").read_bytes()
        assert a.members is not None and a.own is None
        assert len(Graph().parse(data=chunk.decode("utf-8"), format="nt")) == a.triples
