"""Giving back to Wikidata: QuickStatements for a human to review, with references in the form editors expect.

For every non-deprecated claim whose subject has a Wikidata item and whose property has a Wikidata counterpart
(start time P580, end time P582, point in time P585, location P276), one QuickStatements V1 line per supporting
passage a person has reviewed (machine-read passages, ``draft: true`` in the mapping, never go to Wikidata), with the reference: reference URL (S854), quotation (S1683), publication date (S577) and title (S1476) of
the article. Times are written only when the words name exactly one year, month or day; "by 2026" has no place in a
Wikidata time value and is left out. Nothing is sent anywhere: the reviewer checks each line against Wikidata (which
this tool cannot reach) and pastes what is missing or wrong there. Property IDs checked: see ontology/oirld.ttl.

A value the sources dispute (a claim in a disagreement: the Gaza war "started 2022", one source's error) is held
back: it is not a statement of the file, whose lines a person pastes as they are, but a comment line after them
(``#``, why, then the statement with spaces for tabs), so the reviewer sees it in the file itself, not only on
standard error. The comment lines have no tab, so they hold no QuickStatements command; the file says to delete them
before pasting.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

__all__ = ["Statement", "wikidata_statements", "to_quickstatements", "PROPERTY_MAP", "DISPUTED"]

PROPERTY_MAP = {"startDate": "P580", "endDate": "P582", "date": "P585", "location": "P276"}

_QUERY = """
PREFIX oirl: <https://w3id.org/oirld/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX schema: <https://schema.org/>
PREFIX time: <http://www.w3.org/2006/time#> PREFIX wikibase: <http://wikiba.se/ontology#>
SELECT ?claim ?label ?qid ?p ?objQid ?gy ?gym ?gd ?url ?pub ?title ?exact ?disputed WHERE {
  ?claim a oirl:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?obj ; wikibase:rank ?rank ; rdfs:label ?label .
  FILTER (?rank != wikibase:DeprecatedRank)
  FILTER (?p IN (oirl:startDate, oirl:endDate, oirl:date, oirl:location))
  ?s skos:exactMatch ?qid .
  OPTIONAL { ?obj time:inXSDgYear ?gy } OPTIONAL { ?obj time:inXSDgYearMonth ?gym } OPTIONAL { ?obj time:inXSDDate ?gd }
  OPTIONAL { ?obj skos:exactMatch ?objQid }
  ?claim prov:wasDerivedFrom ?e . ?e oa:hasSource ?src ; oa:hasSelector/oa:exact ?exact .
  FILTER NOT EXISTS { ?e a oirl:MachineReadEvidence }
  BIND (EXISTS { ?d a oirl:Disagreement ; oirl:involvesClaim ?claim } AS ?disputed)
  OPTIONAL { ?src schema:url ?url } OPTIONAL { ?src schema:datePublished ?pub } OPTIONAL { ?src schema:headline ?title }
}
ORDER BY ?qid ?p ?claim ?url
"""


DISPUTED = "disputed between sources: check the sources before adding it"


@dataclass(frozen=True)
class Statement:
    claim: str
    label: str
    item: str
    prop: str
    value: str
    references: tuple[tuple[str, str], ...]
    #: why the statement is held back from the file's statements (DISPUTED); None: it is one of them
    held: str | None = None

    def line(self) -> str:
        return "\t".join([self.item, self.prop, self.value, *[x for ref in self.references for x in ref]])

    def comment(self) -> str:
        """The held-back statement as a comment line: its fields spaced, never tabbed, then the reason."""
        return f"# held back ({self.held}): {self.line().replace(chr(9), ' ')}"


def _q(term: object) -> str | None:
    return None if term is None else term.value.rsplit("/", 1)[-1]  # type: ignore[attr-defined]


def _string(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', "'") + '"'


def wikidata_statements(store: ox.Store) -> list[Statement]:
    out = []
    for row in store.query(_QUERY):
        prop = PROPERTY_MAP[row["p"].value.rsplit("#", 1)[-1]]
        if prop == "P276":
            if row["objQid"] is None:
                continue
            value = _q(row["objQid"])
        elif row["gd"] is not None:
            value = f"+{row['gd'].value}T00:00:00Z/11"
        elif row["gym"] is not None:
            value = f"+{row['gym'].value}-00T00:00:00Z/10"
        elif row["gy"] is not None:
            value = f"+{row['gy'].value}-00-00T00:00:00Z/9"
        else:
            continue
        refs = []
        if row["url"] is not None:
            refs.append(("S854", _string(row["url"].value)))
        refs.append(("S1683", "en:" + _string(row["exact"].value)))
        if row["pub"] is not None:
            refs.append(("S577", f"+{row['pub'].value}T00:00:00Z/11"))
        if row["title"] is not None:
            refs.append(("S1476", "en:" + _string(row["title"].value)))
        held = DISPUTED if _true(row["disputed"]) else None
        out.append(Statement(row["claim"].value, row["label"].value, _q(row["qid"]) or "", prop, value or "", tuple(refs), held))
    return out


def _true(term: object) -> bool:
    return term is not None and term.value == "true"  # type: ignore[attr-defined]


def to_quickstatements(statements: list[Statement]) -> str:
    """The statements to paste, then the held-back ones as comment lines with the reason."""
    text = "".join(s.line() + "\n" for s in statements if s.held is None)
    held = [s for s in statements if s.held is not None]
    if held:
        text += "# Held back: not statements; delete these lines before pasting into QuickStatements.\n"
        text += "".join(s.comment() + "\n" for s in held)
    return text
