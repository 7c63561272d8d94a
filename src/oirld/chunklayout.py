"""The global part's lines laid out into named graphs chunk by chunk (the dumps' chunks,
:func:`oirld.dumpparts.global_chunks`), for :mod:`oirld.graphrecord`, with each chunk's result cached by the SHA-256
of its N-Triples.

Why: the record of a version's graphs placed every global triple again on every build (3.2 s of a one-article
rebuild at 1,000 articles, O(corpus)), though a one-article change touches a few chunks.

What a chunk's placement (:meth:`oirld.partition.Layout.place`) depends on: its own lines, and what the layout knows
of the *roots* its lines name, subjects and objects (decided or not, derived, a build, restated, and their graph).
So a cached placement is used again when none of its roots is among those whose facts changed since the build that
cached it (:func:`changed_roots`, from the layout's sealed facts then and now, kept in the cache file); else the
chunk is placed again. What each chunk's defining triples teach the layout is cached too and merged
(:meth:`~oirld.partition.Layout.absorb`) instead of learnt line by line. Two things depend on every chunk and are
redone on every build from what was cached: who points at undecided nodes (each chunk's :meth:`Layout.point` calls
are replayed), and where the lines left aside go (:meth:`Layout.settle`).

The cache file holds the entries of the current chunks only, all valid for the facts it holds (an entry reused is
valid for the new facts, as none of its roots changed), so the next build's comparison is sound.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pyoxigraph as ox

from .partition import DEFINING, Layout, term_root

__all__ = ["ChunkLayout", "CACHE_FILE", "changed_roots", "text_lines"]

#: bumped when what an entry holds or how placement works changes, so an old cache is never read
FORMAT = "1"
CACHE_FILE = "graphlayout.pickle"
_SETS = ("sources", "relating", "builds", "used_by_build", "labelled", "decided")
_MAPS = ("has_source", "derived")


def text_lines(text: str) -> list[str]:
    """Lines joined with ``\\n`` cut again, on ``\\n`` alone (a literal may hold U+2028 unescaped)."""
    return [line + "\n" for line in text.split("\n")[:-1]]


def _facts(layout: Layout) -> dict:
    """A sealed layout's facts, as :func:`changed_roots` compares them."""
    return {**{n: set(getattr(layout, n)) for n in _SETS}, **{n: dict(getattr(layout, n)) for n in _MAPS},
            "restated": set(layout.restated)}


def changed_roots(old: dict, new: dict) -> set[str]:
    """The roots whose placement may differ between two layouts' facts: those in one set and not the other, whose
    sources or evidence differ, whose restated triples differ, and the nodes derived from evidence whose sources
    differ (a claim's graph is its evidence's source's)."""
    found: set[str] = set()
    for n in _SETS:
        found |= old[n] ^ new[n]
    sourced: set[str] = set()
    for n in _MAPS:
        a, b = old[n], new[n]
        diff = {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
        found |= diff
        if n == "has_source":
            sourced = diff
    if sourced:
        for derived in (old["derived"], new["derived"]):
            found |= {r for r, es in derived.items() if any(e.split("#", 1)[0] in sourced for e in es)}
    found |= {r for r in (term_root(s) for s, _, _ in old["restated"] ^ new["restated"]) if r is not None}
    return found


@dataclass
class _Entry:
    """One chunk: what it teaches the layout, and its placement under the facts of the cache file."""
    lessons: Layout
    text: str  # its lines, joined
    roots: frozenset[str] = frozenset()
    texts: dict[str, str] = field(default_factory=dict)  # graph -> its lines from this chunk, joined
    aside: list[tuple[str, str]] = field(default_factory=list)  # (root, line) for Layout.settle
    points: list[tuple[str, str]] = field(default_factory=list)
    placed: bool = False


class ChunkLayout:
    """The global part's chunks for one layout: :meth:`teach` (before the layout is sealed), then :meth:`place`."""

    def __init__(self, base: str, chunks: Sequence[bytes], cache: Path | None = None) -> None:
        self.base, self.cache = base, cache
        self.keys = [hashlib.sha256(c).hexdigest() for c in chunks]
        was = self._load() if cache is not None else {}
        self._old_facts: dict | None = was.get("facts")
        cached: dict[str, _Entry] = was.get("chunks", {})
        self.entries: list[_Entry] = []
        self.reused = 0
        for key, chunk in zip(self.keys, chunks):
            entry = cached.get(key)
            if entry is None:
                entry = _study(base, chunk)
            self.entries.append(entry)

    def _load(self) -> dict:
        try:
            with open(self.cache / CACHE_FILE, "rb") as fh:  # type: ignore[operator]
                found = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return {}
        ok = isinstance(found, dict) and found.get("format") == FORMAT and found.get("base") == self.base
        return found if ok else {}

    def teach(self, layout: Layout) -> None:
        for entry in self.entries:
            layout.absorb(entry.lessons)

    def place(self, layout: Layout) -> dict[str, list[str]]:
        """Each graph's global lines, as texts of joined lines (one per chunk that has lines there, in order, then
        the lines settled there); the cache is rewritten when it is kept."""
        facts = _facts(layout)
        moved = changed_roots(self._old_facts, facts) if self._old_facts is not None else None
        texts: dict[str, list[str]] = {}
        aside: list[tuple[str, str]] = []
        for entry in self.entries:
            if entry.placed and moved is not None and entry.roots.isdisjoint(moved):
                for node, graph in entry.points:
                    layout.point(node, graph)
                self.reused += 1
            else:
                _place(layout, entry)
            for g, text in entry.texts.items():
                texts.setdefault(g, []).append(text)
            aside += entry.aside
        settled: dict[str, list[str]] = {}
        for root, line in aside:
            settled.setdefault(layout.settle(root), []).append(line)
        for g, lines in settled.items():
            texts.setdefault(g, []).append("".join(lines))
        if self.cache is not None:
            self._save(facts)
        return texts

    def _save(self, facts: dict) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
        tmp = self.cache / (CACHE_FILE + ".tmp")  # type: ignore[operator]
        with open(tmp, "wb") as fh:
            pickle.dump({"format": FORMAT, "base": self.base, "facts": facts,
                         "chunks": dict(zip(self.keys, self.entries))}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.cache / CACHE_FILE)  # type: ignore[operator]


def _study(base: str, chunk: bytes) -> _Entry:
    """A chunk's lines as pyoxigraph writes them (as the cut of the store does) and what they teach the layout."""
    lines = [f"{t} .\n" for t in ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES)]
    lessons = Layout(base)
    defining = set(DEFINING)
    for line in lines:
        subject, predicate, obj = line[:-3].split(" ", 2)
        if predicate[1:-1] in defining:
            lessons.learn(subject, predicate[1:-1], obj)
    return _Entry(lessons, "".join(lines))


def _place(layout: Layout, entry: _Entry) -> None:
    roots: set[str | None] = set()
    by_graph: dict[str, list[str]] = {}
    entry.aside = []
    layout.trail = entry.points = []
    try:
        for line in text_lines(entry.text):
            subject, _, obj = line[:-3].split(" ", 2)
            roots.add(term_root(subject))
            roots.add(term_root(obj))
            g = layout.place(line)
            if g is None:
                entry.aside.append((str(term_root(subject)), line))
            else:
                by_graph.setdefault(g, []).append(line)
    finally:
        layout.trail = None
    roots.discard(None)
    entry.roots = frozenset(roots)  # type: ignore[arg-type]
    entry.texts = {g: "".join(lines) for g, lines in by_graph.items()}
    entry.placed = True
