"""What the global shapes read of a node, so the global part can be validated group by group.

The per-article split (:mod:`oirld.validation`) leaves one global pass over everything no article owns. That pass
is cut further here. A shape's verdict on a focus node depends only on the triples its targets, paths and SPARQL
reach from that node (its *neighbourhood*). For the global shapes of ``shapes/oirld-shapes.ttl`` the neighbourhood
of a node ``n`` is contained in what :func:`closure` collects, read shape by shape:

* every triple with subject ``n`` (labels, ``sh:maxCount``/``sh:minCount``, ``sh:in``, ``sh:not``, own SPARQL
  such as ``oirsh:Claim``'s rank reason, ``oirsh:Quantity``'s range, ``oirsh:TimeValue``, ``oirsh:TextMatch``);
* the ``rdf:type`` of every node ``n`` points to (``sh:class`` and ``sh:or`` of classes: a claim's passages,
  subject, value, qualifiers and mentions, an entity's ``location``/``worksFor``/``phaseOf``/..., a text match's
  articles, an unreviewed entry's ``addedFor``; subclasses come from the ontology, added to every view);
* what ``n``'s ``oirl:startDate``/``oirl:endDate`` point to (``oirsh:EventTimesInOrder`` and ``oirsh:Phase`` read
  their ``earliest``/``latest``/label) and its ``oirl:hasTextMatch`` (``oirsh:WireStory`` reads each match's
  articles);
* for a claim on subject ``S`` and property ``P``: every triple ``S P ?o`` (the plain triple ``oirsh:Claim``
  requires) and, of every claim on ``S``/``P`` ranked preferred, the three triples that say so (the same rule's
  ``FILTER NOT EXISTS``);
* for a disagreement or current value: the ``rdf:predicate`` of the claims it names (their SPARQL);
* for a phase of ``op``: everything about every other phase of ``op`` and their start and end times
  (``oirsh:Phase``'s second SPARQL rule);
* the triples ``?a oirl:reprintOf n`` and the types of ``?a`` (``oirsh:WireStory``'s inverse path and SPARQL).

``prov:wasGeneratedBy`` is read by no shape: a claim's verdict does not depend on which build made it, so a
cached verdict stays valid when the version (and the build node's IRI) changes.

Since every view is a subset of the whole graph that holds the neighbourhood of each of its focus nodes, a node
gets the same verdict in its group's view as in the whole graph; the views of several groups can be validated in
one call (their union is again such a subset), each violation going to the group whose focus node it names. So a
first build validates its groups in batches (:func:`validate_batches`) of a bounded number of triples: one pass
over the whole global view held it in memory several times over (20.7 GiB at 10,000 articles).
Violations whose focus node is a term of the ontology (``oirsh:ClaimProperty``, ``oirsh:QualifierProperty``) are
the same in every view; one group (``keeps_ontology``) reports them. tests/test_group_validation.py cuts every
shape fixture into one group per node and checks the groups reject exactly what the whole graph rejects.
"""

from __future__ import annotations

from typing import Callable, Iterable, Protocol

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from .namespaces import OIRL, WIKIBASE
from .validation import ValidationResult, Violation, validate_graph

__all__ = ["Lookup", "GraphLookup", "closure", "validate_views", "validate_batches", "node_groups", "merged"]

Triple = tuple
_FOLLOW = (OIRL.startDate, OIRL.endDate, OIRL.hasTextMatch)
_NAMED = (OIRL.involvesClaim, OIRL.currentClaim)
_TIMES = (OIRL.startDate, OIRL.endDate)
# plain terms: an rdflib namespace looks a name up on each attribute access, which was seconds over a rebuild's views
_TYPE, _SUBJECT, _PREDICATE = URIRef(str(RDF.type)), URIRef(str(RDF.subject)), URIRef(str(RDF.predicate))
_PHASE_OF, _REPRINT_OF = URIRef(str(OIRL.phaseOf)), URIRef(str(OIRL.reprintOf))


class Lookup(Protocol):
    """The whole global view, asked only the questions :func:`closure` needs."""

    def out(self, node) -> list[Triple]: ...

    def into(self, node, predicate) -> list[Triple]: ...

    def preferred(self, subject, predicate) -> list[Triple]: ...


