"""oirld publish from the version's record of its graphs (graphs.json, oirld.graphrecord), against a real Oxigraph
server on loopback: the record equals the cut of the store; a republish with nothing changed cuts nothing and sends
nothing; a one-article change sends exactly the changed graphs, made from the dump parts, and leaves the server as a
publish from scratch would; a version without the record (an older build) still publishes, by the cut."""

from __future__ import annotations

import json
import shutil

import pytest

import oirld.publish
from oirld.dumpparts import part_ntriples, read_parts
from oirld.graphrecord import GRAPHS_FILE, read_record, record_graphs
from oirld.partition import graph_iri, partition
from oirld.publish import local_partition, publish_version, read_state
from oirld.remote import RemoteClient
from oirld.store import open_store

from .sparql_servers import OXIGRAPH
from .test_publish import BASE, oxigraph, versions, wipe  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the Oxigraph server is not installed (pip install oxigraph: the test extra)")


@pytest.fixture
def client(oxigraph):
    with RemoteClient(oxigraph.query, oxigraph.gsp) as c:
        wipe(c)
        yield c


class StoredPart:
    """An article's part read back from a version's N-Triples dump, as the build holds it."""

    def __init__(self, version, stem: str, p: dict) -> None:
        self.stem, self.digest, self.triples = stem, p["digest"], p["triples"]
        self.chunk = part_ntriples(version, p["nt"])


def parts_of(version) -> tuple[bytes, list[StoredPart]]:
    parts = read_parts(version)
    return (part_ntriples(version, parts["global"]["nt"]),
            [StoredPart(version, s, p) for s, p in sorted(parts["articles"].items())])


