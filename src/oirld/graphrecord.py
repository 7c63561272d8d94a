"""A version's record of the graphs ``oirld publish`` cuts it into: each graph's SHA-256 and triple count, written
by the build as ``graphs.json`` beside ``parts.json``.

Why: a republish compares each graph's digest with the one the server's publication graph holds. Learning them by
cutting the store reads every triple (43 CPU-s at 1,000 articles), even when nothing changed. The build already has
the version in parts (the global part, and each article's own triples, cached with the article), and the cut's rules
(:class:`oirld.partition.Layout`) put an article's own triples (its source node, field records, passages and
selectors) whole into its source's graph. So the build lays out only the global part line by line, checks that each
article's triples are such a whole (:func:`_article_facts`, :func:`_fits`), and digests a source's graph as its
article's lines plus the global lines placed there; a source graph whose article and global lines are those of the
previous version keeps that version's digest without being read. Data the checks do not cover (a blank node in an
article, a defining predicate there, a passage naming two sources) gets no record, and ``oirld publish`` cuts the
store as before.

The digests are :mod:`oirld.partition`'s (sorted distinct N-Triples lines as pyoxigraph writes them), so a server
that a cut fed is compared correctly. ``oirld publish`` makes a changed graph's body from the same parts, read back
from the N-Triples dump by byte range (:func:`cut_from_parts`), and checks it against the record.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox

from .chunklayout import ChunkLayout, Taught, text_lines
from .dumpparts import part_ntriples, read_parts
from .heap import collector_paused
from .partition import DEFINING, MARKING_TYPES, Layout, Partition, digest, sealed, source_graph, term_root
from .storedelta import Part

__all__ = ["GRAPHS_FILE", "LAYOUT", "record_graphs", "read_record", "cut_from_parts"]

#: the version folder's record of its graphs
GRAPHS_FILE = "graphs.json"
#: the layout of :mod:`oirld.partition` the record is of; a record of another layout is not used
LAYOUT = 1

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_HAS_SOURCE = "http://www.w3.org/ns/oa#hasSource"
_ARTICLE = "https://schema.org/NewsArticle"
_HAS = re.compile(rf"^<([^>]*)> <{re.escape(_HAS_SOURCE)}> <([^>]*)> \.$", re.M)
_IS_ARTICLE = re.compile(rf"^<([^>]*)> <{re.escape(_TYPE)}> <{re.escape(_ARTICLE)}> \.$", re.M)
_SUBJECT = re.compile(r"^<([^>#]*)", re.M)
_OBJECT_IRI = re.compile(r"^\S+ <[^>]*> <([^>]*)> \.$", re.M)
_BLANK = re.compile(r"^_:|^\S+ <[^>]*> _:", re.M)
_UNREAD = tuple(f"> <{p}> " for p in DEFINING if p not in (_TYPE, _HAS_SOURCE))
_MARKED = tuple(f"> <{_TYPE}> <{t}> ." for t in MARKING_TYPES if t != _ARTICLE)


@dataclass
class _Facts:
    """What one article's triples tell the layout, and what they point at (kept in the record per article, so an
    unchanged article is not read again)."""
    source: str
    passages: list[str]  # the subjects of its oa:hasSource triples, each naming ``source``
    refs: list[str]  # the roots of the IRIs its triples point at, other than its own nodes

    @property
    def roots(self) -> set[str]:
        return {self.source} | {p.split("#", 1)[0] for p in self.passages}

    def saved(self, digest_: str) -> dict:
        return {"digest": digest_, "source": self.source, "passages": self.passages, "refs": self.refs}

    @classmethod
    def of(cls, saved: dict) -> "_Facts":
        return cls(str(saved["source"]), [str(p) for p in saved["passages"]], [str(r) for r in saved["refs"]])


def _article_facts(chunk: bytes) -> _Facts | None:
    """None when the article's triples are not one source with its passages, or say more than the layout reads
    from a source and its passages (a blank node, a label, a build's type, a claim's parts)."""
    text = chunk.decode("utf-8")
    if ("_:" in text and _BLANK.search(text)) or any(p in text for p in _UNREAD) or any(t in text for t in _MARKED):
        return None
    typed = set(_IS_ARTICLE.findall(text))
    has = _HAS.findall(text)
    if len(typed) != 1 or any(o not in typed for _, o in has):
        return None
    facts = _Facts(typed.pop(), sorted({s for s, _ in has}), [])
    roots = facts.roots
    if "#" in facts.source or not set(_SUBJECT.findall(text)) <= roots:
        return None
    facts.refs = sorted({o.split("#", 1)[0] for o in _OBJECT_IRI.findall(text)} - roots)
    return facts


def _fits(layout: Layout, facts: _Facts, restated: set[str | None]) -> bool:
    """Whether, with everything learnt, each of the article's triples lands in its source's graph (and what it
    points at is told to the layout)."""
    home = source_graph(layout.base, facts.source)
    roots = facts.roots
    if any(layout.graph_of(r) != home or r in layout.derived for r in roots):
        return False
    if roots & restated or not layout.builds.isdisjoint(facts.refs):
        return False
    for r in facts.refs:
        layout.referenced(r)
    return True


@dataclass
class _Laid:
    """A version laid out: each graph's lines from the global part (as joined texts), and the articles whose
    triples are in it."""
    texts: dict[str, list[str]] = field(default_factory=dict)
    articles: dict[str, list[Part]] = field(default_factory=dict)
    facts: dict[str, dict] = field(default_factory=dict)  # per article, as saved in the record

    def graphs(self) -> list[str]:
        return sorted(set(self.texts) | set(self.articles))

    def global_lines(self, graph: str) -> list[str]:
        return text_lines("".join(self.texts.get(graph, [])))

    def text_digest(self, graph: str) -> str:
        """A digest of the graph's global lines as laid out (equal digests, equal lines)."""
        h = hashlib.sha256()
        for text in self.texts.get(graph, []):
            h.update(text.encode("utf-8"))
        return h.hexdigest()

    def graph_lines(self, graph: str) -> list[str]:
        """The graph's lines, as the cut of the store would give them."""
        lines = self.global_lines(graph)
        for a in self.articles.get(graph, []):
            lines += [f"{t} .\n" for t in ox.parse(a.chunk, format=ox.RdfFormat.N_TRIPLES)]
        return sealed(lines)


