"""The page index: each passage a page cites, with its article's citation fields, readable by key.

Why: a page of 25 claims, 50 timeline entries or 10 disagreements cites one to three hundred passages, and reading
each from the on-disk store (the passage, its two selectors, its article's publisher and dates, eight to twelve
triples) is seek-bound: 10-20 µs a triple, 30-150 ms a page at 1,000 articles. Everything read there belongs to one
article, so the article worker (:mod:`oirld.buildcache`) writes these rows from the article's own graph, and the build
puts every article's rows into ``pages.sqlite`` beside the store; a page then reads its passages by IRI in one
SQLite query. What needs the whole corpus (which claims cite a passage, wire stories, labels) is still read from the
store, so the index never repeats what a merge decides.

The values are the lexical forms the store holds (the build writes only canonical forms), so a page built from the
index shows what the store's queries show. A version without the file (an older build, ``serve --store`` on a store
alone, ``--remote``, updates enabled) is served from the store's queries as before.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .errors import Location, RunError
from .namespaces import OA, OIRL, SCHEMA

__all__ = ["PageRows", "PassageRow", "SourceRow", "PageIndex", "article_rows", "write_page_index", "PASSAGE_FIELDS",
           "SOURCE_FIELDS"]

#: a passage's row: its IRI, its article, the quote selector's words, the position selector's offsets, the mapping
#: line that cites it (the first, when several do), and for a machine-read one its rule and confidence
PASSAGE_FIELDS = ("iri", "source", "exact", "prefix", "suffix", "start", "end", "script", "line", "draft", "rule", "conf")
#: an article's row: what a page cites it by beside its label (publisher, dates) and its file name; the publisher
#: is a registry entity (an IRI) or, for an outlet not in the registry, its name (a literal): ``publisher_is_iri``
SOURCE_FIELDS = ("iri", "publisher", "published", "not_before", "file", "publisher_is_iri")
PassageRow = tuple  # the values of PASSAGE_FIELDS: strings (lexical forms), ``draft`` a bool, absent values None
SourceRow = tuple  # the values of SOURCE_FIELDS


@dataclass(frozen=True)
class PageRows:
    """One article's rows, made by the article worker and cached with its result."""

    passages: tuple[PassageRow, ...] = ()
    sources: tuple[SourceRow, ...] = ()


def _first(graph: Graph, s: object, p: URIRef) -> str | None:
    """One value, the least in lexical order when there are several (so the row does not depend on set order)."""
    values = sorted(str(o) for o in graph.objects(s, p))
    return values[0] if values else None


def _publisher(graph: Graph, s: object) -> tuple[str | None, bool]:
    """The publisher as :func:`_first` picks it, and whether it is an entity (an IRI) rather than the name of an
    outlet not in the registry (a literal): pages link the one and print the other."""
    values = sorted(graph.objects(s, SCHEMA.publisher), key=str)
    return (str(values[0]), isinstance(values[0], URIRef)) if values else (None, False)


def article_rows(own: Graph) -> PageRows:
    """The rows of an article's own graph (:func:`oirld.graph.article_graph`): every passage with both selectors
    and a source, and every article node. A passage lacking a selector or source is left out, as the store's query
    leaves it out."""
    passages = []
    for e in sorted(set(own.subjects(RDF.type, OIRL.Evidence)), key=str):
        source = _first(own, e, OA.hasSource)
        quote = position = None
        for sel in sorted(own.objects(e, OA.hasSelector), key=str):
            if quote is None and (sel, OA.exact, None) in own:
                quote = sel
            if position is None and (sel, OA.start, None) in own and (sel, OA.end, None) in own:
                position = sel
        if source is None or quote is None or position is None:
            continue
        lines = sorted(int(str(o)) for o in own.objects(e, OIRL.mappingLine))
        passages.append((str(e), source, _first(own, quote, OA.exact), _first(own, quote, OA.prefix),
                         _first(own, quote, OA.suffix), _first(own, position, OA.start), _first(own, position, OA.end),
                         _first(own, e, OIRL.mappedIn), str(lines[0]) if lines else None,
                         (e, RDF.type, OIRL.MachineReadEvidence) in own, _first(own, e, OIRL.draftRule),
                         _first(own, e, OIRL.draftConfidence)))
    sources = []
    for s in sorted(set(own.subjects(RDF.type, SCHEMA.NewsArticle)), key=str):
        publisher, is_iri = _publisher(own, s)
        sources.append((str(s), publisher, _first(own, s, SCHEMA.datePublished), _first(own, s, OIRL.publishedNotBefore),
                        _first(own, s, OIRL.fileName), is_iri))
    return PageRows(tuple(passages), tuple(sources))


