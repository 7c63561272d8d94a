"""A new version's store made from the previous version's: a checkpoint, then only the difference.

Loading 1.5M triples into a fresh store costs tens of seconds, while a one-article change moves a few thousand.
``Store.backup`` makes a RocksDB checkpoint (hard links to the previous store's immutable files, near-instant on
the same filesystem) in the new version's folder; the build then removes the triples of the parts that changed and
adds their new ones. The previous version's store is only ever opened read-only, so it stays as it was whatever
happens to the new one, and a build that fails removes its staging folder, checkpoint included.

Which triples changed is known from the previous version's ``parts.json`` (:mod:`oirld.dumpparts`): each article's
digest and the byte range of its N-Triples member in the previous N-Triples dump, and the range of the global part.
An article whose digest is unchanged is not read at all; a changed one, and the global part, are compared line by
line (both sides are written by the same serialiser, one line per triple).

What was validated is what is published here too: the previous store held exactly its parts' triples (checked when
it was built), every removed triple must be in it, every added one must be found again as written (a literal the
store put into another form would not be), and the new store must count exactly the triples of the new parts
(counted from the previous store's count, each removed triple there before and each added one not). Any
difference, or a change too large to be worth it, makes the build load a fresh store instead.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import pyoxigraph as ox

from .dumpparts import GLOBAL_PART, article_part, part_ntriples, read_parts

__all__ = ["update_store", "article_part", "GLOBAL_PART", "Part", "Delta"]

#: past this share of the new store's triples changed, a fresh load is faster than the difference
MAX_SHARE = 0.3


class Part(Protocol):
    stem: str
    digest: str
    triples: int
    chunk: bytes


@dataclass(frozen=True)
class Delta:
    """What an update removed from the previous store and added to it (no triple in both), for what is kept
    beside the store and follows it: the dataset's counts (:mod:`oirld.statsdelta`), the search index
    (:mod:`oirld.searchdelta`)."""
    previous: Path
    removed: list[ox.Quad]
    added: list[ox.Quad]


class _Mismatch(Exception):
    pass


def _lines(nt: bytes) -> set[bytes]:
    found = set(nt.split(b"\n"))  # in C: the serialisers here write no line of blanks, only the last one is empty
    found.discard(b"")
    return found


def _quads(lines: set[bytes]) -> list[ox.Quad]:
    if not lines:
        return []
    data = b"\n".join(sorted(lines)) + b"\n"
    return [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
            for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def update_store(previous: Path, target: Path, base: str, global_nt: bytes, articles: Sequence[Part]) -> Delta | None:
    """Make the store at ``target`` from ``previous``'s store plus the difference to ``global_nt`` and
    ``articles``, and say what changed; None (and nothing left at ``target``) when it cannot or should not, so the
    caller loads afresh."""
    parts = read_parts(previous)
    if parts is None or parts.get("base") != base or not (previous / "store").is_dir():
        return None
    try:
        removed, added = _difference(previous, parts, global_nt, articles)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged parts.json or dump: load afresh
    remove, add = removed - added, added - removed
    expected = len(_lines(global_nt)) + sum(a.triples for a in articles)
    if len(remove) + len(add) > MAX_SHARE * max(expected, 1):
        return None
    held = _held(parts)
    if held is None:
        return None
    try:
        return _apply(previous, target, remove, add, held, expected)
    except (_Mismatch, OSError, ValueError, SyntaxError):
        shutil.rmtree(target, ignore_errors=True)
        return None


def _difference(previous: Path, parts: dict, global_nt: bytes,
                articles: Sequence[Part]) -> tuple[set[bytes], set[bytes]]:
    removed: set[bytes] = set()
    added: set[bytes] = set()
    old_global = _lines(part_ntriples(previous, parts["global"]["nt"]))
    new_global = _lines(global_nt)
    removed |= old_global - new_global
    added |= new_global - old_global
    old: dict = parts["articles"]
    new = {a.stem: a for a in articles}
    for stem in sorted(old.keys() | new.keys()):
        was, now = old.get(stem), new.get(stem)
        if was is not None and now is not None and was["digest"] == now.digest and was["triples"] == now.triples:
            continue
        before = _lines(part_ntriples(previous, was["nt"])) if was is not None else set()
        after = _lines(now.chunk) if now is not None else set()
        removed |= before - after
        added |= after - before
    return removed, added


def _held(parts: dict) -> int | None:
    """How many triples the previous store holds: its parts' (checked when it was made)."""
    try:
        return int(parts["global"]["triples"]) + sum(int(a["triples"]) for a in parts["articles"].values())
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _apply(previous: Path, target: Path, remove: set[bytes], add: set[bytes], held: int, expected: int) -> Delta:
    ox.Store.read_only(str(previous / "store")).backup(str(target))
    store = ox.Store(str(target))
    removed = _quads(remove)
    try:
        if len(set(removed)) != len(removed):
            raise _Mismatch("two removed lines are one triple")
        for q in removed:
            if q not in store:
                raise _Mismatch(f"{q} is not in the previous store")
        _remove(store, remove)
        for q in removed:
            if q in store:  # the update read a line as another term than the parser did
                raise _Mismatch(f"{q} was not removed")
        quads = _quads(add)
        if len(set(quads)) != len(quads):
            raise _Mismatch("two added lines are one triple")
        for q in quads:
            if q in store:  # written twice (in two parts) or kept in another form: it would not be counted
                raise _Mismatch(f"{q} is in the store already")
        store.extend(quads)
        for q in quads:
            if q not in store:  # the store keeps it in another form than the one validated
                raise _Mismatch(f"{q} reads back differently")
        # counted, not measured (len() reads the whole store): each removed quad was there, each added one was not
        if held - len(removed) + len(quads) != expected:
            raise _Mismatch(f"the store holds {held - len(removed) + len(quads)} triples, the parts {expected}")
        store.flush()
    finally:
        del store
    return Delta(previous, removed, quads)


def _remove(store: ox.Store, lines: set[bytes]) -> None:
    """One update for the lines without a blank node (a remove() each is a transaction each: most of a one-article
    rebuild's removals are the claims' ``prov:wasGeneratedBy`` of the previous version), the rest one by one
    (``DELETE DATA`` takes no blank node; a literal that merely holds `` _:`` goes that way too)."""
    named = [line for line in lines if not (line.startswith(b"_:") or b" _:" in line)]
    if named:
        store.update("DELETE DATA {\n" + b"\n".join(named).decode("utf-8") + "\n}")
    for q in _quads(lines.difference(named)):
        store.remove(q)