def _lay_out(base: str, chunks: Sequence[bytes], articles: Sequence[Part], known: dict[str, dict],
             cache: Path | None = None) -> _Laid | None:
    """``known``: the facts of articles as an earlier record saved them (used when the digest is the same);
    ``chunks``: the global part's N-Triples in pieces (:mod:`oirld.chunklayout` caches each one's layout in
    ``cache``)."""
    layout = Layout(base)
    found: list[tuple[Part, _Facts]] = []
    taught: dict[str, Taught] = {}
    laid = _Laid()
    for a in articles:
        if not a.triples:
            continue
        was = known.get(a.stem)
        facts = _Facts.of(was) if was is not None and was.get("digest") == a.digest else _article_facts(a.chunk)
        if facts is None:
            return None
        layout.learn(f"<{facts.source}>", _TYPE, f"<{_ARTICLE}>")
        for s in facts.passages:
            layout.learn(f"<{s}>", _HAS_SOURCE, f"<{facts.source}>")
        found.append((a, facts))
        taught[a.stem] = (a.digest, facts.source, frozenset(facts.roots))
        laid.facts[a.stem] = facts.saved(a.digest)
    pieces = ChunkLayout(base, chunks, cache)
    pieces.teach(layout)
    layout.seal()
    restated = {term_root(s) for s, _, _ in layout.restated}
    for a, facts in found:
        if not _fits(layout, facts, restated):
            return None
        laid.articles.setdefault(source_graph(base, facts.source), []).append(a)
    laid.texts = pieces.place(layout, taught)
    return laid


