"""``oirld publish``: a published version onto an existing SPARQL server, graph by graph.

Why graphs and a manifest: the Graph Store Protocol replaces one graph per request and has no transaction over
several. So the version is cut into graphs (:mod:`oirld.partition`) and the server keeps, in the graph
``graph/publication``, which version it holds and the SHA-256 of every graph sent. Republishing compares digests
and sends only the graphs that differ, and removes the graphs the new version no longer has.

A failure half-way cannot be rolled back through the protocol, so it is made visible and repeatable instead: the
publication graph is first marked ``in-progress`` with every graph about to change listed as pending; it is marked
``complete`` only after the counts read back through the query endpoint match. A publish that stops in between
leaves the pending list on the server and says which graphs were sent; running the same command again sends every
pending graph (and whatever else differs), then completes. ``oirld serve --remote`` reports an incomplete
publication instead of hiding it.

What is compared: a build records each graph's digest and triple count in the version folder (``graphs.json``,
:mod:`oirld.graphrecord`), so a republish with nothing changed reads the publication graph and stops, and a changed
graph's body is made from the version's dump parts, not from the store. A version without that record (built by an
older oirld) has its store cut (:mod:`oirld.partition`) as before.

Memory: bodies are spooled to files and each is streamed from its file, so a publish holds at most the largest graph
(or, from the parts, the global part's lines), never the version. Two publishes to one server are kept apart by
:mod:`oirld.publock`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .errors import Location, RunError
from .graphrecord import cut_from_parts, read_record
from .partition import Partition, graph_iri, partition
from .publock import publish_lock
from .remote import RemoteClient
from .store import open_store

__all__ = ["PublishReport", "RemoteState", "publish_version", "read_state", "local_partition", "PUB", "publication_graph"]

#: the words of the publication graph (a small private vocabulary; documented in the README)
PUB = "https://w3id.org/oirld/publication#"


def publication_graph(base: str) -> str:
    return graph_iri(base, "publication")


@dataclass
class RemoteState:
    """What the server's publication graph says; ``version`` None: nothing published there yet."""

    version: str | None = None
    state: str | None = None
    digests: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)

    @property
    def graphs(self) -> list[str]:
        return sorted(set(self.digests) | self.pending)


@dataclass
class PublishReport:
    version: str
    previous: str | None
    sent: list[str]
    removed: list[str]
    unchanged: list[str]
    counts: dict[str, int]  # per graph, as the query endpoint counted them
    sent_bytes: int
    #: the version's store was cut to learn its graphs (it has no usable graphs.json)
    cut: bool = True


def _manifest_of(version_dir: Path) -> tuple[str, str, dict]:
    manifest_file = version_dir / "manifest.json"
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        return str(manifest["version"]), str(manifest["base_iri"]), manifest
    except (OSError, ValueError, KeyError) as exc:
        raise RunError(f"cannot read the version's manifest: {exc}", Location(manifest_file),
                       "give a version folder a build published (var/versions/VERSION)") from None


def _add_files(cut: Partition, version_dir: Path, base: str, manifest: dict, ontology: Path | None) -> None:
    """The graphs that are files of the version, not of its store: ``graph/description`` and ``graph/ontology``."""
    void = version_dir / "dumps" / "void.ttl"
    if void.is_file():
        cut.add(graph_iri(base, "description"),
                ox.parse(path=str(void), format=ox.RdfFormat.TURTLE, base_iri=void.resolve().as_uri()))
    recorded = {i.get("sha256") for i in manifest.get("inputs", []) if i.get("kind") == "ontology"}
    if ontology is not None and ontology.is_file() and hashlib.sha256(ontology.read_bytes()).hexdigest() in recorded:
        cut.add(graph_iri(base, "ontology"),
                ox.parse(path=str(ontology), format=ox.RdfFormat.TURTLE, base_iri=ontology.resolve().as_uri()))


