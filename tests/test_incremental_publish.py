"""A rebuild that updates the previous version (its store from a checkpoint plus the difference, its dumps from
the parts' gzip members) publishes what a build from scratch of the same inputs publishes: the same store, the same
dumps and the same search rows, after an article changed, after one was added and after one was removed; and the
previous version is left as it was."""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from oirld.config import Config
from oirld.dumpparts import part_ntriples, read_parts
from oirld.pipeline import BuildResult, build
from oirld.store import export_ntriples

from .conftest import ROOT

UPDATED = "with what changed removed and added"
VOID = "http://rdfs.org/ns/void#"
_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}


def _corpus(dest: Path) -> Path:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    corpus.write_corpus(5, dest, seed=5, topics_per_article=12)
    return dest


def _files(home: Path, stem: str) -> list[Path]:
    return [home / "seeds" / f"{stem}.txt", home / "seeds" / f"{stem}.meta.yaml", home / "mappings" / f"{stem}.yaml"]


def _stems(home: Path) -> list[str]:
    return sorted(p.stem for p in (home / "mappings").glob("*.yaml"))


def _edit(home: Path, stem: str) -> None:
    """One word added to a quote, in the text and in the mapping that cites it."""
    seed, mapping = home / "seeds" / f"{stem}.txt", home / "mappings" / f"{stem}.yaml"
    text, script = seed.read_text(encoding="utf-8"), mapping.read_text(encoding="utf-8")
    quotes = re.findall(r'quote: "([^"\\]+)"', script)
    quote = next(q for q in quotes if text.count(q) == 1 and sum(q in other for other in quotes) == 1)
    seed.write_text(text.replace(quote, quote + " indeed"), encoding="utf-8")
    mapping.write_text(script.replace(f'quote: "{quote}"', f'quote: "{quote} indeed"'), encoding="utf-8")


