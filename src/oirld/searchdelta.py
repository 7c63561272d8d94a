"""A version's full-text index made from the previous version's, changing only the rows the update touched.

Writing the index from the whole store reads every claim, passage and label (about 15 CPU-s at 1,000 articles); a
one-article rebuild changes one article's passages and the claims citing them. So a rebuild copies the previous
``search.sqlite`` and replaces the rows whose inputs changed, found from the store update (:mod:`oirld.storedelta`)
and the articles' cache keys, which the index keeps (table ``sources``) with what of each article's citation the
rows show:

* an article's own rows (its passages, its text) when its key or its citation changed, or it came or went;
* a passage's row when a triple that row reads (its type, selector, words or source) was removed or added;
* a claim's row when one of its own triples the row reads changed, when the label of its subject, property or
  value changed, when one of its passages moved to another source, or when a source it cites is cited otherwise;
* the things' rows are few and cheap: all are made again and only those that differ are replaced.

The result holds the same rows as an index written from scratch (``tests/test_incremental_publish.py`` compares
them); only SQLite's own layout differs (no ``optimize`` of the full-text tables, which would rewrite them whole).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Mapping

import pyoxigraph as ox

from .errors import Location, RunError
from .search import (Row, article_rows, claim_rows, cited_record, entity_rows, facets, index_version, insert_rows,
                     labeller, labels_digest, ontology_labels, quote_rows)
from .storedelta import Delta

__all__ = ["update_index"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_OA = "http://www.w3.org/ns/oa#"
_OIRL = "https://w3id.org/oirld/ontology#"
#: the claim's own triples a claim row reads
_CLAIM_PREDICATES = {f"{_RDF}type", f"{_RDF}subject", f"{_RDF}predicate", f"{_RDF}object", f"{_OIRL}statedAs",
                     "http://www.w3.org/ns/prov#wasDerivedFrom"}
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
            return db.execute("SELECT count(*) FROM docs").fetchone()[0]
    except sqlite3.Error as exc:  # a full disk shows here as "database or disk is full"
        raise RunError(f"could not write the full-text index: {exc}", Location(path),
                       "free some space or use another --out, then build again") from None


def _updatable(old: Path, labels: str) -> bool:
    """The previous index keeps the articles' keys (a build since they are kept wrote it) and named the terms by
    the same ontology labels (they are not in the store, so the update would not see them change)."""
    try:
        with sqlite3.connect(old.resolve().as_uri() + "?mode=ro", uri=True) as db:
            kept = db.execute("SELECT count(*) FROM sources").fetchone()[0] > 0
            same = db.execute("SELECT value FROM info WHERE key = 'labels'").fetchone()
    except sqlite3.Error:
        return False
    return kept and same is not None and same[0] == labels


class _Rows:
    """The index's rows by kind and IRI, read once: the FTS5 table has no index on its unindexed columns, so a
    ``WHERE iri = ?`` per row would read the whole table each time."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.by_key: dict[tuple[str, str], list[int]] = {}
        self.kind: dict[int, str] = {}
        for rowid, kind, iri in db.execute("SELECT rowid, kind, iri FROM docs"):
            self.by_key.setdefault((kind, iri), []).append(rowid)
            self.kind[rowid] = kind
        self.gone: set[int] = set()

    def of_source(self, src: str, kinds: tuple[str, ...]) -> list[int]:
        return [d for (d,) in self.db.execute("SELECT DISTINCT doc FROM facets WHERE src = ?", (src,))
                if self.kind.get(d) in kinds]

    def drop(self, docs: Iterable[int]) -> None:
        self.gone.update(docs)

    def drop_key(self, kind: str, iri: str) -> None:
        self.gone.update(self.by_key.get((kind, iri), ()))

    def commit(self) -> None:
        docs = [(d,) for d in sorted(self.gone)]
        self.db.executemany("DELETE FROM docs WHERE rowid = ?", docs)
        self.db.executemany("DELETE FROM facets WHERE doc = ?", docs)