def local_partition(version_dir: Path, ontology: Path | None = None, folder: Path | None = None) -> tuple[str, str, Partition]:
    """(version, base IRI, graphs) of a published version folder: its store cut into graphs, plus its dataset
    description (dumps/void.ttl) as ``graph/description`` and, when ``ontology`` is the very file the version was
    built with (same SHA-256 as its manifest records), the ontology as ``graph/ontology``. The graphs are spooled
    to files under ``folder`` (default: the system's temporary folder); close the partition to remove them."""
    version, base, manifest = _manifest_of(version_dir)
    cut = partition(open_store(version_dir / "store"), base, folder)
    _add_files(cut, version_dir, base, manifest, ontology)
    return version, base, cut


def read_state(client: RemoteClient, base: str) -> RemoteState:
    """The publication graph on the server (through the Graph Store when there is one, else the query endpoint)."""
    pub = publication_graph(base)
    if client.gsp_url:
        triples = client.get_graph(pub) or []
    else:
        rows = client.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{pub}> {{ ?s ?p ?o }} }}")
        triples = [ox.Triple(r["s"], r["p"], r["o"]) for r in rows]  # type: ignore[union-attr]
    out = RemoteState()
    for t in triples:
        p, o = t.predicate.value, t.object
        if p == PUB + "version":
            out.version = o.value
        elif p == PUB + "state":
            out.state = o.value
        elif p == PUB + "sha256":
            out.digests[t.subject.value] = o.value
        elif p == PUB + "triples":
            out.counts[t.subject.value] = int(o.value)
        elif p == PUB + "pending":
            out.pending.add(o.value if isinstance(o, ox.NamedNode) else str(o))
    return out


def _manifest(base: str, version: str, state: str, digests: dict[str, str], counts: dict[str, int],
              pending: set[str]) -> bytes:
    me = f"<{base}publication>"
    lines = [f'{me} <{PUB}version> {ox.Literal(version)} .', f'{me} <{PUB}state> {ox.Literal(state)} .']
    for g in sorted(digests):
        lines.append(f"{me} <{PUB}graph> <{g}> .")
        lines.append(f"<{g}> <{PUB}sha256> {ox.Literal(digests[g])} .")
        if g in counts:
            lines.append(f'<{g}> <{PUB}triples> "{counts[g]}"^^<http://www.w3.org/2001/XMLSchema#integer> .')
    lines += [f"{me} <{PUB}pending> <{g}> ." for g in sorted(pending)]
    return ("\n".join(lines) + "\n").encode("utf-8")


class _Bodies:
    """Where each graph's body comes from: one or more partitions (the version's files, the graphs made from its
    parts, or the cut of its store)."""

    def __init__(self, *cuts: Partition) -> None:
        self._of = {g: c for c in cuts for g in c.digests()}

    def open(self, graph: str) -> BinaryIO:
        return self._of[graph].open(graph)

    def size(self, graph: str) -> int:
        return self._of[graph].size(graph)


def publish_version(version_dir: Path, client: RemoteClient, progress=lambda message: None,
                    ontology: Path | None = None, break_lock: bool = False, lock_dir: Path | None = None,
                    folder: Path | None = None) -> PublishReport:
    """Send ``version_dir`` to the server, holding the publish lock (:mod:`oirld.publock`; ``lock_dir``: where this
    machine's lock files go); see the module docstring for what a failure leaves.

    The digests to compare come from the version's record of its graphs (:mod:`oirld.graphrecord`), so nothing is
    cut when nothing changed, and only the changed graphs are made, from the version's dump parts. A version without
    a record (an older build), or whose parts do not give the graphs it records, has its store cut as before."""
    version, base, manifest = _manifest_of(version_dir)
    record = read_record(version_dir, base)
    with Partition(folder) as files:
        _add_files(files, version_dir, base, manifest, ontology)
        with publish_lock(client, base, break_lock, lock_dir, progress):
            if record is not None:
                graphs = record["graphs"]
                wanted = {**{g: str(e["sha256"]) for g, e in graphs.items()}, **files.digests()}
                counts = {**{g: int(e["triples"]) for g, e in graphs.items()}, **files.counts()}
                remote = read_state(client, base)
                to_make = [g for g in _changed(wanted, remote) if g in graphs]
                made = cut_from_parts(version_dir, base, to_make, folder) if to_make else Partition(folder)
                if made is not None:
                    with made:
                        if all(wanted[g] == d and counts[g] == made.counts()[g] for g, d in made.digests().items()):
                            return _send(version, base, wanted, counts, _Bodies(made, files), remote, client, progress,
                                         cut=False)
                progress("the version's parts do not give the graphs its graphs.json records: cutting its store")
            else:
                progress("the version has no graphs.json (an older build): cutting its store")
            with partition(open_store(version_dir / "store"), base, folder) as cut:
                wanted, counts = {**cut.digests(), **files.digests()}, {**cut.counts(), **files.counts()}
                return _send(version, base, wanted, counts, _Bodies(cut, files), read_state(client, base), client,
                             progress, cut=True)


