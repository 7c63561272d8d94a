"""Dumps made of parts: each article's triples are serialised and gzipped once, with the article, and a dump is the
concatenation of gzip members (RFC 1952 allows several members in one file; ``gzip -t``, ``zcat`` and Python's
``gzip`` read them as one stream), so a rebuild after one article changed gzips only that article and the global part.

What a dump holds, in this order (documented in the README, "Dumps"):

* N-Triples (``oirld.nt.gz``): the global part (the build, entities, merged claims, disagreements, current values,
  wire stories), then each article's own triples, articles in the order of their file names. Each article is one
  member, so a part's triples can be read back alone from its byte range (``parts.json`` in the version folder).
  The global part is several members, one per *chunk* (:func:`global_chunks`), written one after the other, so its
  byte range is read back alone too.
* Turtle (``oirld.ttl.gz``): the same parts in the same order, each a complete Turtle document with the project's
  ``@prefix`` lines (Turtle allows a prefix to be declared again; the declarations are identical).
* JSON-LD (``oirld.jsonld.gz``), expanded form: one JSON array; a member ``[`` plus the global part's node objects,
  then per article ``,`` and its node objects, then ``]`` (each chunk of the global part after the first starts with
  ``,`` too). A node described by two parts (an article's source node also carries global triples such as
  ``oirl:reprintOf``; a claim's ``prov:wasGeneratedBy`` is in the global part's last chunk) appears as two node
  objects with the same ``@id``, which a JSON-LD processor merges into one node.

Every member is written with ``mtime=0`` and no file name, so equal data give equal bytes and checksums.

Why chunks: the global part is a tenth of the data and most of it does not change when one article does; gzipping it
whole on every build cost O(corpus). It is cut along its groups (:mod:`oirld.globalparts`) at boundaries that depend
on the group names alone (a group whose name hashes to zero modulo ``CHUNK_SPAN`` ends a chunk), so a changed,
added or removed group moves no boundary but its own, and a chunk whose N-Triples are a previous version's
(same SHA-256) copies that version's members.

A rebuild copies an unchanged article's members from the previous version's dumps, by the byte ranges its
``parts.json`` records for each dump (an article is unchanged when its cache key is the one recorded there: the same
inputs, oirld version and base IRI, so the same members), and reads the cached members only of the articles that
changed. Runs of consecutive unchanged articles are one copy.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol, Sequence

import pyoxigraph as ox
from rdflib import Graph

from .dumps import DUMP_NAME, FORMATS, Dump
from .errors import RunError
from .namespaces import bind_prefixes

__all__ = ["Members", "Kept", "members_of", "write_part_dumps", "PARTS_FILE", "read_parts", "part_ntriples",
           "write_parts_file", "kept_members", "GLOBAL_PART", "article_part", "write_version_dumps", "global_chunks",
           "CHUNK_SPAN"]

#: the version folder's index of the N-Triples dump's members: where each part's triples are
PARTS_FILE = "parts.json"
_OX = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
_LEVEL = 6
#: the name of the global part in ``parts.json`` and the dumps; an article's part is ``article_part(stem)``
GLOBAL_PART = "global"
#: a global group whose name hashes to zero modulo this ends a chunk (about 40 KB of N-Triples at 1.8 KB a group)
CHUNK_SPAN = 24
#: a chunk grown past this many bytes ends anyway (a run of large groups)
_CHUNK_MAX = 4 << 20
#: groups that change on every build: each is a chunk of its own, so its neighbours' members are kept
_ALONE = ("build",)


def article_part(stem: str) -> str:
    return f"article:{stem}"


@dataclass(frozen=True)
class Members:
    """One part's gzip members, per dump suffix: (compressed bytes, uncompressed size)."""
    by_suffix: dict[str, tuple[bytes, int]]


@dataclass(frozen=True)
class Kept:
    """A part whose members are copied from a previous version's dumps: suffix -> [offset, length, uncompressed
    size] of its member in ``<version>/dumps/oirld.<suffix>.gz``."""
    version: Path
    ranges: dict[str, list[int]]


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=_LEVEL, mtime=0)


def _prefixes(base: str) -> dict[str, str]:
    return {p: str(ns) for p, ns in bind_prefixes(Graph(), base).namespaces() if p}


def _jsonld_items(data: bytes) -> bytes:
    """The node objects of an expanded JSON-LD array, without its brackets."""
    text = data.strip()
    if not (text.startswith(b"[") and text.endswith(b"]")):
        raise ValueError("pyoxigraph wrote JSON-LD that is not one array")
    return text[1:-1].strip()


