"""The /shapes reference page as plain view objects, and which ontology terms each shape mentions.

Shapes keep the file's order (it groups them by topic). Paths print in SPARQL's property-path notation
(``a / b``, ``^a``, ``(a | b)``, ``a*``); other parameters print generically, nested shapes in brackets, so a
parameter this module has no words for still shows. The mentions index (term -> shapes, with how each mentions it)
feeds the ontology page's "Constrained by".
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, Namespace

from .model import Linker, Mentions, text

__all__ = ["SH", "Shape", "Constraint", "SparqlCheck", "node_shapes", "shape_mentions", "shapes_view"]

SH = Namespace("http://www.w3.org/ns/shacl#")
_TARGETS = {SH.targetClass: "instances of", SH.targetNode: "the node", SH.targetSubjectsOf: "subjects of",
            SH.targetObjectsOf: "objects of"}
_ROLES = {SH.targetClass: "target", SH.targetSubjectsOf: "target", SH.targetObjectsOf: "target", SH.targetNode: "target",
          SH["class"]: "value class", SH["in"]: "allowed value", SH.hasValue: "allowed value", SH.path: "path",
          SH.node: "node shape"}
_WORDS = {SH["class"]: "class", SH.datatype: "datatype", SH.node: "conforms to", SH["in"]: "one of",
          SH.pattern: "pattern", SH.nodeKind: "node kind", SH.hasValue: "has value", SH.languageIn: "languages",
          SH.uniqueLang: "one per language", SH.minLength: "min length", SH.maxLength: "max length",
          SH.lessThan: "less than the values of", SH.minInclusive: "at least", SH.maxInclusive: "at most",
          SH.minExclusive: "more than", SH.maxExclusive: "less than", SH["not"]: "not", SH["or"]: "any of",
          SH["and"]: "all of", SH.xone: "exactly one of", SH.qualifiedValueShape: "values conforming to",
          SH.qualifiedMinCount: "at least (qualified)", SH.qualifiedMaxCount: "at most (qualified)",
          SH.severity: "severity", SH.path: "path", SH.minCount: "min count", SH.maxCount: "max count",
          SH.message: "message", SH.closed: "closed"}
_JOIN = {SH["or"]: " | ", SH["and"]: " & ", SH.xone: " | "}
_COUNTS = (SH.minCount, SH.maxCount, SH.qualifiedMinCount, SH.qualifiedMaxCount)
_OWN = {RDF.type, RDFS.comment, RDFS.label, SH.property, SH.sparql, SH.node, SH.message, SH.severity, *_TARGETS}


@dataclass
class Constraint:
    path: Markup
    count: str
    rules: list[Markup]
    message: str


@dataclass
class SparqlCheck:
    message: str
    query: str


@dataclass
class Shape:
    anchor: str
    iri: str
    qname: str
    comment: str
    rows: list[tuple[str, list[Markup]]] = field(default_factory=list)
    properties: list[Constraint] = field(default_factory=list)
    sparql: list[SparqlCheck] = field(default_factory=list)


def node_shapes(g: Graph, order: dict[Any, int]) -> list[URIRef]:
    """The named shapes, in the file's order."""
    found = {s for t in (SH.NodeShape, SH.PropertyShape) for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)}
    found |= {s for p in (*_TARGETS, SH.property) for s in g.subjects(p, None) if isinstance(s, URIRef)}
    return sorted(found, key=lambda s: (order.get(s, len(order)), str(s)))


def _is_list(g: Graph, node: Any) -> bool:
    return node == RDF.nil or (node, RDF.first, None) in g


def _iris(g: Graph, node: Any) -> set[URIRef]:
    """Every IRI reachable from ``node`` through blank nodes and lists (the IRIs of a path expression or a list)."""
    out, todo, seen = set(), [node], set()
    while todo:
        n = todo.pop()
        if isinstance(n, URIRef) and n != RDF.nil:
            out.add(n)
        elif isinstance(n, BNode) and n not in seen:
            seen.add(n)
            todo.extend(g.objects(n, None))
    return out


def shape_mentions(g: Graph, shapes: list[URIRef]) -> Mentions:
    """term IRI -> shape IRI -> roles, from targets, sh:class, sh:path (any path expression), sh:in, sh:node and the
    prefixed names in SPARQL constraints; a class under sh:not is an "excluded class"."""
    declared = {str(p): str(ns) for d in g.objects(None, SH.declare)
                for p, ns in [(g.value(d, SH.prefix), g.value(d, SH.namespace))] if p is not None and ns is not None}
    names = re.compile(r"(?<![\w:])(" + "|".join(map(re.escape, declared)) + r"):([A-Za-z_][\w\-]*)") if declared else None
    out: Mentions = {}
    for shape in shapes:
        todo: list[tuple[Any, str]] = [(shape, "")]
        seen: set[Any] = set()
        while todo:
            node, neg = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for p, o in g.predicate_objects(node):
                role = _ROLES.get(p)
                found = _iris(g, o) if p in (SH.path, SH["in"]) else {o} if role and isinstance(o, URIRef) else set()
                if p in (SH.select, SH.ask) and names is not None:
                    found, role = {URIRef(declared[a] + b) for a, b in names.findall(str(o))}, "SPARQL"
                for iri in found:
                    said = "excluded class" if neg and role == "value class" else f"{neg}{role}"
                    out.setdefault(str(iri), {}).setdefault(str(shape), set()).add(said)
                if isinstance(o, BNode) and p != SH.path:
                    todo.append((o, "not " if p == SH["not"] else neg))
    return out


