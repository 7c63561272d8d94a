"""Pages of long lists (issue 14): documents, the timeline and the disagreements come in pages that together hold
exactly what the whole did, in the same order, each saying (in HTML, in HTTP and in RDF with Hydra) which page it
is and where the others are. Page sizes are made small here, so the live build has several pages at any size."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from oirld.web import linkeddata, pages
from oirld.web.paging import HYDRA, Page, page_number, paginate
from oirld.web.responses import ProtocolError

RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
ID = "https://w3id.org/oirld/id/"
TTL = {"Accept": "text/turtle"}
HTML = {"Accept": "text/html"}


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
