"""oirld serve over a remote SPARQL server (--remote), and a running oirld serve following a new version, against
real servers on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest

from oirld.publish import publish_version, read_state
from oirld.remote import Credentials, RemoteClient
from oirld.store import open_store
from oirld.web import ServeSettings, create_app
from oirld.web.sparql.remotestore import RemoteBackend, RemoteStore

from .adversarial.recorder import Recorder
from .conftest import ROOT, asgi_client
from .sparql_servers import OXIGRAPH, free_port
from .test_publish import BASE, client_of, oxigraph, server, versions, virtuoso, wipe  # noqa: F401 (fixtures, one set per module)

pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the Oxigraph server is not installed (pip install oxigraph: the test extra)")

CLAIMS = ("PREFIX oirl: <https://w3id.org/oirld/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT ?c ?l ?o WHERE { ?c a oirl:Claim ; rdfs:label ?l ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o } ORDER BY ?c ?o")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def apps(server, version_dir: Path):
    """(embedded app, remote app) over the same version."""
    settings = dict(dataset_version=version_dir.name, ontology_path=str(ROOT / "ontology" / "oirld.ttl"), home=str(ROOT))
    local = create_app(ServeSettings(**settings), open_store(version_dir / "store"))
    remote_store = RemoteStore(client_of(server), BASE)
    return local, create_app(ServeSettings(**settings), remote_store, RemoteBackend(remote_store)), remote_store


def published(server, version_dir: Path, fresh: bool = True):
    """``version_dir`` alone on ``server`` (``fresh``: else whatever an earlier test published, if any): (client,
    embedded app, remote app, remote store)."""
    client = client_of(server)
    if fresh:
        wipe(client)
    if fresh or read_state(client, BASE).version is None:
        publish_version(version_dir, client)
    return (client, *apps(server, version_dir))


def triples_of(body: bytes, media: str, virtuoso: bool = False) -> set[str]:
    """``virtuoso``: forgive the two ways Virtuoso rewrites literals as it loads them (measured on 7.2.5): an
    integer past 32 bits comes back as xsd:decimal, a WKT point as virtrdf:Geometry with float precision."""
    out = set()
    for q in ox.parse(body, format=ox.RdfFormat.from_media_type(media)):
        o = q.object
        if virtuoso and isinstance(o, ox.Literal):
            kind = o.datatype.value.rsplit("#", 1)[-1]
            if kind in ("wktLiteral", "Geometry"):
                o = ox.Literal("a point")
            elif kind in ("integer", "decimal"):
                o = ox.Literal(str(Decimal(o.value).normalize()))
        out.add(str(ox.Triple(q.subject, q.predicate, o)))
    return out


@pytest.mark.anyio
async def test_remote_serves_what_the_embedded_store_serves(server, versions):
    client, local_app, remote_app, remote_store = published(server, versions.second)
    assert len(remote_store) == len(open_store(versions.second / "store"))  # the union: exactly the published data
    source = f"/doc/source/{versions.kept}"
    async with asgi_client(local_app) as local, asgi_client(remote_app) as remote:
        for path, headers in [(f"/sparql?query={quote(CLAIMS)}", {"Accept": "application/sparql-results+json"}),
                              (f"/sparql?query={quote(COUNT)}", {"Accept": "text/csv"}),
                              ('/reconcile?queries={"q0":{"query":"Iraq"},"q1":{"query":"United States"}}', {})]:
            a, b = await local.get(path, headers=headers), await remote.get(path, headers=headers)
            assert a.status_code == b.status_code == 200, path
            assert (json.loads(a.content) if "json" in a.headers["content-type"] else a.content) == \
                   (json.loads(b.content) if "json" in b.headers["content-type"] else b.content), path
        describe = f"DESCRIBE <{BASE}source/{versions.kept}>"
        for path in (f"{source}.ttl", f"/sparql?query={quote(describe)}", "/store?default"):
            a, b = await local.get(path, headers={"Accept": "text/turtle"}), await remote.get(path, headers={"Accept": "text/turtle"})
            assert a.status_code == b.status_code == 200, path
            if path.startswith("/sparql") and server.name == "virtuoso":  # DESCRIBE is the server's own: Virtuoso's
                assert triples_of(a.content, "text/turtle") <= triples_of(b.content, "text/turtle")  # adds incoming
                continue
            v = server.name == "virtuoso"
            assert triples_of(a.content, "text/turtle", v) == triples_of(b.content, "text/turtle", v), path
        a = await remote.get(f"/source/{versions.kept}", headers={"Accept": "text/html"})
        assert a.status_code == 303 and a.headers["location"].endswith(source)
        for path in ("/", "/disagreements", "/search?q=Iraq", source, "/doc/id/oir", "/sparql"):
            a, b = await local.get(path, headers={"Accept": "text/html"}), await remote.get(path, headers={"Accept": "text/html"})
            assert a.status_code == b.status_code == 200, path
        title = open_store(versions.second / "store").query(
            f"SELECT ?t WHERE {{ <{BASE}source/{versions.kept}> <http://www.w3.org/2000/01/rdf-schema#label> ?t }}")
        label = next(iter(title))["t"].value
        page = (await remote.get(source, headers={"Accept": "text/html"})).text
        assert label.replace("'", "&#39;").replace('"', "&#34;")[:40] in page or label[:40] in page
    client.close()


@pytest.mark.anyio
async def test_the_guard_still_refuses_service_and_the_client_never_reaches_the_remote(oxigraph, versions):
    client, _, app, _ = published(oxigraph, versions.second, fresh=False)
    recorder = Recorder()
    try:
        async with asgi_client(app) as c:
            query = f"SELECT * WHERE {{ SERVICE <{recorder.url}sparql> {{ ?s ?p ?o }} }}"
            r = await c.get(f"/sparql?query={quote(query)}")
            assert r.status_code == 403 and r.json()["error"]["code"] == "service-not-allowed"
            r = await c.post("/sparql", data={"update": "DROP ALL"})
            assert r.status_code == 403
            r = await c.get("/sparql", headers={"Accept": "text/turtle"})  # the service description names this server
            assert r.status_code == 200 and oxigraph.query.split("/")[2] not in r.text  # the remote's address stays ours
        assert recorder.connections == 0
    finally:
        recorder.close()
    client.close()


@pytest.mark.anyio
async def test_a_new_publication_on_the_remote_is_followed(oxigraph, versions):
    client, _, app, remote_store = published(oxigraph, versions.first)
    backend = app.state.backend
    q = f"/sparql?query={quote(COUNT)}"
    async with asgi_client(app) as c:
        first = await c.get(q, headers={"Accept": "text/csv"})
        assert first.text.split()[-1] == str(len(open_store(versions.first / "store")))
        assert await backend.check() is False  # nothing new yet
        publish_version(versions.second, client)
        assert await backend.check() is True
        second = await c.get(q, headers={"Accept": "text/csv"})
        assert second.text.split()[-1] == str(len(open_store(versions.second / "store")))
        assert first.headers["etag"] != second.headers["etag"]
        assert app.state.settings.dataset_version == versions.second.name
    client.close()


@pytest.mark.anyio
async def test_search_over_the_remote_follows_a_new_publication(oxigraph, versions):
    from .test_live_switch import _a_word_the_change_removed

    word = _a_word_the_change_removed(versions.first, versions.second)

    async def total(app) -> int:
        async with asgi_client(app) as c:
            r = await c.get("/search", params={"q": word, "kind": "claim", "format": "json"})
            return r.json()["total"]

    client, local_first, app, _ = published(oxigraph, versions.first)
    local_second = apps(oxigraph, versions.second)[0]
    expected = await total(local_first), await total(local_second)
    assert expected[0] != expected[1]
    assert await total(app) == expected[0]
    publish_version(versions.second, client)
    assert await app.state.backend.check() is True
    assert await total(app) == expected[1]  # the index is built anew from the new publication
    client.close()


def _serve(home: Path, out: Path, port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, OIRLD_HOME=str(home), OIRLD_OUT=str(out))
    return subprocess.Popen([sys.executable, "-m", "oirld", "serve", "--port", str(port), "--workers", "2", "--poll", "0.2",
                             "--timeout", "120"], cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "wb"))


def _point(out: Path, version: Path) -> None:
    """What a build does to publish: a new link, renamed over ``current`` in one step."""
    tmp = out / ".current.tmp"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(Path("versions") / version.name, tmp)
    os.replace(tmp, out / "current")


def test_a_running_server_switches_to_a_new_build_and_running_queries_finish_on_the_old(versions, tmp_path):
    out = tmp_path / "out"
    (out / "versions").mkdir(parents=True)
    for v in (versions.first, versions.second):
        os.symlink(v, out / "versions" / v.name)
    _point(out, versions.first)
    port = free_port()
    process = _serve(versions.home, out, port, tmp_path / "serve.log")
    url = f"http://127.0.0.1:{port}"
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?x a ?t }"

    def expected(version: Path, query: str) -> int:
        return int(next(iter(open_store(version / "store").query(query)))["n"].value)

    def count(http: httpx.Client, query: str = COUNT) -> tuple[int, int | None]:
        r = http.get(f"{url}/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=150)
        return r.status_code, int(r.text.split()[-1]) if r.status_code == 200 else None

    try:
        with httpx.Client(trust_env=False) as http:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if count(http)[0] == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.3)
            n1, n2 = len(open_store(versions.first / "store")), len(open_store(versions.second / "store"))
            assert n1 != n2 and count(http) == (200, n1)
            statuses: list[int] = []
            seen: list[int] = []
            in_flight: list[tuple[int, int | None]] = []
            stop = threading.Event()

            def hammer() -> None:
                with httpx.Client(trust_env=False) as h:
                    while not stop.is_set():
                        status, n = count(h)
                        statuses.append(status)
                        seen.append(n or -1)

            running = threading.Thread(target=lambda: in_flight.append(count(httpx.Client(trust_env=False), slow)))
            running.start()
            time.sleep(1.0)  # the long query is with its worker now
            pounding = threading.Thread(target=hammer)
            pounding.start()
            _point(out, versions.second)
            deadline = time.monotonic() + 60
            while (not seen or seen[-1] != n2) and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(0.5)
            stop.set()
            pounding.join(60)
            running.join(150)
            assert statuses and set(statuses) == {200}, "a request failed during the switch"
            assert seen[-1] == n2 and set(seen) <= {n1, n2}
            assert in_flight == [(200, expected(versions.first, slow))]  # finished on the version it started on
            assert versions.second.name in http.get(f"{url}/", headers={"Accept": "text/html"}).text
            void = http.get(f"{url}/.well-known/void", headers={"Accept": "text/turtle"}).text
            assert versions.second.name in void and versions.first.name not in void
    finally:
        process.terminate()
        process.wait(30)


def test_an_answer_begun_before_a_version_switch_is_not_cached_after_it():
    from oirld.web.cache import ResultCache

    cache = ResultCache(1 << 20)
    outcome = type("Outcome", (), {"body": b"old version's answer"})()
    epoch = cache.epoch  # the request starts
    cache.clear()  # the server switches to a new version meanwhile
    cache.put(("q",), outcome, epoch)  # the old answer arrives
    assert cache.get(("q",)) is None
    cache.put(("q",), outcome, cache.epoch)
    assert cache.get(("q",)) is outcome


@pytest.mark.anyio
async def test_a_remote_gone_away_is_a_502_in_the_one_error_shape(oxigraph, versions):
    client, _, app, remote_store = published(oxigraph, versions.second, fresh=False)
    remote_store.client.query_url = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there now
    async with asgi_client(app) as c:
        r = await c.get(f"/sparql?query={quote(COUNT)}")
    assert r.status_code == 502 and r.json()["error"]["code"] == "remote-unavailable"
    assert remote_store.client.query_url.split("/")[2] not in r.text
    client.close()
