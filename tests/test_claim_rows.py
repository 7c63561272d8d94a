"""A page's claims read in two queries (their triples with their disagreements; their passages with the articles'
wire stories) carry everything a row shows: value, rank and its reason, qualifiers, spellings, disagreements, each
passage with its article, words in context, selectors, mapping line, draft rule, and the wire-copy count."""

from __future__ import annotations

import pyoxigraph as ox

from oirld.web.linkeddata.views import Labels, claims_of, only

TTL = """
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix oa: <http://www.w3.org/ns/oa#> . @prefix schema: <https://schema.org/> .
@prefix oirl: <https://w3id.org/oirld/ontology#> . @prefix wikibase: <http://wikiba.se/ontology#> . @prefix b: <https://w3id.org/oirld/> .
b:claim\\/c1 a oirl:Claim ; rdf:subject b:id\\/iraq ; rdf:predicate oirl:troopCount ; rdf:object b:value\\/v1 ;
  wikibase:rank wikibase:DeprecatedRank ; oirl:rankReason "superseded" ; oirl:statedAs "2,500", "2500" ;
  oirl:asOf b:id\\/y2024 ; prov:wasDerivedFrom b:evidence\\/e1, b:evidence\\/e2 .
b:claim\\/c2 a oirl:Claim ; rdf:subject b:id\\/iraq ; rdf:predicate oirl:troopCount ; rdf:object b:value\\/v2 ;
  wikibase:rank wikibase:NormalRank ; prov:wasDerivedFrom b:evidence\\/e3 .
b:claim\\/c3 rdfs:label "not a claim: no subject" .
b:disagreement\\/d1 oirl:involvesClaim b:claim\\/c1, b:claim\\/c2 ; rdfs:label "Troops in Iraq" .
b:id\\/iraq rdfs:label "Iraq" . b:id\\/y2024 rdfs:label "2024" . b:value\\/v1 rdfs:label "2,500 troops" . b:value\\/v2 rdfs:label "2,000 troops" .
b:evidence\\/e1 oa:hasSource b:source\\/a1 ; oa:hasSelector <https://w3id.org/oirld/evidence/e1#q>, <https://w3id.org/oirld/evidence/e1#p> ;
  oirl:mappedIn b:mapping\\/m1 ; oirl:mappingLine 12 .
<https://w3id.org/oirld/evidence/e1#q> oa:exact "2,500" ; oa:prefix "the first words. About " ; oa:suffix " troops stay\\nNext" .
<https://w3id.org/oirld/evidence/e1#p> oa:start 10 ; oa:end 15 .
b:evidence\\/e2 a oirl:MachineReadEvidence ; oirl:draftRule "R7" ; oirl:draftConfidence 0.5 ; oa:hasSource b:source\\/a2 ;
  oa:hasSelector <https://w3id.org/oirld/evidence/e2#q>, <https://w3id.org/oirld/evidence/e2#p> .
<https://w3id.org/oirld/evidence/e2#q> oa:exact "2500" . <https://w3id.org/oirld/evidence/e2#p> oa:start 3 ; oa:end 7 .
b:evidence\\/e3 oa:hasSource b:source\\/a3 ; oa:hasSelector <https://w3id.org/oirld/evidence/e3#q> .
<https://w3id.org/oirld/evidence/e3#q> oa:exact "no position: not shown" .
b:source\\/a1 rdfs:label "First" ; schema:publisher b:id\\/ap ; schema:datePublished "2024-09-27" ; oirl:reprintOf b:wire\\/w1 .
b:source\\/a2 rdfs:label "Second" ; oirl:publishedNotBefore "2024-09-28" ; oirl:reprintOf b:wire\\/w1 .
b:id\\/ap rdfs:label "AP" .
"""
BASE = "https://w3id.org/oirld/"


def _labels(store: ox.Store) -> Labels:
    return Labels(BASE, {q.subject.value: q.object.value for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None)})


def test_a_claims_row_has_everything_the_page_shows():
    store = ox.Store()
    store.load(TTL.encode(), format=ox.RdfFormat.TURTLE)
    got = {c["iri"].rsplit("/", 1)[-1]: c for c in claims_of(store, None, _labels(store), only([BASE + f"claim/c{i}" for i in (1, 2, 3)]))}
    assert set(got) == {"c1", "c2"}  # c3 is no claim
    c1 = got["c1"]
    assert (c1["subject"]["label"], c1["property"]["iri"], c1["value"]["label"]) == ("Iraq", "https://w3id.org/oirld/ontology#troopCount", "2,500 troops")
    assert (c1["rank"], c1["rank_reason"], c1["stated_as"]) == ("deprecated", "superseded", ["2,500", "2500"])
    assert [(q["property"]["iri"].rsplit("#", 1)[-1], q["value"]["label"]) for q in c1["qualifiers"]] == [("asOf", "2024")]
    assert [d["label"] for d in c1["disagreements"]] == ["Troops in Iraq"] == [d["label"] for d in got["c2"]["disagreements"]]
    first, second = c1["evidence"]  # by article label
    assert (first["source"]["label"], first["exact"], first["prefix"], first["suffix"]) == ("First", "2,500", "the first words. About ", " troops stay")
    assert (first["start"], first["end"], first["line"], first["publisher"]["label"], first["date_text"]) == (10, 15, 12, "AP", "27 September 2024")
    assert first["draft"] is False and second["draft"] is True and (second["rule"], second["confidence"]) == ("R7", 0.5)
    assert second["date_text"] == "published on or after 28 September 2024" and c1["unreviewed"] is False
    # the two articles carry one wire text: two articles, one independent source
    assert (c1["articles"], c1["independent_sources"]) == (2, 1) and [s["label"] for s in first["same_wire_as"]] == ["Second"]
    assert got["c2"]["evidence"] == []  # a passage without a position is not shown
