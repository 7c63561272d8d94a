"""SHACL validation with pySHACL, and a report a data editor can act on.

The data is checked together with the ontology (a union made for the check only), so ``sh:targetClass`` reaches
subclasses and ``sh:class oirl:ClaimProperty`` sees the property's type. pySHACL's own ``ont_graph`` is not used:
it copies only part of the ontology (the class hierarchy), not the types of properties.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from .errors import DataError, Location
from .namespaces import SH

__all__ = ["Violation", "ValidationResult", "load_shapes", "validate_graph"]


@dataclass(frozen=True)
class Violation:
    focus: str
    focus_label: str
    path: str | None
    message: str
    shape: str
    severity: str
    value: str | None


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: tuple[Violation, ...]
    checked_triples: int

    def report(self) -> str:
        if self.conforms:
            return f"Conforms: {self.checked_triples} triples checked against the shapes, no violations.\n"
        by_shape: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            by_shape[v.shape].append(v)
        lines = [f"Does not conform: {len(self.violations)} violation(s) in {self.checked_triples} triples.", ""]
        for shape, items in sorted(by_shape.items()):
            lines.append(f"{_short(shape)} ({len(items)}):")
            for v in items[:50]:
                where = f" {_short(v.path)}" if v.path else ""
                val = f" value {v.value}" if v.value else ""
                lines.append(f"  - {v.focus_label} <{v.focus}>{where}{val}: {v.message}")
            if len(items) > 50:
                lines.append(f"  ... and {len(items) - 50} more")
        return "\n".join(lines) + "\n"


def _short(iri: str) -> str:
    for ns, p in (("https://w3id.org/oirld/shapes#", "oirsh:"), ("https://w3id.org/oirld/ontology#", "oirl:")):
        if iri.startswith(ns):
            return p + iri[len(ns):]
    return iri


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


def validate_graph(data: Graph, shapes: Graph, ontology: Graph) -> ValidationResult:
    union = Graph()
    for triple in data:
        union.add(triple)
    for triple in ontology:
        union.add(triple)
    conforms, results, _text = shacl_validate(
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
            message=str(message) if message else "violates " + _short(str(shape)),
            shape=str(holder if holder is not None and isinstance(holder, URIRef) else shape),
            severity=_short(str(results.value(r, SH.resultSeverity))),
            value=str(value) if value is not None else None,
        ))
    violations.sort(key=lambda v: (v.shape, v.focus, v.message))
    return ValidationResult(bool(conforms), tuple(violations), len(data))