def _normal(text: str, result: BuildResult) -> str:
    """The build's own version and start time made neutral: two builds of the same inputs differ only there."""
    manifest = json.loads((result.path / "manifest.json").read_text())
    started = dt.datetime.fromisoformat(manifest["started"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    return text.replace(result.version, "VERSION").replace(started, "STARTED")


def _triples(data: bytes, fmt: ox.RdfFormat, result: BuildResult) -> set[str]:
    return {_normal(f"{t.subject} {t.predicate} {t.object}", result) for t in ox.parse(data, format=fmt)}


def _state(result: BuildResult) -> dict:
    """What a version publishes, comparable across builds: the store's triples, each dump's, the search rows."""
    state = {"store": _triples(export_ntriples(result.path / "store"), ox.RdfFormat.N_TRIPLES, result)}
    for suffix, fmt in _FORMATS.items():
        path = result.path / "dumps" / f"oirld.{suffix}.gz"
        subprocess.run(["gzip", "-t", str(path)], check=True)
        state[suffix] = _triples(gzip.decompress(path.read_bytes()), fmt, result)
    # the VoID counts (computed from the previous version's and the update on a rebuild: oirld.statsdelta)
    counts = {f"{VOID}triples", f"{VOID}distinctSubjects", f"{VOID}entities"}
    void = ox.parse((result.path / "dumps" / "void.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    state["void"] = {_normal(f"{t.subject} {t.predicate} {t.object}", result) for t in void if t.predicate.value in counts}
    assert len(state["void"]) >= 4  # the dataset's three counts and at least the exactMatch linkset's triples
    with sqlite3.connect(result.path / "search.sqlite") as db:
        rows = db.execute("SELECT kind, iri, title, names, body, link, detail, "
                          "(SELECT group_concat(coalesce(outlet, '') || '|' || coalesce(date, ''), ';') FROM "
                          "(SELECT outlet, date FROM facets WHERE doc = docs.rowid ORDER BY outlet, date)) FROM docs").fetchall()
    state["search"] = sorted(_normal(json.dumps(r), result) for r in rows)
    return state


def _from_scratch(home: Path, out: Path) -> BuildResult:
    return build(Config(home=home, out=out), workers=1)


def _assert_same(got: dict, expected: dict) -> None:
    for key in expected:
        assert got[key] == expected[key], (key, sorted(got[key] - expected[key])[:5] if isinstance(got[key], set) else "",
                                           sorted(expected[key] - got[key])[:5] if isinstance(got[key], set) else "")
    assert got["nt"] == got["store"] == got["ttl"] == got["jsonld"]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A synthetic five-article corpus, the fifth held back to be added later, built once."""
    root = tmp_path_factory.mktemp("incremental")
    home = _corpus(root / "home")
    held = root / "held"
    held.mkdir()
    late = _stems(home)[-1]
    for f in _files(home, late):
        shutil.move(f, held / f.name)
    cfg = Config(home=home, out=root / "out")
    first = build(cfg, workers=1)
    return root, cfg, held, late, first


def _rebuild(cfg: Config) -> tuple[BuildResult, list[str]]:
    lines: list[str] = []
    result = build(cfg, lambda n, m: lines.append(m), workers=1)
    return result, lines


def test_a_changed_an_added_and_a_removed_article_publish_what_a_build_from_scratch_publishes(project):
    root, cfg, held, late, first = project
    before = export_ntriples(first.path / "store")
    changed = _stems(cfg.home)[1]
    _edit(cfg.home, changed)
    second, lines = _rebuild(cfg)
    assert any(UPDATED in m for m in lines), lines
    _assert_same(_state(second), _state(_from_scratch(cfg.home, root / "scratch-1")))
    # the previous version is left as it was
    assert export_ntriples(first.path / "store") == before

    for f in held.iterdir():
        shutil.move(f, cfg.home / ("mappings" if f.suffix == ".yaml" and not f.name.endswith(".meta.yaml") else "seeds") / f.name)
    third, lines = _rebuild(cfg)
    assert any(UPDATED in m for m in lines), lines
    assert late in read_parts(third.path)["articles"]
    _assert_same(_state(third), _state(_from_scratch(cfg.home, root / "scratch-2")))

    gone = _stems(cfg.home)[0]
    for f in _files(cfg.home, gone):
        f.unlink()
    fourth, lines = _rebuild(cfg)
    assert any(UPDATED in m for m in lines), lines
    assert gone not in read_parts(fourth.path)["articles"]
    _assert_same(_state(fourth), _state(_from_scratch(cfg.home, root / "scratch-3")))

    # a thing renamed: its own search row and those of the claims about it and naming it change
    registry = cfg.home / "ontology" / "registry" / "actors.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("label: United States\n", "label: United States (renamed)\n", 1),
                        encoding="utf-8")
    fifth, lines = _rebuild(cfg)
    assert any(UPDATED in m for m in lines), lines
    state = _state(fifth)
    assert any("United States (renamed)" in row and '"claim"' in row for row in state["search"])
    _assert_same(state, _state(_from_scratch(cfg.home, root / "scratch-4")))


def test_each_part_of_the_dump_reads_back_alone(project):
    """parts.json says where each article's triples are in the N-Triples dump: the next build reads them there."""
    _, cfg, _, _, first = project
    parts = read_parts(first.path)
    whole = gzip.decompress((first.path / "dumps" / "oirld.nt.gz").read_bytes())
    pieces = [part_ntriples(first.path, parts["global"]["nt"])]
    for stem, part in parts["articles"].items():
        data = part_ntriples(first.path, part["nt"])
        assert len([line for line in data.splitlines() if line.strip()]) == part["triples"]
        assert f"/source/{stem}>".encode() in data
        pieces.append(data)
    assert b"".join(pieces) == whole


def test_a_damaged_parts_file_makes_a_fresh_store_not_a_wrong_one(tmp_path):
    home = _corpus(tmp_path / "home")
    cfg = Config(home=home, out=tmp_path / "out")
    first = build(cfg, workers=1)
    parts = read_parts(first.path)
    # the global part's range now points at an article's member: the difference would be wrong
    parts["global"]["nt"] = next(iter(parts["articles"].values()))["nt"]
    (first.path / "parts.json").write_text(json.dumps(parts))
    _edit(home, _stems(home)[0])
    second, lines = _rebuild(cfg)
    assert not any(UPDATED in m for m in lines), lines
    _assert_same(_state(second), _state(_from_scratch(home, tmp_path / "scratch")))


def test_the_view_reads_n_triples_as_rdflib_does():
    """The build reads the articles' triples for the global shapes with pyoxigraph: the terms must be rdflib's own
    (a plain literal has no datatype, a language tag stays, a typed literal keeps its lexical form)."""
    from rdflib import Graph

    from oirld.validation import add_ntriples

    data = ('<http://a/s> <http://a/p> "plain" .\n<http://a/s> <http://a/p> "tagged"@en-GB .\n'
            '<http://a/s> <http://a/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
            '<http://a/s> <http://a/p> "x"^^<http://www.w3.org/2001/XMLSchema#string> .\n'
            '<http://a/s> <http://a/p> "qu\\"ote \\u00e9\\n"^^<http://a/type> .\n'
            '_:b1 <http://a/p> <http://a/\\u00e9> .\n<http://a/s> <http://a/q> _:b1 .\n').encode()
    ours = Graph()
    add_ntriples(ours, data)
    theirs = Graph().parse(data=data.decode(), format="nt")
    assert len(ours) == len(theirs) == 7
    named = lambda g: {t for t in g if not any(type(x).__name__ == "BNode" for x in t)}  # noqa: E731
    assert named(ours) == named(theirs)
    from rdflib.compare import isomorphic
    assert isomorphic(ours, theirs)
    # without the terms pyoxigraph reads otherwise (explicit xsd:string, a capital in a language tag) it reads them
    plain = b"\n".join(line for line in data.split(b"\n") if b"XMLSchema#string" not in line and b"en-GB" not in line)
    ours = Graph()
    add_ntriples(ours, plain)
    assert isomorphic(ours, Graph().parse(data=plain.decode(), format="nt")) and len(ours) == 5


def test_a_rebuild_reads_no_big_bytes_of_an_unchanged_article_and_copies_its_dump_members(tmp_path, monkeypatch):
    """The cache's big part (an article's N-Triples and dump members) is read only when used: after one article
    changed, the others' members are copied from the previous version's dumps by the ranges parts.json records."""
    from oirld import buildcache

    home = _corpus(tmp_path / "home")
    cfg = Config(home=home, out=tmp_path / "out")
    first = build(cfg, workers=1)
    read: list[str] = []
    real = buildcache._read_own
    monkeypatch.setattr(buildcache, "_read_own", lambda path, key: read.append(path.name) or real(path, key))
    changed = _stems(home)[2]
    _edit(home, changed)
    second, lines = _rebuild(cfg)
    assert any(UPDATED in m for m in lines), lines
    # only the article compiled now: its big bytes were dropped once cached and are read back when used
    assert read and set(read) == {f"{changed}.own"}
    old, new = read_parts(first.path), read_parts(second.path)
    for stem, part in new["articles"].items():
        assert set(part["members"]) == set(_FORMATS)
        for suffix, (offset, length, _size) in part["members"].items():
            got = (second.path / "dumps" / f"oirld.{suffix}.gz").read_bytes()[offset:offset + length]
            was_at = old["articles"][stem]["members"][suffix]
            was = (first.path / "dumps" / f"oirld.{suffix}.gz").read_bytes()[was_at[0]:was_at[0] + was_at[1]]
            assert (got == was) == (stem != changed), (stem, suffix)
    _assert_same(_state(second), _state(_from_scratch(home, tmp_path / "scratch")))