def _changed(wanted: dict[str, str], remote: RemoteState) -> list[str]:
    return sorted(g for g in wanted if remote.digests.get(g) != wanted[g] or g in remote.pending)


def _send(version: str, base: str, wanted: dict[str, str], counts: dict[str, int], bodies: _Bodies,
          remote: RemoteState, client: RemoteClient, progress, cut: bool) -> PublishReport:
    previous = remote.version
    changed = _changed(wanted, remote)
    removed = sorted(g for g in remote.graphs if g not in wanted)
    unchanged = sorted(g for g in wanted if g not in changed)
    pub = publication_graph(base)
    if changed or removed or remote.state != "complete" or previous != version:
        # before anything changes: say what is about to, so a stop half-way is seen and repeated
        keep = {g: d for g, d in remote.digests.items() if g not in changed and g not in removed}
        client.put_graph(pub, _manifest(base, version, "in-progress", keep, remote.counts, set(changed) | set(removed)))
    sent: list[str] = []
    sent_bytes = 0
    for g in changed:
        try:
            with bodies.open(g) as body:  # streamed from its file
                client.put_graph(g, body)
        except RunError as exc:
            raise _half_way(exc, version, previous, sent, changed[len(sent):], removed) from None
        sent.append(g)
        sent_bytes += bodies.size(g)
        progress(f"sent <{g}>: {counts[g]} triples")
    for g in removed:
        try:
            client.delete_graph(g)
        except RunError as exc:
            raise _half_way(exc, version, previous, sent, [], removed) from None
        progress(f"removed <{g}>")
    arrived = client.counts(sorted(wanted))
    wrong = {g: (counts[g], arrived.get(g, 0)) for g in wanted if arrived.get(g, 0) != counts[g]}
    if wrong:
        listed = "; ".join(f"<{g}> has {got} triples, {want} were sent" for g, (want, got) in sorted(wrong.items()))
        client.put_graph(pub, _manifest(base, version, "in-progress", {g: d for g, d in wanted.items() if g not in wrong},
                                        counts, set(wrong)))
        raise RunError(f"the server does not hold what was sent: {listed}", Location(client.query_url),
                       "the publication graph lists those graphs as pending; run the same oirld publish again to resend "
                       "them (if the counts still differ, the server changes the data as it loads it: check its log)")
    client.put_graph(pub, _manifest(base, version, "complete", wanted, counts, set()))
    return PublishReport(version, previous, sent, removed, unchanged, arrived, sent_bytes, cut)


def _half_way(exc: RunError, version: str, previous: str | None, sent: list[str], unsent: list[str],
              removed: list[str]) -> RunError:
    left = ", ".join(f"<{g}>" for g in unsent + removed) or "none"
    done = ", ".join(f"<{g}>" for g in sent) or "none"
    return RunError(f"{exc.what}; stopped half-way to version {version}: sent {done}; not yet sent or removed: {left}",
                    exc.where, f"the server now mixes version {version} with {previous or 'nothing'} and its publication "
                    "graph says so (state in-progress, with these graphs pending); fix the cause, then run the same "
                    "oirld publish again: it resends every pending graph and completes")
