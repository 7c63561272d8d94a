"""What the build needs to know from the ontology: its classes, and for each claim property what its values are.

The ontology file is the single source of truth: a property's ``rdfs:range`` decides how a mapping's value is
read (a time, a quantity, words of the article, an integer, or the name of an entity).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.collection import Collection

from .errors import DataError, Location
from .namespaces import OIRL, OWL, RDF, RDFS, XSD

__all__ = ["Ontology", "PropertyInfo", "load_ontology", "range_of"]


@dataclass(frozen=True)
class PropertyInfo:
    name: str
    iri: URIRef
    kind: str  # time | quantity | text | integer | entity
    claim: bool
    qualifier: bool
    functional: bool
    #: the classes (with their subclasses) an entity value must have one of; empty when the range is not a class of ours
    range_classes: frozenset[str] = frozenset()
    #: the range as declared (the members of a union), for messages
    range_names: tuple[str, ...] = ()


@dataclass
class Ontology:
    graph: Graph
    path: Path
    classes: set[str]
    properties: dict[str, PropertyInfo]

    def claim_property(self, name: str) -> PropertyInfo | None:
        info = self.properties.get(name)
        return info if info and info.claim else None

    def qualifier(self, name: str) -> PropertyInfo | None:
        info = self.properties.get(name)
        return info if info and info.qualifier else None


def load_ontology(path: Path) -> Ontology:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except FileNotFoundError:
        raise DataError("ontology file not found", Location(path), "the ontology lives in ontology/oirld.ttl") from None
    except Exception as exc:  # rdflib raises parser-specific exceptions
        raise DataError(f"ontology does not parse: {exc}", Location(path)) from None
    ns = str(OIRL)
    classes = {str(c)[len(ns):] for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(ns)}
    props: dict[str, PropertyInfo] = {}
    for p in set(g.subjects(RDF.type, OIRL.ClaimProperty)) | set(g.subjects(RDF.type, OIRL.QualifierProperty)):
        name = str(p)[len(ns):]
        rng = g.value(p, RDFS.range)
        kind = {
            OIRL.TimeValue: "time", OIRL.Quantity: "quantity", RDF.langString: "text", XSD.string: "text",
            XSD.integer: "integer",
        }.get(rng, "entity")
        if name == "statementKind":
            kind = "concept"
        names, closure = _range_classes(g, rng, ns) if kind == "entity" else ((), frozenset())
        props[name] = PropertyInfo(
            name=name, iri=URIRef(p), kind=kind,
            claim=(p, RDF.type, OIRL.ClaimProperty) in g,
            qualifier=(p, RDF.type, OIRL.QualifierProperty) in g,
            functional=(p, RDF.type, OWL.FunctionalProperty) in g,
            range_classes=closure, range_names=names,
        )
    return Ontology(graph=g, path=path, classes=classes, properties=props)


def _range_classes(g: Graph, rng: Any, ns: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The range's classes as declared, and with all their subclasses (local names); a union
    (``[ owl:unionOf ( A B ) ]``) counts each member."""
    if rng is None:
        return (), frozenset()
    union = g.value(rng, OWL.unionOf)
    members = list(Collection(g, union)) if union is not None else [rng]
    if not all(str(m).startswith(ns) for m in members):
        return (), frozenset()
    out: set[str] = set()
    todo = list(members)
    while todo:
        c = todo.pop()
        if str(c)[len(ns):] not in out:
            out.add(str(c)[len(ns):])
            todo.extend(g.subjects(RDFS.subClassOf, c))
    return tuple(str(m)[len(ns):] for m in members), frozenset(out)


def range_of(ontology: Ontology, prop: URIRef) -> tuple[tuple[str, ...], frozenset[str]]:
    """The range of any property of ours as declared (local names) and with the subclasses: what the build checks a
    value against when the property is neither a claim property nor a qualifier (``oirl:mentions``)."""
    rng = ontology.graph.value(prop, RDFS.range)
    return _range_classes(ontology.graph, rng, str(OIRL)) if rng is not None else ((), frozenset())
