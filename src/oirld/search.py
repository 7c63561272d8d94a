"""Full-text search over what the sources say: the quoted passages, the claims, the names and aliases of things and
the articles' own text, in one SQLite FTS5 index (Python's standard library; Oxigraph has no full-text search).

The build writes the index beside the store (``<version>/search.sqlite``), from the published store and the
articles' texts, so it holds exactly what was published. A server without that file (one started on RDF files)
builds the same index from its store on first use, without the article texts it does not have.

One row per thing found, of four kinds:

* ``entity``: a thing's label (title), its aliases and the spellings the articles use (names), its description;
* ``claim``: what a claim says in words, "<subject> · <property label> · <value>" and the words the source used;
* ``quote``: a passage a claim cites, with its article's outlet and date;
* ``article``: an article's headline (title), outlet (names) and text (body; the headline line is not repeated).

Ranking is FTS5's BM25 with the title weighing 10, the names 5 and the body 1, scaled by kind (a thing 2, a claim
1.5, a quote 1.2, an article 1): a thing whose own name holds the words comes before the articles that mention it.
Every term must occur (AND). What people type is never read as FTS5 query syntax: it is cut into words (letters and
digits), each quoted, so ``"``, ``*``, ``NEAR``, ``(`` or a lone ``-`` cannot make a query fail. With ``prefix`` the
last word also matches longer words ("hare" finds "Hareer"), as a box that suggests while one types needs.
Filters (kind, outlet, date range) apply to the articles a row comes from: a quote or an article has one, a claim
those of all its passages, a thing none (so a filter on outlet or date leaves only what articles say). An article's
date is its publication day, or the day it appeared on or after when that is all its record knows.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import pyoxigraph as ox

from .citation import citations, humanize, passage_anchor
from .errors import Location, RunError

__all__ = ["KINDS", "FORMAT", "SearchIndex", "SearchPage", "build_index", "fts_query", "index_version", "Row", "labeller",
           "facets", "entity_rows", "claim_rows", "quote_rows", "article_rows", "insert_rows", "cited_record",
           "ontology_labels", "labels_digest"]

KINDS = ("entity", "claim", "quote", "article")
_KIND_WEIGHT = {"entity": 2.0, "claim": 1.5, "quote": 1.2, "article": 1.0}
_WORD = re.compile(r"\w+", re.UNICODE)
#: the most words of a query that are searched; more add nothing but cost
MAX_TERMS = 16
_OPEN, _CLOSE = "\x02", "\x03"  # highlight marks: never in the texts (control characters), escaped apart from them

_SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(title, names, body, kind UNINDEXED, iri UNINDEXED, link UNINDEXED,
  detail UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
CREATE TABLE facets(doc INTEGER NOT NULL, outlet TEXT, date TEXT, src TEXT);
CREATE INDEX facets_doc ON facets(doc);
CREATE INDEX facets_src ON facets(src);
CREATE TABLE info(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE sources(src TEXT PRIMARY KEY, key TEXT, cited TEXT);
CREATE TABLE keys(doc INTEGER PRIMARY KEY, kind TEXT NOT NULL, iri TEXT NOT NULL);
CREATE INDEX keys_kind_iri ON keys(kind, iri);
"""
#: the layout an update relies on (table ``keys``: a row's kind and IRI, indexed, which FTS5 cannot index); an
#: index of another format is written again from scratch
FORMAT = "2"
_P = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX oirl: <https://w3id.org/oirld/ontology#> PREFIX schema: <https://schema.org/>
"""
_ENTITIES = _P + """SELECT ?e ?label ?alt ?description WHERE { ?e skos:prefLabel ?label .
  OPTIONAL { ?e skos:altLabel ?alt } OPTIONAL { ?e schema:description ?description } }"""
_SPELLINGS = _P + "SELECT ?e ?w WHERE { ?c rdf:predicate oirl:writtenAs ; rdf:subject ?e ; rdf:object ?w }"
_CLAIMS = _P + """SELECT ?c ?s ?p ?o ?words WHERE { ?c a oirl:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  FILTER (?p != oirl:writtenAs) OPTIONAL { ?c oirl:statedAs ?words } }"""
_CLAIM_SOURCES = _P + "SELECT DISTINCT ?c ?src WHERE { ?c a oirl:Claim ; prov:wasDerivedFrom/oa:hasSource ?src }"
_QUOTES = _P + """SELECT ?e ?src ?exact WHERE { ?e a oirl:Evidence ; oa:hasSource ?src ; oa:hasSelector ?q .
  ?q oa:exact ?exact }"""
_LABELS = _P + "SELECT ?x ?l WHERE { ?x rdfs:label ?l }"
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@dataclass
class SearchPage:
    """One page of results and how many there are in all."""

    query: str
    total: int
    results: list[dict[str, Any]] = field(default_factory=list)


def fts_query(text: str, prefix: bool = False) -> str | None:
    """The user's words as an FTS5 query: each word quoted (so nothing they type is syntax), all required; with
    ``prefix`` the last one may be the start of a longer word. None when there is no word to search."""
    words = _WORD.findall(text)[:MAX_TERMS]
    if not words:
        return None
    parts = ['"' + w.replace('"', '""') + '"' for w in words]
    if prefix:
        parts[-1] += "*"
    return " ".join(parts)


def _article_body(text: str, headline: str | None) -> tuple[str, str]:
    """The article's title line and the text under it. Its first line is a title when it is the headline the
    record gives, or, with no headline known, when it reads like one (short, not ending a sentence): a snippet must
    not run the headline into the first sentence."""
    first, _, rest = text.strip().partition("\n")
    if rest and headline and _WORD.findall(first.lower()) == _WORD.findall(headline.lower()):
        return headline, rest.strip()
    if rest and not headline and len(first) <= 200 and not first.rstrip().endswith((".", "!", "?", "”", '"', ":")):
        return first.strip(), rest.strip()
    return headline or "", text.strip()


#: a row of the index: kind, iri, title, names, body, link, detail, and the sources it comes from
Row = tuple[str, str, str, str, str, str, str, list[str]]


def labeller(store: ox.Store, labels: Mapping[str, str] | None = None, nodes: Iterable[str] | None = None) -> Any:
    """How a term is named in the rows: the ontology's label, else its smallest ``rdfs:label`` in the store, else its
    local name in words. ``nodes``: only those are looked up in the store (the others get their local name)."""
    names: dict[str, str] = {}
    if nodes is None:
        found: Iterable[tuple[Any, Any]] = ((row["x"], row["l"]) for row in store.query(_LABELS))
    else:  # a few, looked up one by one: a VALUES block of them costs a scan of every label
        found = ((q.subject, q.object) for n in nodes for q in store.quads_for_pattern(ox.NamedNode(n), _RDFS_LABEL, None))
    for node, text in found:
        if isinstance(node, ox.NamedNode):
            iri, text = node.value, text.value
            names[iri] = min(names.get(iri, text), text)  # the smallest, so a subset gives what the whole gives
    names.update(labels or {})

    def label(term: Any) -> str:
        if isinstance(term, ox.NamedNode):
            local = term.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            return names.get(term.value) or humanize(local)
        return term.value
    return label


def facets(store: ox.Store) -> tuple[dict[str, Any], dict[str, tuple[str | None, str | None]]]:
    """Every article's citation and its (outlet, date) facet, by source IRI."""
    cited = citations(store)
    return cited, {iri: (c.outlet, c.date or _iso(c, store)) for iri, c in cited.items()}