def no_cut(monkeypatch, parts_too: bool = False) -> None:
    """Make cutting the store (and, with ``parts_too``, making graphs from the parts) fail the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the store was cut")

    monkeypatch.setattr(oirld.publish, "partition", refuse)
    if parts_too:
        monkeypatch.setattr(oirld.publish, "cut_from_parts", refuse)


def quads(client: RemoteClient) -> set[tuple[str, ...]]:
    rows = client.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {tuple(str(r[v]) for v in ("g", "s", "p", "o")) for r in rows}  # type: ignore[union-attr]


def test_the_record_of_each_version_equals_the_cut_of_its_store(versions):
    for folder in (versions.first, versions.second):
        record = read_record(folder, BASE)
        assert record is not None
        cut = partition(open_store(folder / "store"), BASE)
        assert {g: e["sha256"] for g, e in record["graphs"].items()} == cut.digests()
        assert {g: e["triples"] for g, e in record["graphs"].items()} == cut.counts()
    kept = graph_iri(BASE, f"source/{versions.kept}")
    first, second = (read_record(f, BASE)["graphs"] for f in (versions.first, versions.second))
    assert first[kept] == second[kept]


def test_a_republish_with_nothing_changed_cuts_nothing_and_sends_nothing(client, versions, monkeypatch):
    publish_version(versions.first, client)
    no_cut(monkeypatch, parts_too=True)
    report = publish_version(versions.first, client)
    assert (report.sent, report.removed, report.cut) == ([], [], False)
    state = read_state(client, BASE)
    assert (state.state, state.version, state.pending) == ("complete", versions.first.name, set())


def test_a_one_article_change_sends_the_changed_graphs_and_leaves_what_a_fresh_publish_leaves(client, versions, monkeypatch):
    publish_version(versions.first, client)
    truth1, truth2 = (local_partition(v)[2].digests() for v in (versions.first, versions.second))
    with monkeypatch.context() as patched:
        no_cut(patched)
        report = publish_version(versions.second, client)
    assert report.cut is False
    assert report.sent == sorted(g for g in truth2 if truth1.get(g) != truth2[g])
    assert graph_iri(BASE, f"source/{versions.changed}") in report.sent
    assert graph_iri(BASE, f"source/{versions.kept}") not in report.sent
    assert read_state(client, BASE).digests == truth2
    incremental = quads(client)
    wipe(client)
    publish_version(versions.second, client)
    assert quads(client) == incremental


def test_a_version_without_the_record_still_publishes_by_cutting_its_store(client, versions, tmp_path):
    publish_version(versions.first, client)
    old = tmp_path / versions.second.name
    shutil.copytree(versions.second, old)
    (old / GRAPHS_FILE).unlink()
    report = publish_version(old, client)
    truth1, truth2 = (local_partition(v)[2].digests() for v in (versions.first, versions.second))
    assert report.cut is True
    assert report.sent == sorted(g for g in truth2 if truth1.get(g) != truth2[g])
    assert read_state(client, BASE).digests == truth2


def test_a_record_that_does_not_match_the_parts_is_not_trusted(client, versions, tmp_path):
    """A changed graph made from the parts must have the recorded digest; otherwise the store is cut after all."""
    publish_version(versions.first, client)
    odd = tmp_path / versions.second.name
    shutil.copytree(versions.second, odd)
    data = json.loads((odd / GRAPHS_FILE).read_text(encoding="utf-8"))
    changed = graph_iri(BASE, f"source/{versions.changed}")
    data["graphs"][changed]["sha256"] = "0" * 64
    (odd / GRAPHS_FILE).write_text(json.dumps(data), encoding="utf-8")
    report = publish_version(odd, client)
    assert report.cut is True and changed in report.sent
    assert read_state(client, BASE).digests == local_partition(versions.second)[2].digests()


def test_an_article_with_a_blank_node_gets_no_record(tmp_path):
    """The record covers what the checks cover; anything else leaves the publish to the cut."""
    class Part:
        stem, digest, triples = "a", "d", 2
        chunk = (f"<{BASE}source/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/NewsArticle> .\n"
                 f"<{BASE}source/a> <https://schema.org/author> _:someone .\n").encode()

    assert record_graphs(tmp_path, BASE, b"", [Part()]) is False
    assert not (tmp_path / GRAPHS_FILE).exists()
    Part.chunk = Part.chunk.split(b"\n")[0] + b"\n"
    Part.triples = 1
    assert record_graphs(tmp_path, BASE, b"", [Part()]) is True
    assert read_record(tmp_path, BASE)["graphs"][graph_iri(BASE, "source/a")]["triples"] == 1


def test_a_rebuild_keeps_the_previous_digest_of_a_source_graph_it_need_not_read(versions, tmp_path):
    """The record is cheap because an unchanged article's graph is not read again: its digest is carried over from
    the previous version's record (shown by planting a digest there that no data has)."""
    previous = tmp_path / "previous"
    previous.mkdir()
    data = json.loads((versions.first / GRAPHS_FILE).read_text(encoding="utf-8"))
    kept, changed = (graph_iri(BASE, f"source/{s}") for s in (versions.kept, versions.changed))
    data["graphs"][kept]["sha256"] = data["graphs"][changed]["sha256"] = "f" * 64
    (previous / GRAPHS_FILE).write_text(json.dumps(data), encoding="utf-8")
    new = tmp_path / "new"
    new.mkdir()
    assert record_graphs(new, BASE, *parts_of(versions.second), previous)
    graphs = read_record(new, BASE)["graphs"]
    assert graphs[kept]["sha256"] == "f" * 64  # carried over, not read
    assert graphs[changed]["sha256"] == read_record(versions.second, BASE)["graphs"][changed]["sha256"]


def test_a_damaged_previous_record_is_ignored_not_fatal(versions, tmp_path):
    """A rebuild must not fail on the previous version's record: one that does not read is not used."""
    previous = tmp_path / "previous"
    previous.mkdir()
    data = json.loads((versions.first / GRAPHS_FILE).read_text(encoding="utf-8"))
    for facts in data["articles"].values():
        del facts["passages"]
    (previous / GRAPHS_FILE).write_text(json.dumps(data), encoding="utf-8")
    new = tmp_path / "new"
    new.mkdir()
    assert record_graphs(new, BASE, *parts_of(versions.first), previous)
    assert read_record(new, BASE)["graphs"] == read_record(versions.first, BASE)["graphs"]
