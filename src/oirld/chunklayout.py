"""The global part's lines laid out into named graphs chunk by chunk (the dumps' chunks,
:func:`oirld.dumpparts.global_chunks`), for :mod:`oirld.graphrecord`, with each chunk's result cached by the SHA-256
of its N-Triples.

Why: the record of a version's graphs placed every global triple again on every build (3.2 s of a one-article
rebuild at 1,000 articles, O(corpus)), though a one-article change touches a few chunks.

What a chunk's placement (:meth:`oirld.partition.Layout.place`) depends on: its own lines, and what the layout knows
of the *roots* its lines name: of a subject, whether it is decided, derived, restated and its graph; of an object,
whether it is decided or a build. So a cached placement is used again when none of its roots is among those whose
facts may have changed since the build that cached it; else the chunk is placed again. Which may have: the layout's
facts are the union of what the chunks' defining lines and the article parts teach it, so only a root named by a
defining line that the chunks that went state and those that came do not (or the other way round), or by a
passage that came or went, can have changed (:func:`changed_roots` adds the claims derived from evidence among
them). What each chunk's defining lines teach the layout is cached too and merged
(:meth:`~oirld.partition.Layout.absorb`) instead of learnt line by line. Two things depend on every chunk and are
redone on every build from what was cached: who points at undecided nodes (each chunk's :meth:`Layout.point` calls
are replayed), and where the lines left aside go (:meth:`Layout.settle`).

The cache file holds the entries of the current chunks only, with what each article part taught, all valid for the
facts these make (an entry reused is valid for the new facts, as none of its roots changed), so the next build's
comparison is sound.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pyoxigraph as ox

from .partition import DEFINING, MARKING_TYPES, Layout, term_root

__all__ = ["ChunkLayout", "CACHE_FILE", "changed_roots", "text_lines", "Taught"]

#: an article part's digest, its source and the roots it teaches the layout (its source and passages)
Taught = tuple[str, str, frozenset[str]]

#: bumped when what an entry holds or how placement works changes, so an old cache is never read
FORMAT = "5"
CACHE_FILE = "graphlayout.pickle"
#: what a defining triple tells the layout about (as :meth:`Layout.learn` reads it): of a source and what a build
#: used, both terms; of a claim's ``rdf:subject``, how the lines of its object that restate the claim are placed
#: (its ``rdf:predicate`` and ``rdf:object`` are in the same chunk: a global group is never cut); of a type, its
#: subject only when the class is one the layout reads; of the others, their subject
_NAMING = frozenset({"<http://www.w3.org/ns/oa#hasSource>", "<http://www.w3.org/ns/prov#used>"})
_RESTATES = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>"
_SILENT = frozenset({"<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate>",
                     "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object>"})
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def text_lines(text: str) -> list[str]:
    """Lines joined with ``\\n`` cut again, on ``\\n`` alone (a literal may hold U+2028 unescaped)."""
    return [line + "\n" for line in text.split("\n")[:-1]]


def changed_roots(taught: Iterable[frozenset[str]], layout: Layout) -> set[str]:
    """The roots whose placement may differ from what it was when the cache was written: those a chunk or article
    part there then and not now, or now and not then, taught the layout about (``taught``); the nodes derived from
    evidence among them (a claim's graph is its evidence's source's); and what they used (what a build uses goes
    with the build)."""
    found: set[str] = set().union(*taught)
    if found:
        found |= {r for r, es in layout.derived.items() if any(e.split("#", 1)[0] in found for e in es)}
        for s, o in layout.used:
            if s in found:
                found |= {o, o.split("#", 1)[0]}
    return found


@dataclass
class _Entry:
    """One chunk: what it teaches the layout, and its placement under the facts of the cache file."""
    lessons: Layout
    defining: str  # its lines of a defining predicate, joined
    roots: frozenset[str] = frozenset()  # the roots of its lines' subjects
    objects: frozenset[str] = frozenset()  # the roots of its lines' objects (only their kind is read)
    texts: dict[str, str] = field(default_factory=dict)  # graph -> its lines from this chunk, joined
    aside: list[tuple[str, str]] = field(default_factory=list)  # (root, line) for Layout.settle
    points: list[tuple[str, str]] = field(default_factory=list)


class ChunkLayout:
    """The global part's chunks for one layout: :meth:`teach` (before the layout is sealed), then :meth:`place`."""

    def __init__(self, base: str, chunks: Sequence[bytes], cache: Path | None = None) -> None:
        self.base, self.cache, self.chunks = base, cache, chunks
        self.keys = [hashlib.sha256(c).hexdigest() for c in chunks]
        self._was = self._load() if cache is not None else {}
        cached: dict[str, _Entry] = self._was.get("chunks", {})
        self.entries: list[_Entry] = []
        self._lines: dict[int, list[str]] = {}  # of the chunks read now, by index
        self.reused = 0
        for i, (key, chunk) in enumerate(zip(self.keys, chunks)):
            entry = cached.get(key)
            if entry is None:
                self._lines[i] = _lines(chunk)
                entry = _study(base, self._lines[i])
            self.entries.append(entry)

    def _load(self) -> dict:
        try:
            with open(self.cache / CACHE_FILE, "rb") as fh:  # type: ignore[operator]
                found = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return {}
        ok = isinstance(found, dict) and found.get("format") == FORMAT and found.get("base") == self.base
        return found if ok and isinstance(found.get("chunks"), dict) and isinstance(found.get("articles"), dict) else {}

    def teach(self, layout: Layout) -> None:
        for entry in self.entries:
            layout.absorb(entry.lessons)

    def _moved(self, layout: Layout, articles: dict[str, Taught]) -> tuple[set[str], set[str]] | None:
        """The roots whose facts may have changed, and those whose lines may have come to restate a claim or
        ceased to."""
        if not self._was:
            return None
        old_chunks: dict[str, _Entry] = self._was["chunks"]
        old_articles: dict[str, Taught] = self._was["articles"]
        now = set(self.keys)
        # a fact both a chunk that went and one that came state was there before and is still: only the others
        went = set().union(*(text_lines(e.defining) for k, e in old_chunks.items() if k not in now))
        came = set().union(*(text_lines(self.entries[i].defining) for i in self._lines))
        told, restating = _taught(went ^ came)
        taught = [told]
        for stem in old_articles.keys() | articles.keys():
            was, new = old_articles.get(stem), articles.get(stem)
            if was is None or new is None or was[1] != new[1]:
                taught += [t[2] for t in (was, new) if t is not None]
            elif was[0] != new[0]:  # the same source: only the passages that came or went
                taught.append(was[2] ^ new[2])
        found = changed_roots(taught, layout)
        return found, found | restating

    def place(self, layout: Layout, articles: dict[str, Taught]) -> dict[str, list[str]]:
        """Each graph's global lines, as texts of joined lines (one per chunk that has lines there, in order, then
        the lines settled there); ``articles``: what the article parts taught ``layout``, by stem. The cache is
        rewritten when it is kept."""
        moved = self._moved(layout, articles)
        texts: dict[str, list[str]] = {}
        aside: list[tuple[str, str]] = []
        for i, entry in enumerate(self.entries):
            if (moved is not None and i not in self._lines and entry.roots.isdisjoint(moved[1])
                    and entry.objects.isdisjoint(moved[0])):
                for node, graph in entry.points:
                    layout.point(node, graph)
                self.reused += 1
            else:
                _place(layout, entry, self._lines.pop(i, None) or _lines(self.chunks[i]))
            for g, text in entry.texts.items():
                texts.setdefault(g, []).append(text)
            aside += entry.aside
        settled: dict[str, list[str]] = {}
        for root, line in aside:
            settled.setdefault(layout.settle(root), []).append(line)
        for g, lines in settled.items():
            texts.setdefault(g, []).append("".join(lines))
        if self.cache is not None:
            self._save(articles)
        return texts

    def _save(self, articles: dict[str, Taught]) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
        tmp = self.cache / (CACHE_FILE + ".tmp")  # type: ignore[operator]
        with open(tmp, "wb") as fh:
            pickle.dump({"format": FORMAT, "base": self.base, "articles": articles,
                         "chunks": dict(zip(self.keys, self.entries))}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.cache / CACHE_FILE)  # type: ignore[operator]


