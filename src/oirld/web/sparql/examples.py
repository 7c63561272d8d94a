"""Example queries for the questions users ask; shown on the query page and checked against the build in tests."""

from __future__ import annotations

__all__ = ["PREFIXES", "EXAMPLES"]

PREFIXES = """PREFIX oirl: <https://w3id.org/oirld/ontology#>
PREFIX id: <https://w3id.org/oirld/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX wikibase: <http://wikiba.se/ontology#>
"""

EXAMPLES = [
    {
        "id": "sources-for-a-claim",
        "title": "Which sources say when the mission ends, in which words?",
        "query": PREFIXES + """
SELECT ?when ?source ?words ?start ?end WHERE {
  ?claim rdf:subject id:oir ; rdf:predicate oirl:endDate ; rdf:object/rdfs:label ?when ;
         prov:wasDerivedFrom ?evidence .
  ?evidence oa:hasSource/rdfs:label ?source ;
            oa:hasSelector/oa:exact ?words ; oa:hasSelector/oa:start ?start ; oa:hasSelector/oa:end ?end .
}
ORDER BY ?when ?source""",
    },
    {
        "id": "disagreements",
        "title": "Where do the sources disagree?",
        "query": PREFIXES + """
SELECT ?about ?property ?value ?source ?words WHERE {
  ?d a oirl:Disagreement ; oirl:disagreementKind "value" ; oirl:onSubject/rdfs:label ?about ;
     oirl:onProperty ?property ; oirl:involvesClaim ?claim .
  ?claim rdf:object/rdfs:label ?value ; prov:wasDerivedFrom ?evidence .
  ?evidence oa:hasSource/rdfs:label ?source ; oa:hasSelector/oa:exact ?words .
}
ORDER BY ?about ?value""",
    },
    {
        "id": "troops-over-time",
        "title": "US troop numbers over time, by place and source",
        "query": PREFIXES + """
SELECT ?place ?asOf ?troops ?accordingTo ?source WHERE {
  ?claim rdf:subject id:united-states ; rdf:predicate oirl:troopCount ; rdf:object/rdfs:label ?troops ;
         oirl:location/rdfs:label ?place ; prov:wasDerivedFrom/oa:hasSource/rdfs:label ?source .
  OPTIONAL { ?claim oirl:asOf/oirl:earliest ?asOf }
  OPTIONAL { ?claim oirl:accordingTo/rdfs:label ?accordingTo }
}
ORDER BY ?place ?asOf""",
    },
    {
        "id": "latest-troops",
        "title": "The latest troop numbers per place, and who gives them",
        "query": PREFIXES + """
SELECT ?who ?place ?asOf ?troops ?accordingTo ?source WHERE {
  ?current a oirl:CurrentValue ; oirl:onProperty oirl:troopCount ; oirl:onSubject/rdfs:label ?who ;
           oirl:latestAsOf ?asOf ; oirl:currentClaim ?claim .
  OPTIONAL { ?current oirl:location/rdfs:label ?place }
  ?claim rdf:object/rdfs:label ?troops ; prov:wasDerivedFrom/oa:hasSource/rdfs:label ?source .
  OPTIONAL { ?claim oirl:accordingTo/rdfs:label ?accordingTo }
}
ORDER BY ?who ?place""",
    },
    {
        "id": "bases",
        "title": "Bases, where they are, and what happens to them",
        "query": PREFIXES + """
SELECT DISTINCT ?base ?where ?event ?role WHERE {
  ?b a oirl:MilitaryBase ; rdfs:label ?base .
  OPTIONAL { ?b oirl:locatedIn/rdfs:label ?where }
  OPTIONAL {
    { ?e oirl:fromPlace ?b . BIND("forces leave" AS ?role) } UNION
    { ?e oirl:toPlace ?b . BIND("forces move in" AS ?role) } UNION
    { ?f oirl:basedAt ?b . BIND("forces based here" AS ?role) BIND(?f AS ?e) }
    ?e rdfs:label ?event .
  }
}
ORDER BY ?base ?role""",
    },
    {
        "id": "one-actor",
        "title": "Everything said about one actor (Mohammed Shia al-Sudani)",
        "query": PREFIXES + """
SELECT ?property ?value ?source ?words WHERE {
  { ?claim rdf:subject id:mohammed-shia-al-sudani ; rdf:object ?v . OPTIONAL { ?v rdfs:label ?vl } BIND(COALESCE(?vl, ?v) AS ?value) }
  UNION
  { ?claim rdf:object id:mohammed-shia-al-sudani ; rdf:subject/rdfs:label ?value }
  ?claim rdf:predicate ?property ; prov:wasDerivedFrom ?evidence .
  ?evidence oa:hasSource/rdfs:label ?source ; oa:hasSelector/oa:exact ?words .
}
ORDER BY ?property""",
    },
]