def members_of(ntriples: bytes, base: str, first: bool = False) -> Members:
    """The members of one part, from its N-Triples; ``first`` for the part that opens the JSON-LD array."""
    triples = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    out: dict[str, tuple[bytes, int]] = {"nt": (_gz(ntriples), len(ntriples))}
    ttl = ox.serialize(triples, format=_OX["ttl"], prefixes=_prefixes(base)) if triples else b""
    out["ttl"] = (_gz(ttl), len(ttl))
    items = _jsonld_items(ox.serialize(triples, format=_OX["jsonld"])) if triples else b""
    js = (b"[" + items) if first else ((b"," + items) if items else b"")
    out["jsonld"] = (_gz(js), len(js))
    return Members(out)


class _Writer:
    """One dump being written: bytes appended or copied from a previous dump, hashed as they go; adjacent copies
    from one file are made one."""

    def __init__(self, path: Path) -> None:
        self.fh = open(path, "wb")
        self.sha = hashlib.sha256()
        self.size = 0  # uncompressed
        self._copy: list = []  # [source path, offset, length] not yet copied

    def write(self, data: bytes) -> None:
        self.flush()
        self.fh.write(data)
        self.sha.update(data)

    def copy(self, source: Path, offset: int, length: int) -> None:
        if self._copy and self._copy[0] == source and self._copy[1] + self._copy[2] == offset:
            self._copy[2] += length
        else:
            self.flush()
            self._copy = [source, offset, length]

    def flush(self) -> None:
        if not self._copy:
            return
        source, offset, length = self._copy
        self._copy = []
        with open(source, "rb") as src:
            src.seek(offset)
            while length:
                block = src.read(min(length, 1 << 20))
                if not block:
                    raise OSError(f"{source} is shorter than its {PARTS_FILE} says")
                self.fh.write(block)
                self.sha.update(block)
                length -= len(block)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.fh.close()


def write_part_dumps(folder: Path, parts: Iterable[tuple[str, Members | Kept]]
                     ) -> tuple[list[Dump], dict[str, dict[str, list[int]]]]:
    """The three dumps as concatenations of the parts' members (the first part must open the JSON-LD array), and
    where each part's member sits in each dump (name -> suffix -> [offset, length, uncompressed size])."""
    folder.mkdir(parents=True, exist_ok=True)
    writers: dict[str, _Writer] = {}
    where: dict[str, dict[str, list[int]]] = {}
    try:
        for suffix in FORMATS:
            writers[suffix] = _Writer(folder / f"{DUMP_NAME}.{suffix}.gz")
        offsets = dict.fromkeys(FORMATS, 0)
        for name, part in parts:
            where[name] = {}
            for suffix, w in writers.items():
                if isinstance(part, Kept):
                    offset, length, size = part.ranges[suffix]
                    w.copy(part.version / "dumps" / f"{DUMP_NAME}.{suffix}.gz", offset, length)
                else:
                    data, size = part.by_suffix[suffix]
                    length = len(data)
                    w.write(data)
                where[name][suffix] = [offsets[suffix], length, size]
                offsets[suffix] += length
                w.size += size
        writers["jsonld"].write(_gz(b"]\n"))
        writers["jsonld"].size += 2
    finally:
        for w in writers.values():
            w.close()
    dumps = []
    for suffix, (_fmt, media) in FORMATS.items():
        path = folder / f"{DUMP_NAME}.{suffix}.gz"
        dumps.append(Dump(path.name, media, path.stat().st_size, writers[suffix].sha.hexdigest(), writers[suffix].size))
    (folder / "SHA256SUMS").write_text("".join(f"{d.sha256}  {d.name}\n" for d in dumps), encoding="utf-8")
    return dumps, where


def kept_members(previous: Path | None, parts: dict | None, stem: str, key: str) -> Kept | None:
    """Where the article's members are in the previous version's dumps, when they are the ones its cache entry
    ``key`` holds and the files are long enough; else None (the members are then read from the cache)."""
    if previous is None or parts is None:
        return None
    entry = parts["articles"].get(stem)
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("members"), dict):
        return None
    ranges = entry["members"]
    return Kept(previous, ranges) if _in_files(previous, ranges) else None


class _Group(Protocol):
    nt: bytes


def _ends_chunk(name: str, span: int) -> bool:
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=4).digest(), "big") % span == 0


def global_chunks(groups: Mapping[str, _Group], nt: bytes, span: int | None = None) -> list[bytes]:
    """The global part's N-Triples ``nt`` cut into chunks along its ``groups`` (in their order; what follows their
    N-Triples in ``nt`` is one more chunk): see the module docstring. One chunk when ``nt`` is not the groups'."""
    span = span or CHUNK_SPAN
    chunks: list[bytes] = []
    run: list[bytes] = []
    size = 0

    def close() -> None:
        nonlocal run, size
        if run:
            chunks.append(b"".join(run))
        run, size = [], 0
    for name, group in groups.items():
        if not group.nt:
            continue
        if name in _ALONE:
            close()
        run.append(group.nt)
        size += len(group.nt)
        if name in _ALONE or size >= _CHUNK_MAX or _ends_chunk(name, span):
            close()
    close()
    done = sum(map(len, chunks))
    if nt[:done] != b"".join(chunks):
        return [nt]
    if done < len(nt):
        chunks.append(nt[done:])
    return chunks


