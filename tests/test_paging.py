"""Pages of long lists (issue 14): documents, the timeline and the disagreements come in pages that together hold
exactly what the whole did, in the same order, each saying (in HTML, in HTTP and in RDF with Hydra) which page it
is and where the others are. Page sizes are made small here, so the live build has several pages at any size. The
index and the list of sources too; the home page lists the latest articles and links to all of them. A page of
disagreements reads the same sides, qualifiers included, as the whole list."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from oirld.report import disagreements_from_store
from oirld.web.linkeddata import pages
from oirld.web.linkeddata import resources as linkeddata
from oirld.web.linkeddata.paging import HYDRA, Page, page_number, paginate
from oirld.web.responses import ProtocolError

RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
ID = "https://w3id.org/oirld/id/"
TTL = {"Accept": "text/turtle"}
HTML = {"Accept": "text/html"}
NEWS = ox.NamedNode("https://schema.org/NewsArticle")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _graph(body: bytes) -> ox.Store:
    g = ox.Store()
    g.load(body, format=ox.RdfFormat.TURTLE)
    return g


def _hydra(g: ox.Store, pred: str) -> list[str]:
    return [q.object.value for q in g.quads_for_pattern(None, ox.NamedNode(HYDRA + pred), None)]


@pytest.fixture
def small(monkeypatch):
    """Pages of a few items, so a thing of the live build spans several."""
    monkeypatch.setattr(linkeddata, "CLAIMS_PER_PAGE", 3)
    monkeypatch.setattr(linkeddata, "TRIPLES_PER_PAGE", 4)
    monkeypatch.setattr(pages, "ENTRIES_PER_PAGE", 4)
    monkeypatch.setattr(pages, "DISAGREEMENTS_PER_PAGE", 2)


async def _all_pages(client, path: str, headers: dict[str, str]) -> list:
    """Every page of ``path``, following the ``next`` relation of the Link header from the first."""
    out, url = [], path
    while url:
        r = await client.get(url, headers=headers)
        assert r.status_code == 200, (url, r.text[:300])
        out.append(r)
        nxt = re.search(r'<([^>]+)>; rel="next"', r.headers.get("link", ""))
        url = nxt.group(1) if nxt else None
        assert len(out) < 500
    return out


def test_page_numbers_are_strict():
    assert page_number({}) == 1
    assert page_number({"page": ["7"]}) == 7
    for bad in (["0"], ["-1"], ["1.5"], ["x"], [""], ["²"], ["1", "2"], ["9" * 40]):
        with pytest.raises(ProtocolError) as e:
            page_number({"page": bad})
        assert e.value.status == 400
    assert paginate(1, [0], [10]).last == 1  # an empty list still has its first page
    with pytest.raises(ProtocolError) as e:
        paginate(3, [20], [10])
    assert e.value.status == 404
    assert Page(2, (25, 3), (10, 1)).last == 3 and Page(2, (25, 3), (10, 1)).window(0) == slice(10, 20)


@pytest.mark.anyio
async def test_a_documents_pages_hold_each_claim_once_with_hydra(built_client, small):
    async with built_client() as client:
        whole_claims = None
        linkeddata_sizes = (linkeddata.CLAIMS_PER_PAGE, linkeddata.TRIPLES_PER_PAGE)
        got = await _all_pages(client, "/doc/id/oir.ttl", {})
        assert len(got) >= 2, "the live build has more than three claims about the operation"
        seen: list[str] = []
        for n, r in enumerate(got, 1):
            g = _graph(r.content)
            members = _hydra(g, "member")
            claims = {q.subject.value for q in g.quads_for_pattern(None, RDF_SUBJECT, ox.NamedNode(ID + "oir"))}
            assert set(members) == claims and len(members) <= linkeddata_sizes[0]
            seen += members
            assert _hydra(g, "first") == ["http://testserver/doc/id/oir.ttl"]
            assert len(_hydra(g, "last")) == 1 and _hydra(g, "last")[0].endswith(f"?page={len(got)}")
            assert bool(_hydra(g, "next")) == (n < len(got)) and bool(_hydra(g, "previous")) == (n > 1)
            whole_claims = int(_hydra(g, "totalItems")[0])
            assert r.headers["content-location"] == "/doc/id/oir.ttl" + (f"?page={n}" if n > 1 else "")
        assert len(seen) == len(set(seen)) == whole_claims
    # with pages larger than any list, the one page holds the same claims
    linkeddata.CLAIMS_PER_PAGE = linkeddata.TRIPLES_PER_PAGE = 10**6
    async with built_client() as client:
        one = _graph((await client.get("/doc/id/oir.ttl")).content)
        assert {q.subject.value for q in one.quads_for_pattern(None, RDF_SUBJECT, ox.NamedNode(ID + "oir"))} == set(seen)
        assert not _hydra(one, "view")  # one page: no paging statements


@pytest.mark.anyio
async def test_an_entity_page_links_its_pages_and_its_twins_of_the_same_page(built_client, small):
    async with built_client() as client:
        first = await client.get("/doc/id/oir", headers=HTML)
        assert 'rel="next" href="/doc/id/oir?page=2"' in first.text and "Page 1 of" in first.text
        assert 'rel="next"' in first.headers["link"]
        second = await client.get("/doc/id/oir?page=2", headers=HTML)
        assert second.status_code == 200 and 'href="/doc/id/oir.ttl?page=2"' in second.text
        assert '<a href="/doc/id/oir" rel="first">' in second.text
        assert second.headers["etag"] != first.headers["etag"]
        again = await client.get("/doc/id/oir?page=2", headers={**HTML, "If-None-Match": second.headers["etag"]})
        assert again.status_code == 304
        for bad, status in (("0", 400), ("two", 400), ("99999", 404)):
            r = await client.get(f"/doc/id/oir?page={bad}", headers=HTML)
            assert r.status_code == status and r.json()["error"], bad


@pytest.mark.anyio
async def test_the_timeline_in_pages_is_the_whole_timeline(built_client, small):
    async with built_client() as client:
        paged = await _all_pages(client, "/timeline", HTML)
        assert len(paged) >= 2
        claims_in = [re.findall(r'<a href="(/doc/claim/[^"]+)" class="note">claim</a>', r.text) for r in paged]
        assert all(len(c) <= pages.ENTRIES_PER_PAGE for c in claims_in)
        assert "The operation and its phases" in paged[0].text and "The operation and its phases" not in paged[1].text
        twins = await _all_pages(client, "/timeline.ttl", {})
        assert len(twins) == len(paged)
    pages.ENTRIES_PER_PAGE = 10**6
    async with built_client() as client:
        whole = (await client.get("/timeline", headers=HTML)).text
    assert [c for page in claims_in for c in page] == re.findall(r'<a href="(/doc/claim/[^"]+)" class="note">claim</a>', whole)


@pytest.mark.anyio
async def test_the_disagreements_in_pages_are_all_of_them_in_order(built_client, small):
    json_headers = {"Accept": "application/json"}
    async with built_client() as client:
        paged = await _all_pages(client, "/disagreements", json_headers)
        assert len(paged) >= 2 and all(len(r.json()) <= pages.DISAGREEMENTS_PER_PAGE for r in paged)
        html = await client.get("/disagreements?page=2", headers=HTML)
        assert "Page 2 of" in html.text and 'rel="prev"' in html.text
        ttl = _graph((await client.get("/disagreements.ttl?page=2")).content)
        assert {m.rsplit("/", 1)[-1] for m in _hydra(ttl, "member")} == {d["id"].rsplit("/", 1)[-1] for d in paged[1].json()}
    pages.DISAGREEMENTS_PER_PAGE = 10**6
    async with built_client() as client:
        whole = (await client.get("/disagreements", headers=json_headers)).json()
    assert [d for r in paged for d in r.json()] == whole


@pytest.mark.anyio
async def test_a_page_past_the_last_is_not_found(built_client):
    async with built_client() as client:
        for path in ("/index", "/sources", "/timeline", "/disagreements"):
            assert (await client.get(f"{path}?page=1000000", headers=HTML)).status_code == 404, path
            assert (await client.get(f"{path}?page=1", headers=HTML)).status_code == 200, path


def _listed(html: str) -> list[str]:
    return re.findall(r'<li><a href="(/doc/[^"]+)">', html.split('class="columns"', 1)[1])


@pytest.fixture
def store(built):
    from oirld.store import open_store

    return open_store(built.path / "store")


@pytest.mark.anyio
async def test_the_index_in_pages_is_the_whole_index(built_client, monkeypatch):
    monkeypatch.setattr(pages, "INDEX_PER_PAGE", 7)
    async with built_client() as client:
        paged = await _all_pages(client, "/index", HTML)
        assert len(paged) >= 3 and all(len(_listed(r.text)) <= 7 for r in paged)
        assert "Page 2 of" in paged[1].text and 'rel="prev"' in paged[1].text
        # the contents (on every page) link to the page where each type's list starts
        starts: dict[str, int] = {}
        for n, r in enumerate(paged, 1):
            for anchor in re.findall(r'<h2 id="(t-\d+)">', r.text):
                starts.setdefault(anchor, n)
        assert len(starts) >= 2
        for anchor, n in starts.items():
            assert (f'href="#{anchor}"' if n == 1 else f'href="/index?page={n}#{anchor}"') in paged[0].text.split('class="columns"')[0]
        ttl = ox.Store()
        ttl.load((await client.get("/index.ttl?page=2")).content, format=ox.RdfFormat.TURTLE)
        members = {q.object.value.rsplit("/", 1)[-1] for q in ttl.quads_for_pattern(None, ox.NamedNode(HYDRA + "member"), None)}
        assert members == {x.rsplit("/", 1)[-1] for x in _listed(paged[1].text)}
    monkeypatch.setattr(pages, "INDEX_PER_PAGE", 10**6)
    async with built_client() as client:
        whole = (await client.get("/index", headers=HTML)).text
    assert [x for r in paged for x in _listed(r.text)] == _listed(whole)
    assert 'rel="next"' not in whole


@pytest.mark.anyio
async def test_home_lists_the_latest_articles_and_links_to_every_one_in_pages(built_client, store, monkeypatch):
    monkeypatch.setattr(pages, "LATEST_SOURCES", 2)
    monkeypatch.setattr(pages, "SOURCES_PER_PAGE", 2)
    articles = {q.subject.value.rsplit("/", 1)[-1] for q in store.quads_for_pattern(None, RDF_TYPE, NEWS)}
    assert len(articles) >= 3
    async with built_client() as client:
        home = (await client.get("/", headers=HTML)).text
        shown = re.findall(r'<a href="/doc/source/([^"]+)">', home.split('class="sources"', 1)[1])
        assert len(shown) == 2 and 'href="/sources"' in home and f"of the {len(articles)} news articles" in home
        dates = re.findall(r'<time datetime="([^"]+)">', home.split('class="sources"', 1)[1])
        assert dates == sorted(dates, reverse=True)  # newest first
        paged = await _all_pages(client, "/sources", HTML)
        listed = [x for r in paged for x in re.findall(r'<a href="/doc/source/([^"]+)">', r.text)]
        assert sorted(listed) == sorted(articles) and len(listed) == len(set(listed)) and set(shown) <= articles
        ttl = ox.Store()
        ttl.load((await client.get("/sources.ttl?page=2")).content, format=ox.RdfFormat.TURTLE)
        assert {q.subject.value.rsplit("/", 1)[-1] for q in ttl.quads_for_pattern(None, RDF_TYPE, NEWS)} == \
            set(re.findall(r'<a href="/doc/source/([^"]+)">', paged[1].text))


def test_a_page_of_disagreements_reads_what_the_whole_list_says_of_them(store):
    """Regression: a page's qualifiers were read claim by claim and the whole list's by one query (two paths)."""
    whole = disagreements_from_store(store, {})
    assert any(v["qualifiers"] for d in whole for v in d["values"])
    for chosen in (whole[:1], whole[1:4], whole[::3]):
        assert disagreements_from_store(store, {}, only=[d["id"] for d in chosen]) == chosen
