"""The timeline and the disagreements quote a claim's first passages and count them all (issue 14): a side or an
entry of a hundred passages made first pages of hundreds of kilobytes. Nothing may be lost: each page holds at most
its size and says the totals, the pages together hold every dated claim and every disagreement, each entry and side
says how many passages it has, and its link leads to the claim's page, which quotes every one. Quoting a few must
not change what is counted: the quoted lists are the whole lists' first items, from the page index or the store."""

from __future__ import annotations

import re

import pytest

from oirld.pageindex import PageIndex
from oirld.report import disagreements_from_store
from oirld.store import open_store
from oirld.web.linkeddata import pages
from oirld.web.linkeddata.views import Labels, claims_of, only

from .conftest import asgi_client

HTML = {"Accept": "text/html"}
_P = ("PREFIX oirl: <https://w3id.org/oirld/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
      "PREFIX prov: <http://www.w3.org/ns/prov#>\n")
_DATED = _P + """SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?c rdf:predicate ?p ; prov:wasDerivedFrom ?e .
  FILTER (?p IN (oirl:startDate, oirl:endDate, oirl:date)) } GROUP BY ?c"""
_SIDES = _P + """SELECT ?d ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d a oirl:Disagreement ; oirl:involvesClaim ?c .
  ?c prov:wasDerivedFrom ?e } GROUP BY ?d ?c"""


def _key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _without_passages(items: list[dict]) -> list[dict]:
    return [{k: v for k, v in item.items() if k != "evidence"} for item in items]


@pytest.mark.parametrize("quoted", [1, 2])
@pytest.mark.parametrize("indexed", [True, False])
def test_quoting_a_few_passages_keeps_the_whole_lists_first_and_counts_them_all(built, quoted, indexed):
    store = open_store(built.path / "store")
    index = PageIndex(built.path / "pages.sqlite") if indexed else None
    whole = disagreements_from_store(store, {}, index=index)
    some = disagreements_from_store(store, {}, index=index, quoted=quoted)
    assert any(v["passages"] > 1 for d in whole for v in d["values"]), "the build has a side of several passages"
    assert len(some) == len(whole)
    for a, b in zip(some, whole):
        assert _without_passages(a["values"]) == _without_passages(b["values"])
        assert [v["evidence"] for v in a["values"]] == [v["evidence"][:quoted] for v in b["values"]]
        assert all(v["passages"] == len(v["evidence"]) for v in b["values"])
    labels = Labels("https://w3id.org/oirld/", {})
    dated = [row["c"].value for row in store.query(_DATED)]
    full = claims_of(store, None, labels, only(dated), index)
    cut = claims_of(store, None, labels, only(dated), index, quoted=quoted)
    assert any(c["passages"] > 1 for c in full)
    assert _without_passages(cut) == _without_passages(full)
    assert [c["evidence"] for c in cut] == [c["evidence"][:quoted] for c in full]


async def _pages(client, path: str) -> list:
    out, url = [], path
    while url:
        r = await client.get(url, headers=HTML)
        assert r.status_code == 200, url
        out.append(r)
        url = (re.findall(r'<([^>]+)>; rel="next"', r.headers.get("link", "")) or [None])[0]
        assert len(out) < 200
    return out


async def _claim_quotes(client, href: str) -> int:
    """How many passages the claim's own page quotes."""
    page = (await client.get(href, headers=HTML)).text
    return page.split('id="evidence"', 1)[1].split("</section>", 1)[0].count('<blockquote class="quote"')


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(pages, "ENTRIES_PER_PAGE", 4)
    monkeypatch.setattr(pages, "DISAGREEMENTS_PER_PAGE", 2)
    monkeypatch.setattr(pages, "PASSAGES_SHOWN", 1)


