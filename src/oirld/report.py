"""Disagreements read back from the published store, as plain data for the CLI and the web pages.

Reading from the store, not from the mappings, means ``oirld conflicts`` shows exactly what was published. Each
passage names its article as a reader cites it (:mod:`oirld.citation`: outlet, headline, date) in ``source_name``,
with the machine's names beside it (``file``, ``start``/``end``, the ``evidence`` IRI); properties are named by the
ontology's labels when the caller has them, else by their local name in words.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Mapping

import pyoxigraph as ox

from .citation import Citation, citations, humanize, passage_anchor
from .pageindex import PageIndex
from .reprints import same_story

__all__ = ["disagreements_from_store", "DISAGREEMENTS_QUERY"]

DISAGREEMENTS_QUERY = """
PREFIX oirl: <https://w3id.org/oirld/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?d ?kind ?s ?sLabel ?p ?c ?rank ?reason ?v ?vLabel ?e ?src ?srcFile ?exact ?start ?end WHERE {
  ?d a oirl:Disagreement ; oirl:disagreementKind ?kind ; oirl:onSubject ?s ; oirl:onProperty ?p ; oirl:involvesClaim ?c .
  ?c rdf:object ?v ; wikibase:rank ?rank ; prov:wasDerivedFrom ?e .
  ?e oa:hasSource ?src ; oa:hasSelector ?qs , ?ps .
  ?src oirl:fileName ?srcFile .
  ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
  ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?s rdfs:label ?sLabel .  # after the claims: joined first, it took twice as long for a page
  # the OPTIONALs last: a pattern after an OPTIONAL is joined on its own and costs 100x here
  OPTIONAL { ?c oirl:rankReason ?reason }
  OPTIONAL { ?v rdfs:label ?vLabel }
}
"""
# the same rows without the passages' words, offsets and articles, for a version whose page index holds those: the
# selectors and articles of a page's 200-odd passages were most of the query's time (oirld.pageindex)
CLAIMS_QUERY = (DISAGREEMENTS_QUERY.replace("?e ?src ?srcFile ?exact ?start ?end WHERE", "WHERE")
                .replace(" ; prov:wasDerivedFrom ?e .", " .")  # the passages are read by key
                .replace("""  ?e oa:hasSource ?src ; oa:hasSelector ?qs , ?ps .
  ?src oirl:fileName ?srcFile .
  ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
  ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
