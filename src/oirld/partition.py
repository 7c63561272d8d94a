"""A published version cut into named graphs, one per source plus a few cross-article ones.

Why: a remote SPARQL server is fed through the Graph Store Protocol, whose unit of replacement is a graph. With one
graph per article, republishing after one article changed replaces that article's graph (and the cross-article
graphs its change touched), nothing else.

The cut is read from the published data alone, never from the build's internals, so any build that publishes the
same data cuts the same way. Each triple goes to exactly one graph, decided by its subject's *root* (the IRI before
any ``#``: ``…/evidence/X#quote`` goes with ``…/evidence/X``):

* ``graph/build``: the build activity, what it used (``prov:used``), and every triple whose object is the build
  (``prov:wasGeneratedBy``), as those change on every build and would otherwise touch every other graph;
* ``graph/source/STEM``: a source (typed ``schema:NewsArticle``, or named by some ``oa:hasSource``) with its field
  records; each evidence passage whose ``oa:hasSource`` names that source alone; each claim all of whose evidence
  (``prov:wasDerivedFrom``) is from that source; and each value node (a quantity, a time) only such claims use;
* ``graph/claims``: claims with evidence from several sources (merged claims), the values they share, and the plain
  triples of best-ranked values (a triple ``s p o`` restating some claim's ``rdf:subject``/``predicate``/``object``);
* ``graph/disagreements``: disagreements, current values and wire stories (how the sources relate to each other);
* ``graph/registry``: entities (what carries a ``skos:prefLabel``);
* ``graph/dataset``: anything else, and every triple with a blank node (none are minted; a blank node sent in two
  requests would become two nodes).

Deterministic: graphs, and the lines inside each, are sorted; :func:`digest` is the SHA-256 of those lines.

Memory: the version is never held whole. First the few predicates that say what a node is (types, sources, evidence,
labels, what claims restate) are read through the store's predicate index into sets of node names (a few strings per
node, never per triple). Then one streaming pass over every triple (pyoxigraph iterates its on-disk indexes lazily)
writes each line to its graph's file in a private temporary folder, through buffers of bounded size (``SPOOL_BYTES``);
the lines of nodes only their users can place (value nodes: with the claims that use them) wait in one more file and
are placed after the pass. Each graph's file is then sorted (blank nodes named canonically) on its own, so the most
held at once is the largest graph plus the node index; the bodies go to the server from those files.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, Iterable

import pyoxigraph as ox

__all__ = ["Partition", "partition", "digest", "graph_iri", "lines_of", "CROSS_GRAPHS", "SPOOL_BYTES"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_OIRL = "https://w3id.org/oirld/ontology#"
_TYPE = _RDF + "type"
_HAS_SOURCE = "http://www.w3.org/ns/oa#hasSource"
_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
_USED = "http://www.w3.org/ns/prov#used"
_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
_ARTICLE = "https://schema.org/NewsArticle"
_BUILD_TYPES = {_OIRL + "Build"}
_RELATING = {_OIRL + "Disagreement", _OIRL + "CurrentValue", _OIRL + "WireStory"}
_PARTS = (_RDF + "subject", _RDF + "predicate", _RDF + "object")

#: the cross-article graphs, by local name (``graph/NAME`` under the base IRI); the data ones come first
CROSS_GRAPHS = ("claims", "disagreements", "registry", "build", "dataset")

#: most bytes of lines buffered in memory while the triples are spread over the graphs' files
SPOOL_BYTES = 8 << 20


def graph_iri(base: str, name: str) -> str:
    return f"{base}graph/{name}"


def digest(lines: Iterable[str]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
    return h.hexdigest()


def lines_of(triples: Iterable[ox.Triple | ox.Quad]) -> list[str]:
    """Sorted, distinct N-Triples lines; blank nodes renamed canonically (RDFC-1.0) first, so the same graph
    always gives the same lines (and digest) however its blank nodes were labelled when read."""
    plain = [ox.Triple(t.subject, t.predicate, t.object) for t in triples]
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in plain):
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in plain)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        plain = [ox.Triple(q.subject, q.predicate, q.object) for q in dataset]
    return sorted({f"{t} .\n" for t in plain})


def _read_lines(path: Path) -> list[str]:
    """A file's lines, each ending in ``\n``: split on ``\n`` alone, as N-Triples leaves U+2028, U+0085 and the
    like unescaped inside literals (``str.splitlines`` would cut a literal there)."""
    with open(path, encoding="utf-8", newline="\n") as fh:
        return list(fh)


class _Lines(Mapping[str, list[str]]):
    """A partition's graphs as lists of lines, read from their files only when asked (tests and small graphs)."""

    def __init__(self, owner: "Partition") -> None:
        self._owner = owner

    def __getitem__(self, graph: str) -> list[str]:
        return _read_lines(self._owner.path(graph))

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._owner._files))

    def __len__(self) -> int:
        return len(self._owner._files)


