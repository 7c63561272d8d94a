"""RDF out of the graphs the pages describe. pyoxigraph writes every format except JSON-LD, which it can only write
expanded (every key a full IRI); JSON-LD is written compacted against the dataset's context instead (:mod:`.jsonld`), so a web
developer reads ``"oirl:locatedIn"`` and ``"@type": "oirl:MilitaryBase"``. The context is inline, so a document is
self-contained, and also served at ``/context.jsonld`` for anyone who wants to reuse it. Every syntax that has
prefixes (Turtle, N3, RDF/XML, TriG) gets the same ones, so any answer reads ``oirl:Claim``, not a full IRI.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from ...namespaces import jsonld_context
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
    quads = graph.quads_for_pattern(None, None, None, ox.DefaultGraph())
    try:  # written directly: rdflib's compaction took longer than the rest of a page
        return compact_json_ld(quads, context or jsonld_context(base))
    except Unwritable:  # an IRI no context-compacted document can hold: the same triples, expanded
        return graph.dump(format=ox.RdfFormat.JSON_LD, from_graph=ox.DefaultGraph()) or b""


def context_document(base: str) -> bytes:
    return json.dumps({"@context": jsonld_context(base)}, indent=2).encode("utf-8")
