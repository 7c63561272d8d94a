"""A version's full-text index made from the previous version's, changing only the rows the update touched.

Writing the index from the whole store reads every claim, passage and label (about 15 CPU-s at 1,000 articles); a
one-article rebuild changes one article's passages and the claims citing them. So a rebuild copies the previous
``search.sqlite`` and replaces the rows whose inputs changed, found from the store update (:mod:`oirld.storedelta`)
and the articles' cache keys, which the index keeps (table ``sources``) with what of each article's citation the
rows show:

* an article's own rows (its passages, its text) when its key or its citation changed, or it came or went;
* a passage's row when a triple that row reads (its type, selector, words or source) was removed or added;
* a claim's row when one of its own triples the row reads changed (its type only when it is oirl:Claim: every
  build's provenance node and file nodes have types too, and once made 4,500 "claims" be read again), when the
  label of its subject, property or value changed, when one of its passages moved to another source, or when a
  source it cites is cited otherwise;
* a thing's row when one of its names or its description changed, or a claim spelling it (``oirl:writtenAs``).

The rows are read by IRI (:mod:`oirld.searchlookup`) and the old ones found by kind and IRI (table ``keys``), so
the update costs what the change costs, not what the index holds. The result holds the same rows as an index
written from scratch (``tests/test_search_update.py`` and ``tests/test_incremental_publish.py`` compare them); only
SQLite's own layout differs (no ``optimize`` of the full-text tables, which would rewrite them whole).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Mapping

import pyoxigraph as ox

from .errors import Location, RunError
from .search import (FORMAT, Row, article_rows, cited_record, facets, index_version, insert_rows, labeller,
                     labels_digest, ontology_labels)
from .searchlookup import claim_rows_of, entity_rows_of, holds, objects, quote_rows_of
from .storedelta import Delta

__all__ = ["update_index"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_OA = "http://www.w3.org/ns/oa#"
_OIRL = "https://w3id.org/oirld/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
#: the claim's own triples a claim row reads (and its type, when it is oirl:Claim)
_CLAIM_PREDICATES = {f"{_RDF}subject", f"{_RDF}predicate", f"{_RDF}object", f"{_OIRL}statedAs", _DERIVED}
#: a thing's own triples its row reads (and its spellings, the claims ``oirl:writtenAs`` about it)
_THING_PREDICATES = {f"{_SKOS}prefLabel", f"{_SKOS}altLabel", "https://schema.org/description"}
_STATEMENT = {f"{_RDF}subject", f"{_RDF}predicate", f"{_RDF}object"}
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_FILE = "search.sqlite"


def update_index(path: Path, delta: Delta | None, store_path: Path, base: str, ontology: Any,
                 texts: Mapping[str, str], keys: Mapping[str, str]) -> int:
    """Write the index of the store at ``store_path`` to ``path``: updated from the previous version's when
    ``delta`` says what changed and that index has what it needs, else from scratch. Returns its row count."""
    old = delta.previous / _FILE if delta is not None else None
    if old is None or not _updatable(old, labels_digest(ontology_labels(ontology))):
        return index_version(path, store_path, base, ontology, texts, keys)
    try:
        shutil.copyfile(old, path)
        store = ox.Store.read_only(str(store_path))
        with sqlite3.connect(path) as db:
            _update(db, delta, store, base, ontology_labels(ontology), texts, keys)
            return db.execute("SELECT count(*) FROM keys").fetchone()[0]
    except sqlite3.Error as exc:  # a full disk shows here as "database or disk is full"
        raise RunError(f"could not write the full-text index: {exc}", Location(path),
                       "free some space or use another --out, then build again") from None


def _updatable(old: Path, labels: str) -> bool:
    """The previous index is of this format with a key for each row (an older oirld that updated it would have
    left rows without), keeps the articles' keys (a build since they are kept wrote it) and named the terms by
    the same ontology labels (they are not in the store, so the update would not see them change)."""
    try:
        with sqlite3.connect(old.resolve().as_uri() + "?mode=ro", uri=True) as db:
            kept = db.execute("SELECT count(*) FROM sources").fetchone()[0] > 0
            info = dict(db.execute("SELECT key, value FROM info WHERE key IN ('labels', 'format')").fetchall())
            if info.get("format") != FORMAT:
                return False
            keyed = db.execute("SELECT (SELECT count(*) FROM docs) = (SELECT count(*) FROM keys)").fetchone()[0]
    except sqlite3.Error:
        return False
    return kept and bool(keyed) and info.get("labels") == labels


class _Rows:
    """The index's rows found by kind and IRI (table ``keys``: the FTS5 table cannot index its unindexed columns)
    or by source (table ``facets``); those dropped are deleted together at the end."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.gone: set[int] = set()

    def of_source(self, src: str, kinds: tuple[str, ...]) -> list[tuple[int, str]]:
        """The rows (doc, IRI) of ``kinds`` that come from ``src``."""
        return self.db.execute(f"SELECT DISTINCT k.doc, k.iri FROM facets f JOIN keys k ON k.doc = f.doc WHERE "
                               f"f.src = ? AND k.kind IN ({', '.join('?' * len(kinds))})", (src, *kinds)).fetchall()

    def fields(self, kind: str, iri: str) -> list[tuple]:
        """What the rows of ``kind`` and ``iri`` show: title, names, body, link, detail."""
        return self.db.execute("SELECT title, names, body, link, detail FROM docs WHERE rowid IN "
                               "(SELECT doc FROM keys WHERE kind = ? AND iri = ?)", (kind, iri)).fetchall()

    def drop(self, docs: Iterable[int]) -> None:
        self.gone.update(docs)

    def drop_key(self, kind: str, iri: str) -> None:
        self.gone.update(d for (d,) in self.db.execute("SELECT doc FROM keys WHERE kind = ? AND iri = ?", (kind, iri)))

    def commit(self) -> None:
        docs = [(d,) for d in sorted(self.gone)]
        self.db.executemany("DELETE FROM docs WHERE rowid = ?", docs)
        self.db.executemany("DELETE FROM facets WHERE doc = ?", docs)
        self.db.executemany("DELETE FROM keys WHERE doc = ?", docs)


