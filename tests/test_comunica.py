"""Comunica (``@comunica/query-sparql``, pinned in tests/clients/comunica/package-lock.json) as a user runs it
against one real ``oirld serve`` on loopback: its answers must equal the embedded store's answers to the same
queries. Comunica lowercases language tags (BCP 47 tags are case-insensitive) and relabels blank nodes, so the
comparison does too. ``bin/test`` installs node and runs ``npm ci``; without node the module is skipped."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from .conftest import ROOT
from .test_server import serving

CLIENT = ROOT / "tests" / "clients" / "comunica"
NODE = shutil.which("node")
NEEDS = (20, 18, 1)  # undici 7, Comunica's HTTP client, needs node 20.18.1 or newer


def _why_not() -> str | None:
    if NODE is None:
        return "no node on this machine (bin/test installs Debian's nodejs when run as root)"
    version = subprocess.run([NODE, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    if tuple(int(n) for n in re.findall(r"\d+", version)[:3]) < NEEDS:
        return f"node {version} is older than 20.18.1, which Comunica needs"
    if not (CLIENT / "node_modules" / "@comunica" / "query-sparql").is_dir():
        if os.environ.get("CI"):  # node is here, so bin/test's npm ci should have run: a failure, not a skip
            raise RuntimeError("node is here but Comunica is not installed: bin/test runs npm ci in tests/clients/comunica")
        return "Comunica is not installed: run bin/test (it runs npm ci in tests/clients/comunica)"
    return None


WHY_NOT = _why_not()
pytestmark = pytest.mark.skipif(WHY_NOT is not None, reason=WHY_NOT or "")

XSD = "http://www.w3.org/2001/XMLSchema#"
DATA = f"""@prefix ex: <http://example.org/> .
@prefix xsd: <{XSD}> .
ex:a ex:p "one" , "un"@fr , "eins"@de-CH , "one"@en-GB , 1 , -7 , 2.5 , "1.0e3"^^xsd:double , true ,
    "2024-09-27"^^xsd:date , "2024-09-27T10:00:00Z"^^xsd:dateTime , "x"^^ex:custom , "line\\nbreak \\"quoted\\" é 😀" , ex:b .
ex:b ex:p [ ex:q "blank" ] ; ex:name "Bee"@en .
<https://w3id.org/oirld/id/thing> ex:p "doc"@en , ex:a ; ex:name "Thing" .
"""
SELECTS = [
    "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }",
    "SELECT ?o (LANG(?o) AS ?l) (DATATYPE(?o) AS ?d) WHERE { <http://example.org/a> ?p ?o FILTER(isLiteral(?o)) }",
    'SELECT ?o WHERE { ?s ?p ?o FILTER(LANGMATCHES(LANG(?o), "en")) }',
    "SELECT ?s ?n WHERE { ?s <http://example.org/p> ?x OPTIONAL { ?x <http://example.org/name> ?n } }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?o WHERE { ?s <http://example.org/p> ?o FILTER(isNumeric(?o) && ?o > 1) }",
]
ASKS = [('ASK { ?s ?p "un"@fr }', True), ('ASK { ?s ?p "un"@de }', False), ("ASK { ?s ?p 2.5 }", True)]
CONSTRUCTS = [
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?o <http://example.org/of> ?s } WHERE { ?s <http://example.org/p> ?o FILTER(!isLiteral(?o)) }",
    "DESCRIBE <http://example.org/b>",
]


def comunica(query: str, *endpoints: str) -> dict:
    r = subprocess.run([NODE, str(CLIENT / "query.js"), query, *endpoints], capture_output=True, text=True,
                       timeout=300, cwd=CLIENT)
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    hosts = {re.match(r"\w+ (https?://[^/]+)/", f).group(1) for f in answer["fetched"]}
    servers = {re.match(r"(?:auto@)?(https?://[^/]+)/", e).group(1) for e in endpoints}
    assert hosts <= servers, answer["fetched"]  # nothing but the servers named
    return answer


def _ox_json(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict:
    """The embedded store's term in the shape query.js prints (SPARQL 1.1 JSON results)."""
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if t.language:
        return {"type": "literal", "value": t.value, "xml:lang": t.language}
    dt = t.datatype.value
    return {"type": "literal", "value": t.value, **({} if dt == XSD + "string" else {"datatype": dt})}


def _term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> tuple:
    return _json_term(_ox_json(t))


def _json_term(t: dict) -> tuple:
    if t["type"] == "uri":
        return ("uri", t["value"])
    if t["type"] == "bnode":
        return ("bnode",)  # labels are the server's own, renamed by every client
    if "xml:lang" in t:
        return ("literal", t["value"], "@" + t["xml:lang"].lower())
    return ("literal", t["value"], t.get("datatype", ""))


def _rdflib(t: dict) -> rdflib.term.Node:
    if t["type"] == "uri":
        return rdflib.URIRef(t["value"])
    if t["type"] == "bnode":
        return rdflib.BNode(t["value"])
    return rdflib.Literal(t["value"], lang=t.get("xml:lang"), datatype=t.get("datatype"))


def _graph_of_json(triples: list) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o in triples:
        if "xml:lang" in o:
            o = {**o, "xml:lang": o["xml:lang"].lower()}
        g.add((_rdflib(s), _rdflib(p), _rdflib(o)))
    return g


