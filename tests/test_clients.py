"""SPARQL clients nobody here wrote, as a user runs them: SPARQLWrapper and rdflib's SPARQLStore against one real
``oirld serve`` on loopback (shared by the module), and the same requests in-process where a client's exact
request can be written out (httpx ASGI transport)."""

from __future__ import annotations

import warnings

import pyoxigraph as ox
import pytest
import rdflib

from oirld.web import ServeSettings, create_app

from .conftest import asgi_client
from .test_server import serving

DATA = """@prefix ex: <http://example.org/> .
@prefix oirl: <https://w3id.org/oirld/ontology#> .
ex:a a oirl:Claim ; ex:p "one" ; ex:q 1 .
ex:b ex:p "two" .
"""
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"
DESCRIBE = "DESCRIBE <http://example.org/a>"
SELECT = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"
TRIPLES = 4


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clients")
    data = folder / "data.ttl"
    data.write_text(DATA, encoding="utf-8")
    with serving(str(data), cwd=folder) as url:
        yield f"{url}/sparql"


def wrapper(endpoint: str, query: str, fmt: str):
    from SPARQLWrapper import SPARQLWrapper

    sparql = SPARQLWrapper(endpoint, returnFormat=fmt)
    sparql.setTimeout(120)  # the first query waits for a worker process to start
    sparql.setQuery(query)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper warns that it sends */* for some formats
        return sparql.query()


@pytest.mark.parametrize("fmt", ["rdf+xml", "json-ld", "n3", "turtle", "xml", "rdf"])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_sparqlwrapper_construct_and_describe_in_every_format(endpoint, query, fmt):
    """It sends format=<name> (and output=, results=) beside Accept: each named format is understood."""
    result = wrapper(endpoint, query, fmt)
    assert result.response.status == 200
    graph = result.convert()
    if not isinstance(graph, rdflib.Graph):  # json-ld and n3 come back as bytes for the caller to parse
        media = result.info()["content-type"].split(";")[0]
        graph = rdflib.Graph().parse(data=graph, format={"application/ld+json": "json-ld", "text/n3": "n3"}.get(media, "turtle"))
    assert len(graph) == (TRIPLES if query == CONSTRUCT else 3)
    assert (rdflib.URIRef("http://example.org/a"), rdflib.URIRef("http://example.org/p"), rdflib.Literal("one")) in graph


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select(endpoint, fmt):
    result = wrapper(endpoint, SELECT, fmt).convert()
    if fmt == "json":
        assert [b["o"]["value"] for b in result["results"]["bindings"]] == ["one", "two"]
    elif fmt == "xml":
        assert [n.firstChild.nodeValue for n in result.getElementsByTagName("literal")] == ["one", "two"]
    else:
        sep = "," if fmt == "csv" else "\t"
        text = result.decode()
        assert text.splitlines()[0].replace("?", "") == f"s{sep}o" and "one" in text and "two" in text


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_rdflib_sparqlstore_construct_with_a_results_accept_gets_turtle(endpoint, fmt):
    """SPARQLStore asks a CONSTRUCT with its results format's Accept (JSON, CSV): the answer is Turtle, not 406."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(endpoint, returnFormat=fmt)
    graph = rdflib.Graph(store=store)
    answer = graph.query(CONSTRUCT)
    assert len(answer.graph) == TRIPLES
    rows = list(graph.query(SELECT))
    assert [str(r[1]) for r in rows] == ["one", "two"]
    if fmt != "csv":  # rdflib reads no boolean from CSV
        assert graph.query("ASK { ?s ?p 'one' }").askAnswer is True


# -- the same requests in-process: what each one sends, and what it gets ------------------------------------------



@pytest.fixture
def client():
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE)
    return asgi_client(create_app(ServeSettings(dataset_version="v1"), store))


@pytest.mark.anyio
@pytest.mark.parametrize("params, accept, media", [
    # SPARQLWrapper: returnFormat RDFXML / JSONLD send the name, then the media type, under three parameter names
    ({"format": ["rdf+xml", "application/rdf+xml"], "output": ["rdf+xml", "application/rdf+xml"], "results": ["rdf+xml"]},
     "application/rdf+xml", "application/rdf+xml"),
    ({"format": ["json-ld", "application/ld+json"]}, "application/ld+json,application/x-json+ld", "application/ld+json"),
    ({"format": "n3", "output": "n3"}, "application/turtle,text/turtle,text/rdf+n3,application/n-triples,application/n3,text/n3", "text/n3"),
    ({"format": "xml"}, "application/rdf+xml", "application/rdf+xml"),  # "xml" of a CONSTRUCT is RDF/XML
    ({"format": "json"}, "*/*", "application/ld+json"),  # Fuseki's and Virtuoso's reading of json for a graph
    ({"output": "ttl"}, None, "text/turtle"),  # Fuseki's parameter name
    ({"format": "application/x-json+ld"}, None, "application/ld+json"),  # Virtuoso's media type for JSON-LD
    ({"format": "something-new"}, "application/n-triples", "application/n-triples"),  # the Accept wins
    ({}, "application/sparql-results+json", "text/turtle"),  # rdflib's SPARQLStore: a results Accept, Turtle back
    ({}, "text/csv", "text/turtle"),
])
async def test_format_names_of_common_clients_for_graph_answers(client, params, accept, media):
    r = await client.get("/sparql", params={"query": CONSTRUCT, **params}, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    fmt = {"application/rdf+xml": "xml", "application/ld+json": "json-ld", "text/n3": "n3", "application/n-triples": "nt"}
    assert len(rdflib.Graph().parse(data=r.content, format=fmt.get(media, "turtle"))) == TRIPLES


@pytest.mark.anyio
@pytest.mark.parametrize("params, media", [
    ({"format": ["xml"], "output": ["xml"], "results": ["xml"]}, "application/sparql-results+xml"),
    ({"format": ["tsv", "text/tab-separated-values"]}, "text/tab-separated-values"),
    ({"format": "json"}, "application/sparql-results+json"),
    ({"format": "srj"}, "application/sparql-results+json"),
])
async def test_format_names_for_select(client, params, media):
    r = await client.get("/sparql", params={"query": SELECT, **params})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media


@pytest.mark.anyio
@pytest.mark.parametrize("accept", [None, "*/*", "image/png"])
async def test_an_unknown_format_with_no_accept_to_fall_back_on_is_400(client, accept):
    r = await client.get("/sparql", params={"query": SELECT, "format": "klingon"}, headers={"Accept": accept} if accept else {})
    assert r.status_code == 400 and r.json()["error"]["code"] == "unknown-format"
    assert "rdf+xml" in r.json()["error"]["hint"]


@pytest.mark.anyio
async def test_empty_format_values_are_no_format(client):
    r = await client.get("/sparql", params={"query": SELECT, "format": ["", " "]}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    r = await client.get("/sparql", params={"query": SELECT, "format": ""})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")


@pytest.mark.anyio
async def test_select_with_only_a_graph_accept_is_still_406(client):
    r = await client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406


@pytest.mark.anyio
@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("text/n3", "n3"), ("application/rdf+xml", "xml")])
async def test_construct_and_describe_answers_use_the_dataset_prefixes(client, accept, fmt):
    for query in (CONSTRUCT, DESCRIBE):
        r = await client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert r.status_code == 200
        text = r.text
        assert ("@prefix oirl: <https://w3id.org/oirld/ontology#>" in text or 'xmlns:oirl="https://w3id.org/oirld/ontology#"' in text)
        if fmt != "xml":
            assert "oirl:Claim" in text and "<https://w3id.org/oirld/ontology#Claim>" not in text
        assert len(rdflib.Graph().parse(data=r.content, format=fmt)) == (TRIPLES if query == CONSTRUCT else 3)