@pytest.mark.anyio
@pytest.mark.parametrize("indexed", [True, False])
async def test_the_timeline_quotes_a_few_passages_and_leads_to_every_one(built, small, indexed):
    from oirld.web import ServeSettings, create_app

    store = open_store(built.path / "store")
    passages = {_key(row["c"].value): int(row["n"].value) for row in store.query(_DATED)}
    settings = ServeSettings(pages_path=str(built.path / "pages.sqlite") if indexed else None)
    async with asgi_client(create_app(settings, store)) as client:
        got = await _pages(client, "/timeline")
        assert len(got) == -(-len(passages) // 4)
        assert f"{len(passages)} dated claims" in got[0].text  # the total, on every page
        seen, followed = [], 0
        for r in got:
            entries = r.text.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0].split("<li")[1:]
            assert 1 <= len(entries) <= 4
            for entry in entries:
                href = re.search(r'<a href="(/doc/claim/[^"]+)" class="note">claim</a>', entry).group(1)
                seen.append(_key(href))
                n = passages[_key(href)]
                assert f"<summary>{n} source passage" in entry
                assert entry.count('<blockquote class="quote"') == min(n, 1)
                if n > 1:
                    assert f'<a href="{href}" class="more">all {n} on the claim\'s page</a>' in entry
                    if followed < 3:  # the link leads to every passage
                        assert await _claim_quotes(client, href) == n
                        followed += 1
        assert followed, "the build has a dated claim of several passages"
        assert sorted(seen) == sorted(passages)  # every dated claim once, none lost between pages


@pytest.mark.anyio
async def test_the_disagreements_quote_a_few_passages_a_side_and_lead_to_every_one(built, small):
    from oirld.web import ServeSettings, create_app

    store = open_store(built.path / "store")
    sides: dict[str, dict[str, int]] = {}
    for row in store.query(_SIDES):
        sides.setdefault(_key(row["d"].value), {})[_key(row["c"].value)] = int(row["n"].value)
    async with asgi_client(create_app(ServeSettings(pages_path=str(built.path / "pages.sqlite")), store)) as client:
        got = await _pages(client, "/disagreements")
        assert len(got) == -(-len(sides) // 2)
        seen, followed = [], 0
        for r in got:
            items = r.text.split("<section>")[1:]
            assert 1 <= len(items) <= 2
            for item in items:
                d = _key(re.search(r'<a href="(/doc/disagreement/[^"]+)">the disagreement</a>', item).group(1))
                seen.append(d)
                assert f"{len(sides[d])} sides, {sum(sides[d].values())} source passage" in item
                shown = {}
                for side in item.split('<div class="side">')[1:]:
                    href = re.search(r'<h3><a href="(/doc/claim/[^"]+)">', side).group(1)
                    n = sides[d][_key(href)]
                    shown[_key(href)] = n
                    assert side.count("<blockquote") == min(n, 1)
                    if n > 1:
                        assert f"the first 1 of {n} passages here" in side
                        assert f'<a href="{href}" class="more">all {n} on the claim\'s page</a>' in side
                        if followed < 3:
                            assert await _claim_quotes(client, href) == n
                            followed += 1
                assert shown == sides[d]  # every side, none left out
        assert followed
        assert sorted(seen) == sorted(sides)
        # the JSON and the data twins still hold every passage of a page
        whole = (await client.get("/disagreements", headers={"Accept": "application/json"})).json()
        assert all(len(v["evidence"]) == v["passages"] == sides[_key(d["id"])][_key(v["claim"])] for d in whole for v in d["values"])


@pytest.mark.anyio
async def test_a_things_page_quotes_a_few_passages_a_claim_and_still_lists_every_article_cited(built, monkeypatch):
    from oirld.web import ServeSettings, create_app
    from oirld.web.linkeddata import views

    store = open_store(built.path / "store")
    settings = ServeSettings(pages_path=str(built.path / "pages.sqlite"))

    async def page() -> str:
        async with asgi_client(create_app(settings, store)) as client:
            return (await client.get("/doc/id/oir", headers=HTML)).text

    monkeypatch.setattr(views, "PASSAGES_SHOWN", 10**6)
    whole = await page()
    monkeypatch.setattr(views, "PASSAGES_SHOWN", 1)
    cut = await page()

    def claims(html: str) -> dict[str, str]:
        items = html.split('id="claims"', 1)[1].split("</section>", 1)[0].split("<li class=")[1:]
        return {re.search(r'<a href="(/doc/claim/[^"]+)" class="note">claim</a>', i).group(1): i for i in items}

    def cited(html: str) -> list[str]:
        return re.findall(r'<li><a href="(/doc/source/[^"]+)">', html.split("<aside", 1)[1])

    before, after = claims(whole), claims(cut)
    assert before.keys() == after.keys()
    several = 0
    for href, item in after.items():
        n = before[href].count('<blockquote class="quote"')
        assert item.count('<blockquote class="quote"') == min(n, 1)
        if n > 1:
            several += 1
            assert f'<a href="{href}" class="more">all {n} on the claim\'s page</a>' in item
    assert several, "a claim about the operation has several passages"
    assert cited(cut) == cited(whole) and cited(whole)  # the side bar: every article the page's claims cite
