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
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, Iterable

import pyoxigraph as ox

__all__ = ["Partition", "partition", "digest", "graph_iri", "lines_of", "sealed", "term_root", "source_graph", "Layout",
           "DEFINING", "MARKING_TYPES", "CROSS_GRAPHS", "SPOOL_BYTES"]

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
#: the predicates that say what a node is: the first pass reads only these
DEFINING = (_TYPE, _HAS_SOURCE, _DERIVED, _PREF, _USED) + _PARTS
#: the classes whose ``rdf:type`` the layout reads (a source, a build, what relates sources' claims)
MARKING_TYPES = frozenset({_ARTICLE} | _BUILD_TYPES | _RELATING)

#: the cross-article graphs, by local name (``graph/NAME`` under the base IRI); the data ones come first
CROSS_GRAPHS = ("claims", "disagreements", "registry", "build", "dataset")

#: most bytes of lines buffered in memory while the triples are spread over the graphs' files
SPOOL_BYTES = 8 << 20


def graph_iri(base: str, name: str) -> str:
    return f"{base}graph/{name}"


def digest(lines: Iterable[str]) -> str:
    h = hashlib.sha256()
    batch: list[str] = []
    for line in lines:  # hashed a few thousand lines at a time: one call per line cost more than the hashing
        batch.append(line)
        if len(batch) == 4096:
            h.update("".join(batch).encode("utf-8"))
            batch.clear()
    h.update("".join(batch).encode("utf-8"))
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


def sealed(raw: list[str]) -> list[str]:
    """A graph's lines as published and digested, from its lines in any order: distinct and sorted, blank nodes
    named canonically."""
    if any("_:" in line for line in raw) if len(raw) < 64 else "_:" in "".join(raw):
        return lines_of(ox.parse("".join(raw), format=ox.RdfFormat.N_TRIPLES))
    return sorted(set(raw))


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
        self.add_lines(graph, lines_of(triples))

    def add_lines(self, graph: str, lines: Iterable[str]) -> None:
        """A graph from its N-Triples lines (as pyoxigraph writes them, any order), replacing one of that name."""
        with open(self._file(graph), "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(lines)
        self._seal(graph)

    def _seal(self, graph: str) -> None:
        """Sort one graph's file (distinct lines, blank nodes canonical): one graph in memory at a time."""
        path = self._files[graph]
        lines = sealed(_read_lines(path))
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


def term_root(text: str) -> str | None:
    """The root of a term written as N-Triples: an IRI's value before any ``#``; None for a blank node or literal."""
    return text[1:-1].split("#", 1)[0] if text.startswith("<") else None


_ODD = re.compile(r'[/#?%<>"{}|\\^` ]')


def source_graph(base: str, source: str) -> str:
    prefix = f"{base}source/"
    tail = source[len(prefix):] if source.startswith(prefix) else ""
    if not tail or _ODD.search(tail):
        tail = hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]
    return graph_iri(base, f"source/{tail}")


_NOT_A_VALUE = ""  # a node pointed at by something other than a claim


