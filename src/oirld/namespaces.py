"""The vocabularies oirld writes, bound once so every module and every dump uses the same prefixes."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from .config import ONTOLOGY_NS, SHAPES_NS

__all__ = [
    "OIRL", "OIRSH", "OA", "SCHEMA", "TIME", "GEO", "SEM", "WIKIBASE", "SPDX", "WD", "SH",
    "RDF", "RDFS", "OWL", "XSD", "SKOS", "PROV", "DCTERMS", "DCAT", "VOID", "bind_prefixes", "PREFIXES", "jsonld_context",
]

OIRL = Namespace(ONTOLOGY_NS)
OIRSH = Namespace(SHAPES_NS)
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, Namespace] = {
    "oirl": OIRL, "oa": OA, "schema": SCHEMA, "time": TIME, "geo": GEO, "sem": SEM, "wikibase": WIKIBASE,
    "spdx": SPDX, "wd": WD, "prov": PROV, "skos": SKOS, "dcterms": DCTERMS, "dcat": DCAT, "void": VOID,
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD,
}


def bind_prefixes(graph: Graph, base: str | None = None) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    if base:
        graph.bind("id", Namespace(base + "id/"), override=True, replace=True)
    return graph


def jsonld_context(base: str) -> dict[str, str]:
    """The JSON-LD context of the dumps and of every JSON-LD document served: these prefixes, and ``id:``."""
    return {**{prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}, "id": f"{base}id/"}


def is_thing(iri: str, base: str) -> bool:
    """One of the things the dataset is about: an IRI under ``<base>id/``, not one of its ``#`` parts (a place's
    geometry). The one definition of what is counted as a thing: ``void:entities``, the home page and the index."""
    return iri.startswith(base + "id/") and "#" not in iri
