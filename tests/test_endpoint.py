"""The SPARQL endpoint in-process (httpx ASGI transport): protocol rules, negotiation, errors, updates."""


import pyoxigraph as ox
import pytest

from oirld.web import ServeSettings, create_app

from .conftest import asgi_client

DATA = b"""
@prefix ex: <http://example.org/> .
ex:a ex:p "one" ; ex:q 1 .
ex:b ex:p "two" .
"""
pytestmark = pytest.mark.anyio


SELECT = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"


def make_store() -> ox.Store:
    store = ox.Store()
    store.load(DATA, ox.RdfFormat.TURTLE)
    store.add(ox.Quad(ox.NamedNode("http://example.org/c"), ox.NamedNode("http://example.org/p"), ox.Literal("three"),
                      ox.NamedNode("http://example.org/g")))
    return store


@pytest.fixture
def client_for():
    clients = []

    def factory(**settings):
        app = create_app(ServeSettings(dataset_version="v1", **settings), make_store())
        c = asgi_client(app)
        clients.append(c)
        return c

    return factory


def err(resp):
    body = resp.json()
    assert set(body) == {"error"} and {"status", "code", "message"} <= set(body["error"])
    assert body["error"]["status"] == resp.status_code
    return body["error"]


async def test_get_post_form_and_post_direct_give_the_same_answer(client_for):
    c = client_for()
    a = await c.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    b = await c.post("/sparql", data={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    d = await c.post("/sparql", content=SELECT, headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert a.status_code == b.status_code == d.status_code == 200
    assert a.json() == b.json() == d.json()
    values = [r["o"]["value"] for r in a.json()["results"]["bindings"]]
    assert values == ["one", "two", "three"]  # default graph = union of all graphs


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+json;q=0.9", "application/sparql-results+json"),
    ("text/*;q=0.8, */*;q=0.1", "text/csv"),
    (None, "application/sparql-results+json"),
])
async def test_select_negotiation(client_for, accept, media):
    headers = {"Accept": accept} if accept else {}
    r = await client_for().get("/sparql", params={"query": SELECT}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    assert "Accept" in r.headers["vary"]


@pytest.mark.parametrize("accept, media, fmt", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    (None, "text/turtle", "turtle"),
])
async def test_construct_negotiation(client_for, accept, media, fmt):
    import rdflib

    headers = {"Accept": accept} if accept else {}
    r = await client_for().get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    assert len(rdflib.Graph().parse(data=r.content, format=fmt)) == 4


async def test_format_parameter_for_browsers(client_for):
    r = await client_for().get("/sparql", params={"query": SELECT, "format": "csv"}, headers={"Accept": "text/html"})
    assert r.headers["content-type"].startswith("text/csv")


async def test_406_when_nothing_acceptable(client_for):
    r = await client_for().get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and err(r)["code"] == "not-acceptable"


async def test_protocol_dataset_overrides(client_for):
    c = client_for()
    r = await c.get("/sparql", params={"query": SELECT, "default-graph-uri": "http://example.org/g"},
                    headers={"Accept": "application/sparql-results+json"})
    assert [b["o"]["value"] for b in r.json()["results"]["bindings"]] == ["three"]
    r = await c.get("/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": "http://example.org/none"},
                    headers={"Accept": "application/sparql-results+json"})
    assert r.json()["results"]["bindings"] == []


async def test_malformed_query_is_400_with_the_parser_position(client_for):
    r = await client_for().get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    e = err(r)
    assert r.status_code == 400 and e["code"] == "malformed-query" and "error at" in e["message"]