def read_record(version: Path, base: str | None = None) -> dict | None:
    """A version's record (``graphs``: graph -> ``sha256``, ``triples``, ...; ``articles``: what each article told
    the layout), or None when it has none of this layout (an older build; or ``base`` given and not the record's)."""
    try:
        data = json.loads((version / GRAPHS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("layout") != LAYOUT or not isinstance(data.get("graphs"), dict):
        return None
    if (base is not None and data.get("base") != base) or not isinstance(data.get("articles"), dict):
        return None
    return data


def record_graphs(folder: Path, base: str, global_nt: bytes | Sequence[bytes], articles: Sequence[Part],
                  previous: Path | None = None, cache: Path | None = None) -> bool:
    """Write ``graphs.json`` into the version ``folder``; False (and no file) when the parts do not allow it (see
    the module docstring). ``previous``: the version before, whose digests are kept for unchanged graphs (a
    damaged record there is ignored: the digests are then all computed). ``global_nt``: the global part, whole or
    in chunks (:func:`oirld.dumpparts.global_chunks`), each chunk's layout cached in the folder ``cache``."""
    chunks = [global_nt] if isinstance(global_nt, bytes) else list(global_nt)
    empty: dict = {"graphs": {}, "articles": {}}
    before = (read_record(previous, base) if previous is not None else None) or empty
    # the cached layout is a million small objects: loaded into a build's large heap, they would start full
    # collections of it (seconds at 1,000 articles), and none of them is garbage
    with collector_paused():
        try:
            record = _record(base, chunks, articles, before, cache)
        except (KeyError, TypeError, AttributeError, ValueError):
            if before is empty:
                raise
            record = _record(base, chunks, articles, empty, cache)
    if record is None:
        return False
    tmp = folder / f".{GRAPHS_FILE}.tmp"
    tmp.write_text(json.dumps(record, separators=(",", ":")) + "\n", encoding="utf-8")
    os.replace(tmp, folder / GRAPHS_FILE)
    return True


def _record(base: str, chunks: Sequence[bytes], articles: Sequence[Part], before: dict,
            cache: Path | None) -> dict | None:
    laid = _lay_out(base, chunks, articles, before["articles"], cache)
    if laid is None:
        return None
    graphs: dict[str, dict] = {}
    for g in laid.graphs():
        parts = {a.stem: a.digest for a in laid.articles.get(g, [])}
        was = before["graphs"].get(g, {})
        text = laid.text_digest(g)
        same = was.get("text") == text  # the same global lines as the version before: not sorted again
        if same and not parts and "articles" not in was:
            graphs[g] = {"sha256": str(was["sha256"]), "triples": int(was["triples"]), "text": text}
            continue
        own: list[str] | None = None
        if same and "global" in was:
            own_digest = str(was["global"])
        else:
            own = sealed(laid.global_lines(g))
            own_digest = digest(own)
        if parts and was.get("articles") == parts and was.get("global") == own_digest:
            entry = {"sha256": str(was["sha256"]), "triples": int(was["triples"])}
        else:
            lines = laid.graph_lines(g) if parts else (own if own is not None else sealed(laid.global_lines(g)))
            entry = {"sha256": digest(lines), "triples": len(lines)}
        entry["text"] = text
        if parts:
            entry.update(articles=parts, **{"global": own_digest})
        graphs[g] = entry
    return {"layout": LAYOUT, "base": base, "graphs": graphs, "articles": laid.facts}


class _Stored:
    """An article's part as the version's N-Triples dump holds it, read only when its lines are wanted."""

    def __init__(self, version: Path, stem: str, part: dict) -> None:
        self.stem, self.digest, self.triples = stem, str(part["digest"]), int(part["triples"])
        self._version, self._where = version, part["nt"]

    @property
    def chunk(self) -> bytes:
        return part_ntriples(self._version, self._where)


def cut_from_parts(version: Path, base: str, graphs: Iterable[str], folder: Path | None = None) -> Partition | None:
    """The named graphs of a version, from its record and its parts in the N-Triples dump (``parts.json``), as
    files to send; None when either is missing or they do not lay out (then the store must be cut)."""
    parts, record = read_parts(version), read_record(version, base)
    if parts is None or record is None or parts.get("base") != base:
        return None
    try:
        global_nt = part_ntriples(version, parts["global"]["nt"])
        stored = [_Stored(version, stem, p) for stem, p in sorted(parts["articles"].items())]
        laid = _lay_out(base, [global_nt], stored, record["articles"])
        if laid is None:
            return None
        cut = Partition(folder)
        for g in graphs:
            cut.add_lines(g, laid.graph_lines(g))
    except (OSError, KeyError, TypeError, ValueError):
        return None
    return cut
