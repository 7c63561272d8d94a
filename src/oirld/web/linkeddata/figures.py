"""What the pictures and the home page draw, read from the store: the articles (outlet, headline, date, link), and
every source's figure for a count over time (troop numbers), with the bounds its words allow.

The queries return one row per claim and passage, so a figure three articles give is three marks, each linking to
its own passage: agreement and disagreement are both seen.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import pyoxigraph as ox

from ...pageindex import PageIndex
from ..svg.base import fmt_number, parse_date
from ..templating import safe_href
from .views import OIRL, Labels, claims_of, doc_path

__all__ = ["sources_list", "count_series", "most_figures", "CHARTED", "COUNT_PANELS"]

_P = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX schema: <https://schema.org/> "
      f"PREFIX oirl: <{OIRL}>\n")
_SOURCES = _P + """SELECT ?src ?headline ?publisher ?date ?notBefore ?url WHERE { ?src a schema:NewsArticle .
  OPTIONAL { ?src schema:headline ?headline } OPTIONAL { ?src schema:publisher ?publisher }
  OPTIONAL { ?src schema:datePublished ?date } OPTIONAL { ?src oirl:publishedNotBefore ?notBefore } OPTIONAL { ?src schema:url ?url } }"""
_FIGURES = _P + """SELECT ?c ?s ?loc ?amount ?min ?max ?approx ?e ?l WHERE {
  ?c rdf:predicate {p} ; rdf:subject ?s ; rdf:object ?o . ?o schema:value ?amount .
  OPTIONAL { ?o schema:minValue ?min } OPTIONAL { ?o schema:maxValue ?max } OPTIONAL { ?o oirl:approximation ?approx }
  OPTIONAL { ?c oirl:location ?loc }
  OPTIONAL { ?c oirl:asOf ?t . OPTIONAL { ?t oirl:earliest ?e } OPTIONAL { ?t oirl:latest ?l } } }"""
#: the counts drawn over time: troop numbers, per subject and place
CHARTED = (OIRL + "troopCount",)
#: panels a page draws: the subjects and places with the most figures (a thousand panels made a page 16 MB)
COUNT_PANELS = 12
_APPROX_WORDS = {"Exact": "", "Approximately": "about", "MoreThan": "more than", "AtLeast": "at least", "UpTo": "up to",
                 "LessThan": "fewer than", "Nearly": "nearly"}


def sources_list(store: ox.Store, labels: Labels) -> list[dict[str, Any]]:
    """Every article: outlet, headline, date and address, oldest first (undated last)."""
    out: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for row in store.query(_SOURCES):
        iri = row["src"].value
        s = out.setdefault(iri, {"iri": iri, "href": doc_path(iri, labels.base) or safe_href(iri), "headline": None,
                                 "outlet": None, "date": None, "not_before": False, "url": None})
        if row["headline"] is not None and s["headline"] is None:
            s["headline"] = row["headline"].value
        if row["publisher"] is not None and s["outlet"] is None:
            s["outlet"] = labels.link(row["publisher"])
        if s["date"] is None and (row["date"] or row["notBefore"]):
            s["date"], s["not_before"] = (row["date"] or row["notBefore"]).value[:10], row["date"] is None
        if row["url"] is not None and s["url"] is None:
            s["url"] = safe_href(row["url"].value)
    for s in out.values():
        s["headline"] = s["headline"] or labels.of(s["iri"])
    return sorted(out.values(), key=lambda s: (s["date"] is None, s["date"] or "", s["headline"]))


def _number(term: Any) -> float | None:
    try:
        value = float(term.value) if term is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None  # "NaN" and "INF" are valid xsd:double


def _range(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"{fmt_number(lo)}–{fmt_number(hi)}"
    if lo is not None:
        return f"{fmt_number(lo)} or more"
    return f"up to {fmt_number(hi)}" if hi is not None else "not stated"


def count_series(store: ox.Store, labels: Labels, prop: str = CHARTED[0], subject: str | None = None,
                 index: PageIndex | None = None) -> list[dict[str, Any]]:
    """One series per subject and place (of ``subject`` alone, when given): every claim's figure, once per passage
    that states it, dated by its "as of" qualifier or, when it has none, by its article's publication date (and
    said so). With the version's page ``index`` the passages are read from it (the store's query took 7 s at 1,000
    articles, on the first view of the timeline)."""
    pattern = f"?c rdf:predicate {ox.NamedNode(prop)} ." + (f" ?c rdf:subject {ox.NamedNode(subject)} ." if subject else "")
    if not store.query(_P + f"ASK {{ {pattern} }}"):  # most pages' subjects have none: answered at once
        return []
    claims = {c["iri"]: c for c in claims_of(store, None, labels, pattern, index)}
    published = {s["iri"]: s for s in sources_list(store, labels)}
    series: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
    seen: set[str] = set()
    for row in store.query(_FIGURES.replace("{p}", str(ox.NamedNode(prop)))):
        c = claims.get(row["c"].value)
        amount = _number(row["amount"])
        if c is None or amount is None or c["iri"] in seen:
            continue
        seen.add(c["iri"])
        loc = labels.link(row["loc"]) if row["loc"] is not None else None
        key = (row["s"].value, loc["iri"] if loc else "")
        s = series.setdefault(key, {"subject": labels.link(row["s"]), "location": loc, "property": labels.link(ox.NamedNode(prop)),
                                    "points": []})
        approx = row["approx"].value.rsplit("#", 1)[-1] if row["approx"] is not None else "Exact"
        e, l = parse_date(row["e"].value if row["e"] else None), parse_date(row["l"].value if row["l"] else None)
        for ev in c["evidence"]:
            src = published.get(ev["source"]["iri"] or "", {})
            dated_by, lo, hi = "as of", e, l
            if lo is None and hi is None:
                dated_by, lo = "published", parse_date(src.get("date"))
                hi = lo
            lo, hi = lo or hi, hi or lo  # an open "as of" ("by 2025") stands at its known end
            s["points"].append({
                "claim": c, "evidence": ev, "amount": amount, "lower": _number(row["min"]), "upper": _number(row["max"]),
                "approx": approx, "range": _range(_number(row["min"]), _number(row["max"])), "approx_words": _APPROX_WORDS.get(approx, approx), "value": c["value"]["label"],
                "earliest": lo, "latest": hi, "dated_by": dated_by, "when": next((q["value"]["label"] for q in c["qualifiers"]
                                                                                  if q["property"]["iri"] == OIRL + "asOf"), None),
                "outlet": src.get("outlet"), "headline": src.get("headline") or ev["source"]["label"], "date": src.get("date"),
                "href": ev["passage_href"] or ev["href"], "disputed": bool(c["disagreements"]), "rank": c["rank"]})
    for s in series.values():
        s["points"].sort(key=lambda p: (p["earliest"] is None, p["earliest"] or p["latest"], p["amount"], p["headline"]))
        place = f" in {s['location']['label']}" if s["location"] else ""
        s["title"] = f"{s['subject']['label']}: {s['property']['label']}{place}"
    return sorted(series.values(), key=lambda s: (s["subject"]["label"], -len(s["points"]), s["title"]))


def most_figures(series: list[dict[str, Any]], n: int = COUNT_PANELS) -> list[dict[str, Any]]:
    """The ``n`` series with the most figures, in their order."""
    most = set(sorted(range(len(series)), key=lambda i: -len(series[i]["points"]))[:n])
    return [s for i, s in enumerate(series) if i in most]
