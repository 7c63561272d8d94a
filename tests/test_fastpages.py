"""The shortcuts that keep first pages fast at 1,000 articles say the same as the long way."""

import pyoxigraph as ox

from oirld.citation import citations
from oirld.web.linkeddata.figures import most_figures

_TTL = """@prefix schema: <https://schema.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://x/a1> a schema:NewsArticle ; schema:headline "One" ; schema:publisher <http://x/p1> .
<http://x/a2> a schema:NewsArticle ; schema:headline "Two" ; schema:publisher <http://x/p2> .
<http://x/p1> skos:prefLabel "Outlet One" ; rdfs:label "other" .
<http://x/p2> rdfs:label "Outlet Two" .
"""


def test_citations_of_some_articles_are_those_of_all():
    store = ox.Store()
    store.load(_TTL.encode(), format=ox.RdfFormat.TURTLE)
    every, some = citations(store), citations(store, ["http://x/a2"])
    assert list(some) == ["http://x/a2"] and some["http://x/a2"] == every["http://x/a2"]
    assert every["http://x/a1"].outlet == "Outlet One" and every["http://x/a2"].outlet == "Outlet Two"
    assert citations(store, []) == {}


def test_a_chart_draws_the_series_with_most_figures_in_their_order():
    series = [{"title": t, "points": [0] * n} for t, n in [("a", 1), ("b", 5), ("c", 3), ("d", 4)]]
    assert [s["title"] for s in most_figures(series, 2)] == ["b", "d"]
    assert most_figures(series, 10) == series


def test_the_troop_series_from_the_page_index_equal_those_from_the_store(built):
    """The first view of the timeline read every troop figure's passages from the store (7 s at 1,000 articles);
    from the page index it must draw the same points."""
    from oirld.pageindex import PageIndex
    from oirld.store import open_store
    from oirld.web.linkeddata.figures import count_series
    from oirld.web.linkeddata.views import Labels

    store = open_store(built.path / "store")
    labels = Labels("https://w3id.org/oirld/", {})
    queried = count_series(store, labels)
    read = count_series(store, labels, index=PageIndex(built.path / "pages.sqlite"))
    assert queried and sum(len(s["points"]) for s in queried) > 1, "the build charts troop figures"
    assert read == queried
