"""What the pages about one resource show, gathered from the store: the claims with their sources' words, ranks,
disagreements and inverse links. Templates only lay these out; nothing here writes HTML.

A claim's qualifiers are every property of the claim node that is not part of the claim layer itself (subject,
predicate, object, rank, evidence, build), so a qualifier added to the ontology shows up without a change here.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox

from ... import namespaces as ns
from ...citation import context, date_words, humanize
from ...config import ONTOLOGY_NS
from ...pageindex import PageIndex
from ...reprints import same_story
from ..common.hrefs import KINDS, doc_path, person_href
from ..svg.maps import place_map

__all__ = ["Catalog", "Labels", "KINDS", "PASSAGES_SHOWN", "claims_of", "claim_order", "only", "entity_view", "claim_view", "source_view", "wire_view",
           "geometries", "ontology_labels", "doc_path"]

RDF, RDFS, PROV, OA, SKOS, SCHEMA, GEO, WIKIBASE = (str(n) for n in (ns.RDF, ns.RDFS, ns.PROV, ns.OA, ns.SKOS, ns.SCHEMA, ns.GEO, ns.WIKIBASE))
OIRL = ONTOLOGY_NS
_CLAIM_LAYER = {RDF + "type", RDF + "subject", RDF + "predicate", RDF + "object", WIKIBASE + "rank", PROV + "wasGeneratedBy",
                PROV + "wasDerivedFrom", RDFS + "label", OIRL + "statedAs", OIRL + "rankReason", OIRL + "independentSources"}
_LAYER_KEYS = {RDF + "subject": "s", RDF + "predicate": "p", RDF + "object": "o", WIKIBASE + "rank": "rank", OIRL + "rankReason": "reason"}
_PREFIXES = f"PREFIX rdf: <{RDF}> PREFIX rdfs: <{RDFS}> PREFIX prov: <{PROV}> PREFIX oa: <{OA}> PREFIX oirl: <{OIRL}> PREFIX wikibase: <{WIKIBASE}>\n"

# every claim chosen by {claims}, with each passage it was drawn from. Each selector sits in its own group so the
# OPTIONALs cannot cut the pattern: a pattern after an OPTIONAL is joined on its own, from every selector in the
# store, and the page took 100x longer.
_EVIDENCE = _PREFIXES + """SELECT ?c ?e ?src ?publisher ?published ?notBefore ?exact ?prefix ?suffix ?start ?end ?script ?line ?draft ?rule ?conf ?wire WHERE {
  {claims}
  ?c prov:wasDerivedFrom ?e . ?e oa:hasSource ?src ; oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end .
  { ?e oa:hasSelector ?q . ?q oa:exact ?exact . OPTIONAL { ?q oa:prefix ?prefix } OPTIONAL { ?q oa:suffix ?suffix } }
  OPTIONAL { ?e oirl:mappedIn ?script } OPTIONAL { ?e oirl:mappingLine ?line }
  OPTIONAL { ?e a oirl:MachineReadEvidence . BIND (true AS ?draft) OPTIONAL { ?e oirl:draftRule ?rule } OPTIONAL { ?e oirl:draftConfidence ?conf } }
  OPTIONAL { ?src <https://schema.org/publisher> ?publisher }
  OPTIONAL { ?src <https://schema.org/datePublished> ?published } OPTIONAL { ?src oirl:publishedNotBefore ?notBefore }
  OPTIONAL { ?src oirl:reprintOf ?wire }
}"""
# the chosen claims' own triples (what they say, rank, qualifiers) and the disagreements they take part in: with the
# wire stories read beside the passages, two queries for what took five
_CLAIM_TRIPLES = _PREFIXES + """SELECT ?c ?cp ?co WHERE {
  {claims} { ?c ?cp ?co } UNION { ?co oirl:involvesClaim ?c BIND (oirl:involvesClaim AS ?cp) } }"""
_SAME_TEXT = _PREFIXES + """SELECT ?w ?other ?method ?sim WHERE {
  {r} oirl:reprintOf ?w . ?other oirl:reprintOf ?w . FILTER (?other != {r})
  OPTIONAL { ?w oirl:hasTextMatch ?m . ?m oirl:matchMethod ?method ; oirl:similarity ?sim .
             { ?m oirl:matchedArticle {r} ; oirl:comparedWith ?other } UNION { ?m oirl:matchedArticle ?other ; oirl:comparedWith {r} } }
}"""
_BY_SUBJECT = "?c rdf:subject {r} ."
# what orders claims on pages: property, rank, value (the order the page groups them in)
_ORDER = _PREFIXES + "SELECT * WHERE { {claims} ?c rdf:predicate ?p ; wikibase:rank ?rank ; rdf:object ?o }"
_INVERSE = _PREFIXES + "SELECT ?c ?s ?p WHERE { {claims} ?c rdf:subject ?s ; rdf:predicate ?p }"
_CURRENT = _PREFIXES + "SELECT ?cv ?s ?p ?c ?o ?asof WHERE { ?cv oirl:onSubject {r} ; oirl:onProperty ?p ; oirl:currentClaim ?c ; oirl:latestAsOf ?asof . ?c rdf:object ?o }"
_GEOMETRIES = f"SELECT ?thing ?wkt WHERE {{ ?thing <{GEO}hasGeometry> ?g . ?g <{GEO}asWKT> ?wkt }}"
_NEAR = [("closeMatch", "close to"), ("broadMatch", "part of, or an instance of, the broader"),
         ("narrowMatch", "a broader thing than"), ("relatedMatch", "related to")]
#: articles the side bar of a thing's page lists by title, and latest values it lists (each says how many in all)
MENTIONED_SHOWN, CURRENT_SHOWN = 100, 50
#: passages a claim quotes on a page of many claims (a thing's, the timeline, the disagreements): enough to see who
#: says it and in what words; it says how many it has and links to its own page, which quotes them all (first pages
#: of 325 to 870 kB had a claim quoting up to a hundred passages)
PASSAGES_SHOWN = 3
_POINT = re.compile(r"POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", re.I)


def ontology_labels(ontology: Any) -> dict[str, str]:
    """Labels of the ontology's terms (the store holds the data, not the ontology). ``ontology`` is the server's one
    parsed copy (``vocabmodel.Parsed``: its triples), or a file's path for a command run once."""
    if ontology is None or ontology == "":
        return {}
    if isinstance(ontology, (str, Path)):
        if not Path(ontology).is_file():
            return {}
        triples: Any = ox.parse(path=str(ontology), format=ox.RdfFormat.TURTLE)
    else:
        triples = ontology.triples
    out: dict[str, str] = {}
    for t in triples:
        if t.predicate.value == RDFS + "label" and isinstance(t.subject, ox.NamedNode):
            if getattr(t.object, "language", None) in (None, "en"):
                out[t.subject.value] = t.object.value
    return out


@dataclass
class Labels:
    """Turns any term into something a page can show: a label and, for IRIs, where it links."""

    base: str
    names: dict[str, str] = field(default_factory=dict)

    def link(self, term: Any) -> dict[str, Any]:
        if isinstance(term, ox.NamedNode):
            iri = term.value
            local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            # an ontology term the page has no label for is still named in words, never "troopCount"
            label = self.names.get(iri) or (humanize(local) if iri.startswith(OIRL) else local) or iri
            return {"label": label, "href": person_href(iri, self.base), "iri": iri}
        if isinstance(term, ox.Literal):
            return {"label": term.value, "href": None, "iri": None, "lang": term.language}
        return {"label": str(term), "href": None, "iri": None}

    def of(self, iri: str) -> str:
        return self.link(ox.NamedNode(iri))["label"]


class Catalog:
    """What every page needs, read once: the labels of data and ontology terms, and the places with points. Read on
    first use, so the server starts at once; forgotten after a write (only possible with updates enabled)."""

    def __init__(self, store: ox.Store, base: str, ontology: Any = None, index: PageIndex | None = None) -> None:
        self.store, self.base, self.ontology = store, base, ontology
        #: the served version's page index (:mod:`oirld.pageindex`); None: pages read their passages from the store
        self.index = index
        self._labels: Labels | None = None
        self._places: list[dict[str, Any]] | None = None
        self._about: dict[str | None, list[str]] | None = None
        self._current: dict[str, list[Any]] | None = None
        self._once: dict[str, Any] = {}

    @property
    def labels(self) -> Labels:
        if self._labels is None:
            names = ontology_labels(self.ontology)
            for q in self.store.quads_for_pattern(None, ox.NamedNode(RDFS + "label"), None):
                if isinstance(q.subject, ox.NamedNode):
                    names.setdefault(q.subject.value, q.object.value)
            self._labels = Labels(self.base, names)
        return self._labels

    def forget(self) -> None:
        """After an update (only with updates enabled): read labels, places and claims again on next use."""
        self._labels = self._places = None
        self._about = self._current = None
        self._once = {}

    def once(self, key: str, make: Any) -> Any:
        """``make()``, read on first use and kept until :meth:`forget` (what every page of a kind reads in full)."""
        if key not in self._once:
            self._once[key] = make()
        return self._once[key]

    def claims_about(self, iri: str) -> list[str]:
        """The claims about ``iri`` in the order its pages show them. Every thing's list is read in one query on
        first use (1.6 s for 15,000 claims on a busy machine), so a page of a thing with thousands of claims picks
        its window from memory instead of ordering them all on each view."""
        if self._about is None:
            self._about = _claim_orders(_query(self.store, _ORDER.replace("{claims}", "?c rdf:subject ?s ."), None), self.labels, True)
        return self._about.get(iri, [])

    def current_of(self, iri: str) -> list[Any]:
        """The latest values about ``iri`` (rows of ``_CURRENT``), all read in one query on first use, as above."""
        if self._current is None:
            self._current = {}
            for row in _query(self.store, _CURRENT.replace("{r}", "?s"), None):
                self._current.setdefault(row["s"].value, []).append(row)
        return self._current.get(iri, [])

    @property
    def places(self) -> list[dict[str, Any]]:
        if self._places is None:
            self._places = geometries(self.store, self.labels)
        return self._places


def _query(store: ox.Store, text: str, iri: str | None, claims: str = _BY_SUBJECT) -> list[Any]:
    """``text`` with its claim pattern filled in and ``{r}`` standing for the resource (written as an IRI term,
    which pyoxigraph has already checked); no resource when the pattern needs none (the timeline's)."""
    text = text.replace("{claims}", claims)
    return list(store.query(text if iri is None else text.replace("{r}", str(ox.NamedNode(iri)))))


def _rank(term: Any) -> str:
    return term.value.rsplit("#", 1)[-1].replace("Rank", "").lower()


_RANKS = ("preferred", "normal", "deprecated")


def only(iris: list[str]) -> str:
    """A claim pattern choosing exactly these claims (a page's)."""
    return "VALUES ?c { " + " ".join(str(ox.NamedNode(i)) for i in iris) + " }"


def claim_order(store: ox.Store, iri: str | None, labels: Labels, select: str = _BY_SUBJECT) -> list[str]:
    """Every claim ``select`` chooses, in the order pages show them (by property, rank, value): one light query,
    so a page can pick its window before anything about the claims is read."""
    return _claim_orders(_query(store, _ORDER, iri, select), labels, False).get(None, [])


def _claim_orders(rows: list[Any], labels: Labels, by_subject: bool) -> dict[str | None, list[str]]:
    """The claims of each subject (``?s``; None when the rows have none) in page order."""
    keys: dict[str | None, dict[str, tuple[str, int, str, str]]] = {}
    for row in rows:
        c = row["c"].value
        rank = _rank(row["rank"])
        subject = row["s"].value if by_subject else None
        keys.setdefault(subject, {})[c] = (labels.link(row["p"])["label"], _RANKS.index(rank) if rank in _RANKS else len(_RANKS),
                                           labels.link(row["o"])["label"], c)
    return {s: sorted(k, key=k.__getitem__) for s, k in keys.items()}


def claims_of(store: ox.Store, iri: str | None, labels: Labels, select: str = _BY_SUBJECT,
              index: PageIndex | None = None, quoted: int | None = None) -> list[dict[str, Any]]:
    """The claims chosen by ``select`` (about ``{r}`` by default), each with its value, rank, qualifiers, the
    sources' words in context, and the disagreements it takes part in. With the version's page ``index``, the
    passages are read from it by key (the same rows: the store's query was most of a page's time). With
    ``quoted``, a claim quotes only its first passages (a page of many claims), but counts them all."""
    claims: OrderedDict[str, dict[str, Any]] = OrderedDict()
    layer: dict[str, dict[str, Any]] = {}  # each claim's subject, predicate, object, rank, rank reason
    for row in _query(store, _CLAIM_TRIPLES, iri, select):
        c, p, o = row["c"].value, row["cp"].value, row["co"]
        claim = claims.setdefault(c, {"iri": c, "qualifiers": [], "mentions": [], "stated_as": [],
                                         "evidence": [], "disagreements": []})
        if p in _LAYER_KEYS:
            layer.setdefault(c, {}).setdefault(_LAYER_KEYS[p], o)
        elif p == OIRL + "statedAs":
            claim["stated_as"].append(o.value)
        elif p == OIRL + "mentions":  # not a qualifier: shown as one short line of links
            claim["mentions"].append(labels.link(o))
        elif p == OIRL + "involvesClaim":
            claim["disagreements"].append(labels.link(o))
        elif p not in _CLAIM_LAYER:
            claim["qualifiers"].append({"property": labels.link(row["cp"]), "value": labels.link(o)})
    for c in list(claims):
        got = layer.get(c, {})
        if not all(k in got for k in ("s", "p", "o", "rank")):  # not a claim (a page's IRI that is not one)
            del claims[c]
            continue
        claims[c].update({"href": doc_path(c, labels.base), "subject": labels.link(got["s"]), "property": labels.link(got["p"]),
                          "value": labels.link(got["o"]), "rank": _rank(got["rank"]),
                          "rank_reason": got["reason"].value if "reason" in got else None})
    story_of: dict[str, str] = {}
    every: dict[str, list[tuple[str, bool, str | None]]] = {}  # a claim's passages as (article, machine-read, wire)
    rows = (_passages_read(store, list(claims), index, labels, quoted, every) if index is not None
            else _passages_queried(store, iri, select))
    seen: set[tuple[str, str]] = set()
    for row in rows:
        c, e = row["c"], row["e"]
        if c not in claims or (c, e) in seen:
            continue
        seen.add((c, e))
        key = e.rsplit("/", 1)[-1]
        src = labels.link(ox.NamedNode(row["src"]))
        claims[c]["evidence"].append({
            "iri": e, "href": doc_path(e, labels.base), "source": src,
            "publisher": labels.link(row["publisher"]) if row["publisher"] is not None else None,
            "date_text": date_words(row["published"], row["notBefore"]),
            "passage_href": f"{src['href']}#ev-{key}" if src["href"] else None,
            "exact": row["exact"],
            # whole words, within the quote's own paragraph (citation.context)
            **dict(zip(("prefix", "suffix"), context(row["prefix"] or "", row["suffix"] or ""))),
            "start": int(row["start"]), "end": int(row["end"]),
            "script": labels.link(ox.NamedNode(row["script"])) if row["script"] else None,
            "line": int(row["line"]) if row["line"] else None,
            # machine-read (draft: true in the mapping): by which rule, how sure
            "draft": row["draft"], "rule": row["rule"],
            "confidence": float(row["conf"]) if row["conf"] else None})
        if row["wire"] is not None:
            story_of.setdefault(row["src"], row["wire"])
    for cited in every.values():
        story_of.update((src, wire) for src, _, wire in cited if wire is not None)
    _mark_wire_copies(claims.values(), story_of, labels, every)
    for c in claims.values():
        cited = every.get(c["iri"])
        drafts = [d for _, d, _ in cited] if cited is not None else [e["draft"] for e in c["evidence"]]
        c["unreviewed"], c["passages"] = bool(drafts) and all(drafts), len(drafts)
        c["evidence"].sort(key=lambda e: (e["source"]["label"], e["start"], e["iri"]))
        c["evidence"] = c["evidence"][:quoted] if quoted is not None else c["evidence"]
        c["stated_as"].sort()
        c["mentions"].sort(key=lambda m: m["label"])
    return list(claims.values())


_PASSAGE_VARS = ("c", "e", "src", "publisher", "published", "notBefore", "exact", "prefix", "suffix", "start", "end",
                 "script", "line", "rule", "conf", "wire")


def _passages_queried(store: ox.Store, iri: str | None, select: str) -> Iterator[dict[str, Any]]:
    """Each (claim, passage) row of ``_EVIDENCE``, as plain values: the store's query, for a version with no index."""
    for row in _query(store, _EVIDENCE, iri, select):
        out = {k: (row[k].value if row[k] is not None else None) for k in _PASSAGE_VARS}
        out["publisher"] = row["publisher"]  # a term: an entity, or an outlet's name as a literal
        out["draft"] = row["draft"] is not None
        yield out


_DERIVED, _REPRINT = ox.NamedNode(PROV + "wasDerivedFrom"), ox.NamedNode(OIRL + "reprintOf")


def _passages_read(store: ox.Store, claims: list[str], index: PageIndex, labels: Labels, quoted: int | None = None,
                   every: dict[str, list[tuple[str, bool, str | None]]] | None = None) -> Iterator[dict[str, Any]]:
    """The same rows from the page index: which passages each claim cites and the wire stories are the whole
    corpus's (read from the store, a few triples a claim); the passages and their articles, by key. With
    ``quoted``, the rows of each claim's first passages only, in the page's order; ``every`` gets each claim's
    passages, to count (placed from the index without their words)."""
    cites = [(c, q.object.value) for c in claims for q in store.quads_for_pattern(ox.NamedNode(c), _DERIVED, None)
             if isinstance(q.object, ox.NamedNode)]
    wires: dict[str, str | None] = {}

    def wire(source: str) -> str | None:
        if source not in wires:
            wires[source] = next((q.object.value for q in store.quads_for_pattern(ox.NamedNode(source), _REPRINT, None)), None)
        return wires[source]

    if quoted is not None and every is not None:
        placed = index.placed(e for _, e in cites)
        named = {p[0]: labels.of(p[0]) for p in placed.values()}
        mine: dict[str, list[tuple[str, int, str, str, bool]]] = {}
        for c, e in dict.fromkeys(cites):
            if e in placed:
                src, start, draft = placed[e]
                mine.setdefault(c, []).append((named[src], start, e, src, draft))
        for c, ps in mine.items():
            ps.sort()  # the page's order: by article, then place in it
            every[c] = [(src, draft, wire(src)) for *_, src, draft in ps]
        cites = [(c, p[2]) for c, ps in mine.items() for p in ps[:quoted]]
    passages = index.passages(e for _, e in cites)
    sources = index.sources({p["source"] for p in passages.values()})
    for c, e in cites:
        p = passages.get(e)
        if p is None:
            continue
        src = sources.get(p["source"], {})
        publisher = src.get("publisher")
        if publisher is not None:
            publisher = ox.NamedNode(publisher) if src.get("publisher_is_iri") else ox.Literal(publisher)
        yield {"c": c, "e": e, "src": p["source"], "publisher": publisher, "published": src.get("published"),
               "notBefore": src.get("not_before"), "exact": p["exact"], "prefix": p["prefix"], "suffix": p["suffix"],
               "start": p["start"], "end": p["end"], "script": p["script"], "line": p["line"], "draft": bool(p["draft"]),
               "rule": p["rule"], "conf": p["conf"], "wire": wire(p["source"])}


def _mark_wire_copies(claims: Any, story_of: dict[str, str], labels: Labels,
                      every: dict[str, list[tuple[str, bool, str | None]]]) -> None:
    """Say, on each passage, which other articles citing the claim carry the same wire text, and count the claim's
    independent sources: the reprints of one wire story are one source, not several confirmations. ``every``: the
    passages of a claim that quotes only some."""
    for c in claims:
        cited = every.get(c["iri"])
        sources = {s for s, _, _ in cited} if cited is not None else {e["source"]["iri"] for e in c["evidence"] if e["source"]["iri"]}
        c["articles"], c["article_iris"] = len(sources), sources
        c["independent_sources"], same = same_story(sources, story_of)
        for e in c["evidence"]:
            e["same_wire_as"] = [labels.link(ox.NamedNode(o)) for o in same.get(e["source"]["iri"], [])]


def _group(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for c in sorted(claims, key=lambda c: (c["property"]["label"], _RANKS.index(c["rank"]), c["value"]["label"], c["iri"])):
        g = groups.setdefault(c["property"]["iri"], {"property": c["property"], "claims": [], "disputed": False})
        g["claims"].append(c)
        g["disputed"] = g["disputed"] or bool(c["disagreements"])
    return list(groups.values())


def entity_view(store: ox.Store, graph: ox.Store, iri: str, labels: Labels, places: list[dict[str, Any]],
                select: str = _BY_SUBJECT, pointing: list[str] | None = None, current_rows: list[Any] | None = None,
                index: PageIndex | None = None) -> dict[str, Any]:
    """Everything the page about a thing shows (each claim quoting its first :data:`PASSAGES_SHOWN` passages). ``graph`` is its description (the resource's own triples); the
    claims are those ``select`` chooses (a page's window), and ``pointing`` the claims with the thing as their value
    that the page lists (all when None)."""
    node = ox.NamedNode(iri)
    own = list(graph.quads_for_pattern(node, None, None))

    def values(pred: str) -> list[Any]:
        return sorted((q.object for q in own if q.predicate.value == pred), key=lambda t: t.value)

    claims = claims_of(store, iri, labels, select, index, PASSAGES_SHOWN)
    names = [c for c in claims if c["property"]["iri"] == OIRL + "writtenAs"]
    facts = [c for c in claims if c["property"]["iri"] != OIRL + "writtenAs"]
    inverse: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for row in _query(store, _INVERSE, iri, "?c rdf:object {r} ." if pointing is None else only(pointing)):
        g = inverse.setdefault(row["p"].value, {"property": labels.link(row["p"]), "items": {}})
        g["items"].setdefault(row["s"].value, {"subject": labels.link(row["s"]), "claims": []})["claims"].append(
            doc_path(row["c"].value, labels.base))
    disputes = {d["iri"]: d for c in claims for d in c["disagreements"]}
    shown = {c["iri"]: c["value"] for c in claims}
    rows = _query(store, _CURRENT, iri) if current_rows is None else current_rows
    # sorted before they are named: Iraq has some two thousand latest values and the page lists 50
    named = {p: labels.link(p)["label"] for p in {r["p"] for r in rows}}
    first = sorted(rows, key=lambda r: (named[r["p"]], r["asof"].value, r["c"].value))[:CURRENT_SHOWN]
    current = [{"property": labels.link(r["p"]), "claim": r["c"].value, "as_of": r["asof"].value,
                "value": shown.get(r["c"].value) or labels.link(r["o"])} for r in first]
    here = next((p for p in places if p["iri"] == iri), None)
    # the articles cited on this page (all of them when the page holds every claim): reading every article that
    # mentions a thing named in a thousand of them cost more than the rest of the page
    cited = {s for c in claims for s in c["article_iris"]}
    mentioned = sorted((labels.link(ox.NamedNode(s)) for s in cited), key=lambda s: s["label"])
    return {
        "iri": iri, "label": labels.of(iri),
        "types": [labels.link(t) for t in values(RDF + "type")],
        "aliases": [t.value for t in values(SKOS + "altLabel")],
        "description": next((t.value for t in values(SCHEMA + "description")), None),
        "same_as": [t.value for t in values(SKOS + "exactMatch")],
        # looser links (a broader item, a close one), each with the relation said in words
        "near": [{"iri": t.value, "relation": rel} for pred, rel in _NEAR for t in values(SKOS + pred)],
        "groups": _group(facts), "names": names,
        "inverse": [{"property": g["property"], "items": list(g["items"].values())}
                    for g in sorted(inverse.values(), key=lambda g: g["property"]["label"])],
        "mentioned_in": mentioned[:MENTIONED_SHOWN], "mentioned_total": len(mentioned),
        "disagreements": list(disputes.values()),
        "current": current, "current_total": len(rows),
        "place": here, "map": place_map(places, iri) if here else None,
        # a registry entry a command made and no person has checked: who made it, when, for which article
        "unreviewed": {"by": next((t.value for t in values(OIRL + "addedBy")), ""),
                       "on": next((t.value for t in values(OIRL + "addedOn")), ""),
                       "source": next((labels.link(t) for t in values(OIRL + "addedFor")), None)}
        if any(t.value == OIRL + "UnreviewedEntity" for t in values(RDF + "type")) else None,
    }


def claim_view(store: ox.Store, iri: str, labels: Labels, index: PageIndex | None = None) -> dict[str, Any] | None:
    """The page about one claim: what it says, in whose words, and what else the sources say on the same point."""
    found = claims_of(store, iri, labels, "BIND ({r} AS ?c) ?c rdf:subject ?any .", index)
    if not found:
        return None
    claim = found[0]
    subject = next(store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF + "subject"), None)).object
    same_slot = (f"?c rdf:subject <{subject.value}> ; rdf:predicate <{claim['property']['iri']}> . "
                 f"FILTER (?c != {{r}})")
    return {"claim": claim, "subject": labels.link(subject), "label": labels.of(iri),
            "others": claims_of(store, iri, labels, same_slot, index)}


_FIELDS = [("headline", SCHEMA + "headline"), ("publisher", SCHEMA + "publisher"), ("author", SCHEMA + "author"),
           ("published", SCHEMA + "datePublished"), ("published not before", OIRL + "publishedNotBefore"),
           ("language", SCHEMA + "inLanguage"), ("address", SCHEMA + "url")]


def source_view(graph: ox.Store, iri: str, labels: Labels) -> dict[str, Any]:
    """An article's record: each field with how it was determined, and the published hashes of its text."""
    node = ox.NamedNode(iri)
    own = list(graph.quads_for_pattern(node, None, None))
    fields = [{"name": name, "values": [labels.link(q.object) for q in own if q.predicate.value == pred]} for name, pred in _FIELDS]
    records = []
    for q in own:
        if q.predicate.value != OIRL + "hasFieldRecord":
            continue
        rec = {p.predicate.value: p.object for p in graph.quads_for_pattern(q.object, None, None)}
        records.append({"field": labels.link(rec[OIRL + "field"]) if OIRL + "field" in rec else None,
                        "how": labels.link(rec[OIRL + "determinedBy"]) if OIRL + "determinedBy" in rec else None,
                        "note": rec[OIRL + "evidenceNote"].value if OIRL + "evidenceNote" in rec else ""})
    one = {q.predicate.value: q.object.value for q in own}
    return {"fields": [f for f in fields if f["values"]], "records": sorted(records, key=lambda r: r["field"]["label"] if r["field"] else ""),
            "sha256": one.get(OIRL + "textSha256"), "bytes_sha256": one.get(OIRL + "bytesSha256"),
            "length": one.get(OIRL + "textLength"), "file": one.get(OIRL + "fileName"),
            "repairs": sorted(q.object.value for q in own if q.predicate.value == OIRL + "textRepair")}


def wire_view(store: ox.Store, iri: str, labels: Labels) -> dict[str, Any] | None:
    """The wire story an article carries, with the other articles that carry it and how each was matched."""
    others: OrderedDict[str, dict[str, Any]] = OrderedDict()
    story = None
    for row in _query(store, _SAME_TEXT, iri):
        story = labels.link(row["w"])
        o = others.setdefault(row["other"].value, {"source": labels.link(row["other"]), "method": None, "similarity": None})
        if row["method"] is not None:
            o["method"], o["similarity"] = labels.link(row["method"]), row["sim"].value
    if story is None:
        return None
    return {"story": story, "others": sorted(others.values(), key=lambda o: o["source"]["label"])}


def geometries(store: ox.Store, labels: Labels) -> list[dict[str, Any]]:
    """Every place with a point, for the small maps."""
    out = []
    for row in store.query(_GEOMETRIES):
        m = _POINT.search(row["wkt"].value)
        if m:
            out.append({"iri": row["thing"].value, "label": labels.of(row["thing"].value),
                        "href": doc_path(row["thing"].value, labels.base), "lon": float(m.group(1)), "lat": float(m.group(2)),
                        "wkt": row["wkt"].value})
    return sorted(out, key=lambda p: p["label"])
