"""The page index (pages.sqlite, written by the build): pages that read their passages from it are the pages that read
them from the store, byte for byte; a version without it is served from the store; the live switch moves it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest

from oirld.pageindex import PageIndex
from oirld.report import disagreements_from_store
from oirld.store import open_store
from oirld.web import ServeSettings, create_app
from oirld.web.switch import follow_version_files, page_index

from .conftest import ROOT, asgi_client

pytestmark = pytest.mark.anyio
HTML = {"Accept": "text/html"}
_FIRST = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oirl: <https://w3id.org/oirld/ontology#>
SELECT ?c ?e ?v ?d WHERE { ?d oirl:involvesClaim ?c . ?c prov:wasDerivedFrom ?e ; rdf:object ?v } ORDER BY ?c ?e LIMIT 1"""


def _app(folder: Path, pages: str | None):
    settings = ServeSettings(search_path=str(folder / "search.sqlite"), pages_path=pages, cache_bytes=0,
                             ontology_path=str(ROOT / "ontology" / "oirld.ttl"), home=str(ROOT))
    return create_app(settings, open_store(folder / "store"))


def _addresses(store: ox.Store) -> list[str]:
    """Every kind of page that shows passages: the lists, things, a claim, a passage, a value, a disagreement."""
    row = next(iter(store.query(_FIRST)))
    paths = [f"/doc/{t.value.split('/')[-2]}/{t.value.rsplit('/', 1)[-1]}" for t in (row["c"], row["e"], row["v"], row["d"])]
    return ["/timeline", "/timeline?page=2", "/disagreements", "/doc/id/iraq", "/doc/id/united-states", "/doc/id/oir",
            "/doc/id/iraq?page=2", *paths]


async def test_pages_from_the_index_are_the_pages_from_the_store(built):
    folder = built.path
    assert (folder / "pages.sqlite").is_file()
    async with asgi_client(_app(folder, str(folder / "pages.sqlite"))) as indexed, asgi_client(_app(folder, None)) as plain:
        checked = 0
        for path in _addresses(open_store(folder / "store")):
            a, b = await indexed.get(path, headers=HTML), await plain.get(path, headers=HTML)
            assert a.status_code == b.status_code, path
            if a.status_code == 404:  # a list of one page has no page 2
                continue
            assert a.status_code == 200 and a.text == b.text, path
            checked += 1
        assert checked >= 8
        a = await indexed.get("/disagreements", headers={"Accept": "application/json"})
        b = await plain.get("/disagreements", headers={"Accept": "application/json"})
        assert a.json() == b.json() and a.json()


def test_disagreements_read_with_the_index_are_those_read_without(built):
    store = open_store(built.path / "store")
    index = PageIndex(built.path / "pages.sqlite")
    whole = disagreements_from_store(store)
    assert whole and disagreements_from_store(store, index=index) == whole
    some = [d["id"] for d in whole[:3]]
    assert disagreements_from_store(store, only=some, index=index) == disagreements_from_store(store, only=some)


def test_the_index_holds_every_passage_as_the_store_does(built):
    manifest = json.loads((built.path / "manifest.json").read_text())
    assert manifest["page_index"] == {"file": "pages.sqlite", "passages": manifest["evidence"]}
    store = open_store(built.path / "store")
    row = next(iter(store.query(_FIRST)))
    got = PageIndex(built.path / "pages.sqlite").passages([row["e"].value, "https://example.org/none"])
    assert list(got) == [row["e"].value]
    oa = "http://www.w3.org/ns/oa#"
    held = {q.predicate.value: q.object.value for sel in store.quads_for_pattern(row["e"], ox.NamedNode(oa + "hasSelector"), None)
            for q in store.quads_for_pattern(sel.object, None, None)}
    passage = got[row["e"].value]
    assert (passage["exact"], passage["start"], passage["end"]) == (held[oa + "exact"], held[oa + "start"], held[oa + "end"])


async def test_a_page_reads_its_passages_from_the_index(built, tmp_path):
    """Proof that the index is read, not only written: a passage's words changed in a copy of it show on the page."""
    store = open_store(built.path / "store")
    row = next(iter(store.query(_FIRST)))
    copy = tmp_path / "pages.sqlite"
    shutil.copyfile(built.path / "pages.sqlite", copy)
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE passages SET exact = 'WORDS FROM THE INDEX' WHERE iri = ?", (row["e"].value,))
    claim = f"/doc/claim/{row['c'].value.rsplit('/', 1)[-1]}"
    async with asgi_client(_app(built.path, str(copy))) as indexed, asgi_client(_app(built.path, None)) as plain:
        assert "WORDS FROM THE INDEX" in (await indexed.get(claim, headers=HTML)).text
        assert "WORDS FROM THE INDEX" not in (await plain.get(claim, headers=HTML)).text


def test_no_index_without_its_file_or_with_updates(tmp_path):
    (tmp_path / "pages.sqlite").write_bytes(b"")
    assert page_index(ServeSettings(pages_path=str(tmp_path / "pages.sqlite"))) is not None
    assert page_index(ServeSettings(pages_path=str(tmp_path / "gone.sqlite"))) is None
    assert page_index(ServeSettings(pages_path=None)) is None
    # with updates the store changes under the server: the pages must read what was written
    assert page_index(ServeSettings(pages_path=str(tmp_path / "pages.sqlite"), allow_update=True)) is None


def test_the_live_switch_moves_the_page_index(tmp_path):
    old, new, older = tmp_path / "v1", tmp_path / "v2", tmp_path / "v0"
    for folder in (old, new, older):
        folder.mkdir()
    (old / "pages.sqlite").write_bytes(b"")
    (new / "pages.sqlite").write_bytes(b"")
    settings = ServeSettings(pages_path=str(old / "pages.sqlite"))
    catalog = SimpleNamespace(index=page_index(settings))
    follow_version_files(settings, None, new, catalog)
    assert catalog.index.path == new / "pages.sqlite" and settings.pages_path == str(new / "pages.sqlite")
    follow_version_files(settings, None, older, catalog)  # a version without one: the store's queries, not v2's rows
    assert catalog.index is None
    follow_version_files(settings, None, new, catalog)
    assert catalog.index.path == new / "pages.sqlite"