class _Printer:
    def __init__(self, g: Graph, linker: Linker):
        self.g, self.linker = g, linker

    def path(self, node: Any) -> Markup:
        g = self.g
        if isinstance(node, URIRef):
            return self.linker.value(node)
        if _is_list(g, node):
            return Markup(" / ").join(self.path(i) for i in Collection(g, node))
        for op, form in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                         (SH.zeroOrOnePath, "({})?")):
            inner = g.value(node, op)
            if inner is not None:
                return Markup(form).format(self.path(inner))
        alt = g.value(node, SH.alternativePath)
        if alt is not None:
            return Markup("(") + Markup(" | ").join(self.path(i) for i in Collection(g, alt)) + Markup(")")
        return Markup("{}").format(str(node))

    def value(self, p: Any, o: Any) -> Markup:
        if p == SH.path:
            return self.path(o)
        if isinstance(o, Literal):
            return Markup("<code>{}</code>").format(str(o))
        if isinstance(o, URIRef):
            return self.linker.value(o)
        if _is_list(self.g, o):
            items = [self.value(p, i) for i in Collection(self.g, o)]
            return Markup("(") + Markup(_JOIN.get(p, ", ")).join(items) + Markup(")")
        return Markup("[") + Markup("; ").join(self.rules(o, set())) + Markup("]")

    def rules(self, node: Any, skip: set[Any]) -> list[Markup]:
        pairs = sorted(self.g.predicate_objects(node), key=lambda po: (po[0] != SH.path, str(po[0]), str(po[1])))
        return [Markup("{} {}").format(_WORDS.get(p) or self.linker.qname(str(p)), self.value(p, o))
                for p, o in pairs if p not in skip]


def shapes_view(g: Graph, order: dict[Any, int], linker: Linker) -> dict[str, Any]:
    """The page's context: the shapes in three groups (shared, on our classes, on other vocabularies' classes)."""
    pr = _Printer(g, linker)
    shapes = node_shapes(g, order)
    groups: dict[str, list[Shape]] = {"shared": [], "ours": [], "theirs": []}
    for s in shapes:
        view = Shape(linker.anchor(str(s)), str(s), linker.qname(str(s)), text(g, s, RDFS.comment, SH.description))
        targets = [Markup("{} {}").format(_TARGETS[p], pr.value(p, o))
                   for p, o in sorted(g.predicate_objects(s)) if p in _TARGETS]
        used_by = [pr.value(SH.node, x) for x in shapes if (x, SH.node, s) in g]
        view.rows = [(name, values) for name, values in [
            ("Targets", targets or [Markup("none: used through <code>sh:node</code> by other shapes")]),
            ("Conforms also to", [pr.value(SH.node, o) for o in sorted(g.objects(s, SH.node))]),
            ("Used by", used_by),
            ("Node constraints", pr.rules(s, _OWN)),
            ("Message", [Markup("{}").format(m) for m in g.objects(s, SH.message)]),
            ("Severity", [pr.value(SH.severity, o) for o in g.objects(s, SH.severity)]),
        ] if values]
        for ps in sorted(g.objects(s, SH.property), key=lambda n: order.get(n, 0)):
            rules = pr.rules(ps, {SH.path, SH.message, SH.name, SH.description, *_COUNTS})
            path = pr.path(g.value(ps, SH.path))
            view.properties.append(Constraint(path, _count(g, ps), rules, text(g, ps, SH.message)))
        for check in sorted(g.objects(s, SH.sparql), key=lambda n: order.get(n, 0)):
            query = textwrap.dedent(text(g, check, SH.select, SH.ask)).strip()
            view.sparql.append(SparqlCheck(text(g, check, SH.message), query))
        on_ours = any(str(o).startswith(linker.ns) for p in _TARGETS for o in g.objects(s, p))
        key = "shared" if not targets else "ours" if on_ours else "theirs"
        groups[key].append(view)
    return {"groups": [(gid, title, groups[gid]) for gid, title in (
        ("shared", "Shared shapes"), ("ours", "Shapes on the ontology's classes"),
        ("theirs", "Shapes on other vocabularies' classes")) if groups[gid]], "count": len(shapes)}



def _count(g: Graph, ps: Any) -> str:
    """``min..max`` of the values, and of the values conforming to a qualified value shape."""
    out = []
    for lo_p, hi_p, what in ((SH.minCount, SH.maxCount, ""), (SH.qualifiedMinCount, SH.qualifiedMaxCount, " conforming")):
        lo, hi = g.value(ps, lo_p), g.value(ps, hi_p)
        if lo is not None or hi is not None:
            out.append(f"{lo if lo is not None else 0}..{hi if hi is not None else '*'}{what}")
    return "; ".join(out)
