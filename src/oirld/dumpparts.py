"""Dumps made of parts: each article's triples are serialised and gzipped once, with the article, and a dump is the
concatenation of gzip members (RFC 1952 allows several members in one file; ``gzip -t``, ``zcat`` and Python's
``gzip`` read them as one stream), so a rebuild after one article changed gzips only that article and the global part.

What a dump holds, in this order (documented in the README, "Dumps"):

* N-Triples (``oirld.nt.gz``): the global part (the build, entities, merged claims, disagreements, current values,
  wire stories), then each article's own triples, articles in the order of their file names. Each part is one
  member, so a part's triples can be read back alone from its byte range (``parts.json`` in the version folder).
* Turtle (``oirld.ttl.gz``): the same parts in the same order, each a complete Turtle document with the project's
  ``@prefix`` lines (Turtle allows a prefix to be declared again; the declarations are identical).
* JSON-LD (``oirld.jsonld.gz``), expanded form: one JSON array; a member ``[`` plus the global part's node objects,
  then per article ``,`` and its node objects, then ``]``. A node described by two parts (an article's source node
  also carries global triples such as ``oirl:reprintOf``) appears as two node objects with the same ``@id``, which a
  JSON-LD processor merges into one node.

Every member is written with ``mtime=0`` and no file name, so equal data give equal bytes and checksums.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from rdflib import Graph

from .dumps import DUMP_NAME, FORMATS, Dump
from .namespaces import bind_prefixes

__all__ = ["Members", "members_of", "write_part_dumps", "PARTS_FILE", "read_parts", "part_ntriples",
           "write_parts_file"]

#: the version folder's index of the N-Triples dump's members: where each part's triples are
PARTS_FILE = "parts.json"
_OX = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
_LEVEL = 6


@dataclass(frozen=True)
class Members:
    """One part's gzip members, per dump suffix: (compressed bytes, uncompressed size)."""
    by_suffix: dict[str, tuple[bytes, int]]


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


def write_part_dumps(folder: Path, parts: Iterable[tuple[str, Members]]) -> tuple[list[Dump], dict[str, list[int]]]:
    """The three dumps as concatenations of the parts' members (the first part must open the JSON-LD array), and
    where each part's N-Triples member sits in ``oirld.nt.gz`` (name -> [offset, length])."""
    folder.mkdir(parents=True, exist_ok=True)
    handles = {s: open(folder / f"{DUMP_NAME}.{s}.gz", "wb") for s in FORMATS}
    sizes = dict.fromkeys(FORMATS, 0)
    where: dict[str, list[int]] = {}
    try:
        for name, members in parts:
            for suffix, fh in handles.items():
                data, size = members.by_suffix[suffix]
                if suffix == "nt":
                    where[name] = [fh.tell(), len(data)]
                fh.write(data)
                sizes[suffix] += size
        handles["jsonld"].write(_gz(b"]\n"))
        sizes["jsonld"] += 2
    finally:
        for fh in handles.values():
            fh.close()
    dumps = []
    for suffix, (_fmt, media) in FORMATS.items():
        path = folder / f"{DUMP_NAME}.{suffix}.gz"
        sha = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                sha.update(block)
        dumps.append(Dump(path.name, media, path.stat().st_size, sha.hexdigest(), sizes[suffix]))
    (folder / "SHA256SUMS").write_text("".join(f"{d.sha256}  {d.name}\n" for d in dumps), encoding="utf-8")
    return dumps, where


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