def entity_rows(store: ox.Store, base: str) -> list[Row]:
    """Every named thing's row (those of a few: :func:`oirld.searchlookup.entity_rows_of`)."""
    entities: dict[str, dict[str, Any]] = {}
    for row in store.query(_ENTITIES):
        iri = row["e"].value
        if not iri.startswith(base + "id/"):
            continue
        # the smallest label and description, so the rows of a few (oirld.searchlookup) are these
        e = entities.setdefault(iri, {"label": row["label"].value, "names": set(), "description": None})
        e["label"] = min(e["label"], row["label"].value)
        if row["alt"] is not None:
            e["names"].add(row["alt"].value)
        if row["description"] is not None:
            d = row["description"].value
            e["description"] = d if e["description"] is None else min(e["description"], d)
    for row in store.query(_SPELLINGS):
        if row["e"].value in entities:
            entities[row["e"].value]["names"].add(row["w"].value)
    return [("entity", iri, e["label"], " · ".join(sorted(e["names"] - {e["label"]})), e["description"] or "", iri, "", [])
            for iri, e in entities.items()]


def claim_rows(store: ox.Store, label: Any) -> list[Row]:
    """Every claim's row (those of a few: :func:`oirld.searchlookup.claim_rows_of`)."""
    sources: dict[str, list[str]] = {}
    for row in store.query(_CLAIM_SOURCES):
        sources.setdefault(row["c"].value, []).append(row["src"].value)
    found: dict[str, dict[str, Any]] = {}
    for row in store.query(_CLAIMS):
        c = found.setdefault(row["c"].value, {"s": label(row["s"]), "p": label(row["p"]), "o": label(row["o"]), "words": set()})
        if row["words"] is not None:
            c["words"].add(row["words"].value)
    return [("claim", iri, c["s"], "", f"{c['p']}: {c['o']}" + "".join(f" (“{w}”)" for w in sorted(c["words"])),
             iri, f"{c['s']} · {c['p']}", sources.get(iri, [])) for iri, c in found.items()]


