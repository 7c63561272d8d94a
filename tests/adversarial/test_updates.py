"""An update-enabled server: timeouts really stop queries and updates, a killed update changes nothing, and the
server's own reads (pages, Graph Store GET) follow every committed write."""

from __future__ import annotations

import asyncio
import os
from contextlib import asynccontextmanager

import pyoxigraph as ox
import pytest

from oirld.web import ServeSettings, create_app
from oirld.web.sparql.backend import Backend

from ..conftest import asgi_client
from ..test_limits import RUNAWAY, store_dir  # noqa: F401  (a fixture)

pytestmark = pytest.mark.anyio
JSON = {"Accept": "application/sparql-results+json"}
RUNAWAY_UPDATE = "INSERT { ?a <http://example.org/q> ?c } WHERE { ?a ?b ?x . ?y ?z ?c . ?u ?v ?w }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def store(store_dir) -> str:  # store_dir: 300 triples, from test_limits
    return str(store_dir)


@asynccontextmanager
async def server(store_dir: str, workers: int = 2, timeout: float = 1.5):
    """An update-enabled app in process, its backend started and stopped around the test."""
    backend = Backend(store_dir, updates=True, workers=workers, timeout=timeout, queue_wait=1.0)
    app = create_app(ServeSettings(allow_update=True, query_timeout=timeout), ox.Store.read_only(store_dir), backend)
    await backend.start()
    try:
        async with asgi_client(app, "http://t", timeout=120) as c:
            yield backend, c
    finally:
        await backend.stop()


async def count(c) -> int:
    r = await c.get("/sparql", params={"query": COUNT}, headers=JSON)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


async def test_timed_out_queries_do_not_leave_the_server_busy(store):
    """Regression (issue 9 item 4): with updates on, timed-out queries kept their threads; after a few, 503 busy."""
    async with server(store, workers=2) as (backend, c):
        for _ in range(backend.readers.size + 2):
            r = await c.get("/sparql", params={"query": RUNAWAY}, headers=JSON)
            assert r.status_code == 503 and r.json()["error"]["code"] == "timeout"
        assert backend.readers.restarts == backend.readers.size + 2
        assert await count(c) == 300
        # at the same time, too: every worker stuck at once, then free again
        stuck = await asyncio.gather(*(c.get("/sparql", params={"query": RUNAWAY}) for _ in range(backend.readers.size)))
        assert {r.json()["error"]["code"] for r in stuck} <= {"timeout", "busy"}
        assert await count(c) == 300


async def test_a_timed_out_update_is_stopped_and_changes_nothing(store):
    async with server(store) as (backend, c):
        r = await c.post("/sparql", data={"update": RUNAWAY_UPDATE})
        assert r.status_code == 503 and r.json()["error"]["code"] == "timeout"
        assert "stopped" in r.json()["error"]["message"]
        first = backend.writer.restarts
        assert first == 1 and backend.writer.pid is None  # killed, not left running
        assert await count(c) == 300  # nothing of the killed update came through
        # the next update gets a fresh writer and is seen by queries and by the Graph Store GET
        r = await c.post("/sparql", data={"update": 'INSERT DATA { <http://example.org/new> <http://example.org/p> "n" }'})
        assert r.status_code == 204
        assert await count(c) == 301
        r = await c.get("/store", params={"default": ""}, headers={"Accept": "application/n-triples"})
        assert b"<http://example.org/new>" in r.content


async def test_timed_out_updates_do_not_leave_the_server_busy(store):
    async with server(store) as (backend, c):
        for _ in range(3):
            r = await c.post("/sparql", data={"update": RUNAWAY_UPDATE})
            assert r.status_code == 503 and r.json()["error"]["code"] == "timeout"
        r = await c.put("/store", params={"graph": "http://example.org/g"}, content=b"<http://x> <http://y> <http://z> .",
                        headers={"Content-Type": "application/n-triples"})
        assert r.status_code == 201
        assert await count(c) == 301


