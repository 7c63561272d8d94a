"""oirld publish against real servers on loopback (the Oxigraph server; Virtuoso Open Source where installed): the
layout (one graph per source, cut from the data), what arrives, only changed graphs resent, and a stop half-way
recorded on the remote and finished by running the command again."""

from __future__ import annotations

import http.server
import threading

import httpx
import pyoxigraph as ox
import pytest

from oirld.cli import main
from oirld.errors import RunError
from oirld.partition import graph_iri, partition
from oirld.publish import local_partition, publication_graph, publish_version, read_state
from oirld.remote import Credentials, RemoteClient
from oirld.store import open_store

from .sparql_servers import OXIGRAPH, VIRTUOSO, start_oxigraph, start_virtuoso, two_versions

BASE = "https://w3id.org/oirld/"
HAS_SOURCE = ox.NamedNode("http://www.w3.org/ns/oa#hasSource")

pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the Oxigraph server is not installed (pip install oxigraph: the test extra)")


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    return two_versions(tmp_path_factory.mktemp("two"))


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if VIRTUOSO is None:
        pytest.skip("Virtuoso is not installed (Debian virtuoso-opensource; bin/test installs it when run as root)")
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request):
    return request.getfixturevalue(request.param)


def client_of(server) -> RemoteClient:
    return RemoteClient(server.query, server.gsp, Credentials(server.user, server.password))


def wipe(client: RemoteClient) -> None:
    """Remove what an earlier test published (our graphs only: Virtuoso keeps its own graphs in the same store)."""
    state = read_state(client, BASE)
    for g in state.graphs + [publication_graph(BASE)]:
        client.delete_graph(g)


def store_lines(version_dir) -> set[str]:
    return {f"{ox.Triple(q.subject, q.predicate, q.object)} .\n" for q in open_store(version_dir / "store")}


def test_the_cut_holds_every_triple_once_and_each_source_has_its_graph(versions):
    store = open_store(versions.first / "store")
    cut = partition(store, BASE)
    lines = [line for graph in cut.graphs.values() for line in graph]
    assert len(lines) == len(set(lines)) == len(store)
    assert set(lines) == store_lines(versions.first)
    assert partition(reversed(list(store)), BASE).digests() == cut.digests()  # the order read does not matter
    for stem in (versions.kept, versions.changed):
        own = set(cut.graphs[graph_iri(BASE, f"source/{stem}")])
        source = ox.NamedNode(f"{BASE}source/{stem}")
        evidence = [q.subject for q in store.quads_for_pattern(None, HAS_SOURCE, source)]
        assert evidence
        for e in evidence:  # each passage, with its selectors, is in its article's graph
            for q in store.quads_for_pattern(e, None, None):
                assert f"{ox.Triple(q.subject, q.predicate, q.object)} .\n" in own


def test_a_one_article_change_changes_only_that_article_among_the_source_graphs(versions):
    first, second = local_partition(versions.first)[2].digests(), local_partition(versions.second)[2].digests()
    kept, changed = graph_iri(BASE, f"source/{versions.kept}"), graph_iri(BASE, f"source/{versions.changed}")
    assert first[kept] == second[kept]
    assert first[changed] != second[changed]


def test_publish_checks_counts_and_resends_only_what_changed(server, versions):
    client = client_of(server)
    wipe(client)
    _, _, cut1 = local_partition(versions.first)
    report = publish_version(versions.first, client)
    assert sorted(report.sent) == sorted(cut1.graphs) and report.previous is None
    assert report.counts == cut1.counts()
    assert client.counts(sorted(cut1.graphs)) == cut1.counts()  # read back independently of the report
    state = read_state(client, BASE)
    assert (state.version, state.state, state.pending) == (versions.first.name, "complete", set())
    assert state.digests == cut1.digests()

    assert publish_version(versions.first, client).sent == []  # nothing changed: nothing sent

    _, _, cut2 = local_partition(versions.second)
    report = publish_version(versions.second, client)
    differ = sorted(g for g in cut2.graphs if cut1.digests().get(g) != cut2.digests()[g])
    assert report.sent == differ
    assert graph_iri(BASE, f"source/{versions.changed}") in report.sent
    assert graph_iri(BASE, f"source/{versions.kept}") not in report.sent
    assert report.previous == versions.first.name
    assert client.counts(sorted(cut2.graphs)) == cut2.counts()
    assert read_state(client, BASE).version == versions.second.name
    client.close()