def quote_rows(store: ox.Store, cited: Mapping[str, Any]) -> list[Row]:
    """Every passage's row (those of a few: :func:`oirld.searchlookup.quote_rows_of`)."""
    rows: list[Row] = []
    for row in store.query(_QUOTES):
        src = row["src"].value
        citation = cited.get(src)
        rows.append(("quote", row["e"].value, "", "", row["exact"].value, src + "#" + passage_anchor(row["e"].value),
                     citation.name if citation else "", [src]))
    return rows


def article_rows(texts: Mapping[str, str], cited: Mapping[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for src, text in texts.items():
        citation = cited.get(src)
        title, body = _article_body(text, citation.headline if citation else None)
        rows.append(("article", src, title, (citation.outlet or "") if citation else "", body, src,
                     citation.name if citation else "", [src]))
    return rows


def insert_rows(db: sqlite3.Connection, rows: Iterable[Row], facet: Mapping[str, tuple[str | None, str | None]]) -> None:
    def clean(text: str) -> str:  # the highlight marks must be the only ones in a snippet
        return text.replace(_OPEN, " ").replace(_CLOSE, " ")

    for kind, iri, title, alt, body, link, detail, srcs in rows:
        title, alt, body = clean(title), clean(alt), clean(body)
        cur = db.execute("INSERT INTO docs(title, names, body, kind, iri, link, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (title, alt, body, kind, iri, link, detail))
        db.execute("INSERT INTO keys(doc, kind, iri) VALUES (?, ?, ?)", (cur.lastrowid, kind, iri))
        db.executemany("INSERT INTO facets(doc, outlet, date, src) VALUES (?, ?, ?, ?)",
                       [(cur.lastrowid, *facet.get(s, (None, None)), s) for s in srcs])


def build_index(path: Path | str, store: ox.Store, base: str, labels: Mapping[str, str] | None = None,
                texts: Mapping[str, str] | None = None, keys: Mapping[str, str] | None = None) -> int:
    """Write the index of ``store`` (and of the articles' ``texts``, by source IRI) to ``path``, replacing any
    file there. ``labels`` names the ontology's terms; ``keys`` (source IRI -> the article's cache key) are kept
    for the next build's update (:mod:`oirld.searchdelta`). Returns the number of rows."""
    path = Path(path)
    if path.exists():
        path.unlink()
    label = labeller(store, labels)
    cited, facet = facets(store)
    rows = entity_rows(store, base) + claim_rows(store, label) + quote_rows(store, cited)
    rows += article_rows(texts or {}, cited)
    with sqlite3.connect(path) as db:
        db.executescript(_SCHEMA)
        insert_rows(db, rows, facet)
        db.executemany("INSERT INTO info(key, value) VALUES (?, ?)",
                       [("base", base), ("texts", str(len(texts or {}))), ("labels", labels_digest(labels or {})),
                        ("format", FORMAT)])
        db.executemany("INSERT INTO sources(src, key, cited) VALUES (?, ?, ?)",
                       [(src, key, cited_record(cited.get(src), facet.get(src))) for src, key in (keys or {}).items()])
        db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    return len(rows)


def labels_digest(labels: Mapping[str, str]) -> str:
    """A digest of the ontology's labels the rows were written with."""
    return hashlib.sha256(json.dumps(sorted(labels.items())).encode()).hexdigest()


def cited_record(citation: Any, facet: Any) -> str:
    """What of an article's citation its rows show, to tell whether they must be written again."""
    return json.dumps([citation.name, citation.outlet, citation.headline, facet] if citation else None)


def ontology_labels(ontology: Any) -> dict[str, str]:
    """The English labels of an ontology (an rdflib graph), by IRI."""
    from rdflib import RDFS, URIRef

    return {str(s): str(o) for s, o in ontology.subject_objects(RDFS.label)
            if isinstance(s, URIRef) and getattr(o, "language", None) in (None, "en")}


def index_version(path: Path, store_path: Path, base: str, ontology: Any, texts: Mapping[str, str],
                  keys: Mapping[str, str] | None = None) -> int:
    """The build's step: the index of the store at ``store_path`` and the articles' ``texts``, with the property
    names of ``ontology`` (an rdflib graph), written to ``path``."""
    from .store import open_store

    try:
        return build_index(path, open_store(store_path), base, ontology_labels(ontology), texts, keys)
    except sqlite3.Error as exc:  # a full disk shows here as "database or disk is full"
        raise RunError(f"could not write the full-text index: {exc}", Location(path),
                       "free some space or use another --out, then build again") from None


def _iso(citation: Any, store: ox.Store) -> str | None:
    """The day an undated article appeared on or after, as the date it is filtered by."""
    for q in store.quads_for_pattern(ox.NamedNode(citation.iri), ox.NamedNode("https://w3id.org/oirld/ontology#publishedNotBefore"), None):
        return q.object.value
    return None


def _highlighted(text: str) -> str:
    """A snippet with FTS5's marks, as HTML: the text escaped, the marks made ``<mark>``."""
    return html.escape(text).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


class SearchIndex:
    """Queries over one index file, read-only; each query opens its own connection, so threads share nothing."""

    def __init__(self, path: Path | str, keep: Any = None) -> None:
        self.path = Path(path)
        self._keep = keep  # a temporary folder that must live as long as the index

    @classmethod
    def from_store(cls, store: ox.Store, base: str, labels: Mapping[str, str] | None = None) -> "SearchIndex":
        """An index built now from ``store`` into a temporary folder (removed with the object)."""
        folder = tempfile.TemporaryDirectory(prefix="oirld-search-")
        path = Path(folder.name) / "search.sqlite"
        build_index(path, store, base, labels)
        return cls(path, folder)

    def _connect(self) -> sqlite3.Connection:
        # as a URI, percent-encoded: a folder named with "?", "#" or "%" still opens, read-only
        return sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)

    def search(self, text: str, kinds: Iterable[str] = (), outlet: str | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 10, offset: int = 0, prefix: bool = False) -> SearchPage:
        """The rows matching every word of ``text``, best first, ``limit`` from ``offset``, and the total."""
        match = fts_query(text, prefix)
        if match is None:
            return SearchPage(text, 0)
        where, args = ["docs MATCH ?"], [match]
        kinds = [k for k in kinds if k in KINDS]
        if kinds:
            where.append(f"kind IN ({', '.join('?' * len(kinds))})")
            args += kinds
        facet, fargs = [], []
        if outlet:
            facet.append("outlet = ?")
            fargs.append(outlet)
        if date_from:
            facet.append("date >= ?")
            fargs.append(date_from)
        if date_to:
            facet.append("date <= ?")
            fargs.append(date_to + "\uffff")  # the whole last day, whatever follows the date
        if facet:
            where.append(f"EXISTS (SELECT 1 FROM facets WHERE doc = docs.rowid AND {' AND '.join(facet)})")
            args += fargs
        cond = " AND ".join(where)
        shown = " AND ".join(facet) if facet else "1"  # a result's date: of its articles that pass the filter
        rank = ("bm25(docs, 10.0, 5.0, 1.0) * CASE kind " + " ".join(f"WHEN '{k}' THEN {w}" for k, w in _KIND_WEIGHT.items())
                + " ELSE 1.0 END")
        with self._connect() as db:
            total = db.execute(f"SELECT count(*) FROM docs WHERE {cond}", args).fetchone()[0]
            rows = db.execute(
                f"SELECT kind, iri, link, detail, title, names, snippet(docs, CASE kind WHEN 'entity' THEN -1 ELSE 2 END, ?, ?, '…', 24), {rank} AS score, "
                f"(SELECT json_group_array(DISTINCT outlet) FROM facets WHERE doc = docs.rowid AND outlet IS NOT NULL), "
                f"(SELECT min(date) FROM facets WHERE doc = docs.rowid AND {shown}) "
                f"FROM docs WHERE {cond} ORDER BY score, kind, iri LIMIT ? OFFSET ?",
                [_OPEN, _CLOSE, *fargs, *args, max(0, limit), max(0, offset)]).fetchall()
        results = []
        for kind, iri, link, detail, title, alt, snip, score, outlets, date in rows:
            results.append({"kind": kind, "iri": iri, "link": link, "title": title or detail or iri, "detail": detail,
                            "names": [n for n in alt.split(" · ") if n] if kind == "entity" else [],
                            "snippet": snip.replace(_OPEN, "").replace(_CLOSE, ""), "snippet_html": _highlighted(snip),
                            "outlets": sorted(json.loads(outlets)) if outlets else [], "date": date,
                            "score": round(-score, 3)})
        return SearchPage(text, total, results)

    def outlets(self) -> list[str]:
        """Every outlet a row can be filtered by."""
        with self._connect() as db:
            return [r[0] for r in db.execute("SELECT DISTINCT outlet FROM facets WHERE outlet IS NOT NULL ORDER BY outlet")]

