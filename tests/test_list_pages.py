"""The index and the list of sources come in pages too (issue 14): together they hold every entry once, in order,
each page says which it is (HTML, Link, Hydra); the home page lists the latest articles and links to all of them.
A page of disagreements reads the same sides, qualifiers included, as the whole list."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from oirld.report import disagreements_from_store
from oirld.web import pages
from oirld.web.paging import HYDRA

HTML = {"Accept": "text/html"}
NEWS = ox.NamedNode("https://schema.org/NewsArticle")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


async def _all_pages(client, path: str) -> list:
    out, url = [], path
    while url:
        r = await client.get(url, headers=HTML)
        assert r.status_code == 200, (url, r.text[:300])
        out.append(r)
        nxt = re.search(r'<([^>]+)>; rel="next"', r.headers.get("link", ""))
        url = nxt.group(1) if nxt else None
        assert len(out) < 1000
    return out


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
        paged = await _all_pages(client, "/index")
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
        paged = await _all_pages(client, "/sources")
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