class Layout:
    """Where each triple goes (the rules of the module docstring), from what the defining predicates say of the
    nodes. Why a class: the store's cut and the build's record of its graphs (:mod:`oirld.graphrecord`) must place
    every triple alike, so both feed the same rules: :meth:`learn` each triple of a ``DEFINING`` predicate, then
    :meth:`seal`, then :meth:`place` every line; a line it cannot place yet (a node placed by who points at it) is
    placed by :meth:`settle` once every line was seen."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.sources: set[str] = set()
        self.relating: set[str] = set()
        self.builds: set[str] = set()
        self.has_source: dict[str, set[str]] = defaultdict(set)
        self.derived: dict[str, set[str]] = defaultdict(set)
        self.labelled: set[str] = set()
        self.used_by_build: set[str] = set()
        self.restated: set[tuple[str, str, str]] = set()
        self.decided: set[str] = set()
        self._used: list[tuple[str, str]] = []
        self._parts: dict[str, dict[str, str]] = defaultdict(dict)
        self._place: dict[str, str] = {}
        self._users: dict[str, str] = {}
        self._homes: dict[str, str] = {}  # source -> its graph
        #: when a list, every :meth:`point` made is appended to it (a cached placement replays them)
        self.trail: list[tuple[str, str]] | None = None
        self.build_graph, self.claims_graph, self.dataset_graph = (graph_iri(base, g) for g in ("build", "claims", "dataset"))

    def learn(self, subject: str, predicate: str, obj: str) -> None:
        """One triple of a ``DEFINING`` predicate: ``predicate`` an IRI's value, the two terms as N-Triples."""
        s = term_root(subject)
        if s is None:
            return
        o = obj[1:-1] if obj.startswith("<") else None
        if predicate == _TYPE:
            if o == _ARTICLE:
                self.sources.add(s)
            if o in _BUILD_TYPES:
                self.builds.add(s)
            if o in _RELATING:
                self.relating.add(s)
        elif predicate == _HAS_SOURCE and o is not None:
            self.has_source[s].add(o)
            self.sources.add(o)
        elif predicate == _DERIVED and o is not None:
            self.derived[s].add(o)
        elif predicate == _PREF:
            self.labelled.add(s)
        elif predicate == _USED and o is not None:
            self._used.append((s, o))
        elif predicate in _PARTS and subject[1:-1] == s:
            self._parts[s][predicate] = obj

    @property
    def used(self) -> list[tuple[str, str]]:
        """Each ``prov:used`` learnt: (its subject's root, its object)."""
        return self._used

    def absorb(self, other: "Layout") -> None:
        """What ``other`` learnt (neither sealed yet), as if it had been learnt here after what was."""
        self.sources |= other.sources
        self.relating |= other.relating
        self.builds |= other.builds
        self.labelled |= other.labelled
        for k, v in other.has_source.items():
            self.has_source[k] |= v
        for k, v in other.derived.items():
            self.derived[k] |= v
        self._used += other._used
        for s, parts in other._parts.items():
            self._parts[s].update(parts)

    def seal(self) -> None:
        self.used_by_build = {o for s, o in self._used if s in self.builds}
        self.restated = {(p[_PARTS[0]], p[_PARTS[1]], p[_PARTS[2]]) for p in self._parts.values() if len(p) == 3}
        self._parts.clear()
        self.decided = (self.sources | self.relating | self.builds | self.used_by_build | self.labelled
                        | set(self.has_source) | set(self.derived))

    def owners(self, root: str) -> set[str]:
        if root in self.sources:
            return {root}
        if root in self.has_source:
            return set(self.has_source[root])
        if root in self.derived:
            return {s for e in self.derived[root] for s in (self.has_source.get(e.split("#", 1)[0]) or {"?"})}
        return set()

    def graph_of(self, root: str) -> str:
        """The graph of a decided node."""
        if root not in self._place:
            if root in self.builds or root in self.used_by_build:
                g = "build"
            elif root in self.relating:
                g = "disagreements"
            elif root in self.sources or root in self.has_source or root in self.derived:
                own = self.owners(root)
                g = self._home(next(iter(own))) if len(own) == 1 and "?" not in own else "claims"
            else:
                g = "registry"  # labelled
            self._place[root] = g if "/" in g else graph_iri(self.base, g)
        return self._place[root]

    def _home(self, source: str) -> str:
        home = self._homes.get(source)
        if home is None:
            home = self._homes[source] = source_graph(self.base, source)
        return home

    def point(self, node: str, graph: str) -> None:
        """Something in ``graph`` (``_NOT_A_VALUE``: not a claim) points at the undecided ``node``."""
        if self.trail is not None:
            self.trail.append((node, graph))
        seen = self._users.get(node)
        if seen != _NOT_A_VALUE:
            self._users[node] = graph if seen is None or seen == graph or graph == _NOT_A_VALUE else self.claims_graph

    def place(self, line: str) -> str | None:
        """The graph of one N-Triples line (``<s> <p> o .``), or None when its subject waits for :meth:`settle`."""
        subject, predicate, obj = line[:-3].split(" ", 2)
        root, orr = term_root(subject), term_root(obj)
        plain = bool(self.restated) and (subject, predicate, obj) in self.restated
        if orr is not None and orr not in self.decided and root is not None and orr != root and not plain:
            self.point(orr, self.graph_of(root) if root in self.derived else _NOT_A_VALUE)
        if orr in self.builds:
            return self.build_graph
        if plain:
            return self.claims_graph
        if root is None or obj.startswith("_:"):
            return self.dataset_graph  # blank nodes (none are minted) must arrive in one request to stay the same nodes
        if root in self.decided:
            return self.graph_of(root)
        return None

    def referenced(self, node: str) -> None:
        """Something that is no claim points at ``node``: if undecided, it is no claim's value."""
        if node not in self.decided:
            self.point(node, _NOT_A_VALUE)

    def settle(self, root: str) -> str:
        """The graph of a node :meth:`place` left aside: with the claims that use it, else ``graph/dataset``."""
        return self._users.get(root) or self.dataset_graph


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
    layout = Layout(base)
    for predicate in DEFINING:  # pass 1: what each node is, through the store's predicate index
        for t in store.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.DefaultGraph()):
            layout.learn(str(t.subject), predicate, str(t.object))
    layout.seal()
    spool, later = _Spool(cut, spool_bytes), _Spool(cut, spool_bytes)
    for t in read():  # pass 2, the one over every triple: its line to its graph's file, or aside till pass 3
        line = f"{ox.Triple(t.subject, t.predicate, t.object)} .\n"
        g = layout.place(line)
        if g is None:
            later.write("", f"{term_root(line[:line.index(' ')])}\t{line}")
        else:
            spool.write(g, line)
    spool.flush()
    later.flush()
    del store
    aside = cut._files.pop("", None)
    if aside is not None:  # pass 3: the nodes placed by who points at them (values go with their claims)
        with open(aside, encoding="utf-8", newline="\n") as fh:
            for entry in fh:
                root, line = entry.split("\t", 1)
                spool.write(layout.settle(root), line)
        spool.flush()
        aside.unlink()
    for g in sorted(cut._files):
        cut._seal(g)
    return cut