def _lines(chunk: bytes) -> list[str]:
    """A chunk's lines as pyoxigraph writes them (as the cut of the store does)."""
    return [f"{t} .\n" for t in ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES)]


def _study(base: str, lines: list[str]) -> _Entry:
    """What a chunk's lines teach the layout."""
    lessons = Layout(base)
    defining = set(DEFINING)
    kept: list[str] = []
    for line in lines:
        subject, predicate, obj = line[:-3].split(" ", 2)
        if predicate[1:-1] in defining:
            lessons.learn(subject, predicate[1:-1], obj)
            kept.append(line)
    return _Entry(lessons, "".join(kept))


def _taught(lines: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The roots defining lines tell the layout about (``_NAMING``), and those whose lines they make restate a
    claim."""
    taught: set[str | None] = set()
    restating: set[str | None] = set()
    for line in lines:
        subject, predicate, obj = line[:-3].split(" ", 2)
        if predicate == _RESTATES:
            restating.add(term_root(obj))
        elif predicate in _NAMING:
            taught.update((term_root(subject), term_root(obj)))
        elif predicate not in _SILENT and (predicate != _TYPE or obj[1:-1] in MARKING_TYPES):
            taught.add(term_root(subject))
    return frozenset(taught - {None}), frozenset(restating - {None})  # type: ignore[arg-type]


def _place(layout: Layout, entry: _Entry, lines: list[str]) -> None:
    roots: set[str | None] = set()
    objects: set[str | None] = set()
    by_graph: dict[str, list[str]] = {}
    entry.aside = []
    layout.trail = entry.points = []
    try:
        for line in lines:
            subject, _, obj = line[:-3].split(" ", 2)
            roots.add(term_root(subject))
            objects.add(term_root(obj))
            g = layout.place(line)
            if g is None:
                entry.aside.append((str(term_root(subject)), line))
            else:
                by_graph.setdefault(g, []).append(line)
    finally:
        layout.trail = None
    entry.roots = frozenset(roots - {None})  # type: ignore[arg-type]
    entry.objects = frozenset(objects - {None})  # type: ignore[arg-type]
    entry.texts = {g: "".join(lines) for g, lines in by_graph.items()}