def _update(db: sqlite3.Connection, delta: Delta, store: ox.Store, base: str, labels: Mapping[str, str],
            texts: Mapping[str, str], keys: Mapping[str, str]) -> dict[str, set[str]]:
    """Replace the rows whose inputs changed; returns the IRIs whose rows were made again, by kind."""
    cited, facet = facets(store)
    before = {src: (key, record) for src, key, record in db.execute("SELECT src, key, cited FROM sources")}
    now = {src: (keys.get(src, ""), cited_record(cited.get(src), facet.get(src))) for src in texts}
    # the articles whose own rows are redone, and those whose citation (so the claims citing them) changed
    redo = {src for src in before.keys() | now.keys() if before.get(src) != now.get(src)}
    recited = {src for src in before.keys() | now.keys() if (before.get(src) or (0, 0))[1] != (now.get(src) or (0, 0))[1]}
    quads: dict[str, list[ox.Quad]] = {}  # what the update removed and added, by predicate
    for q in (*delta.removed, *delta.added):
        quads.setdefault(q.predicate.value, []).append(q)
    old_store = ox.Store.read_only(str(delta.previous / "store"))
    old_rows = _Rows(db)
    redo_src = sorted(redo)
    moved, passages = _passages(quads, store, old_store)
    # passages and articles
    for src in redo_src:
        old_rows.drop(d for d, _ in old_rows.of_source(src, ("quote", "article")))
    for iri in passages:
        old_rows.drop_key("quote", iri)
    rows: dict[tuple, Row] = {}
    for row in quote_rows_of(store, cited, sorted(passages), redo_src):
        rows[(row[1], row[7][0], row[4])] = row
    new_rows: list[Row] = list(rows.values())
    new_rows += article_rows({src: texts[src] for src in redo_src if src in texts}, cited)
    # claims
    claims = sorted(_claims(quads, store, old_rows, recited, moved))
    for iri in claims:
        old_rows.drop_key("claim", iri)
    if claims:
        nodes = {t.value for c in claims for p in ("subject", "predicate", "object")
                 for t in objects(store, ox.NamedNode(c), ox.NamedNode(f"{_RDF}{p}")) if isinstance(t, ox.NamedNode)}
        new_rows += claim_rows_of(store, labeller(store, labels, nodes), claims)
    # things: those whose row can have changed made again, the ones that differ replaced
    things = sorted(_things(quads, store, old_store, base))
    made = {row[1]: row for row in entity_rows_of(store, base, things)}
    for iri in things:
        row = made.get(iri)
        if row is None or old_rows.fields("entity", iri) != [(row[2], row[3], row[4], row[5], row[6])]:
            old_rows.drop_key("entity", iri)
            new_rows += [row] if row is not None else []
    old_rows.commit()
    insert_rows(db, new_rows, facet)
    db.execute("DELETE FROM sources")
    db.executemany("INSERT INTO sources(src, key, cited) VALUES (?, ?, ?)",
                   [(src, key, record) for src, (key, record) in now.items()])
    db.execute("UPDATE info SET value = ? WHERE key = 'texts'", (str(len(texts)),))
    return {"quote": {row[1] for row in rows.values()}, "article": set(redo_src), "claim": set(claims),
            "entity": set(things)}


