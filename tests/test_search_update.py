"""The search index a rebuild updates (oirld.searchdelta) writes again the rows the change touched, no more, and
holds what an index written from scratch holds; the rows of a few things read by IRI (oirld.searchlookup) are the
rows the whole-store queries give for them."""

from __future__ import annotations

import sqlite3

import pyoxigraph as ox
import pytest

from oirld import searchdelta
from oirld.config import Config
from oirld.pipeline import build
from oirld.graph import Minter
from oirld.search import claim_rows, entity_rows, facets, labeller, quote_rows
from oirld.searchlookup import claim_rows_of, entity_rows_of, quote_rows_of
from oirld.store import open_store

from .test_incremental_publish import _assert_same, _corpus, _edit, _files, _from_scratch, _rebuild, _state, _stems

BASE = "https://w3id.org/oirld/"
P = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX prov: <http://www.w3.org/ns/prov#> "
     "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX oirl: <https://w3id.org/oirld/ontology#> "
     "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")


def _norm(rows) -> list:
    return sorted((*r[:7], tuple(sorted(r[7]))) for r in rows)


def _iris(store, query: str) -> set[str]:
    return {row[0].value for row in store.query(P + query)}


def test_the_rows_of_a_few_are_the_rows_the_whole_store_gives(built):
    store = open_store(built.path / "store")
    label = labeller(store)
    claims = claim_rows(store, label)
    entities = entity_rows(store, BASE)
    assert claims and entities
    others = [entities[0][1], BASE + "nothing/here"]  # not claims: no row
    assert _norm(claim_rows_of(store, label, [r[1] for r in claims] + others)) == _norm(claims)
    # the labels of a few nodes, looked up one by one, name them as the labels of all do
    nodes = _iris(store, "SELECT DISTINCT ?x WHERE { ?c a oirl:Claim ; rdf:subject|rdf:predicate|rdf:object ?x . "
                         "FILTER isIRI(?x) }")
    few = labeller(store, None, nodes)
    assert nodes and all(few(ox.NamedNode(n)) == label(ox.NamedNode(n)) for n in nodes)
    cited, _ = facets(store)
    quotes = quote_rows(store, cited)
    assert quotes
    assert _norm(set(map(_hashable, quote_rows_of(store, cited, passages=sorted({r[1] for r in quotes}))))) == _norm(
        set(map(_hashable, quotes)))
    assert _norm(quote_rows_of(store, cited, sources=sorted({r[7][0] for r in quotes}))) == _norm(quotes)
    assert _norm(entity_rows_of(store, BASE, [r[1] for r in entities] + [claims[0][1]])) == _norm(entities)


def _hashable(row) -> tuple:
    return (*row[:7], tuple(row[7]))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("search-update")
    cfg = Config(home=_corpus(root / "home"), out=root / "out")
    build(cfg, workers=1)
    return root, cfg


@pytest.fixture
def redone(monkeypatch) -> list[dict[str, set[str]]]:
    """What each update of the index wrote again, by kind (none when the index was written from scratch)."""
    seen: list[dict[str, set[str]]] = []
    real = searchdelta._update
    monkeypatch.setattr(searchdelta, "_update", lambda *args: seen.append(real(*args)) or seen[-1])
    return seen


def test_a_one_article_change_writes_again_only_that_articles_rows(project, redone):
    root, cfg = project
    stem = _stems(cfg.home)[2]
    source = str(Minter(BASE).source(stem))
    _edit(cfg.home, stem)
    result, _ = _rebuild(cfg)
    assert len(redone) == 1
    store = open_store(result.path / "store")
    all_claims = _iris(store, "SELECT ?c WHERE { ?c a oirl:Claim }")
    its_claims = _iris(store, f"SELECT ?c WHERE {{ ?c a oirl:Claim ; prov:wasDerivedFrom/oa:hasSource <{source}> }}")
    its_passages = _iris(store, f"SELECT ?e WHERE {{ ?e a oirl:Evidence ; oa:hasSource <{source}> }}")
    assert its_claims < all_claims
    # every build's provenance node changes, and all claims' link to it: none of that is read again
    assert redone[0]["claim"] and redone[0]["claim"] <= its_claims
    assert redone[0]["quote"] == its_passages and redone[0]["article"] == {source}
    assert redone[0]["entity"] == set()
    _assert_same(_state(result), _state(_from_scratch(cfg.home, root / "scratch-edit")))