class FailingProxy:
    """A loopback proxy in front of a real Graph Store that answers 500 to the ``fail_at``-th PUT of a data graph."""

    def __init__(self, target: str, fail_at: int) -> None:
        puts = {"n": 0}

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if self.command == "PUT" and "publication" not in self.path and "lock" not in self.path:
                    puts["n"] += 1
                    if puts["n"] == fail_at:
                        self.send_response(500)
                        self.send_header("Content-Length", "12")
                        self.end_headers()
                        self.wfile.write(b"disk trouble")
                        return
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                r = httpx.request(self.command, target + self.path[len("/store"):], content=body, headers=headers, trust_env=False)
                self.send_response(r.status_code)
                for k in ("content-type",):
                    if k in r.headers:
                        self.send_header(k, r.headers[k])
                self.send_header("Content-Length", str(len(r.content)))
                self.end_headers()
                self.wfile.write(r.content)

            do_GET = do_PUT = do_DELETE = do_POST = _forward

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.gsp = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_stop_half_way_is_recorded_on_the_remote_and_the_same_command_finishes_it(oxigraph, versions):
    direct = client_of(oxigraph)
    wipe(direct)
    publish_version(versions.first, direct)
    proxy = FailingProxy(oxigraph.gsp, fail_at=2)
    try:
        with RemoteClient(oxigraph.query, proxy.gsp) as failing:
            with pytest.raises(RunError) as err:
                publish_version(versions.second, failing)
    finally:
        proxy.close()
    message = str(err.value)
    assert "stopped half-way" in message and "500" in message and "run the same oirld publish again" in message
    state = read_state(direct, BASE)
    assert state.state == "in-progress" and state.version == versions.second.name
    _, _, cut2 = local_partition(versions.second)
    differ = {g for g in cut2.graphs if local_partition(versions.first)[2].digests().get(g) != cut2.digests()[g]}
    assert differ <= state.pending  # every graph about to change is listed until the publication completes
    for g in sorted(state.pending)[1:]:  # the graphs not sent yet are named in the message
        if g not in message.split("not yet sent")[0]:
            assert f"<{g}>" in message
    report = publish_version(versions.second, direct)  # the same command again
    assert set(report.sent) >= differ
    state = read_state(direct, BASE)
    assert (state.state, state.pending, state.version) == ("complete", set(), versions.second.name)
    assert direct.counts(sorted(cut2.graphs)) == cut2.counts()
    direct.close()


def test_wrong_password_is_refused_with_exit_2(virtuoso, versions, capsys, monkeypatch):
    monkeypatch.setenv("OIRLD_HOME", str(versions.home))
    monkeypatch.setenv("OIRLD_OUT", str(versions.out))
    with pytest.raises(SystemExit) as exit_:
        main(["publish", "--gsp", virtuoso.gsp, "--query", virtuoso.query, "--user", "dba", "--password", "wrong"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "401" in err and "--user/--password" in err


def test_cli_prints_the_counts_and_exits_0_then_2_when_the_server_is_away(oxigraph, versions, capsys, monkeypatch):
    monkeypatch.setenv("OIRLD_HOME", str(versions.home))
    monkeypatch.setenv("OIRLD_OUT", str(versions.out))
    wipe(client_of(oxigraph))
    with pytest.raises(SystemExit) as exit_:
        main(["publish", "--gsp", oxigraph.gsp, "--version", versions.first.name, "-q"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    _, _, cut = local_partition(versions.first, versions.home / "ontology" / "oirld.ttl")
    assert graph_iri(BASE, "ontology") in cut.graphs  # the very ontology the version was built with goes too
    for g, n in cut.counts().items():
        assert f"{n:>8}  <{g}>" in out
    assert f"{sum(cut.counts().values()):>8}  in all" in out
    from .sparql_servers import free_port

    with pytest.raises(SystemExit) as exit_:
        main(["publish", "--gsp", f"http://127.0.0.1:{free_port()}/store", "-q"])
    assert exit_.value.code == 2 and "cannot reach" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["publish", "--gsp", oxigraph.gsp, "--version", "no-such-version"])
    assert exit_.value.code == 2 and "no version no-such-version" in capsys.readouterr().err