@pytest.mark.anyio
async def test_service_description_and_graph_store_turtle_have_prefixes(client):
    r = await client.get("/sparql", headers={"Accept": "text/turtle"})
    assert "@prefix sd: <http://www.w3.org/ns/sparql-service-description#>" in r.text and "sd:Service" in r.text
    r = await client.get("/store", params={"default": ""}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "oirl:Claim" in r.text


@pytest.mark.anyio
async def test_every_oirld_header_is_exposed_to_scripts(client):
    r = await client.get("/sparql", params={"query": SELECT}, headers={"Origin": "https://example.com"})
    ours = {k.lower() for k in r.headers if k.lower().startswith("oirld-")}
    assert ours >= {"oirld-row-cap", "oirld-truncated", "oirld-cache"}
    exposed = {h.strip().lower() for h in r.headers["access-control-expose-headers"].split(",")}
    assert ours <= exposed and "etag" in exposed


# -- documents for clients, and links for people, on the real build ----------------------------------------------

OA, PROV, SCHEMA = "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/prov#", "https://schema.org/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
TROOPS = ("SELECT ?c WHERE { ?c a <https://w3id.org/oirld/ontology#Claim> ; "
          "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <https://w3id.org/oirld/ontology#troopCount> } LIMIT 1")


@pytest.fixture(scope="module")
def troop_claim(built) -> str:
    from oirld.store import open_store

    return next(iter(open_store(built.path / "store").query(TROOPS)))["c"].value


def _claim_facts(graph: rdflib.Graph, claim: str) -> dict[str, object]:
    """What a client needs from one fetch: the passage's offsets and words, the number, and the article cited."""
    U = rdflib.URIRef
    c = U(claim)
    evidence = graph.value(c, U(PROV + "wasDerivedFrom"))
    selectors = list(graph.objects(evidence, U(OA + "hasSelector")))
    starts = [graph.value(s, U(OA + "start")) for s in selectors if graph.value(s, U(OA + "start")) is not None]
    exact = [graph.value(s, U(OA + "exact")) for s in selectors if graph.value(s, U(OA + "exact")) is not None]
    value = graph.value(c, U(RDF_NS + "object"))
    source = graph.value(evidence, U(OA + "hasSource"))
    return {"start": starts[0].toPython() if starts else None, "exact": str(exact[0]) if exact else None,
            "number": graph.value(value, U(SCHEMA + "value")), "headline": graph.value(source, U(SCHEMA + "headline")),
            "published": graph.value(source, U(SCHEMA + "datePublished")), "url": graph.value(source, U(SCHEMA + "url"))}


@pytest.mark.anyio
@pytest.mark.parametrize("accept, media, fmt", [
    ("text/turtle", "text/turtle", "turtle"),
    ("text/n3", "text/n3", "n3"),
    ("application/json", "application/ld+json", "json-ld"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
async def test_a_claim_document_holds_its_evidence_number_and_source(built_client, troop_claim, accept, media, fmt):
    key = troop_claim.rsplit("/", 1)[-1]
    async with built_client() as c:
        r = await c.get(f"/doc/claim/{key}", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    facts = _claim_facts(rdflib.Graph().parse(data=r.content, format=fmt), troop_claim)
    assert all(v is not None for v in facts.values()), facts
    assert isinstance(facts["start"], int) and facts["exact"] and int(facts["number"]) > 0
    if fmt in ("turtle", "n3"):
        assert "@prefix oirl: <https://w3id.org/oirld/ontology#>" in r.text and "oa:hasSelector" in r.text


@pytest.mark.anyio
async def test_documents_have_an_n3_address_and_turtle_pages_prefixes(built_client, troop_claim):
    key = troop_claim.rsplit("/", 1)[-1]
    async with built_client() as c:
        r = await c.get(f"/doc/claim/{key}.n3")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/n3")
        entity = await c.get("/doc/id/iraq", headers={"Accept": "text/turtle"})
        assert "@prefix id: <https://w3id.org/oirld/id/>" in entity.text and "id:iraq" in entity.text


@pytest.mark.anyio
async def test_pages_and_documents_say_how_long_to_cache(built_client):
    async with built_client() as c:
        for path, accept in [("/doc/id/iraq", "text/turtle"), ("/doc/id/iraq", "text/html"), ("/disagreements", "text/html")]:
            r = await c.get(path, headers={"Accept": accept})
            assert r.status_code == 200 and r.headers["cache-control"] == "public, max-age=300", path
    async with built_client(allow_update=True) as c:  # the data can change under a writable server: ask again
        r = await c.get("/doc/id/iraq", headers={"Accept": "text/turtle"})
        assert r.headers["cache-control"] == "no-cache"
        assert (await c.get("/doc/id/no-such-thing", headers={"Accept": "text/turtle"})).headers.get("cache-control") is None


@pytest.mark.anyio
async def test_links_for_people_go_to_this_server_when_it_does_not_serve_the_base_iri(built_client):
    """Served from http://testserver/, the default base IRI (https://w3id.org/oirld/) answers nowhere: every link a
    person clicks goes to this server's pages; the IRIs themselves are still shown and in the data."""
    async with built_client() as c:
        page = await c.get("/sparql", params={"query": "SELECT ?p ?o WHERE { <https://w3id.org/oirld/id/oir> ?p ?o }"},
                           headers={"Accept": "text/html"})
        assert 'href="/doc/id/' in page.text and ">https://w3id.org/oirld/id/" in page.text
        assert 'href="https://w3id.org/oirld/' not in page.text
        manifest = (await c.get("/reconcile")).json()
        assert manifest["view"]["url"] == "http://testserver/doc/id/{{id}}"
        assert manifest["identifierSpace"] == "https://w3id.org/oirld/id/"  # the IRIs stay as they are
        preview = await c.get("/reconcile/preview", params={"id": "iraq"})
        assert 'href="http://testserver/doc/id/iraq"' in preview.text
        for path in ("/doc/id/iraq", "/disagreements"):
            html = (await c.get(path, headers={"Accept": "text/html"})).text
            assert 'href="https://w3id.org/oirld/' not in html, path


@pytest.mark.anyio
async def test_links_are_the_iris_when_this_server_serves_the_base_iri(built_client):
    async with built_client(base_url="https://w3id.org", public_url="https://w3id.org/oirld/") as c:
        manifest = (await c.get("/reconcile")).json()
        assert manifest["view"]["url"] == "https://w3id.org/oirld/id/{{id}}"
        preview = await c.get("/reconcile/preview", params={"id": "iraq"})
        assert 'href="https://w3id.org/oirld/id/iraq"' in preview.text


def test_the_link_helper():
    from oirld.web.common.hrefs import absolute_href, person_href

    base = "https://w3id.org/oirld/"
    assert person_href(base + "claim/x", base) == "/doc/claim/x"
    assert person_href("https://w3id.org/oirld/ontology#Claim", base) == "/ontology#Claim"
    assert person_href("http://www.wikidata.org/entity/Q796", base) == "http://www.wikidata.org/entity/Q796"
    assert person_href("javascript:alert(1)", base) is None
    assert absolute_href(base + "id/x", base, "http://127.0.0.1:8000/") == "http://127.0.0.1:8000/doc/id/x"
    assert absolute_href(base + "id/x", base, "https://w3id.org/") == base + "id/x"  # the base is under this server
    assert absolute_href(base + "id/x", "http://127.0.0.1:8000/", "http://127.0.0.1:8000/") is not None
