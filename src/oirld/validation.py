"""SHACL validation, whole or split by article, and a report a data editor can act on.

The data is checked together with the ontology (a union made for the check only), so ``sh:targetClass`` reaches
subclasses and ``sh:class oirl:ClaimProperty`` sees the property's type. pySHACL's own ``ont_graph`` is not used:
it copies only part of the ontology (the class hierarchy), not the types of properties.

Two engines run the same shapes: pySHACL (``pyshacl``, the reference) and pyshacl-turbo (``turbo``, the same API,
about 2.5 times faster here); the build uses turbo, the tests check both give the same violations on every shape
fixture.

*Split validation.* A node shape's verdict on a focus node depends only on what its paths and SPARQL reach from
that node. The nodes an article owns (its ``schema:NewsArticle`` node, that node's field records, the passages
with ``oa:hasSource`` that node, and their selectors) are described by the article alone, and the shapes that
target them (``ARTICLE_CLASSES``: NewsArticle, FieldRecord, Evidence, MachineReadEvidence, TextQuoteSelector,
TextPositionSelector) reach nothing outside the article except the types of the nodes it points to. So:

* per article: those shapes check the article's own triples plus the ``rdf:type`` of every node they point to;
* globally: every other shape (entities, quantities and times, claims, disagreements, current values, wire
  stories, text matches, the build, the ontology's properties, the dataset description) checks everything that is
  not owned by an article, plus the triples of the article nodes themselves and the ``rdf:type`` of everything an
  article owns (a claim's ``sh:class oirl:Evidence``, an unreviewed claim's machine-read passages).

Nodes of an article class that no article owns (a passage without a source) are checked in the global pass by the
article shapes too. ``split_graph`` cuts any graph this way; tests/test_split_validation.py shows the split rejects
exactly what whole-graph validation rejects on every shape fixture.

The global pass is cut further, node by node: :mod:`oirld.groupview` lists, shape by shape, what the global shapes
read of a node (its own triples, the types of what it points to, a few paths further: times, text matches, the
claims of its slot, the other phases of its operation, the articles that reprint a wire story), so a group of nodes
is checked in a view of just that, and :mod:`oirld.globalparts` caches each group's verdict
(tests/test_group_validation.py: one node at a time, every fixture, the same violations as the whole graph).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from typing import Iterable, Iterator

from pyshacl import validate as pyshacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from .errors import DataError, Location
from .namespaces import OA, OIRL, SCHEMA, SH

__all__ = ["Violation", "ValidationResult", "VIOLATION", "load_shapes", "validate_graph", "ENGINES", "ARTICLE_CLASSES",
           "split_shapes", "split_graph", "article_view", "global_view", "merge_results", "validate_split", "add_ntriples",
           "ntriples_terms"]

#: the classes whose instances an article owns; the shapes targeting them run per article
ARTICLE_CLASSES = (SCHEMA.NewsArticle, OIRL.FieldRecord, OIRL.Evidence, OIRL.MachineReadEvidence, OA.TextQuoteSelector,
                   OA.TextPositionSelector)
ENGINES = ("pyshacl", "turbo")


@dataclass(frozen=True)
class Violation:
    focus: str
    focus_label: str
    path: str | None
    message: str
    shape: str
    severity: str
    value: str | None


#: the one severity that refuses a build; rules marked sh:Warning or sh:Info are reported and published anyway
VIOLATION = str(SH.Violation)


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    #: every result, whatever its severity (``Violation.severity``); ``conforms`` counts only sh:Violation
    violations: tuple[Violation, ...]
    checked_triples: int

    @classmethod
    def of(cls, results: Iterable[Violation], checked_triples: int) -> "ValidationResult":
        found = tuple(results)
        return cls(not any(v.severity == VIOLATION for v in found), found, checked_triples)

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity != VIOLATION)

    def warning_lines(self) -> tuple[str, ...]:
        return tuple(f"{_short(v.shape)}: {v.focus_label} <{v.focus}>: {v.message}" for v in self.warnings)

    def report(self) -> str:
        warned = self.warnings
        if self.conforms and not warned:
            return f"Conforms: {self.checked_triples} triples checked against the shapes, no violations.\n"
        by_shape: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            by_shape[v.shape].append(v)
        errors = len(self.violations) - len(warned)
        head = (f"Conforms: {self.checked_triples} triples checked against the shapes, no violations, {len(warned)} warning(s)."
                if self.conforms else
                f"Does not conform: {errors} violation(s) in {self.checked_triples} triples" +
                (f", and {len(warned)} warning(s)." if warned else "."))
        lines = [head, ""]
        for shape, items in sorted(by_shape.items()):
            lines.append(f"{_short(shape)} ({len(items)}):")
            for v in items[:50]:
                where = f" {_short(v.path)}" if v.path else ""
                val = f" value {v.value}" if v.value else ""
                kind = "" if v.severity == VIOLATION else f" ({v.severity.rsplit('#', 1)[-1].lower()})"
                lines.append(f"  - {v.focus_label} <{v.focus}>{where}{val}{kind}: {v.message}")
            if len(items) > 50:
                lines.append(f"  ... and {len(items) - 50} more")
        return "\n".join(lines) + "\n"


def _short(iri: str) -> str:
    for ns, p in (("https://w3id.org/oirld/shapes#", "oirsh:"), ("https://w3id.org/oirld/ontology#", "oirl:")):
        if iri.startswith(ns):
            return p + iri[len(ns):]
    return iri


def _stable(message: str) -> str:
    """The engine's own message for a failed sh:node in one wording: pySHACL lists the shapes in set order, which
    changes between runs, and the two engines quote them differently."""
    if not message.startswith("Value "):
        return message
    message = message.removesuffix(" See details for more information.").removesuffix(".")
    m = _SHAPE_LIST.search(message)
    if m:
        names = sorted(n.strip().strip("'") for n in m.group(1).split(","))
        message = message[:m.start(1)] + ", ".join(names) + message[m.end(1):]
    m = _ONE_SHAPE.search(message)
    if m:
        message = message[:m.start(1)] + m.group(1).strip("'") + message[m.end(1):]
    return message


# pySHACL and pyshacl-turbo word these two differently ("'oirsh:X'" or "oirsh:X", with or without "See details")
_SHAPE_LIST = re.compile(r"every Shape in \(([^()]*)\)")
_ONE_SHAPE = re.compile(r"conform to Shape ('?[^' ]+'?)")


def load_shapes(folder: Path) -> Graph:
    g = Graph()
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise DataError("no SHACL shapes (*.ttl)", Location(folder), "the shapes live in shapes/")
    for f in files:
        try:
            g.parse(f, format="turtle")
        except Exception as exc:
            raise DataError(f"shapes do not parse: {exc}", Location(f)) from None
    return g


def _engine(name: str):
    if name == "pyshacl":
        return pyshacl_validate
    if name == "turbo":
        from pyshacl_turbo import validate as turbo_validate

        return turbo_validate
    raise ValueError(f"unknown SHACL engine {name!r}; one of {', '.join(ENGINES)}")


def validate_graph(data: Graph, shapes: Graph, ontology: Graph, engine: str = "pyshacl") -> ValidationResult:
    # a copy for the check only; turbo needs no per-triple context bookkeeping (pySHACL does: it wraps a Dataset)
    union = Graph(store="SimpleMemory") if engine == "turbo" else Graph()
    for triple in data:
        union.add(triple)
    for triple in ontology:
        union.add(triple)
    conforms, results, _text = _engine(engine)(
        union, shacl_graph=shapes, inference="none", abort_on_first=False,
        allow_infos=True, allow_warnings=True, meta_shacl=False, advanced=True,
    )
    if not isinstance(results, Graph):  # pySHACL reports a broken shapes graph this way instead of raising
        raise DataError(f"the SHACL shapes cannot be run: {results}", Location("shapes/"), "fix the shape it names")
    violations = []
    for r in results.subjects(SH.resultSeverity, None):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        label = data.value(focus, RDFS.label) if focus is not None else None
        message = results.value(r, SH.resultMessage)
        shape = results.value(r, SH.sourceShape)
        # a property shape's result names the node shape holding it, so reports and tests can name the shape
        holder = next(iter(shapes.subjects(SH.property, shape)), None) if shape is not None else None
        value = results.value(r, SH.value)
        violations.append(Violation(
            focus=str(focus), focus_label=str(label) if label else _short(str(focus)),
            path=str(path) if isinstance(path, URIRef) else None,
            message=_stable(str(message)) if message else "violates " + _short(str(shape)),
            shape=str(holder if holder is not None and isinstance(holder, URIRef) else shape),
            severity=_short(str(results.value(r, SH.resultSeverity))),
            value=str(value) if value is not None else None,
        ))
    violations.sort(key=lambda v: (v.shape, v.focus, v.message))
    return ValidationResult.of(violations, len(data))


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: an explicit ^^xsd:string (pyoxigraph cannot tell it from a plain literal) or a language tag with capitals
#: (pyoxigraph lower-cases it)
_AMBIGUOUS = re.compile(rb'\^\^<http://www\.w3\.org/2001/XMLSchema#string>|"@[A-Za-z0-9-]*[A-Z]')


def add_ntriples(graph: Graph, data: bytes) -> None:
    """Add N-Triples to ``graph``, the terms made as rdflib's own parser makes them (a plain literal without a
    datatype, blank nodes by label): pyoxigraph reads the text about three times faster than rdflib's parser, which
    was a tenth of a rebuild's time (the articles' few triples the global shapes need, read on every build)."""
    if _AMBIGUOUS.search(data):  # what pyoxigraph reads as another term: rdflib's parser, exact but slower
        graph.parse(data=data.decode("utf-8"), format="nt")
        return
    for t in ntriples_terms(data):
        graph.add(t)


def ntriples_terms(data: bytes) -> Iterator[tuple]:
    """The triples of N-Triples as rdflib terms, made as :func:`add_ntriples` makes them (without a graph to add
    them to: :mod:`oirld.globalparts` indexes them by subject)."""
    import pyoxigraph as ox

    from rdflib import BNode, Literal

    if _AMBIGUOUS.search(data):
        yield from Graph().parse(data=data.decode("utf-8"), format="nt")
        return
    names: dict[str, URIRef] = {}
    blanks: dict[str, BNode] = {}

    def term(t):
        if isinstance(t, ox.NamedNode):
            node = names.get(t.value)
            if node is None:
                node = names[t.value] = URIRef(t.value)
            return node
        if isinstance(t, ox.BlankNode):
            return blanks.setdefault(t.value, BNode(t.value))
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return Literal(t.value) if dt == _XSD_STRING else Literal(t.value, datatype=URIRef(dt))

    for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        yield (term(t.subject), term(t.predicate), term(t.object))


def split_shapes(shapes: Graph) -> tuple[Graph, Graph]:
    """(article shapes, global shapes): the same shapes graph twice, each without the targets of the other half, so
    helper shapes reached through ``sh:node`` stay available to both."""
    article, rest = Graph(), Graph()
    for prefix, ns in shapes.namespaces():
        article.bind(prefix, ns)
        rest.bind(prefix, ns)
    targets = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
    per_article = {s for s, o in shapes.subject_objects(SH.targetClass) if o in ARTICLE_CLASSES}
    for s, p, o in shapes:
        if p in targets:
            (article if s in per_article else rest).add((s, p, o))
        else:
            article.add((s, p, o))
            rest.add((s, p, o))
    return article, rest


def _owned(graph: Graph, source: URIRef) -> set[URIRef]:
    nodes: set = {source, *graph.objects(source, OIRL.hasFieldRecord)}
    for e in graph.subjects(OA.hasSource, source):
        nodes.add(e)
        nodes.update(graph.objects(e, OA.hasSelector))
    return nodes


def article_view(graph: Graph, nodes: Iterable) -> Graph:
    """What the article shapes see of the nodes an article owns: their triples and the types of what they point to."""
    view = Graph()
    for n in nodes:
        for p, o in graph.predicate_objects(n):
            view.add((n, p, o))
            if p != RDF.type:
                for t in graph.objects(o, RDF.type):
                    view.add((o, RDF.type, t))
    return view


def split_graph(graph: Graph) -> tuple[list[Graph], Graph]:
    """Any graph cut as the build cuts it: one view per ``schema:NewsArticle`` node (plus one for article-class
    nodes no article owns, such as a passage without a source), and the global view."""
    sources = sorted(set(graph.subjects(RDF.type, SCHEMA.NewsArticle)), key=str)
    owned = [_owned(graph, s) for s in sources]
    all_owned = set().union(*owned) if owned else set()
    orphans = {n for c in ARTICLE_CLASSES for n in graph.subjects(RDF.type, c)} - all_owned
    views = [article_view(graph, nodes) for nodes in owned]
    if orphans:
        views.append(article_view(graph, orphans))
    return views, global_view(graph, all_owned, set(sources))


def global_view(graph: Graph, owned: set, sources: set) -> Graph:
    """Everything no article owns, the article nodes themselves, and the types of every owned node."""
    rest = Graph()
    for s, p, o in graph:
        if s not in owned or s in sources or p == RDF.type:
            rest.add((s, p, o))
    return rest


def merge_results(results: Iterable[ValidationResult], checked_triples: int) -> ValidationResult:
    """One result from several passes; a violation found in two views (a node two articles share) counts once."""
    most: Counter[Violation] = Counter()
    for r in results:
        for v, n in Counter(r.violations).items():
            most[v] = max(most[v], n)
    violations = tuple(sorted(most.elements(), key=lambda v: (v.shape, v.focus, v.message, v.path or "", v.value or "")))
    return ValidationResult.of(violations, checked_triples)


def validate_split(views: list[Graph], rest: Graph, shapes: Graph, ontology: Graph, engine: str = "pyshacl") -> ValidationResult:
    """The split validation of ``split_graph``'s pieces (the build runs the article views in its workers)."""
    article_shapes, global_shapes = split_shapes(shapes)
    results = [validate_graph(v, article_shapes, ontology, engine) for v in views]
    results.append(validate_graph(rest, global_shapes, ontology, engine))
    return merge_results(results, sum(len(v) for v in views) + len(rest))