async def test_an_update_that_crashes_the_engine_kills_only_the_writer(store):
    """Deep nesting overflows the engine parser's stack (a segfault): the writer dies, the server goes on. Sent to
    the writer directly: the guard in front may refuse such nesting, this is the line behind it."""
    from oirld.web.sparql.writer import WriteJob

    crash = "INSERT { <http://x> <http://y> <http://z> } WHERE " + "{" * 20_000 + "}" * 20_000
    async with server(store, timeout=30) as (backend, c):
        outcome = await backend.write(WriteJob("update", "http://t/sparql", text=crash))
        assert (outcome.status, outcome.code) == (500, "worker-died"), outcome.message
        assert backend.writer.restarts == 1
        assert await count(c) == 300
        r = await c.post("/sparql", data={"update": "CLEAR DEFAULT"})
        assert r.status_code == 204 and await count(c) == 0


async def test_old_generations_are_removed_and_no_query_runs_in_the_server(store):
    async with server(store) as (backend, c):
        for i in range(5):
            r = await c.post("/sparql", data={"update": f'INSERT DATA {{ <http://example.org/n{i}> <http://example.org/p> "{i}" }}'})
            assert r.status_code == 204
            assert await count(c) == 301 + i
        workers = {w.process.pid for w in backend.readers._all}
        assert workers and os.getpid() not in workers
        # only generations some process may still read are kept: the newest, and those the readers have open
        kept = sorted(p.name for p in backend._work.glob("generation-*"))
        assert len(kept) <= 1 + backend.readers.size + 1 and kept[-1] == os.path.basename(backend.location)


def test_a_put_is_one_update_that_keeps_every_term_as_sent():
    """A Graph Store PUT is written as one SPARQL Update (so a killed writer leaves the old graph whole); the terms
    must survive that round trip: escapes, languages with direction, datatypes, blank nodes, odd IRIs, triple terms."""
    from oirld.web.sparql.writer import WriteJob, apply

    body = b'''@prefix ex: <http://example.org/> .
ex:a ex:p "quote \\" newline \\n backslash \\\\ tab \\t", "\\u00e9 \\U0001F600"@fr, "3"^^<http://www.w3.org/2001/XMLSchema#integer>,
    "rtl"@ar--rtl ; ex:q [ ex:r "inner" ; ex:s [ ex:t "deep" ] ] ; ex:r <<( ex:s1 ex:p1 ex:o1 )>> .
_:x ex:self _:x .
<http://example.org/odd%20iri?x=1#frag> ex:p "x" .
'''
    g = ox.NamedNode("http://example.org/g")
    store = ox.Store()
    store.add(ox.Quad(g, g, ox.Literal("old"), g))
    assert apply(store, WriteJob("put", "http://t/", graph=g.value, body=body, media_type="text/turtle")).status == 204
    expected = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(body, format=ox.RdfFormat.TURTLE))
    got = ox.Dataset(store)
    for d in (expected, got):
        d.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert got == expected


async def test_reconciliation_sees_what_was_written(store):
    """Regression: the reconciler read its candidates once, so with updates enabled a renamed or new entity was not
    found (pages already re-read their labels after a write)."""
    skos = "http://www.w3.org/2004/02/skos/core#"
    add = f"""INSERT DATA {{ <https://w3id.org/oirld/id/bashur> <{skos}prefLabel> "Bashur Airfield"@en ;
                             a <https://w3id.org/oirld/ontology#Place> }}"""
    async with server(store, timeout=30) as (backend, c):
        before = await c.get("/reconcile", params={"queries": '{"q0": {"query": "Bashur Airfield"}}'})
        assert before.status_code == 200 and before.json()["q0"]["result"] == []
        assert (await c.post("/sparql", data={"update": add})).status_code == 204
        after = await c.get("/reconcile", params={"queries": '{"q0": {"query": "Bashur Airfield"}}'})
        best = after.json()["q0"]["result"][0]
        assert best["id"] == "bashur" and best["match"] is True
