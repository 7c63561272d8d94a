"""The federation guard and the query bounds through the app (in-process, httpx ASGI transport) and the CLI.

Every sample here reached an endpoint, or crashed the engine, before the guard read queries as the engine does.
Anything that would crash the engine if the guard let it through runs in a subprocess, so a segfault fails the
test instead of killing pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from oirld.sparql_limits import DEFAULT_LIMITS
from oirld.web import ServeSettings, create_app

from ..conftest import asgi_client
from .recorder import Recorder

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def recorder():
    r = Recorder()
    yield r
    r.close()


def store() -> ox.Store:
    s = ox.Store()
    s.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal(True)))
    return s


def client(**settings):
    return asgi_client(create_app(ServeSettings(dataset_version="v1", **settings), store()))


def error(r) -> dict:
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == r.status_code
    return body["error"]


BYPASSES = [
    "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\'b AS ?q) SERVICE <URL/e1> { ?z ?y ?w } #'\n}",
    "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\#b AS ?q) SERVICE <URL/e2> { ?z ?y ?w } }",
    "PREFIX s: <URL/> SELECT * WHERE { SERVICEs:e3{ ?z ?y ?w } }",
    "PREFIX s: <URL/> SELECT * WHERE { SERVICESILENTs:e4{ ?z ?y ?w } }",
    "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b)SERVICE#>\n<URL/e5>{ ?z ?y ?w } }",
    "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b||'>') SERVICE <URL/e6> { ?z ?y ?w } #'\n}",
    "SELECT * WHERE { ?s ?p trueSERVICE<URL/e7>{ ?z ?y ?w } }",
    "SELECT * WHERE { SERVICE <URL/e\\u0030> { ?z ?y ?w } }",
    'SELECT * WHERE { BIND("""x" AS ?q) SERVICE <URL/e9> { ?z ?y ?w } }',
]


@pytest.mark.parametrize("query", BYPASSES)
async def test_service_bypasses_are_refused(recorder, query):
    recorder.clear()
    async with client(service_allowlist=("http://allowed.example/sparql",)) as c:
        r = await c.get("/sparql", params={"query": query.replace("URL/", recorder.url)})
    assert r.status_code in (400, 403), r.text
    assert error(r)["code"] in ("service-not-allowed", "malformed-query")
    assert recorder.hits == []


async def test_a_relative_service_is_resolved_against_the_request_base():
    async with client(service_allowlist=("http://testserver/sparql",)) as c:
        ok = await c.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <> { ?z ?y ?w } }"})
        other = await c.get("/sparql", params={"query": "BASE <http://elsewhere/> SELECT * WHERE { SERVICE <sparql> { ?z ?y ?w } }"})
    assert ok.status_code != 403  # <> is the allowed endpoint itself
    assert other.status_code == 403 and "http://elsewhere/sparql" in error(other)["message"]


@pytest.mark.parametrize("update", [
    "LOAD<URL/l1>", "loAd <URL/l2>", "PREFIX s: <URL/> LOADs:l3", "PREFIX s: <URL/> INSERT DATA { <http://e/a> <http://e/b> true } ;LOAD SILENT s:l4",
    "INSERT { <http://e/a> <http://e/b> ?z } WHERE { ?s ?p trueSERVICE<URL/e5>{ ?z ?y ?w } }",
])
async def test_load_and_service_in_updates_are_refused(recorder, update):
    recorder.clear()
    async with client(allow_update=True) as c:
        r = await c.post("/sparql", data={"update": update.replace("URL/", recorder.url)})
    assert r.status_code == 403 and error(r)["code"] in ("load-disabled", "service-not-allowed")
    assert recorder.hits == []


async def test_using_graph_uri_cannot_write_sparql(recorder):
    recorder.clear()
    async with client(allow_update=True) as c:
        r = await c.post("/sparql", data={"update": "INSERT { <http://e/a> <http://e/b> 1 } WHERE { ?s ?p ?o }",
                                          "using-graph-uri": f"http://e/g> {{ }} ; LOAD <{recorder.url}l> ; INSERT {{ <a> <b> <c> }} USING <x"})
    assert r.status_code == 400 and error(r)["code"] == "malformed-graph-uri"
    assert recorder.hits == []