@pytest.mark.parametrize("request_kwargs, status, code", [
    ({"method": "PUT", "url": "/sparql"}, 405, None),
    ({"method": "POST", "url": "/sparql", "content": b"query=x", "headers": {"Content-Type": "text/plain"}}, 415, "unsupported-media-type"),
    ({"method": "GET", "url": "/sparql?query=ASK{}&query=ASK{}"}, 400, "duplicate-parameter"),
    ({"method": "POST", "url": "/sparql", "content": "ASK {}".encode("utf-16"), "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}}, 400, "not-utf8"),
    ({"method": "POST", "url": "/sparql", "content": b"ASK {} \xff", "headers": {"Content-Type": "application/sparql-query"}}, 400, "not-utf8"),
    ({"method": "GET", "url": "/sparql?update=CLEAR%20ALL"}, 405, "method-not-allowed"),
])
async def test_protocol_errors(client_for, request_kwargs, status, code):
    r = await client_for().request(**request_kwargs)
    assert r.status_code == status
    if code:
        assert err(r)["code"] == code


async def test_query_length_limit_is_413(client_for):
    r = await client_for(max_query_length=50).get("/sparql", params={"query": SELECT})
    assert r.status_code == 413 and "limit is 50" in err(r)["message"]


async def test_updates_are_refused_by_default_and_need_the_token(client_for):
    ro = client_for()
    r = await ro.post("/sparql", data={"update": "CLEAR ALL"})
    assert r.status_code == 403 and err(r)["code"] == "updates-disabled"
    tok = client_for(update_token="s3cret")
    r = await tok.post("/sparql", data={"update": "CLEAR ALL"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = await tok.post("/sparql", data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    r = await tok.post("/sparql", data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 204
    r = await tok.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is False


async def test_update_with_protocol_dataset(client_for):
    c = client_for(allow_update=True)
    update = "INSERT { GRAPH <http://example.org/out> { ?s <http://example.org/seen> ?o } } WHERE { ?s <http://example.org/p> ?o }"
    r = await c.post("/sparql", params={"using-graph-uri": "http://example.org/g"}, content=update,
                     headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 204
    r = await c.get("/sparql", params={"query": "SELECT ?o WHERE { GRAPH <http://example.org/out> { ?s ?p ?o } }"},
                    headers={"Accept": "application/sparql-results+json"})
    assert [b["o"]["value"] for b in r.json()["results"]["bindings"]] == ["three"]
    r = await c.post("/sparql", params={"using-graph-uri": "http://example.org/g"},
                     content="DELETE { ?s ?p ?o } USING <http://example.org/g> WHERE { ?s ?p ?o }",
                     headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 400 and err(r)["code"] == "dataset-conflict"


async def test_service_description(client_for):
    import rdflib

    r = await client_for().get("/sparql", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(g.subjects(rdflib.RDF.type, SD.Service))
    assert str(g.value(service, SD.endpoint)) == "http://testserver/sparql"
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g


async def test_etag_and_304(client_for):
    c = client_for()
    r = await c.get("/sparql", params={"query": SELECT})
    etag = r.headers["etag"]
    r2 = await c.get("/sparql", params={"query": SELECT}, headers={"If-None-Match": etag})
    assert r2.status_code == 304
    r3 = await c.get("/sparql", params={"query": SELECT + " LIMIT 1"}, headers={"If-None-Match": etag})
    assert r3.status_code == 200


async def test_cors_on_reads(client_for):
    r = await client_for().get("/sparql", params={"query": SELECT}, headers={"Origin": "https://example.com"})
    assert r.headers["access-control-allow-origin"] == "*"


async def test_graph_store_protocol(client_for):
    c = client_for(allow_update=True)
    r = await c.get("/store", params={"graph": "http://example.org/g"}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and b"three" in r.content
    r = await c.get("/store", params={"graph": "http://example.org/nope"})
    assert r.status_code == 404
    r = await c.put("/store", params={"graph": "http://example.org/new"}, content=b"<http://x> <http://y> <http://z> .",
                    headers={"Content-Type": "application/n-triples"})
    assert r.status_code == 201
    r = await c.put("/store", params={"graph": "http://example.org/new"}, content=b"<http://x> <http://y> <http://w> .",
                    headers={"Content-Type": "application/n-triples"})
    assert r.status_code == 204
    r = await c.get("/store", params={"graph": "http://example.org/new"}, headers={"Accept": "application/n-triples"})
    assert r.content.strip() == b"<http://x> <http://y> <http://w> ."
    r = await c.delete("/store", params={"graph": "http://example.org/new"})
    assert r.status_code == 204
    r = await c.put("/store", params={"default": ""}, content=b"not rdf", headers={"Content-Type": "text/turtle"})
    assert r.status_code == 400 and err(r)["code"] == "malformed-rdf"


async def test_graph_store_writes_need_updates_enabled(client_for):
    r = await client_for().put("/store", params={"default": ""}, content=b"", headers={"Content-Type": "text/turtle"})
    assert r.status_code == 403


async def test_load_is_refused_even_with_updates(client_for):
    r = await client_for(allow_update=True).post("/sparql", data={"update": "LOAD <file:///etc/passwd>"})
    assert r.status_code == 403 and err(r)["code"] == "load-disabled"


async def test_service_in_a_string_or_comment_is_not_federation(client_for):
    q = 'SELECT ?x WHERE { BIND("SERVICE <http://evil/>" AS ?x) } # SERVICE <http://evil/>'
    r = await client_for().get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200


async def test_row_cap_is_stated_and_applied(client_for):
    c = client_for(row_cap=2)
    r = await c.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    assert r.headers["oirld-row-cap"] == "2" and r.headers["oirld-truncated"] == "true"
    assert len(r.json()["results"]["bindings"]) == 2
    r = await c.get("/sparql", params={"query": SELECT + " LIMIT 1"}, headers={"Accept": "text/csv"})
    assert r.headers["oirld-truncated"] == "false" and r.text.splitlines() == ["s,o", "http://example.org/a,one"]


@pytest.mark.parametrize("media, fmt", [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/csv", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
])
def test_own_serialisers_match_pyoxigraph(media, fmt):
    import re

    from oirld.web.sparql.results import serialize_solutions

    store = make_store()
    store.load(b'<http://a> <http://p> "x,\\"y\\""@en , 3 , 2.5 , true , _:b , "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> , "tab\\there" .',
               ox.RdfFormat.TURTLE)
    q = "SELECT ?s ?o ?missing WHERE { ?s ?p ?o } ORDER BY ?s ?o"
    mine, truncated = serialize_solutions(store.query(q, use_default_graph_as_union=True), media)
    theirs = store.query(q, use_default_graph_as_union=True).serialize(format=fmt)
    assert not truncated
    norm = lambda b: re.sub(rb"_:[0-9a-f]+", b"_:B", b)  # noqa: E731
    if fmt in (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV):
        assert norm(mine) == norm(theirs)
    else:
        as_rows = lambda b: [[str(t) for t in s] for s in ox.parse_query_results(norm(b), fmt)]  # noqa: E731
        assert as_rows(mine) == as_rows(theirs)


async def test_answers_are_cached_per_version_unless_updates_are_on(client_for):
    c = client_for()
    first = await c.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    second = await c.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert (first.headers["oirld-cache"], second.headers["oirld-cache"]) == ("miss", "hit")
    assert first.content == second.content
    other = await c.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    assert other.headers["oirld-cache"] == "miss"
    w = client_for(allow_update=True)
    await w.get("/sparql", params={"query": SELECT})
    await w.post("/sparql", data={"update": "INSERT DATA { <http://example.org/d> <http://example.org/p> \"four\" }"})
    after = await w.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    assert after.headers["oirld-cache"] == "miss" and len(after.json()["results"]["bindings"]) == 4
