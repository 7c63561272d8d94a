"""The second line of defence against request forgery: a worker cannot reach the network even when a SERVICE or
LOAD gets past the guard (here the guard is bypassed: jobs go straight to the workers)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from oirld.web.sparql.backend import Backend
from oirld.web.sparql.isolation import probe_isolation
from oirld.web.sparql.workers import ProcessRunner, QueryJob, execute_job
from oirld.web.sparql.writer import WriteJob, apply

from ..conftest import asgi_client
from .recorder import SECRET

pytestmark = pytest.mark.anyio
JSON = "application/sparql-results+json"
needs_isolation = pytest.mark.skipif(not probe_isolation().available, reason=probe_isolation().describe())


@pytest.fixture
def store_dir(tmp_path):
    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("local")))
    store.flush()
    del store
    return str(path)


def service_job(url: str) -> QueryJob:
    return QueryJob(f"SELECT ?z WHERE {{ SERVICE <{url}> {{ ?s ?p ?z }} }}", "http://testserver/sparql",
                    {"use_default_graph_as_union": True}, [JSON], [])


def test_the_recorder_sees_an_unisolated_engine(recorder, store_dir):
    """The control: the same job run without isolation does reach the recorder (so the tests below can fail)."""
    outcome = execute_job(ox.Store.read_only(store_dir), service_job(recorder.url))
    assert outcome is not None and outcome.status == 200 and SECRET.encode() in outcome.body
    assert recorder.connections >= 1


@needs_isolation
async def test_an_isolated_worker_reaches_nothing(recorder, store_dir):
    runner = ProcessRunner(store_dir, workers=1, timeout=20, isolate=True)
    await runner.start()
    try:
        outcome = await runner.run(service_job(recorder.url))
        assert outcome.status != 200 and SECRET.encode() not in outcome.body
        assert SECRET not in outcome.message
        # the worker is still fine for ordinary queries
        ok = await runner.run(QueryJob("ASK { ?s ?p ?o }", "http://t/", {}, [JSON], []))
        assert ok.status == 200 and b"true" in ok.body
    finally:
        await runner.stop()
    assert recorder.connections == 0 and recorder.hits == []


@needs_isolation
@pytest.mark.parametrize("update", [
    "INSERT { ?s ?p ?x } WHERE { SERVICE <{url}> { ?s ?p ?x } }",
    "LOAD <{url}>",
    "LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>",
])
async def test_the_isolated_writer_reaches_nothing(recorder, store_dir, update):
    job = WriteJob("update", "http://t/sparql", text=update.replace("{url}", recorder.url))
    apply(ox.Store(), job)  # the control: in this (unisolated) process the same update reaches the recorder
    reached = recorder.connections
    assert reached >= 1
    backend = Backend(store_dir, updates=True, workers=1, timeout=20, prestart=False)
    try:
        outcome = await backend.write(job)
        assert SECRET not in outcome.message
        assert len(backend.view) == 1  # nothing came in
    finally:
        await backend.stop()
    assert recorder.connections == reached


@needs_isolation
async def test_with_federation_on_only_the_queries_the_guard_saw_service_in_get_the_network(recorder, store_dir):
    """Allowed endpoints are reachable (from the separate pool with network); the ordinary readers stay isolated,
    so a SERVICE the guard did not see still reaches nothing."""
    from oirld.web import ServeSettings, create_app

    backend = Backend(store_dir, workers=1, timeout=20, federation=True, prestart=False)
    app = create_app(ServeSettings(service_allowlist=(recorder.url,)), ox.Store.read_only(store_dir), backend)
    try:
        async with asgi_client(app, timeout=60) as c:
            r = await c.get("/sparql", params={"query": service_job(recorder.url).query}, headers={"Accept": JSON})
        assert r.status_code == 200 and r.json()["results"]["bindings"][0]["z"]["value"] == SECRET
        seen = recorder.connections
        outcome = await backend.query(service_job(recorder.url), service=False)  # what a guard miss would do
        assert outcome.status != 200 and recorder.connections == seen
    finally:
        await backend.stop()


async def test_the_service_description_states_the_isolation(store_dir):
    from oirld.web import ServeSettings, create_app

    app = create_app(ServeSettings(), ox.Store.read_only(store_dir), ProcessRunner(store_dir, workers=1, prestart=False))
    async with asgi_client(app) as c:
        r = await c.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "network isolation:" in r.text
    assert ("network isolation: on" in r.text) == probe_isolation().available


async def test_without_isolation_the_backend_says_so_and_federation_still_has_its_own_pool(recorder, store_dir):
    """Where the system forbids namespaces: the mode is stated (start-up line, service description), never silent."""
    from oirld.web.sparql.isolation import Isolation

    backend = Backend(store_dir, workers=2, federation=True, prestart=False, isolation=Isolation(False, "unshare: denied"))
    try:
        assert "network isolation: UNAVAILABLE (unshare: denied)" in backend.describe()
        assert not backend.readers.isolate and backend.federated is not None and backend.federated.size == 1
        outcome = await backend.query(service_job(recorder.url), service=True)
        assert outcome.status == 200 and recorder.connections >= 1  # the weaker mode: only the guard stands in the way
    finally:
        await backend.stop()