async def test_text_nothing_can_read_is_400_malformed_query():
    async with client() as c:
        r = await c.get("/sparql", params={"query": "SELECT \\u003Fx WHERE { }"})
    assert r.status_code == 400 and error(r)["code"] == "malformed-query" and "line 1, column 8" in error(r)["message"]


async def test_nesting_at_the_limit_runs_and_one_more_is_refused_with_the_limit_named():
    depth = DEFAULT_LIMITS.max_depth
    at = "SELECT * WHERE " + "{" * (depth - 1) + "?s ?p ?o" + "}" * (depth - 1)
    over = "SELECT * WHERE " + "{" * (depth + 1) + "?s ?p ?o" + "}" * (depth + 1)
    async with client() as c:
        ok = await c.get("/sparql", params={"query": at}, headers={"Accept": "application/sparql-results+json"})
        refused = await c.get("/sparql", params={"query": over})
    assert ok.status_code == 200
    assert refused.status_code == 400 and error(refused)["code"] == "query-too-complex"
    assert f"limit is {depth}" in error(refused)["message"] and "nesting depth" in error(refused)["message"]


CRASHERS = {
    "groups": "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000,
    "parens": "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "hidden parens": "SELECT * WHERE { ?s ?p ?o FILTER(?s<" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "subqueries": "SELECT * WHERE " + "{ SELECT * WHERE " * 3000 + "{ ?s ?p ?o }" + " }" * 3000,
    "not": "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 20000 + "true) }",
    "plus": "SELECT * WHERE { FILTER(" + "+".join(["1"] * 8000) + ") }",
    "and": "SELECT * WHERE { FILTER(" + "&&".join(["true"] * 10000) + ") }",
    "union": "SELECT * WHERE { " + " UNION ".join(["{}"] * 11000) + " }",
    "brackets": "SELECT * WHERE { ?s ?p " + "[ ?p " * 300 + "1" + " ]" * 300 + " }",
    "flat minus": "SELECT * WHERE { ?s ?p ?o " + " ".join("MINUS { ?s ?p ?o%d }" % i for i in range(3000)) + " }",
}

_CHILD = """
import asyncio, json, sys
import pyoxigraph as ox
from oirld.web import ServeSettings, create_app
import httpx
queries = json.loads(sys.stdin.read())
async def main():
    s = ox.Store()
    app = create_app(ServeSettings(allow_update=True), s)
    out = {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        for name, q in queries.items():
            r = await c.post("/sparql", data={"query": q})
            u = await c.post("/sparql", data={"update": "INSERT { <http://e/a> <http://e/b> 1 } WHERE " + q[q.index("{"):]})
            out[name] = [r.status_code, r.json()["error"]["code"], u.status_code, u.json()["error"]["code"]]
    print(json.dumps(out))
asyncio.run(main())
"""


def test_queries_that_crash_the_engine_get_400_not_a_crash():
    r = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps(CRASHERS), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"the app process died ({r.returncode}): {r.stderr[-2000:]}"
    answers = json.loads(r.stdout)
    for name in CRASHERS:
        assert answers[name] == [400, "query-too-complex", 400, "update-too-complex"], (name, answers[name])


def test_oirld_query_refuses_them_with_exit_2(tmp_path):
    folder = tmp_path / "store"
    s = ox.Store(str(folder))
    s.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    s.flush()
    del s
    for name in ("groups", "parens", "not", "union"):
        r = subprocess.run([sys.executable, "-m", "oirld", "query", "--store", str(folder), "-"], input=CRASHERS[name],
                           capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert r.returncode == 2, (name, r.returncode, r.stderr[-500:])
        assert "limit" in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = subprocess.run([sys.executable, "-m", "oirld", "query", "--store", str(folder), "SELECT ?o WHERE { ?s ?p ?o }"],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0 and "o" in r.stdout
