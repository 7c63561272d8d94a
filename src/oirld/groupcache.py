"""The cache of the global part's groups (:mod:`oirld.globalparts`): one SQLite row per group key.

It was one pickle of every group, read whole and rewritten whole by every rebuild (41 MB at 1,000 articles, ten times
that at 10,000) to change the few groups an edit touches. A row per key lets a rebuild write only the groups it
made and drop the stale ones by key. A group's violations are pickled in their row (none, the usual case, is a
NULL). The file is named for :data:`FORMAT`, so a cache of another format is never opened; an unreadable file is
a cache of nothing and is made anew.
"""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path
from typing import Iterable

from .validation import Violation

__all__ = ["FORMAT", "cache_file", "read_groups", "write_groups", "Entry"]

#: bumped when what a row holds or how a group's key is made changes
FORMAT = "3"
#: a group's N-Triples, its violations (None: not validated yet), its number of triples
Entry = tuple[bytes, tuple[Violation, ...] | None, int]
_OLD = ("global.pickle",)  # the caches of formats before this module: removed when a new one is written


def cache_file(cache: Path) -> Path:
    return cache / f"global-{FORMAT}.sqlite"


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=NORMAL")
    # a rowid table: its rows are kilobytes, too large for the leaves of a WITHOUT ROWID one
    db.execute("CREATE TABLE IF NOT EXISTS groups (key TEXT NOT NULL UNIQUE, nt BLOB NOT NULL, violations BLOB, "
               "triples INTEGER NOT NULL)")
    return db


def read_groups(cache: Path) -> dict[str, Entry]:
    """Every cached group by key ({} when there is no cache or it cannot be read)."""
    path = cache_file(cache)
    if not path.is_file():
        return {}
    try:
        db = _connect(path)
        try:
            rows = db.execute("SELECT key, nt, violations, triples FROM groups").fetchall()
        finally:
            db.close()
        return {key: (nt, pickle.loads(vs) if vs is not None else (), triples) for key, nt, vs, triples in rows}
    except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return {}


def write_groups(cache: Path, new: dict[str, Entry], stale: Iterable[str]) -> None:
    """Add the groups of ``new`` (made and validated now) and drop those of ``stale`` (no group has their key any
    more), in one transaction. A file that cannot be read is made anew (holding only ``new``)."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache_file(cache)
    rows = [(k, nt, pickle.dumps(vs, protocol=pickle.HIGHEST_PROTOCOL) if vs else None, n)
            for k, (nt, vs, n) in new.items()]
    try:
        _write(path, rows, list(stale))
    except sqlite3.DatabaseError:
        for leftover in (path, path.with_name(path.name + "-journal")):
            leftover.unlink(missing_ok=True)
        try:
            _write(path, rows, [])
        except sqlite3.Error as exc:  # a full disk, say: the build reports it as it reports any write that fails
            raise OSError(f"cannot write {path}: {exc}") from None
    for name in _OLD:
        (cache / name).unlink(missing_ok=True)


def _write(path: Path, rows: list[tuple], stale: list[str]) -> None:
    db = _connect(path)
    try:
        db.execute("BEGIN")
        db.executemany("DELETE FROM groups WHERE key = ?", ((k,) for k in stale))
        db.executemany("INSERT OR REPLACE INTO groups VALUES (?, ?, ?, ?)", rows)
        db.execute("COMMIT")
    finally:
        db.close()