""", ""))
_VARS = ("d", "kind", "s", "sLabel", "p", "c", "rank", "reason", "v", "vLabel", "e", "src", "srcFile", "exact", "start", "end")
# the rows' order (sorted here, not by ORDER BY: sorting in the engine cost a third of a page's query)
_ROW_ORDER = ("kind", "sLabel", "p", "c", "src")

# from each disagreement's claims to their qualifiers: VALUES over the qualifiers first joined every claim that has
# one (0.7 s for a page of ten at 1,000 articles; 10 ms this way)
QUALIFIERS_QUERY = """
PREFIX oirl: <https://w3id.org/oirld/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?c ?q ?v ?vLabel WHERE {
  ?d a oirl:Disagreement ; oirl:involvesClaim ?c .
  ?c ?q ?v . FILTER (?q IN (oirl:asOf, oirl:accordingTo, oirl:location, oirl:during, oirl:victim, oirl:statementKind))
  OPTIONAL { ?v rdfs:label ?vLabel }
}
"""



WIRE_QUERY = """
PREFIX oirl: <https://w3id.org/oirld/ontology#>
SELECT DISTINCT ?src ?w WHERE { ?src oirl:reprintOf ?w }
"""


_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")


def _s(term: Any) -> str | None:
    return None if term is None else term.value


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _stated_as(store: ox.Store, claim: str) -> list[Any]:
    return [q.object for q in store.quads_for_pattern(ox.NamedNode(claim), ox.NamedNode("https://w3id.org/oirld/ontology#statedAs"), None)]


def _rows(store: ox.Store, chosen: str, index: PageIndex | None) -> list[dict[str, Any]]:
    """The rows of ``DISAGREEMENTS_QUERY`` as plain values. With an ``index``, each passage's article and place are
    read from it, but not its words or end (None): :func:`_quote` reads those for the passages a page quotes."""
    if index is None:
        found = store.query(DISAGREEMENTS_QUERY.replace("?d a oirl:Disagreement", chosen + "?d a oirl:Disagreement"))
        return [{k: _s(row[k]) for k in _VARS} for row in found]
    # one row a side, its passages read by key: a row a passage, turned into values, was a third of a page's time
    sides = [{k: _s(row[k]) for k in _VARS[:10]}
             for row in store.query(CLAIMS_QUERY.replace("?d a oirl:Disagreement", chosen + "?d a oirl:Disagreement"))]
    rows = [{**side, "e": q.object.value} for side in sides
            for q in store.quads_for_pattern(ox.NamedNode(side["c"]), _DERIVED, None) if isinstance(q.object, ox.NamedNode)]
    placed = index.placed(row["e"] for row in rows)
    files = {k: s["file"] for k, s in index.sources({p[0] for p in placed.values()}).items()}
    out = []
    for row in rows:
        p = placed.get(row["e"])
        file = files.get(p[0]) if p is not None else None
        if p is None or file is None:  # as the query's join leaves out a passage with no selector or no article file
            continue
        out.append({**row, "src": p[0], "srcFile": file, "exact": None, "start": p[1], "end": None})
    return out


def _quote(sides: list[dict[str, Any]], index: PageIndex | None) -> None:
    """Fill in the words and end of each passage quoted from the index (the rows left them out)."""
    wanted = [e for v in sides for e in v["evidence"] if e["exact"] is None]
    if index is None or not wanted:
        return
    found = index.passages(e["evidence"] for e in wanted)
    for e in wanted:
        p = found[e["evidence"]]
        e["exact"], e["end"] = p["exact"], int(p["end"])  # type: ignore[call-overload]


def disagreements_from_store(store: ox.Store, labels: Mapping[str, str] | None = None,
                             only: list[str] | None = None, cited: Mapping[str, Citation] | None = None,
                             index: PageIndex | None = None, quoted: int | None = None) -> list[dict[str, Any]]:
    """Every disagreement with its sides, or ``only`` these (a page of them, by IRI); ``labels`` (IRI -> label, the
    ontology's) names properties and qualifiers; ``cited`` the articles as cited, when the caller keeps them;
    ``index`` the version's page index, to read the passages from (the same rows, by key). Each side lists its
    passages, or the first ``quoted`` of them; either way it counts them all (``passages``, ``articles`` and
    ``independent_sources``): a page quotes a few and links to the claim, which quotes them all."""
    labels = labels or {}

    def term_label(iri: str) -> str:
        return labels.get(iri) or humanize(_local(iri))

    chosen = "" if only is None else "VALUES ?d { " + " ".join(str(ox.NamedNode(d)) for d in only) + " }\n  "
    quals: dict[str, dict[str, str]] = {}
    qual_words: dict[str, str] = {}  # qualifier (local name, the JSON key) -> its label, for sentences
    for row in store.query(QUALIFIERS_QUERY.replace("?d a oirl:Disagreement", chosen + "?d a oirl:Disagreement")):
        quals.setdefault(row["c"].value, {})[_local(row["q"].value)] = _s(row["vLabel"]) or _local(row["v"].value)
        qual_words[_local(row["q"].value)] = term_label(row["q"].value)
    out: "OrderedDict[str, dict[str, Any]]" = OrderedDict()
    rows = sorted(_rows(store, chosen, index), key=lambda row: (*(row[k] for k in _ROW_ORDER), int(row["start"])))
    # a page's articles only: reading all of them cost more than the rest of the page at 1,000 articles
    if cited is None:
        cited = citations(store, None if only is None else {row["src"] for row in rows})
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        d = out.get(row["d"])
        if d is None:
            d = out[row["d"]] = {
                "id": row["d"], "kind": row["kind"], "subject": row["s"], "subject_label": row["sLabel"],
                "property": row["p"], "property_label": term_label(row["p"]), "values": OrderedDict()}
        c = row["c"]
        v = d["values"].get(c)
        if v is None:  # each side once (its stated words read once, not once per passage)
            v = d["values"][c] = {
                "claim": c, "value": row["v"], "label": row["vLabel"] or row["v"],
                "rank": row["rank"].rsplit("#", 1)[-1].replace("Rank", "").lower(),
                "rank_reason": row["reason"], "qualifiers": quals.get(c, {}),
                "qualifiers_in_words": {qual_words[k]: x for k, x in quals.get(c, {}).items()},
                "stated_as": sorted(w.value for w in _stated_as(store, c)), "evidence": [], "passages": 0,
                "sources": {}}
        src = row["src"]
        key = (c, src, row["e"], row["exact"], row["start"], row["end"])
        if key in seen:  # the same passage once (a set: a list's "in" made long sides quadratic)
            continue
        seen.add(key)
        citation = cited.get(src)
        v["passages"] += 1
        v["sources"][src] = citation.name if citation else row["srcFile"]
        if quoted is not None and len(v["evidence"]) >= quoted:
            continue
        v["evidence"].append({"source": src, "source_name": v["sources"][src],
                              **(citation.as_dict() if citation else {"file": row["srcFile"]}),
                              "evidence": row["e"], "anchor": passage_anchor(row["e"]), "exact": row["exact"],
                              "start": int(row["start"]), "end": None if row["end"] is None else int(row["end"])})
    story_of = {row["src"].value: row["w"].value for row in store.query(WIRE_QUERY)}
    result = []
    for d in out.values():
        d["values"] = list(d["values"].values())
        for v in d["values"]:
            _count_sources(v, story_of)
        result.append(d)
    _quote([v for d in result for v in d["values"]], index)
    return result


def _count_sources(side: dict[str, Any], story_of: dict[str, str]) -> None:
    """Each side's articles and independent sources (the reprints of one wire story count once), and on each passage
    quoted the other articles of that side that carry the same wire text."""
    names = side.pop("sources")
    side["articles"] = len(names)
    side["independent_sources"], same = same_story(names, story_of)
    for e in side["evidence"]:
        e["same_wire_as"] = sorted(names[o] for o in same[e["source"]])
