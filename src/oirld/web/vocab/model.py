"""The /ontology reference page as plain view objects, read once from the ontology file (and the shapes' mentions).

The template only loops and prints: every IRI becomes a :class:`Link` here, our own terms and shapes as paths on
this server (``/ontology#Claim``, ``/shapes#Claim``) so the page works on any host, other vocabularies as absolute
links. Every term the file defines in our namespace gets a section with its local name as ``id``, so each term IRI
(a hash IRI of the namespace) lands on its own definition.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, Namespace

from ..templating import safe_href

__all__ = ["Link", "Linker", "Term", "Section", "Mentions", "Parsed", "read_graph", "text", "VANN", "namespace_of",
           "ontology_view"]

VANN = Namespace("http://purl.org/vocab/vann/")
EXTRA_PREFIXES = {"wdt": "http://www.wikidata.org/prop/direct/", "wd": "http://www.wikidata.org/entity/",
                  "sh": "http://www.w3.org/ns/shacl#", "owl": str(OWL), "rdfs": str(RDFS), "rdf": str(RDF)}
#: term IRI -> shape IRI -> how the shape mentions it ("target", "path", "value class" ...)
Mentions = dict[str, dict[str, set[str]]]

_KINDS = {OWL.Class: "class", RDFS.Class: "class", OWL.ObjectProperty: "object property",
          OWL.DatatypeProperty: "datatype property", OWL.AnnotationProperty: "annotation property",
          RDF.Property: "property", SKOS.Concept: "concept", SKOS.ConceptScheme: "concept scheme", OWL.Ontology: "ontology"}
_ALIGN = {RDFS.subClassOf: "subclass of", RDFS.subPropertyOf: "subproperty of", OWL.equivalentClass: "equivalent class",
          OWL.equivalentProperty: "equivalent property", OWL.sameAs: "same as", SKOS.exactMatch: "exact match",
          SKOS.closeMatch: "close match", SKOS.broadMatch: "broad match", SKOS.narrowMatch: "narrow match",
          SKOS.relatedMatch: "related match", RDFS.seeAlso: "see also"}
_NAMES = {DCTERMS.title: "Title", DCTERMS.description: "Description", DCTERMS.license: "Licence", DCTERMS.creator: "Creator",
          OWL.versionInfo: "Version", OWL.versionIRI: "Version IRI", VANN.preferredNamespacePrefix: "Preferred prefix",
          VANN.preferredNamespaceUri: "Namespace", RDFS.comment: "Comment", SKOS.prefLabel: "Preferred label",
          SKOS.altLabel: "Other labels", SKOS.note: "Note", SKOS.example: "Example",
          OWL.deprecated: "Deprecated", DCTERMS.isReplacedBy: "Replaced by"}
_SHOWN = {VANN.preferredNamespaceUri, RDF.type, RDFS.label, SKOS.definition, RDFS.domain, RDFS.range, SKOS.inScheme, *_ALIGN}


@dataclass(frozen=True)
class Link:
    """An ``<a>`` that Jinja prints as is (``__html__``), its parts escaped."""

    href: str
    text: str
    title: str = ""

    def __html__(self) -> str:
        return Markup('<a href="{}" title="{}">{}</a>').format(self.href, self.title, self.text)


class Linker:
    """IRIs as links: ours relative to this server, the rest absolute; each shown as a prefixed name."""

    def __init__(self, ontology_ns: str, shapes_ns: str, prefixes: dict[str, str], labels: dict[str, str],
                 served: tuple[bool, bool] = (True, True)):
        self.ns, self.shapes_ns, self.labels = ontology_ns, shapes_ns, labels
        self.served = served  # (ontology, shapes) on this server; a document not served here is linked at its IRI
        merged = {**EXTRA_PREFIXES, **prefixes}
        self._prefixes = sorted(((ns, p) for p, ns in merged.items() if ns), key=lambda x: -len(x[0]))

    def qname(self, iri: str) -> str:
        for ns, prefix in self._prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def anchor(self, iri: str) -> str:
        """The element id of a term (or shape) of ours: its local name."""
        for ns in (self.ns, self.shapes_ns):
            if iri.startswith(ns):
                return iri[len(ns):]
        return "".join(c if c.isalnum() else "-" for c in self.qname(iri))

    def href(self, iri: str) -> str:
        if self.served[0] and iri.startswith(self.ns):
            return "/ontology#" + iri[len(self.ns):]
        if self.served[1] and iri.startswith(self.shapes_ns):
            return "/shapes#" + iri[len(self.shapes_ns):]
        return "/ontology" if self.served[0] and iri == self.ns.rstrip("#/") else (safe_href(iri) or "#")

    def link(self, iri: Any) -> Link:
        iri = str(iri)
        label = self.labels.get(iri)
        return Link(self.href(iri), self.qname(iri), f"{label} ({iri})" if label else iri)

    def value(self, term: Any) -> Markup:
        if isinstance(term, URIRef):
            return Markup(self.link(term).__html__())
        return Markup("{}").format(str(term))


@dataclass
class Term:
    anchor: str
    iri: str
    qname: str
    label: str
    definition: str = ""
    badges: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[Markup]]] = field(default_factory=list)


@dataclass
class Section:
    id: str
    title: str
    terms: list[Term]
    intro: str = ""
    note: Markup | None = None
    head: Term | None = None  # a concept scheme's own description


@dataclass
class Parsed:
    """A Turtle file parsed once: its bytes, triples (for the other formats), prefixes, an rdflib graph, and the
    position at which each subject first appears (so pages can follow the file's order)."""

    turtle: bytes
    triples: list[ox.Triple]
    prefixes: dict[str, str]
    graph: Graph
    order: dict[Any, int]


def read_graph(path: str) -> Parsed:
    data = Path(path).read_bytes()
    parser = ox.parse(data, format=ox.RdfFormat.TURTLE)
    triples = list(parser)
    graph, order = Graph(), {}
    for i, t in enumerate(triples):
        s, p, o = (_rdflib(x) for x in (t.subject, t.predicate, t.object))
        graph.add((s, p, o))
        order.setdefault(s, i)
    return Parsed(data, triples, dict(parser.prefixes), graph, order)


def _rdflib(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def namespace_of(iris: list[str], default: str) -> str:
    """The namespace most of ``iris`` share (up to the last '#' or '/'), or ``default``."""
    spaces = Counter(i[: max(i.rfind("#"), i.rfind("/")) + 1] for i in iris)
    return spaces.most_common(1)[0][0] if spaces else default


def text(g: Graph, s: Any, *preds: Any) -> str:
    """The first predicate's value that has one, English or untagged first."""
    for p in preds:
        values = sorted(g.objects(s, p), key=lambda v: (getattr(v, "language", None) not in ("en", None), str(v)))
        if values:
            return str(values[0])
    return ""


def ontology_view(g: Graph, linker: Linker, mentions: Mentions) -> dict[str, Any]:
    """The page's context: the ontology node's description and the sections of terms."""
    ns = linker.ns
    claim_t, qualifier_t = URIRef(ns + "ClaimProperty"), URIRef(ns + "QualifierProperty")
    classes = {s for t in (OWL.Class, RDFS.Class) for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)}
    property_types = {RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty} | {
        c for c in classes if RDF.Property in set(g.transitive_objects(c, RDFS.subClassOf))}
    props = {s for t in property_types for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)} - classes
    schemes = sorted((s for s in g.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)), key=str)
    concepts = {s for s in g.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}

    def term(s: URIRef) -> Term:
        return _term(g, s, linker, mentions, s in classes, s in props)

    placed: set[Any] = set()

    def terms(iris: set[Any]) -> list[Term]:
        fresh = sorted(iris - placed, key=lambda s: linker.anchor(str(s)).lower())
        placed.update(fresh)  # a term in two groups (two schemes, say) is shown once, so its id stays unique
        return [term(s) for s in fresh]

    groups: dict[str, set[Any]] = {"claim": set(), "qualifier": set(), "object": set(), "datatype": set(), "other": set()}
    for p in props:
        types = set(g.objects(p, RDF.type))
        key = ("claim" if claim_t in types else "qualifier" if qualifier_t in types else "object"
               if OWL.ObjectProperty in types else "datatype" if OWL.DatatypeProperty in types else "other")
        groups[key].add(p)
    both = sorted((p for p in groups["claim"] if (p, RDF.type, qualifier_t) in g), key=str)
    sections = [
        Section("classes", "Classes", terms(classes)),
        Section("claim-properties", "Claim properties", terms(groups["claim"]),
                "Properties an article can be claimed to state; each use is a claim with its evidence."),
        Section("qualifier-properties", "Qualifier properties", terms(groups["qualifier"]),
                "Properties that narrow a claim: when, where, according to whom.",
                Markup("Claim properties also used as qualifiers: ") + Markup(", ").join(linker.value(p) for p in both)
                if both else None),
        Section("object-properties", "Other object properties", terms(groups["object"])),
        Section("datatype-properties", "Other datatype properties", terms(groups["datatype"])),
        Section("other-properties", "Other properties", terms(groups["other"])),
    ]
    for scheme in schemes:
        head = term(scheme)
        sections.append(Section(head.anchor, f"Concept scheme: {head.label}", terms(set(g.subjects(SKOS.inScheme, scheme))),
                                head.definition, head=head))
    listed = classes | props | set(schemes) | {c for c in concepts if any(g.objects(c, SKOS.inScheme))}
    sections.append(Section("concepts", "Concepts outside any scheme", terms(concepts - listed)))
    # whatever else the file says about our namespace still gets an anchor, so every term IRI lands somewhere
    rest = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)} - listed - concepts
    sections.append(Section("other-terms", "Other terms", terms(rest)))
    node = next((s for s in g.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)), None)
    return {"ontology": _term(g, node, linker, {}, False, False) if node is not None else None, "namespace": ns,
            "sections": [s for s in sections if s.terms or s.head]}


