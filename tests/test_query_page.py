"""The query page for people, and the example queries it offers, on the real build."""

import pytest

from oirld.store import open_store, run_query
from oirld.web.sparql.examples import EXAMPLES

pytestmark = pytest.mark.anyio
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def client(built_client):
    return built_client()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_every_example_answers_on_the_build(built, example):
    outcome = run_query(open_store(built.path / "store"), example["query"])
    assert len(outcome.rows) >= 2


async def test_browser_gets_the_page_and_clients_get_data(client):
    page = await client.get("/sparql", headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<textarea id="query" name="query"' in page.text
    for ex in EXAMPLES:
        assert ex["title"] in page.text
    assert "PREFIX oirl: &lt;https://w3id.org/oirld/ontology#&gt;" in page.text
    sd = await client.get("/sparql")
    assert sd.headers["content-type"].startswith("text/turtle")
    home = await client.get("/", headers={"Accept": BROWSER})
    assert 'href="/sparql"' in home.text  # the home page leads to the query page


async def test_results_as_a_table_with_links_and_downloads(client):
    q = EXAMPLES[1]["query"]
    page = await client.get("/sparql", params={"query": q}, headers={"Accept": BROWSER})
    assert page.status_code == 200 and '<table id="results">' in page.text
    assert "In January 2023" in page.text
    # the IRIs are shown as they are, and link to this server's pages (the base IRI does not answer here)
    assert 'href="/ontology#' in page.text and ">https://w3id.org/oirld/ontology#" in page.text
    assert 'href="https://w3id.org/oirld/' not in page.text
    for fmt in ("json", "xml", "csv", "tsv"):
        assert f"format={fmt}" in page.text
    data = await client.get("/sparql", params={"query": q, "format": "csv"}, headers={"Accept": BROWSER})
    assert data.headers["content-type"].startswith("text/csv")


async def test_graph_results_and_errors_on_the_page(client):
    page = await client.get("/sparql", params={"query": "CONSTRUCT WHERE { <https://w3id.org/oirld/id/oir> ?p ?o }"},
                            headers={"Accept": BROWSER})
    assert page.status_code == 200 and "<th scope=\"col\">predicate</th>" in page.text and "format=turtle" in page.text
    bad = await client.get("/sparql", params={"query": "SELECT WHERE {"}, headers={"Accept": BROWSER})
    assert bad.status_code == 400 and 'role="alert"' in bad.text and "malformed-query" in bad.text
    assert "SELECT WHERE {" in bad.text  # the query stays in the editor to be fixed


async def test_void_description_is_served_and_linked(built, built_client):
    import rdflib

    c = built_client(void_path=str(built.path / "dumps" / "void.ttl"))
    r = await c.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    g = rdflib.Graph().parse(data=r.content, format="nt")
    assert len(list(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Distribution")))) == 3
    sd = rdflib.Graph().parse(data=(await c.get("/sparql")).content, format="turtle")
    assert (None, rdflib.RDFS.seeAlso, rdflib.URIRef("http://testserver/.well-known/void")) in sd


async def test_no_void_when_serving_files(client):
    r = await client.get("/.well-known/void")
    assert r.status_code == 404 and r.json()["error"]["code"] == "no-description"