class Partition:
    """Named graphs, each a file of sorted N-Triples lines in a private temporary folder (removed by :meth:`close`,
    or when the object goes). ``graphs`` reads them as lists of lines; :meth:`open` streams one."""

    def __init__(self, folder: Path | None = None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="oirld-cut-", dir=folder)
        self.folder = Path(self._tmp.name)
        self._files: dict[str, Path] = {}
        self._named = 0
        self._digests: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self.graphs: Mapping[str, list[str]] = _Lines(self)
        #: the most lines one graph had while it was sorted (what memory is bounded by)
        self.largest = 0

    def __enter__(self) -> "Partition":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._tmp.cleanup()

    def _file(self, graph: str) -> Path:
        if graph not in self._files:
            self._named += 1
            self._files[graph] = self.folder / f"g{self._named:06d}.nt"
        return self._files[graph]

    def path(self, graph: str) -> Path:
        return self._files[graph]

    def digests(self) -> dict[str, str]:
        return {g: self._digests[g] for g in sorted(self._files)}

    def counts(self) -> dict[str, int]:
        return {g: self._counts[g] for g in sorted(self._files)}

    def size(self, graph: str) -> int:
        return self._files[graph].stat().st_size

    def body(self, graph: str) -> bytes:
        return self._files[graph].read_bytes()

    def open(self, graph: str) -> BinaryIO:
        return open(self._files[graph], "rb")

    def add(self, graph: str, triples: Iterable[ox.Triple | ox.Quad]) -> None:
        """A small extra graph (the dataset description, the ontology), replacing one of that name."""
        with open(self._file(graph), "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(lines_of(triples))
        self._seal(graph)

    def _seal(self, graph: str) -> None:
        """Sort one graph's file (distinct lines, blank nodes canonical): one graph in memory at a time."""
        path = self._files[graph]
        raw = _read_lines(path)
        if any("_:" in line for line in raw):
            lines = lines_of(ox.parse("".join(raw), format=ox.RdfFormat.N_TRIPLES))
        else:
            lines = sorted(set(raw))
        del raw
        self.largest = max(self.largest, len(lines))
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(lines)
        self._digests[graph], self._counts[graph] = digest(lines), len(lines)


class _Spool:
    """Lines appended to their graphs' files through buffers of at most ``limit`` bytes in all."""

    def __init__(self, cut: Partition, limit: int) -> None:
        self._cut, self._limit = cut, limit
        self._buffers: dict[str, list[str]] = defaultdict(list)
        self._bytes = 0

    def write(self, graph: str, line: str) -> None:
        self._buffers[graph].append(line)
        self._bytes += len(line)
        if self._bytes > self._limit:
            self.flush()

    def flush(self) -> None:
        for graph, lines in self._buffers.items():
            with open(self._cut._file(graph), "a", encoding="utf-8", newline="\n") as fh:
                fh.writelines(lines)
        self._buffers.clear()
        self._bytes = 0


def _root(term: object) -> str | None:
    return term.value.split("#", 1)[0] if isinstance(term, ox.NamedNode) else None


def _source_graph(base: str, source: str) -> str:
    prefix = f"{base}source/"
    tail = source[len(prefix):] if source.startswith(prefix) else ""
    if not tail or any(c in tail for c in "/#?%<>\"{}|\\^` "):
        tail = hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]
    return graph_iri(base, f"source/{tail}")


def _reader(triples: Iterable[ox.Triple | ox.Quad] | ox.Store, folder: Path) -> tuple[ox.Store, Callable[[], Iterator[ox.Quad]]]:
    """A store to read the triples from again and again (a given store's default graph; anything else is copied
    into an on-disk store in ``folder`` first, as a stream)."""
    if isinstance(triples, ox.Store):
        store = triples
    else:
        store = ox.Store(str(folder / "input"))
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        store.flush()

    def read() -> Iterator[ox.Quad]:
        return store.quads_for_pattern(None, None, None, ox.DefaultGraph())

    return store, read