def _update(db: sqlite3.Connection, delta: Delta, store: ox.Store, base: str, labels: Mapping[str, str],
            texts: Mapping[str, str], keys: Mapping[str, str]) -> None:
    cited, facet = facets(store)
    before = {src: (key, record) for src, key, record in db.execute("SELECT src, key, cited FROM sources")}
    now = {src: (keys.get(src, ""), cited_record(cited.get(src), facet.get(src))) for src in texts}
    # the articles whose own rows are redone, and those whose citation (so the claims citing them) changed
    redo = {src for src in before.keys() | now.keys() if before.get(src) != now.get(src)}
    recited = {src for src in before.keys() | now.keys() if (before.get(src) or (0, 0))[1] != (now.get(src) or (0, 0))[1]}
    quads = [*delta.removed, *delta.added]
    moved = {q.subject.value for q in quads if q.predicate.value == f"{_OA}hasSource"}
    passages = moved | {q.subject.value for q in quads if q.predicate.value == f"{_OA}hasSelector"
                        or (q.predicate.value == f"{_RDF}type" and q.object.value == f"{_OIRL}Evidence")}
    old_store = ox.Store.read_only(str(delta.previous / "store"))
    for q in quads:
        if q.predicate.value == f"{_OA}exact":  # a selector's words: the passages holding it, before and after
            for s in (store, old_store):
                passages |= {p.subject.value for p in s.quads_for_pattern(None, ox.NamedNode(f"{_OA}hasSelector"), q.subject)}
    redo_src = sorted(redo)
    old_rows = _Rows(db)
    # passages and articles
    for src in redo_src:
        old_rows.drop(old_rows.of_source(src, ("quote", "article")))
    for iri in passages:
        old_rows.drop_key("quote", iri)
    rows: dict[tuple, Row] = {}
    for row in quote_rows(store, cited, "src", redo_src) if redo_src else []:
        rows[(row[1], row[7][0], row[4])] = row
    for row in quote_rows(store, cited, "e", passages) if passages else []:
        rows[(row[1], row[7][0], row[4])] = row
    new_rows: list[Row] = list(rows.values())
    new_rows += article_rows({src: texts[src] for src in redo_src if src in texts}, cited)
    # claims
    claims = {q.subject.value for q in quads if q.predicate.value in _CLAIM_PREDICATES}
    relabelled = {q.subject for q in quads if q.predicate.value == _LABEL}
    for node in relabelled:
        for p in (f"{_RDF}subject", f"{_RDF}predicate", f"{_RDF}object"):
            claims |= {c.subject.value for c in store.quads_for_pattern(None, ox.NamedNode(p), node)}
    for e in moved:
        claims |= {c.subject.value for c in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), ox.NamedNode(e))}
    claim_docs = {d for src in recited for d in old_rows.of_source(src, ("claim",))}
    claims |= {iri for (kind, iri), docs in old_rows.by_key.items() if kind == "claim" and claim_docs.intersection(docs)}
    claims = sorted(claims)
    for iri in claims:
        old_rows.drop_key("claim", iri)
    if claims:
        nodes = {t.value for c in claims for p in ("subject", "predicate", "object")
                 for t in [q.object for q in store.quads_for_pattern(ox.NamedNode(c), ox.NamedNode(f"{_RDF}{p}"), None)]
                 if isinstance(t, ox.NamedNode)}
        new_rows += claim_rows(store, labeller(store, labels, nodes), claims)
    # things: all made again, the ones that differ replaced
    old_things = {r[0]: tuple(r[1:]) for r in db.execute(
        "SELECT iri, title, names, body, link, detail FROM docs WHERE kind = 'entity'")}
    things = {row[1]: row for row in entity_rows(store, base)}
    for iri in old_things.keys() - things.keys():
        old_rows.drop_key("entity", iri)
    for iri, row in things.items():
        if old_things.get(iri) != (row[2], row[3], row[4], row[5], row[6]):
            old_rows.drop_key("entity", iri)
            new_rows.append(row)
    old_rows.commit()
    insert_rows(db, new_rows, facet)
    db.execute("DELETE FROM sources")
    db.executemany("INSERT INTO sources(src, key, cited) VALUES (?, ?, ?)",
                   [(src, key, record) for src, (key, record) in now.items()])
    db.execute("UPDATE info SET value = ? WHERE key = 'texts'", (str(len(texts)),))