def test_a_renamed_thing_and_a_removed_article_write_again_only_the_rows_naming_them(project, redone):
    root, cfg = project
    registry = cfg.home / "ontology" / "registry" / "actors.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("label: United States\n", "label: United States (renamed)\n", 1),
                        encoding="utf-8")
    renamed, _ = _rebuild(cfg)
    store = open_store(renamed.path / "store")
    thing = _iris(store, 'SELECT ?e WHERE { ?e skos:prefLabel "United States (renamed)"@en }') or _iris(
        store, 'SELECT ?e WHERE { ?e skos:prefLabel "United States (renamed)" }')
    naming = _iris(store, f"SELECT ?c WHERE {{ ?c a oirl:Claim ; rdf:subject|rdf:object <{next(iter(thing))}> }}")
    assert len(thing) == 1 and naming
    assert redone[0]["entity"] == thing
    assert redone[0]["claim"] and redone[0]["claim"] <= naming
    _assert_same(_state(renamed), _state(_from_scratch(cfg.home, root / "scratch-rename")))

    # an article removed: its rows go, and the rows of the things it spelled or alone named are made again
    gone = _stems(cfg.home)[0]
    source = str(Minter(BASE).source(gone))
    spelled = _iris(store, f"SELECT ?e WHERE {{ ?c rdf:predicate oirl:writtenAs ; rdf:subject ?e ; "
                           f"prov:wasDerivedFrom/oa:hasSource <{source}> }}")
    for f in _files(cfg.home, gone):
        f.unlink()
    removed, _ = _rebuild(cfg)
    assert len(redone) == 2
    named = "SELECT ?e WHERE { ?e skos:prefLabel ?l }"
    vanished = _iris(store, named) - _iris(open_store(removed.path / "store"), named)
    assert redone[1]["entity"] <= spelled | vanished and redone[1]["article"] == {source}
    _assert_same(_state(removed), _state(_from_scratch(cfg.home, root / "scratch-remove")))


# ------------------------------------------------------------------ one change at a time, on a store of a few triples

_SMALL = """@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> . @prefix oirl: <https://w3id.org/oirld/ontology#> . @prefix schema: <https://schema.org/> .
@prefix : <https://w3id.org/oirld/> .
:source\\/s a schema:NewsArticle ; schema:headline "Talks" ; schema:publisher :id\\/outlet ; schema:datePublished "2025-01-02" .
:id\\/outlet skos:prefLabel "The Outlet" .
:id\\/camp skos:prefLabel "Camp Kamita" ; skos:altLabel "Kamita base" ; schema:description "A base." .
:id\\/land skos:prefLabel "Land" ; rdfs:label "Land" .
:claim\\/c1 a oirl:Claim ; rdf:subject :id\\/camp ; rdf:predicate oirl:locatedIn ; rdf:object :id\\/land ;
  prov:wasDerivedFrom :evidence\\/e1 ; prov:wasGeneratedBy :build\\/B .
:claim\\/w1 a oirl:Claim ; rdf:subject :id\\/camp ; rdf:predicate oirl:writtenAs ; rdf:object "Camp Kaamita" ;
  prov:wasDerivedFrom :evidence\\/e2 ; prov:wasGeneratedBy :build\\/B .
:evidence\\/e1 a oirl:Evidence ; oa:hasSource :source\\/s ; oa:hasSelector :evidence\\/e1\\#q .
:evidence\\/e1\\#q oa:exact "Camp Kaamita is in Land" .
:evidence\\/e2 a oirl:Evidence ; oa:hasSource :source\\/s ; oa:hasSelector :evidence\\/e2\\#q .
:evidence\\/e2\\#q oa:exact "Camp Kaamita" .
:build\\/B a prov:Activity ; rdfs:label "build B" ; prov:used :input\\/s.txt .
:input\\/s.txt a prov:Entity ; rdfs:label "seed s.txt" .
"""
_TEXTS = {BASE + "source/s": "Talks\nCamp Kaamita is in Land."}