def _store(text: str) -> ox.Store:
    store = ox.Store()
    store.load(text.encode(), ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def embedded() -> ox.Store:
    return _store(DATA)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    folder = tmp_path_factory.mktemp("comunica")
    (folder / "data.ttl").write_text(DATA, encoding="utf-8")
    with serving("data.ttl", cwd=folder) as url:
        yield f"{url}/sparql"


@pytest.fixture(scope="module")
def server(endpoint) -> str:
    return endpoint.rsplit("/", 1)[0]


@pytest.mark.parametrize("query", SELECTS)
def test_select_equals_the_embedded_store(endpoint, embedded, query):
    answer = comunica(query, endpoint)
    expected = embedded.query(query)
    assert answer["vars"] == [v.value for v in expected.variables]
    rows = sorted(tuple(sorted((k, _json_term(v)) for k, v in b.items())) for b in answer["bindings"])
    want = sorted(tuple(sorted((v.value, _term(s[v])) for v in expected.variables if s[v] is not None)) for s in expected)
    assert rows == want and rows


@pytest.mark.parametrize("query, truth", ASKS)
def test_ask_equals_the_embedded_store(endpoint, embedded, query, truth):
    assert bool(embedded.query(query)) is truth
    assert comunica(query, endpoint)["boolean"] is truth


@pytest.mark.parametrize("query", CONSTRUCTS)
def test_construct_and_describe_equal_the_embedded_store(endpoint, embedded, query):
    got = _graph_of_json(comunica(query, endpoint)["triples"])
    want = _graph_of_json([[_ox_json(t.subject), _ox_json(t.predicate), _ox_json(t.object)] for t in embedded.query(query)])
    assert len(got) == len(want) > 0
    assert isomorphic(got, want)


def test_a_long_query_goes_by_post_form_and_is_answered(endpoint, embedded):
    """Comunica sends a query whose URL would be long as a POST form (application/x-www-form-urlencoded)."""
    values = " ".join(f"<http://example.org/n{i}>" for i in range(200))
    query = f"SELECT ?s ?x WHERE {{ VALUES ?x {{ {values} <http://example.org/b> }} ?s <http://example.org/p> ?x }}"
    answer = comunica(query, endpoint)
    assert any(f.startswith("POST ") for f in answer["fetched"]), answer["fetched"]
    assert [(b["s"]["value"], b["x"]["value"]) for b in answer["bindings"]] == [("http://example.org/a", "http://example.org/b")]


def test_comunica_finds_the_endpoint_from_its_service_description(endpoint, embedded):
    """A bare URL, as Comunica's command line takes it: it reads the service description first."""
    query = SELECTS[0]
    answer = comunica(query, "auto@" + endpoint)
    assert answer["fetched"][0] == f"GET {endpoint} " + answer["fetched"][0].split(" ", 2)[2]  # the description
    assert len(answer["bindings"]) == len(list(embedded.query(query)))


def test_a_linked_data_document_as_a_source(server, embedded):
    """Comunica dereferences /id/..., follows the 303 to the document on this server, and parses what it chose."""
    query = "SELECT ?p ?o WHERE { <https://w3id.org/oirld/id/thing> ?p ?o }"
    answer = comunica(query, f"auto@{server}/id/thing")
    urls = [f.split(" ")[1] for f in answer["fetched"]]
    assert urls[0] == f"{server}/id/thing" and len(urls) == 2 and urls[1].startswith(server)
    want = sorted((s["p"].value, _term(s["o"])) for s in embedded.query(query))
    assert sorted((b["p"]["value"], _json_term(b["o"])) for b in answer["bindings"]) == want and len(want) == 3


# -- Comunica federating two oirld endpoints -----------------------------------------------------------------------

LEFT = '<http://example.org/a> <http://example.org/knows> <http://example.org/b> , <http://example.org/c> .\n'
RIGHT = ('<http://example.org/b> <http://example.org/name> "Bee"@en .\n'
         '<http://example.org/c> <http://example.org/name> "Cé"@fr , "3"^^<http://www.w3.org/2001/XMLSchema#int> .\n')


@pytest.fixture(scope="module")
def two_endpoints(tmp_path_factory):
    left_dir, right_dir = tmp_path_factory.mktemp("left"), tmp_path_factory.mktemp("right")
    (left_dir / "left.ttl").write_text(LEFT, encoding="utf-8")
    (right_dir / "right.ttl").write_text(RIGHT, encoding="utf-8")
    with serving("left.ttl", cwd=left_dir) as left, serving("right.ttl", cwd=right_dir) as right:
        yield f"{left}/sparql", f"{right}/sparql"


def test_comunica_joins_across_two_endpoints(two_endpoints):
    query = ("SELECT ?friend ?name WHERE { <http://example.org/a> <http://example.org/knows> ?friend . "
             "?friend <http://example.org/name> ?name }")
    answer = comunica(query, *two_endpoints)
    embedded = _store(LEFT + RIGHT)
    want = sorted((s["friend"].value, _term(s["name"])) for s in embedded.query(query))
    assert sorted((b["friend"]["value"], _json_term(b["name"])) for b in answer["bindings"]) == want
    assert len(want) == 3
    asked = {f.split("/sparql")[0].split(" ", 1)[1] for f in answer["fetched"]}
    assert asked == {e.rsplit("/", 1)[0] for e in two_endpoints}  # both sources were asked, nothing else


def test_the_client_refuses_a_redirect_off_loopback():
    """The guard in query.js, which every test above relies on: a 303 to another address is refused, not followed."""
    import http.server
    import threading

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(303)
            self.send_header("Location", "http://192.0.2.1/sparql")  # TEST-NET-1: never contacted, refused first
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/id/x"
        r = subprocess.run([NODE, str(CLIENT / "query.js"), "SELECT * WHERE { ?s ?p ?o }", "auto@" + url],
                           capture_output=True, text=True, timeout=300, cwd=CLIENT)
    finally:
        server.shutdown()
        server.server_close()
    assert r.returncode == 1 and "refused: http://192.0.2.1/sparql is not on a loopback address" in r.stderr