def _subjects(quads: Iterable[ox.Quad]) -> set[str]:
    """The IRIs of the quads' subjects (a row is found by its IRI)."""
    return {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}


def _passages(quads: Mapping[str, list[ox.Quad]], store: ox.Store, old_store: ox.Store) -> tuple[set[str], set[str]]:
    """The passages that moved to another source, and all those whose row can have changed."""
    moved = _subjects(quads.get(f"{_OA}hasSource", ()))
    passages = moved | _subjects(quads.get(f"{_OA}hasSelector", ()))
    passages |= _subjects(q for q in quads.get(f"{_RDF}type", ()) if q.object.value == f"{_OIRL}Evidence")
    selector = ox.NamedNode(f"{_OA}hasSelector")
    for q in quads.get(f"{_OA}exact", ()):  # a selector's words: the passages holding it, before and after
        for s in (store, old_store):
            passages |= _subjects(s.quads_for_pattern(None, selector, q.subject))
    return moved, passages


def _claims(quads: Mapping[str, list[ox.Quad]], store: ox.Store, old_rows: _Rows, recited: set[str],
            moved: set[str]) -> set[str]:
    """The claims whose row can have changed: one of its own triples the row reads, the label of its subject,
    property or value, the source of one of its passages, or the citation of one of its sources."""
    claims = _subjects(q for p in _CLAIM_PREDICATES for q in quads.get(p, ()))
    claims |= _subjects(q for q in quads.get(f"{_RDF}type", ()) if q.object.value == f"{_OIRL}Claim")
    for node in {q.subject for q in quads.get(_LABEL, ())}:
        for p in _STATEMENT:
            claims |= _subjects(store.quads_for_pattern(None, ox.NamedNode(p), node))
    for e in moved:
        claims |= _subjects(store.quads_for_pattern(None, ox.NamedNode(_DERIVED), ox.NamedNode(e)))
    claims |= {iri for src in recited for _, iri in old_rows.of_source(src, ("claim",))}
    return claims


def _things(quads: Mapping[str, list[ox.Quad]], store: ox.Store, old_store: ox.Store, base: str) -> set[str]:
    """The things whose row can have changed: one of its names or its description, or a claim spelling it."""
    things = _subjects(q for p in _THING_PREDICATES for q in quads.get(p, ()))
    written_as = ox.NamedNode(f"{_OIRL}writtenAs")
    for c in {q.subject for p in _STATEMENT for q in quads.get(p, ())}:
        for s in (store, old_store):
            if holds(s, c, ox.NamedNode(f"{_RDF}predicate"), written_as):
                things |= {t.value for t in objects(s, c, ox.NamedNode(f"{_RDF}subject")) if isinstance(t, ox.NamedNode)}
    return {t for t in things if t.startswith(base + "id/")}