def _chunk_key(data: bytes, first: bool) -> str:
    return ("first:" if first else "") + hashlib.sha256(data).hexdigest()


def _kept_chunks(previous: Path | None, parts: dict | None) -> dict[str, Kept]:
    """The previous version's global chunks whose members can be copied, by :func:`_chunk_key`."""
    found: dict[str, Kept] = {}
    if previous is None or parts is None or not isinstance(parts["global"].get("chunks"), list):
        return found
    try:
        for chunk in parts["global"]["chunks"]:
            if _in_files(previous, chunk["members"]):
                found[str(chunk["key"])] = Kept(previous, chunk["members"])
    except (KeyError, TypeError, AttributeError):
        return {}
    return found


def _in_files(previous: Path, ranges: dict) -> bool:
    try:
        for suffix in FORMATS:
            offset, length, _size = ranges[suffix]
            if offset + length > (previous / "dumps" / f"{DUMP_NAME}.{suffix}.gz").stat().st_size:
                return False
    except (OSError, KeyError, TypeError, ValueError):
        return False
    return True


class Article(Protocol):
    stem: str
    key: str
    triples: int
    digest: str

    @property
    def members(self) -> Members | None: ...


def write_version_dumps(staging: Path, base: str, global_nt: Sequence[bytes], global_triples: int,
                        articles: Sequence[Article], previous: Path | None, stats: dict | None = None) -> list[Dump]:
    """A version's dumps and its ``parts.json``: the global part's chunks (``global_nt``, see
    :func:`global_chunks`) copied from ``previous`` (the version before) when it had them, else made now; an
    unchanged article's members copied from ``previous``, a changed one's from its cache entry; ``stats``, the VoID
    counts, are kept there too, for the next build (:mod:`oirld.statsdelta`)."""
    old = read_parts(previous) if previous is not None else None
    if old is not None and old.get("base") != base:
        old = None
    global_nt = list(global_nt) or [b""]
    kept = _kept_chunks(previous, old)
    keys = [_chunk_key(data, i == 0) for i, data in enumerate(global_nt)]
    named: list[tuple[str, Members | Kept]] = [
        (f"{GLOBAL_PART}:{i}", kept.get(key) or members_of(data, base, first=i == 0))
        for i, (key, data) in enumerate(zip(keys, global_nt))]
    for a in articles:
        part = kept_members(previous, old, a.stem, a.key) or a.members
        if part is None:
            raise RunError(f"the cached result of {a.stem} has no dump parts", hint="remove the cache folder and build again")
        named.append((article_part(a.stem), part))
    dumps, where = write_part_dumps(staging / "dumps", named)

    def record(name: str) -> dict:  # "nt" as [offset, length], as oirld.storedelta reads it
        return {"nt": where[name]["nt"][:2], "members": where[name]}

    chunks = [where[name] for name, _ in named[:len(keys)]]
    # the global part's members follow each other: its range in each dump is from the first to the last
    whole = {suffix: [chunks[0][suffix][0], sum(c[suffix][1] for c in chunks), sum(c[suffix][2] for c in chunks)]
             for suffix in FORMATS}
    write_parts_file(staging, {
        "base": base,
        "global": {"nt": whole["nt"][:2], "members": whole, "triples": global_triples,
                   "chunks": [{"key": key, "members": c} for key, c in zip(keys, chunks)]},
        "articles": {a.stem: {**record(article_part(a.stem)), "triples": a.triples, "digest": a.digest, "key": a.key}
                     for a in articles},
        **({"stats": stats} if stats is not None else {}),
    })
    return dumps


def read_parts(version: Path) -> dict | None:
    """A published version's ``parts.json``, or None when it has none (a version built before parts were kept)."""
    try:
        data = json.loads((version / PARTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "global" in data and "articles" in data else None


def part_ntriples(version: Path, where: list[int]) -> bytes:
    """One part's N-Triples, read back from its member of the version's N-Triples dump."""
    with open(version / "dumps" / f"{DUMP_NAME}.nt.gz", "rb") as fh:
        fh.seek(where[0])
        data = fh.read(where[1])
    if len(data) != where[1]:
        raise OSError(f"{version / 'dumps'} is shorter than its {PARTS_FILE} says")
    return gzip.decompress(data)


def write_parts_file(version: Path, record: dict) -> None:
    tmp = version / f".{PARTS_FILE}.tmp"
    tmp.write_text(json.dumps(record, separators=(",", ":")) + "\n", encoding="utf-8")
    os.replace(tmp, version / PARTS_FILE)