_SCHEMA = f"""
CREATE TABLE passages ({", ".join(f'"{f}"' for f in PASSAGE_FIELDS)}, PRIMARY KEY (iri)) WITHOUT ROWID;
CREATE TABLE sources ({", ".join(f'"{f}"' for f in SOURCE_FIELDS)}, PRIMARY KEY (iri)) WITHOUT ROWID;
"""


def write_page_index(path: Path, rows: Iterable[PageRows]) -> int:
    """Write ``pages.sqlite`` at ``path`` from every article's rows; the number of passages. A passage two articles
    could both hold (none does: a passage's IRI names its article) is written once."""
    path.unlink(missing_ok=True)
    try:
        db = sqlite3.connect(path)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(_SCHEMA)
            every = list(rows)
            # in key order, so each row is appended to its table's tree (in the articles' order it took twice as long)
            db.executemany(f"INSERT OR IGNORE INTO passages VALUES ({', '.join('?' * len(PASSAGE_FIELDS))})",
                           sorted(p for r in every for p in r.passages))
            db.executemany(f"INSERT OR IGNORE INTO sources VALUES ({', '.join('?' * len(SOURCE_FIELDS))})",
                           sorted(s for r in every for s in r.sources))
            db.commit()
            return db.execute("SELECT count(*) FROM passages").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error as exc:  # a full disk shows here as "database or disk is full"
        raise RunError(f"could not write the page index: {exc}", Location(path),
                       "free some space or use another --out, then build again") from None


class PageIndex:
    """Lookups in one ``pages.sqlite``, read-only; each lookup opens its own connection, so threads share nothing."""

    _CHUNK = 500  # IRIs per query, far under SQLite's limit on parameters

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def _rows(self, table: str, fields: tuple[str, ...], iris: Iterable[str]) -> dict[str, tuple]:
        wanted = list(dict.fromkeys(iris))
        out: dict[str, tuple] = {}
        # as a URI, percent-encoded: a folder named with "?", "#" or "%" still opens, read-only
        with sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False) as db:
            for i in range(0, len(wanted), self._CHUNK):
                chunk = wanted[i:i + self._CHUNK]
                for row in db.execute(f"SELECT {', '.join(fields)} FROM {table} WHERE iri IN ({', '.join('?' * len(chunk))})", chunk):
                    out[row[0]] = row
        return out

    def passages(self, iris: Iterable[str]) -> dict[str, Mapping[str, object]]:
        """The passages among ``iris`` that the index holds, by IRI, each as a mapping of :data:`PASSAGE_FIELDS`."""
        return {k: dict(zip(PASSAGE_FIELDS, v)) for k, v in self._rows("passages", PASSAGE_FIELDS, iris).items()}

    def placed(self, iris: Iterable[str]) -> dict[str, tuple[str, int, bool]]:
        """The article, start and whether machine-read of each passage among ``iris`` that the index holds: what
        orders and counts a list of passages, without reading the words of those a page does not quote."""
        return {k: (v[1], int(v[2]), bool(v[3])) for k, v in self._rows("passages", ("iri", "source", "start", "draft"), iris).items()}

    def sources(self, iris: Iterable[str]) -> dict[str, Mapping[str, object]]:
        """The articles among ``iris``, by IRI, each as a mapping of :data:`SOURCE_FIELDS`."""
        return {k: dict(zip(SOURCE_FIELDS, v)) for k, v in self._rows("sources", SOURCE_FIELDS, iris).items()}