def _term(g: Graph, s: URIRef, linker: Linker, mentions: Mentions, is_class: bool, is_prop: bool) -> Term:
    iri = str(s)
    definition_pred = SKOS.definition if (s, SKOS.definition, None) in g else RDFS.comment
    t = Term(linker.anchor(iri), iri, linker.qname(iri), text(g, s, RDFS.label, SKOS.prefLabel, DCTERMS.title)
             or linker.anchor(iri), text(g, s, definition_pred))
    types = sorted(g.objects(s, RDF.type), key=str)
    t.badges = [_KINDS.get(x) or linker.labels.get(str(x)) or linker.qname(str(x)) for x in types]

    def members(v: Any) -> list[Any]:
        """A class written as a union (``[ owl:unionOf ( A B ) ]``) stands for its members."""
        union = g.value(v, OWL.unionOf) if isinstance(v, BNode) else None
        return list(Collection(g, union)) if union is not None else [v]

    def links(values: Any) -> list[Markup]:
        flat = {m for v in values for m in members(v)}
        return [linker.value(v) for v in sorted(flat, key=lambda v: linker.qname(str(v)).lower())]

    def with_domain(cls: Any) -> list[Any]:
        return [p for p, d in g.subject_objects(RDFS.domain) if cls in members(d)]

    def internal(values: Any) -> list[Any]:
        return [v for v in values if isinstance(v, URIRef) and str(v).startswith(linker.ns)]

    rows: list[tuple[str, list[Markup]]] = []
    if is_class:
        rows += [("Subclass of", links(internal(g.objects(s, RDFS.subClassOf)))),
                 ("Subclasses", links(internal(g.subjects(RDFS.subClassOf, s)))),
                 ("Properties with this domain", links(with_domain(s))),
                 ("Properties with this range", links(g.subjects(RDFS.range, s))),
                 ("Instances", links(x for x in g.subjects(RDF.type, s) if isinstance(x, URIRef)))]
    if is_prop:
        rows += [("Domain", links(g.objects(s, RDFS.domain))), ("Range", links(g.objects(s, RDFS.range))),
                 ("Subproperty of", links(internal(g.objects(s, RDFS.subPropertyOf)))),
                 ("Subproperties", links(internal(g.subjects(RDFS.subPropertyOf, s))))]
    rows.append(("In scheme", links(g.objects(s, SKOS.inScheme))))
    rows.append(("Type", links(x for x in types if x not in _KINDS and not str(x).startswith(linker.ns))))
    # links out of the ontology (its own superclasses are listed above)
    rows.append(("Alignments", [_noted(linker.value(o), _ALIGN[p]) for p, o in sorted(g.predicate_objects(s))
                                if p in _ALIGN and isinstance(o, URIRef)
                                and not (str(o).startswith(linker.ns) and p in (RDFS.subClassOf, RDFS.subPropertyOf))]))
    rows.append(("Constrained by", [_noted(linker.value(URIRef(shape)), ", ".join(sorted(roles)))
                                    for shape, roles in sorted(mentions.get(iri, {}).items())]))
    # anything else the file says, so nothing is hidden (prefLabel only when it differs from the label)
    other: dict[str, list[Markup]] = {}
    for p, o in sorted(g.predicate_objects(s)):
        if p in _SHOWN or p == definition_pred or isinstance(o, BNode) or (p == SKOS.prefLabel and str(o) == t.label):
            continue
        other.setdefault(_NAMES.get(p) or linker.qname(str(p)), []).append(linker.value(o))
    t.rows = [(name, values) for name, values in rows + list(other.items()) if values]
    return t


def _noted(value: Markup, note: str) -> Markup:
    return Markup('{} <span class="note">({})</span>').format(value, note)