def partition(triples: Iterable[ox.Triple | ox.Quad] | ox.Store, base: str, folder: Path | None = None,
              spool_bytes: int = SPOOL_BYTES) -> Partition:
    """Cut ``triples`` (a version's default graph: a store, read as streams, or any triples) into named graphs, each
    spooled to a file under ``folder`` (default: the system's temporary folder); see the module docstring."""
    cut = Partition(folder)
    store, read = _reader(triples, cut.folder)

    def having(predicate: str) -> Iterator[tuple[str, ox.Quad]]:  # through the store's predicate index
        for t in store.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.DefaultGraph()):
            s = _root(t.subject)
            if s is not None:
                yield s, t

    sources: set[str] = set()
    relating: set[str] = set()
    builds: set[str] = set()
    for s, t in having(_TYPE):  # pass 1: what each node is, from the few predicates that say it
        o = t.object.value if isinstance(t.object, ox.NamedNode) else None
        if o == _ARTICLE:
            sources.add(s)
        if o in _BUILD_TYPES:
            builds.add(s)
        if o in _RELATING:
            relating.add(s)
    has_source: dict[str, set[str]] = defaultdict(set)
    for s, t in having(_HAS_SOURCE):
        if isinstance(t.object, ox.NamedNode):
            has_source[s].add(t.object.value)
            sources.add(t.object.value)
    derived: dict[str, set[str]] = defaultdict(set)
    for s, t in having(_DERIVED):
        if isinstance(t.object, ox.NamedNode):
            derived[s].add(t.object.value)
    labelled = {s for s, _ in having(_PREF)}
    used_by_build = {t.object.value for s, t in having(_USED) if s in builds and isinstance(t.object, ox.NamedNode)}
    claim_parts: dict[str, dict[str, str]] = defaultdict(dict)
    for part in _PARTS:
        for s, t in having(part):
            if t.subject.value == s:
                claim_parts[s][part] = str(t.object)
    restated = {(parts[_PARTS[0]], parts[_PARTS[1]], parts[_PARTS[2]]) for parts in claim_parts.values() if len(parts) == 3}
    del claim_parts
    decided = sources | relating | builds | used_by_build | labelled | set(has_source) | set(derived)
    claims = set(derived)

    def owners(root: str) -> set[str]:
        if root in sources:
            return {root}
        if root in has_source:
            return set(has_source[root])
        if root in derived:
            return {s for e in derived[root] for s in (has_source.get(e.split("#", 1)[0]) or {"?"})}
        return set()

    place: dict[str, str] = {}

    def graph_of(root: str) -> str:
        """The graph of a decided node."""
        if root not in place:
            if root in builds or root in used_by_build:
                g = "build"
            elif root in relating:
                g = "disagreements"
            elif root in sources or root in has_source or root in derived:
                own = owners(root)
                g = _source_graph(base, next(iter(own))) if len(own) == 1 and "?" not in own else "claims"
            else:
                g = "registry"  # labelled
            place[root] = g if "/" in g else graph_iri(base, g)
        return place[root]

    build_graph, claims_graph, dataset_graph = (graph_iri(base, g) for g in ("build", "claims", "dataset"))
    not_a_value = ""  # pointed at by something other than a claim
    users: dict[str, str] = {}  # undecided node -> the graph of the claims pointing at it (or not_a_value)
    spool, later = _Spool(cut, spool_bytes), _Spool(cut, spool_bytes)
    for t in read():  # pass 2, the one over every triple: its line to its graph's file, or aside till pass 3
        triple = ox.Triple(t.subject, t.predicate, t.object)
        line = f"{triple} .\n"
        root, orr = _root(t.subject), _root(t.object)
        plain = restated and (line[:line.index(" ")], f"<{t.predicate.value}>", str(t.object)) in restated
        if orr is not None and orr not in decided and root is not None and orr != root and not plain:
            seen = users.get(orr)
            if seen != not_a_value:
                g = graph_of(root) if root in claims else not_a_value
                users[orr] = g if seen is None or seen == g or g == not_a_value else claims_graph
        if orr in builds:
            spool.write(build_graph, line)
        elif plain:
            spool.write(claims_graph, line)
        elif root is None or isinstance(t.object, ox.BlankNode):
            spool.write(dataset_graph, line)  # blank nodes (none are minted) must arrive in one request to stay the same nodes
        elif root in decided:
            spool.write(graph_of(root), line)
        else:
            later.write("", f"{root}\t{line}")
    spool.flush()
    later.flush()
    del store
    aside = cut._files.pop("", None)
    if aside is not None:  # pass 3: the nodes placed by who points at them (values go with their claims)
        with open(aside, encoding="utf-8", newline="\n") as fh:
            for entry in fh:
                root, line = entry.split("\t", 1)
                spool.write(users.get(root) or dataset_graph, line)
        spool.flush()
        aside.unlink()
    for g in sorted(cut._files):
        cut._seal(g)
    return cut
