"""Crash containment: a query that crashes the engine (deep nesting overflows its parser's stack: a segfault)
kills only its worker, which is replaced; the server stays up, with or without updates."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pyoxigraph as ox
import pytest

from oirld.web.sparql.workers import ProcessRunner, QueryJob

from ..test_server import OIRLD, free_port, wait_for

JSON = "application/sparql-results+json"
# 20,000 nested groups: pyoxigraph 0.5.13 segfaults on this (from about 5,000 in a main thread)
CRASH = "SELECT * WHERE " + "{" * 20_000 + "?s ?p ?o" + "}" * 20_000
CRASH_UPDATE = "INSERT { <http://x> <http://y> <http://z> } WHERE " + "{" * 20_000 + "}" * 20_000
CHEAP = "SELECT ?o WHERE { ?s ?p ?o }"


def test_the_crash_query_really_crashes_the_engine(tmp_path):
    """The control: run in a process of its own, the query kills it with a signal (so the tests below can fail)."""
    code = f"import pyoxigraph as ox; list(ox.Store().query({CRASH!r}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert done.returncode < 0  # killed by a signal (SIGSEGV), not a Python exception


@pytest.mark.anyio
async def test_a_crashing_query_kills_only_its_worker(tmp_path):
    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("x")))
    store.flush()
    del store
    runner = ProcessRunner(str(path), workers=1, timeout=60)
    await runner.start()
    try:
        outcome = await runner.run(QueryJob(CRASH, "http://t/", {}, [JSON], []))  # the guard bypassed
        assert outcome.status == 500 and outcome.code == "worker-died"
        assert runner.restarts == 1
        outcome = await runner.run(QueryJob(CHEAP, "http://t/", {}, [JSON], []))
        assert outcome.status == 200 and b'"x"' in outcome.body
    finally:
        await runner.stop()


@pytest.mark.parametrize("updates", [True, False], ids=["update-token", "read-only"])
def test_a_real_server_survives_queries_and_updates_that_crash_the_engine(tmp_path, updates):
    data = tmp_path / "data.ttl"
    data.write_text('<http://example.org/a> <http://example.org/p> "hello" .\n')
    port = free_port()
    args = ["--update-token", "T"] if updates else []
    proc = subprocess.Popen([*OIRLD, "serve", str(data), *args, "--workers", "1", "--port", str(port)],
                            stderr=subprocess.PIPE, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_for(url, proc, 60)
        for _ in range(2):
            r = httpx.post(url, data={"query": CRASH}, headers={"Accept": JSON}, timeout=120)
            # the guard may refuse it before the engine sees it (400/413); if not, only a worker dies
            assert r.status_code in (400, 413, 500) and set(r.json()) == {"error"}
            if r.status_code == 500:
                assert r.json()["error"]["code"] == "worker-died"
            if updates:
                r = httpx.post(url, data={"update": CRASH_UPDATE}, headers={"Authorization": "Bearer T"}, timeout=120)
                assert r.status_code in (400, 413, 500) and set(r.json()) == {"error"}
            assert proc.poll() is None
            r = httpx.get(url, params={"query": CHEAP}, headers={"Accept": JSON}, timeout=60)
            assert r.status_code == 200 and r.json()["results"]["bindings"][0]["o"]["value"] == "hello"
        if updates:
            r = httpx.post(url, data={"update": 'INSERT DATA { <http://example.org/b> <http://example.org/p> "new" }'},
                           headers={"Authorization": "Bearer T"}, timeout=60)
            assert r.status_code == 204
            r = httpx.get(url, params={"query": "ASK { ?s ?p \"new\" }"}, headers={"Accept": JSON}, timeout=60)
            assert r.json()["boolean"] is True
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert b"network isolation:" in err  # the start-up line says whether workers are cut off the network
