"""Limits that protect the service: the timeout really stops a runaway query, and saturation gives 503."""

import asyncio
import os
import time
from contextlib import asynccontextmanager

import pyoxigraph as ox
import pytest

from oirld.web import ServeSettings, create_app
from oirld.web.sparql.workers import ProcessRunner

from .conftest import asgi_client

pytestmark = pytest.mark.anyio

# four-way cross product of 300 triples: 8.1e9 rows to count, far past any timeout here
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "ASK { ?s ?p ?o }"


@pytest.fixture
def store_dir(tmp_path):
    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i)))
                 for i in range(300))
    store.flush()
    del store
    return path


@asynccontextmanager
async def _client(store_dir, runner, **settings):
    """An in-process client over an app whose queries go to ``runner``, started and stopped around the test."""
    app = create_app(ServeSettings(**settings), ox.Store.read_only(str(store_dir)), runner)
    await runner.start()
    try:
        yield asgi_client(app, "http://t", timeout=60)
    finally:
        await runner.stop()


async def test_timeout_kills_the_worker_and_the_service_goes_on(store_dir):
    runner = ProcessRunner(str(store_dir), workers=1, timeout=1.0)
    async with _client(store_dir, runner, query_timeout=1.0) as c:
        pid = runner._all[0].process.pid
        started = time.monotonic()
        r = await c.get("/sparql", params={"query": RUNAWAY})
        assert r.status_code == 503 and r.json()["error"]["code"] == "timeout"
        assert time.monotonic() - started < 20
        # the worker that ran it is gone (the work stopped), a fresh one serves the next query
        await asyncio.sleep(0.2)
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert runner.restarts == 1
        r = await c.get("/sparql", params={"query": CHEAP}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200 and r.json()["boolean"] is True


async def test_saturated_service_answers_503_with_retry_after(store_dir):
    runner = ProcessRunner(str(store_dir), workers=1, timeout=3.0, queue_wait=0.3)
    async with _client(store_dir, runner, query_timeout=3.0) as c:
        slow = asyncio.create_task(c.get("/sparql", params={"query": RUNAWAY}))
        await asyncio.sleep(0.5)
        r = await c.get("/sparql", params={"query": CHEAP})
        assert r.status_code == 503 and r.json()["error"]["code"] == "busy" and r.headers["retry-after"] == "1"
        assert (await slow).status_code == 503


async def test_workers_answer_like_the_in_process_runner(store_dir):
    runner = ProcessRunner(str(store_dir), workers=2, timeout=10)
    async with _client(store_dir, runner) as c:
        r = await c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
        assert r.status_code == 200 and r.text.splitlines() == ["n", "300"]
        r = await c.get("/sparql", params={"query": "SELECT WHERE {"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "malformed-query"
        r = await c.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
        # a graph asked for with a results format falls back to Turtle, as common servers do (README)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")


async def test_graph_answers_stream_and_the_worker_returns_to_the_pool(store_dir):
    runner = ProcessRunner(str(store_dir), workers=1, timeout=10)
    async with _client(store_dir, runner) as c:
        chunks = []
        async with c.stream("GET", "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                            headers={"Accept": "application/n-triples", "Accept-Encoding": "identity"}) as r:
            assert r.status_code == 200 and "content-length" not in r.headers  # sent as it is made
            async for chunk in r.aiter_bytes():
                chunks.append(chunk)
        body = b"".join(chunks)
        assert body.count(b"\n") == 300
        assert r.headers["oirld-cache"] == "miss"
        # the same worker serves the next query: it was handed back after the stream ended
        assert runner.restarts == 0
        r = await c.get("/sparql", params={"query": CHEAP}, headers={"Accept": "application/sparql-results+json"})
        assert r.json()["boolean"] is True


async def test_in_memory_workers_answer_the_same(store_dir):
    runner = ProcessRunner(str(store_dir), workers=1, timeout=10, in_memory=True)
    async with _client(store_dir, runner) as c:
        r = await c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
        assert r.text.splitlines() == ["n", "300"]
