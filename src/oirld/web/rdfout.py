"""RDF out of the graphs the pages describe. pyoxigraph writes every format except JSON-LD, which it can only write
expanded (every key a full IRI); JSON-LD is written compacted against the dataset's context instead, so a web
developer reads ``"oirl:locatedIn"`` and ``"@type": "oirl:MilitaryBase"``. The context is inline, so a document is
self-contained, and also served at ``/context.jsonld`` for anyone who wants to reuse it.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import rdflib

from ..namespaces import jsonld_context

__all__ = ["graph_bytes", "context_document"]

JSON_LD = "application/ld+json"


def graph_bytes(graph: ox.Store, media: str, base: str, context: dict[str, str] | None = None) -> bytes:
    """The default graph of ``graph`` in ``media``; JSON-LD compacted against ``context`` (default: the dataset's),
    holding the same triples (the tests check)."""
    if media != JSON_LD:
        return graph.dump(format=ox.RdfFormat.from_media_type(media), from_graph=ox.DefaultGraph()) or b""
    nt = graph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
    g = rdflib.Graph().parse(data=nt, format="nt")
    return g.serialize(format="json-ld", context=context or jsonld_context(base), auto_compact=True).encode("utf-8")


def context_document(base: str) -> bytes:
    return json.dumps({"@context": jsonld_context(base)}, indent=2).encode("utf-8")