def _small_version(folder, turtle: str):
    """A version folder with a store of ``turtle`` and its index written from scratch."""
    from rdflib import Graph

    from oirld.search import index_version

    folder.mkdir()
    store = ox.Store(str(folder / "store"))
    store.load(turtle.encode(), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    index_version(folder / "search.sqlite", folder / "store", BASE, Graph(), _TEXTS, {BASE + "source/s": "key"})
    return {q for q in ox.Store.read_only(str(folder / "store"))}


def _rows(path) -> list:
    with sqlite3.connect(path) as db:
        return sorted(db.execute("SELECT kind, iri, title, names, body, link, detail, (SELECT group_concat(coalesce(outlet, '')"
                                 " || '|' || coalesce(date, '') || '|' || src, ';') FROM facets WHERE doc = docs.rowid) FROM docs"))


# the second build of the same data (another build node and file node: nothing the rows read), then one change each
_CHANGES = {
    "nothing": ([], {"quote": set(), "article": set(), "claim": set(), "entity": set()}),
    "a spelling gone": ([(':claim\\/w1 a oirl:Claim ; rdf:subject :id\\/camp ; rdf:predicate oirl:writtenAs ; rdf:object "Camp Kaamita" ;\n'
                          '  prov:wasDerivedFrom :evidence\\/e2 ; prov:wasGeneratedBy :build\\/B .', "")],
                        {"claim": {BASE + "claim/w1"}, "entity": {BASE + "id/camp"}}),
    "a thing renamed": ([(':id\\/land skos:prefLabel "Land" ; rdfs:label "Land" .', ':id\\/land skos:prefLabel "Landia" ; rdfs:label "Landia" .')],
                        {"claim": {BASE + "claim/c1"}, "entity": {BASE + "id/land"}}),
    "a description": ([('schema:description "A base."', 'schema:description "A camp."')], {"claim": set(), "entity": {BASE + "id/camp"}}),
    "a quote's words": ([('"Camp Kaamita is in Land"', '"Camp Kaamita lies in Land"')],
                        {"quote": {BASE + "evidence/e1"}, "claim": set(), "entity": set()}),
    "an outlet renamed": ([('skos:prefLabel "The Outlet"', 'skos:prefLabel "The Other Outlet"')],
                          {"article": {BASE + "source/s"}, "quote": {BASE + "evidence/e1", BASE + "evidence/e2"},
                           "claim": {BASE + "claim/c1"}, "entity": {BASE + "id/outlet"}}),  # a spelling has no row
}


@pytest.mark.parametrize("change", sorted(_CHANGES))
def test_one_change_writes_again_the_rows_that_read_it_and_equals_an_index_from_scratch(tmp_path, redone, change):
    from rdflib import Graph

    edits, expected = _CHANGES[change]
    old = _small_version(tmp_path / "old", _SMALL)
    turtle = _SMALL
    for before, after in edits:
        assert before in turtle
        turtle = turtle.replace(before, after)
    turtle = turtle.replace(":build\\/B", ":build\\/B2").replace(":input\\/s.txt", ":input\\/moved\\/s.txt")
    new = _small_version(tmp_path / "new", turtle)
    delta = searchdelta.Delta(tmp_path / "old", sorted(old - new, key=str), sorted(new - old, key=str))
    assert delta.removed and delta.added  # the build node and the file node at least
    rows = searchdelta.update_index(tmp_path / "updated.sqlite", delta, tmp_path / "new" / "store", BASE, Graph(),
                                    _TEXTS, {BASE + "source/s": "key"})
    assert len(redone) == 1
    for kind, iris in expected.items():
        assert redone[0][kind] == iris, kind
    assert rows == len(_rows(tmp_path / "new" / "search.sqlite"))
    assert _rows(tmp_path / "updated.sqlite") == _rows(tmp_path / "new" / "search.sqlite")