class GraphLookup:
    """A :class:`Lookup` over a graph held whole (tests, fixtures)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def out(self, node) -> list[Triple]:
        return list(self.graph.triples((node, None, None)))

    def into(self, node, predicate) -> list[Triple]:
        return list(self.graph.triples((None, predicate, node)))

    def preferred(self, subject, predicate) -> list[Triple]:
        found = []
        for c in self.graph.subjects(RDF.subject, subject):
            if (c, RDF.predicate, predicate) in self.graph and (c, WIKIBASE.rank, WIKIBASE.PreferredRank) in self.graph:
                found += [(c, RDF.subject, subject), (c, RDF.predicate, predicate), (c, WIKIBASE.rank, WIKIBASE.PreferredRank)]
        return found


def _node(o) -> bool:
    return isinstance(o, (URIRef, BNode))


def closure(look: Lookup, focus: Iterable) -> set[Triple]:
    """The triples the global shapes may read when they check the nodes of ``focus`` (module docstring)."""
    view: set[Triple] = set()
    typed: set = set()
    slots: set = set()  # a slot's triples are the same for each of its claims: collected once

    def types(o) -> None:
        if o not in typed:
            typed.add(o)
            view.update(t for t in look.out(o) if t[1] == _TYPE)

    def times(x) -> None:
        for t in look.out(x):
            view.add(t)
            if t[1] in _TIMES and _node(t[2]):
                view.update(look.out(t[2]))

    for n in focus:
        out = look.out(n)
        view.update(out)
        subjects, predicates = [], []
        for _, p, o in out:
            if p == _SUBJECT:
                subjects.append(o)
            elif p == _PREDICATE:
                predicates.append(o)
            if not _node(o):
                continue
            types(o)
            if p in _FOLLOW:
                view.update(look.out(o))
            elif p in _NAMED:
                view.update(t for t in look.out(o) if t[1] == _PREDICATE)
            elif p == _PHASE_OF:
                for sibling, _, _ in look.into(o, _PHASE_OF):
                    times(sibling)
        for s in subjects:
            for p in predicates:
                if (s, p) in slots:
                    continue
                slots.add((s, p))
                view.update(t for t in look.out(s) if t[1] == p)
                view.update(look.preferred(s, p))
        for t in look.into(n, _REPRINT_OF):
            view.add(t)
            types(t[0])
    return view


def validate_views(groups: dict[str, tuple[frozenset, set[Triple]]], shapes: Graph, ontology: Graph,
                   engine: str = "turbo", keeps_ontology: str | None = None,
                   separately: bool = False) -> dict[str, tuple[Violation, ...]]:
    """Each group's violations: those naming one of its focus nodes, found in its view (``groups``: name ->
    (focus nodes, view)). The views are validated in one call unless ``separately`` (the tests do both)."""
    ontology_nodes = set(ontology.subjects())
    batches = [[name] for name in groups] if separately else [list(groups)]
    found: dict[str, tuple[Violation, ...]] = {}
    for batch in batches:
        found.update(_check({name: groups[name][0] for name in batch}, (t for name in batch for t in groups[name][1]),
                            shapes, ontology, engine, keeps_ontology, ontology_nodes))
    return found


def validate_batches(groups: Iterable[tuple[str, frozenset, int]], look: Lookup, shapes: Graph, ontology: Graph,
                     engine: str = "turbo", keeps_ontology: str | None = None, budget: int = 100_000,
                     forget: Callable[[], None] | None = None) -> dict[str, tuple[Violation, ...]]:
    """What :func:`validate_views` finds, the groups (name, focus nodes, how many triples they hold) taken in
    batches: a batch closes once its groups hold ``budget`` triples, and its view is the closure of their focus
    nodes. ``forget`` is called after each batch, so a lookup drops what it parsed for it."""
    ontology_nodes = set(ontology.subjects())
    found: dict[str, tuple[Violation, ...]] = {}
    batch: dict[str, frozenset] = {}
    size = 0

    def flush() -> None:
        view = closure(look, (n if isinstance(n, (URIRef, BNode)) else URIRef(n) for f in batch.values() for n in f))
        found.update(_check(batch, view, shapes, ontology, engine, keeps_ontology, ontology_nodes))
        batch.clear()
        if forget is not None:
            forget()

    for name, focus, triples in groups:
        batch[name] = focus
        size += triples
        if size >= budget:
            flush()
            size = 0
    if batch:
        flush()
    return found


def _check(focus_of: dict[str, frozenset], triples: Iterable[Triple], shapes: Graph, ontology: Graph, engine: str,
           keeps_ontology: str | None, ontology_nodes: set) -> dict[str, tuple[Violation, ...]]:
    """One validation call over a view of several groups, each violation going to the groups whose focus node it
    names (an ontology term's to ``keeps_ontology``, if that group is one of them)."""
    owners: dict[str, list[str]] = {}
    for name, focus in focus_of.items():
        for n in focus:
            owners.setdefault(str(n), []).append(name)
    found: dict[str, list[Violation]] = {name: [] for name in focus_of}
    view = Graph(store="SimpleMemory")
    for t in triples:
        view.add(t)
    if len(view):
        for v in validate_graph(view, shapes, ontology, engine).violations:
            names = owners.get(v.focus, ())
            if not names and keeps_ontology in focus_of and URIRef(v.focus) in ontology_nodes:
                names = [keeps_ontology]
            for name in names:
                found[name].append(v)
    return {name: tuple(vs) for name, vs in found.items()}


def node_groups(graph: Graph) -> dict[str, frozenset]:
    """The finest cut of a graph: one group per node that is the subject of a triple."""
    return {str(n): frozenset([n]) for n in set(graph.subjects())}


def merged(results: dict[str, tuple[Violation, ...]], checked: int) -> ValidationResult:
    from .validation import merge_results

    return merge_results([ValidationResult.of(vs, 0) for vs in results.values()], checked)
