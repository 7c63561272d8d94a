"""RDF out of the graphs the pages describe. pyoxigraph writes every format except JSON-LD, which it can only write
expanded (every key a full IRI); JSON-LD is written compacted against the dataset's context instead, so a web
developer reads ``"oirl:locatedIn"`` and ``"@type": "oirl:MilitaryBase"``. The context is inline, so a document is
self-contained, and also served at ``/context.jsonld`` for anyone who wants to reuse it. Every syntax that has
prefixes (Turtle, N3, RDF/XML, TriG) gets the same ones, so any answer reads ``oirl:Claim``, not a full IRI.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
import rdflib

from ..namespaces import jsonld_context
from .jsonld import Unwritable, compact_json_ld

__all__ = ["graph_bytes", "context_document", "prefixes", "PREFIXED"]

JSON_LD = "application/ld+json"
#: the syntaxes that abbreviate IRIs with prefixes
PREFIXED = (ox.RdfFormat.TURTLE, ox.RdfFormat.N3, ox.RdfFormat.RDF_XML, ox.RdfFormat.TRIG)


def prefixes(base: str) -> dict[str, str]:
    """The dataset's prefixes (those of its JSON-LD context, ``id:`` included) for a store under ``base``."""
    return jsonld_context(base)


def graph_bytes(graph: ox.Store, media: str, base: str, context: dict[str, str] | None = None) -> bytes:
    """The default graph of ``graph`` in ``media``; JSON-LD compacted against ``context`` (default: the dataset's),
    holding the same triples (the tests check)."""
    if media != JSON_LD:
        fmt = ox.RdfFormat.from_media_type(media)
        names = (context or prefixes(base)) if fmt in PREFIXED else None
        return graph.dump(format=fmt, from_graph=ox.DefaultGraph(), prefixes=names) or b""
    try:  # written directly: rdflib's compaction took longer than the rest of a page
        return compact_json_ld(graph.quads_for_pattern(None, None, None, ox.DefaultGraph()), context or jsonld_context(base))
    except Unwritable:
        pass
    g = rdflib.Graph()
    for q in graph.quads_for_pattern(None, None, None, ox.DefaultGraph()):  # not through N-Triples: its parser took 0.1 s a page
        g.add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
    return g.serialize(format="json-ld", context=context or jsonld_context(base), auto_compact=True).encode("utf-8")


_PLAIN = ("http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")


def _rdflib_term(term: Any) -> Any:
    """The same term as rdflib's N-Triples parser reads it (a plain string literal has no datatype there)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    datatype = term.datatype.value
    return rdflib.Literal(term.value, lang=term.language, datatype=None if datatype in _PLAIN else rdflib.URIRef(datatype))


def context_document(base: str) -> bytes:
    return json.dumps({"@context": jsonld_context(base)}, indent=2).encode("utf-8")
