"""How an article is named wherever it is cited: by its outlet, headline and date, as a reader would cite it.

A seed's file name and a character range identify a passage for a machine, not for a person; they stay in the data
(``oirl:fileName``, the position selectors) and in the JSON, but every sentence written for people names the
article the way a newspaper citation does: "SOFX, “U.S. and Iraq Agree …”, 27 September 2024". What the record does
not know is left out, never guessed: a source with no date is named without one, one with neither outlet nor
headline by its file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

__all__ = ["Citation", "citations", "context", "date_words", "human_date", "passage_anchor", "humanize"]

_QUERY = """
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oirl: <https://w3id.org/oirld/ontology#>
SELECT ?s ?headline ?outlet ?outletLabel ?published ?notBefore ?url ?file WHERE {
  ?s a schema:NewsArticle .
  OPTIONAL { ?s schema:headline ?headline }
  # two OPTIONALs, not one over a UNION: the UNION read every label in the store before joining (0.2 s a page)
  OPTIONAL { ?s schema:publisher ?p . ?p skos:prefLabel ?outlet }
  OPTIONAL { ?s schema:publisher ?p2 . ?p2 rdfs:label ?outletLabel }
  OPTIONAL { ?s schema:datePublished ?published }
  OPTIONAL { ?s oirl:publishedNotBefore ?notBefore }
  OPTIONAL { ?s schema:url ?url }
  OPTIONAL { ?s oirl:fileName ?file }
}"""
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def human_date(value: str | None) -> str | None:
    """"2024-09-27" -> "27 September 2024", "2024-09" -> "September 2024", "2024" as is; None for what is no date."""
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        if len(parts) == 3:
            d = dt.date.fromisoformat(value[:10])
            return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
        if len(parts) == 2 and 1 <= int(parts[1]) <= 12:
            return f"{_MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
        if len(parts) == 1 and parts[0].isdigit():
            return parts[0]
    except ValueError:
        pass
    return None


def date_words(published: str | None, not_before: str | None = None) -> str | None:
    """When an article appeared, in words: its date, or the day it appeared on or after, or None."""
    exact, after = human_date(published), human_date(not_before)
    return exact or (f"published on or after {after}" if after else None)


def context(prefix: str, suffix: str, width: int = 32) -> tuple[str, str]:
    """The words around a quote as a page shows them: whole words only (a selector's context is cut at ``width``
    characters, often mid-word; a shorter one reaches the start or end of the text and is whole), and never across
    a line break, so a headline or the paragraph before does not run into the sentence quoted. Each side keeps the
    space that joins it to the quote."""
    before = prefix.rsplit("\n", 1)[-1]
    after = suffix.split("\n", 1)[0]
    if len(prefix) >= width and before == prefix:  # cut mid-text: drop the first, likely partial, word
        before = re.sub(r"^\S*\s*", "", before, count=1)
    if len(suffix) >= width and after == suffix:
        after = re.sub(r"\s*\S*$", "", after, count=1)
    return before.lstrip(), after.rstrip()


def humanize(local: str) -> str:
    """A term's local name in words, for a term the ontology gives no label: "troopCount" -> "troop count"."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local.replace("_", " ")).split()
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)


def passage_anchor(evidence_iri: str) -> str:
    """The anchor of a passage in its article's page (``/doc/source/<name>#ev-<key>``)."""
    return "ev-" + evidence_iri.rsplit("/", 1)[-1].split("#", 1)[0]


@dataclass(frozen=True)
class Citation:
    iri: str
    outlet: str | None = None
    headline: str | None = None
    #: ISO date of publication, or None
    date: str | None = None
    #: "27 September 2024", "published on or after 27 September 2024", or None
    date_text: str | None = None
    url: str | None = None
    file: str | None = None

    @property
    def name(self) -> str:
        """Outlet, headline in quotes, date: what a person reads as "which article"."""
        head = f"“{self.headline}”" if self.headline else (None if self.outlet else self.file or self.iri.rsplit("/", 1)[-1])
        return ", ".join(p for p in (self.outlet, head, self.date_text) if p)

    def as_dict(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "headline": self.headline, "date": self.date, "date_text": self.date_text,
                "url": self.url, "file": self.file}


def citations(store: ox.Store, sources: Any = None) -> dict[str, Citation]:
    """Every article in the store, by IRI, as it is cited; or only ``sources`` (IRIs), so a page citing a few
    articles does not read a thousand."""
    rows: dict[str, dict[str, str]] = {}
    chosen = "" if sources is None else "VALUES ?s { " + " ".join(str(ox.NamedNode(s)) for s in sources) + " }\n  "
    for row in store.query(_QUERY.replace("?s a schema:NewsArticle", chosen + "?s a schema:NewsArticle")):
        seen = rows.setdefault(row["s"].value, {})
        for key in ("headline", "outlet", "outletLabel", "published", "notBefore", "url", "file"):
            if row[key] is not None:
                seen.setdefault(key, row[key].value)
    out = {}
    for iri, r in rows.items():
        out[iri] = Citation(iri, r.get("outlet") or r.get("outletLabel"), r.get("headline"), r.get("published") or None,
                            date_words(r.get("published"), r.get("notBefore")), r.get("url"), r.get("file"))
    return out
