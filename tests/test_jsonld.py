"""Compacted JSON-LD written without rdflib says the same triples as rdflib's own compaction (graphs isomorphic
after expansion), shortens what the context allows, and falls back where shortening could change an IRI."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from oirld.namespaces import jsonld_context
from oirld.web.common.jsonld import Unwritable, compact_json_ld
from oirld.web.common.rdfout import graph_bytes

BASE = "https://w3id.org/oirld/"
TURTLE = """
@prefix oirl: <https://w3id.org/oirld/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/oirld/id/iraq> a oirl:Country, schema:Place ; rdfs:label "Iraq", "العراق"@ar, "Irak"@de ;
  oirl:count 2500, -3, "007"^^xsd:integer, 123456789012345678901234567890 ; oirl:flag true, "1"^^xsd:boolean ;
  oirl:ratio 1.5, "1.0E3"^^xsd:double ; oirl:when "2024-09-27"^^xsd:date ; oirl:odd "x"^^<http://example.org/dt> ;
  oirl:link <https://w3id.org/oirld/id/>, <https://w3id.org/oirld/id/harir-air-base>, <http://example.org//x>,
            <https://schema.org//double>, <https://schema.org///triple> ;
  oirl:blank [ rdfs:label "inside" ; oirl:n 1 ] ; <http://example.org/p#> "no local name" ;
  rdfs:comment "quote \\" and \\\\ and\\nnew line" .
<https://w3id.org/oirld/evidence/abc#quote> a oirl:Q ; oirl:typed "lit"^^oirl:Kind .
"""


def _store(text: str) -> ox.Store:
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    return store


def test_written_json_ld_is_the_graph_rdflib_writes():
    store = _store(TURTLE)
    ours = graph_bytes(store, "application/ld+json", BASE)
    expected = rdflib.Graph().parse(data=TURTLE, format="turtle")
    theirs = rdflib.Graph().parse(data=expected.serialize(format="json-ld", context=jsonld_context(BASE), auto_compact=True),
                                  format="json-ld")
    got = rdflib.Graph().parse(data=ours, format="json-ld")
    assert isomorphic(got, theirs) and isomorphic(got, expected) and len(got) == len(expected)


def test_prefixes_shorten_keys_types_and_ids_only_where_the_iri_reads_back():
    doc = json.loads(graph_bytes(_store(TURTLE), "application/ld+json", BASE))
    assert doc["@context"] == jsonld_context(BASE)
    iraq = next(n for n in doc["@graph"] if n["@id"] == "id:iraq")
    assert iraq["@type"] == ["oirl:Country", "schema:Place"]
    assert {"@id": "https://w3id.org/oirld/id/"} in iraq["oirl:link"]  # nothing after the prefix: kept whole
    assert {"@id": "https://schema.org///triple"} in iraq["oirl:link"]  # "schema://triple" would read as an IRI
    assert {"@id": "schema:/double"} in iraq["oirl:link"]
    assert {"@id": "id:harir-air-base"} in iraq["oirl:link"]
    assert 2500 in iraq["oirl:count"] and {"@value": "123456789012345678901234567890", "@type": "xsd:integer"} in iraq["oirl:count"]


def test_an_iri_whose_scheme_is_a_prefix_is_written_expanded():
    """rdflib's compaction reads <oirl:x> back as the ontology's term; expanded JSON-LD keeps it."""
    store = _store('<oirl:x> <https://w3id.org/oirld/ontology#p> "v" .')
    with pytest.raises(Unwritable):
        compact_json_ld(store, jsonld_context(BASE))
    got = rdflib.Graph().parse(data=graph_bytes(store, "application/ld+json", BASE), format="json-ld")
    assert (rdflib.URIRef("oirl:x"), rdflib.URIRef("https://w3id.org/oirld/ontology#p"), rdflib.Literal("v")) in got


def test_the_same_graph_gives_the_same_bytes_whatever_the_order_it_was_read_in():
    lines = _store(TURTLE.replace('oirl:blank [ rdfs:label "inside" ; oirl:n 1 ] ;', "")).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).splitlines()
    a, b = (_store(b"\n".join(x).decode()) for x in (lines, lines[::-1]))
    assert graph_bytes(a, "application/ld+json", BASE) == graph_bytes(b, "application/ld+json", BASE)
