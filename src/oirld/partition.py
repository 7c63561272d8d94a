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
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import pyoxigraph as ox

__all__ = ["Partition", "partition", "digest", "graph_iri", "lines_of", "CROSS_GRAPHS"]

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

#: the cross-article graphs, by local name (``graph/NAME`` under the base IRI); the data ones come first
CROSS_GRAPHS = ("claims", "disagreements", "registry", "build", "dataset")


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


@dataclass(frozen=True)
class Partition:
    """``graphs`` maps each graph IRI to its sorted N-Triples lines (each ending in `` .\\n``)."""

    graphs: dict[str, list[str]]

    def digests(self) -> dict[str, str]:
        return {g: digest(lines) for g, lines in self.graphs.items()}

    def counts(self) -> dict[str, int]:
        return {g: len(lines) for g, lines in self.graphs.items()}

    def body(self, graph: str) -> bytes:
        return "".join(self.graphs[graph]).encode("utf-8")


def _root(term: object) -> str | None:
    return term.value.split("#", 1)[0] if isinstance(term, ox.NamedNode) else None


def _source_graph(base: str, source: str) -> str:
    prefix = f"{base}source/"
    tail = source[len(prefix):] if source.startswith(prefix) else ""
    if not tail or any(c in tail for c in "/#?%<>\"{}|\\^` "):
        tail = hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]
    return graph_iri(base, f"source/{tail}")


def partition(triples: Iterable[ox.Triple | ox.Quad], base: str) -> Partition:
    """Cut ``triples`` (a version's default graph) into named graphs; see the module docstring for the rules."""
    all_triples = [ox.Triple(t.subject, t.predicate, t.object) for t in triples]
    types: dict[str, set[str]] = defaultdict(set)
    has_source: dict[str, set[str]] = defaultdict(set)
    derived: dict[str, set[str]] = defaultdict(set)
    referrers: dict[str, set[str]] = defaultdict(set)  # object root -> subject roots that point at it
    sources: set[str] = set()
    labelled: set[str] = set()
    builds: set[str] = set()
    restated: set[tuple[str, str, str]] = set()
    claim_parts: dict[str, dict[str, object]] = defaultdict(dict)
    for t in all_triples:
        s, p, o = _root(t.subject), t.predicate.value, t.object
        if s is None:
            continue
        if p == _TYPE and isinstance(o, ox.NamedNode):
            types[s].add(o.value)
            if o.value == _ARTICLE:
                sources.add(s)
            if o.value in _BUILD_TYPES:
                builds.add(s)
        elif p == _HAS_SOURCE and isinstance(o, ox.NamedNode):
            has_source[s].add(o.value)
            sources.add(o.value)
        elif p == _DERIVED and isinstance(o, ox.NamedNode):
            derived[s].add(o.value)
        elif p == _PREF:
            labelled.add(s)
        if p in (_RDF + "subject", _RDF + "predicate", _RDF + "object") and t.subject.value == s:
            claim_parts[s][p] = o
    for parts in claim_parts.values():
        if len(parts) == 3:
            restated.add((str(parts[_RDF + "subject"]), str(parts[_RDF + "predicate"]), str(parts[_RDF + "object"])))
    for t in all_triples:  # who points at what, leaving out the plain triples (they restate claims)
        s, orr = _root(t.subject), _root(t.object)
        if s is not None and orr is not None and orr != s and (str(t.subject), str(t.predicate), str(t.object)) not in restated:
            referrers[orr].add(s)
    used_by_build = {o.value for t in all_triples if t.predicate.value == _USED and _root(t.subject) in builds
                     for o in [t.object] if isinstance(o, ox.NamedNode)}

    def owners(root: str) -> set[str]:
        if root in sources:
            return {root}
        if root in has_source:
            return set(has_source[root])
        if root in derived:
            return {s for e in derived[root] for s in (has_source.get(e.split("#", 1)[0]) or {"?"})}
        return set()

    claims = set(derived)
    place: dict[str, str] = {}

    def graph_of(root: str) -> str:
        if root in place:
            return place[root]
        if root in builds or root in used_by_build:
            g = "build"
        elif types[root] & _RELATING:
            g = "disagreements"
        elif root in sources or root in has_source or root in derived:
            own = owners(root)
            g = _source_graph(base, next(iter(own))) if len(own) == 1 and "?" not in own else "claims"
        elif root in labelled:
            g = "registry"
        elif referrers.get(root) and referrers[root] <= claims:  # a value node: with the claims that use it
            graphs = {graph_of(c) for c in referrers[root]}
            g = graphs.pop() if len(graphs) == 1 else "claims"
        else:
            g = "dataset"
        place[root] = g
        return g

    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for t in all_triples:
        root = _root(t.subject)
        if _root(t.object) in builds:
            g = "build"
        elif (str(t.subject), str(t.predicate), str(t.object)) in restated:
            g = "claims"
        elif root is None or isinstance(t.object, ox.BlankNode):
            g = "dataset"  # blank nodes (none are minted) must arrive in one request to stay the same nodes
        else:
            g = graph_of(root)
        iri = g if "/" in g else graph_iri(base, g)
        graphs[iri].append(t)
    return Partition({g: lines_of(triples) for g, triples in sorted(graphs.items())})
