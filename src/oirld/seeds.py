"""Seed articles: their text, the exact text offsets refer to, and their publication record.

Offsets everywhere in oirld count Unicode code points (as Web Annotation's TextPositionSelector does) in the
*published text*: the seed file decoded as UTF-8, with the repairs its metadata declares applied. A repair must
keep the length, so an offset means the same in the file as decoded and in the published text; both SHA-256s are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataError, Location, raise_problems
from .yamlio import line_of, load_yaml, not_single, read_data_file

__all__ = ["Seed", "MetaField", "load_seeds", "load_seed", "seed_files", "date_span", "decode_text", "check_decoding", "METADATA_FIELDS", "DETERMINED_BY"]

METADATA_FIELDS = ("title", "publisher", "authors", "language", "date_published", "url")
#: how a field was determined; "page-metadata" (a saved page's own meta tags, Open Graph, JSON-LD) is a kind of
#: publication record, "given" an option of ``oirld add``
DETERMINED_BY = ("stated-in-text", "publication-record", "page-metadata", "given", "inferred", "unknown")
#: a publication date at the precision the record gives: a day, a month or a year
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# Typical traces of UTF-8 read as Latin-1/cp1252: "Ã©", a lone "Â" before a space or line end, "â€™".
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|Â(?=[\s\u0080-\u00bf]|$)|â€", re.MULTILINE)


@dataclass(frozen=True)
class MetaField:
    value: Any
    determined_by: str
    evidence: str
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Seed:
    stem: str
    path: Path
    meta_path: Path
    text: str
    bytes_sha256: str
    text_sha256: str
    meta: dict[str, MetaField]
    repairs: tuple[dict[str, str], ...] = ()
    #: The earliest and latest day the article can have been published; relative time is resolved against it.
    reference: tuple[dt.date, dt.date | None] | None = None
    notes: str = ""
    #: written by a generator for benchmarks (``synthetic: true`` in the metadata), not a real publication
    synthetic: bool = False

    @property
    def date_published(self) -> dt.date | None:
        """The publication day, when the record gives one (a month or a year alone gives none)."""
        value = self.meta["date_published"].value
        return dt.date.fromisoformat(value) if value and len(str(value)) == 10 else None

    def line_at(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


def seed_files(seeds_dir: Path) -> list[Path]:
    """The seed texts in name order; an error when there are none."""
    if not seeds_dir.is_dir():
        raise DataError("no seeds folder", Location(seeds_dir), "put the article .txt files there")
    texts = sorted(seeds_dir.glob("*.txt"))
    if not texts:
        raise DataError("no seed articles (*.txt)", Location(seeds_dir), "copy the articles into this folder")
    return texts


def load_seeds(seeds_dir: Path) -> list[Seed]:
    seeds, problems = [], []
    for p in seed_files(seeds_dir):  # every seed's problems at once, as the mappings' are
        try:
            seeds.append(load_seed(p))
        except DataError as exc:
            problems.append(exc)
    raise_problems(problems, "the seeds")
    return seeds


def decode_text(raw: bytes, path: Path) -> str:
    """The bytes as UTF-8, or a DataError naming the line of the first byte that is not."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at byte {exc.start} cannot be decoded",
            Location(path, line),
            "re-save the article as UTF-8 (if it came as Windows-1252 or Latin-1, convert it, e.g. iconv -f cp1252 -t utf-8)",
        ) from None


def check_decoding(text: str, path: Path, hint: str) -> None:
    """Refuse text with the typical traces of UTF-8 read as Latin-1 ("Ã©", "â€™"), naming the line."""
    bad = _MOJIBAKE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise DataError(f"text looks mis-decoded: {bad.group()!r} is a typical trace of UTF-8 read as Latin-1",
                        Location(path, line), hint)


def load_seed(path: Path) -> Seed:
    raw = read_data_file(path)
    decoded = decode_text(raw, path)
    meta_path = path.with_suffix(".meta.yaml")
    if not meta_path.exists():
        raise DataError(
            f"seed {path.name} has no metadata file",
            Location(path),
            f"create {meta_path.name} beside it with the fields {', '.join(METADATA_FIELDS)} "
            "(each {value, determined_by, evidence}); see the README section 'Seed metadata'",
        )
    doc = load_yaml(meta_path)
    if not isinstance(doc, dict):
        raise DataError("metadata must be a YAML mapping", Location(meta_path, 1))
    meta, problems = {}, []
    for name in METADATA_FIELDS:  # every field's problem, not only the first
        try:
            meta[name] = _meta_field(doc, name, meta_path)
        except DataError as exc:
            problems.append(exc)
    try:
        repairs = tuple(_repairs(doc, meta_path))
    except DataError as exc:
        problems.append(exc)
    raise_problems(problems, meta_path.name)
    text = decoded
    for rep in repairs:
        if rep["find"] not in text:
            raise DataError(
                f"declared repair {rep['find']!r} does not occur in {path.name}",
                Location(meta_path, rep["line"]),
                "remove the stale repair from text_repairs",
            )
        text = text.replace(rep["find"], rep["replace"])
    check_decoding(text, path, f"fix the file, or declare a length-keeping repair under text_repairs in {meta_path.name}")
    return Seed(
        stem=path.stem,
        path=path,
        meta_path=meta_path,
        text=text,
        bytes_sha256=hashlib.sha256(raw).hexdigest(),
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        meta=meta,
        repairs=tuple({k: v for k, v in r.items() if k != "line"} for r in repairs),
        reference=_reference(doc, meta, meta_path),
        notes=str(doc.get("notes", "") or ""),
        synthetic=doc.get("synthetic") is True,
    )


def _meta_field(doc: dict[str, Any], name: str, meta_path: Path) -> MetaField:
    where = Location(meta_path, line_of(doc, name) or line_of(doc))
    if name not in doc:
        raise DataError(
            f"metadata field {name!r} is missing", Location(meta_path, line_of(doc)),
            f"add {name}: {{value: ..., determined_by: one of {', '.join(DETERMINED_BY)}, evidence: ...}}; "
            "use determined_by: unknown with value: null when it cannot be established",
        )
    item = doc[name]
    if not isinstance(item, dict) or "determined_by" not in item or "value" not in item:
        raise DataError(f"metadata field {name!r} needs 'value' and 'determined_by'", where)
    how = item["determined_by"]
    if how not in DETERMINED_BY:
        raise DataError(f"determined_by {how!r} is not one of {', '.join(DETERMINED_BY)}", where)
    value = item["value"]
    if how == "unknown" and value not in (None, [], ""):
        raise DataError(f"{name} is 'unknown' but has a value", where, "drop the value or say how it was determined")
    if how != "unknown" and value in (None, [], ""):
        raise DataError(f"{name} has no value", where, "give the value, or set determined_by: unknown")
    if how != "unknown" and not str(item.get("evidence", "")).strip():
        raise DataError(f"{name} says how it was determined but gives no evidence", where, "quote the record or the text")
    if name == "date_published" and value:
        try:
            date_span(str(value))
        except ValueError:
            raise DataError(f"date_published {value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", where,
                            "give the date at the precision the record states, e.g. 2024-09-27, 2024-09 or 2024") from None
    if name == "authors" and value is not None and not isinstance(value, list):
        raise DataError("authors must be a list", where)
    if name == "authors" and value and any(isinstance(a, (dict, list)) or a is None for a in value):
        raise DataError("authors must be a list of names", where)
    if name != "authors" and isinstance(value, (dict, list)):
        raise DataError(f"{name} must be one value, not a list or mapping", where)
    if name == "url" and value and not _URL.match(str(value)):
        raise DataError(f"url {value!r} is not an http(s) address", where, "give the article's address, https://...")
    bad = not_single(item, ("determined_by", "evidence", "entity"))
    if bad:
        raise DataError(f"{name}: {bad} must be one value, not a list or mapping", where)
    entities = item.get("entities") or ([item["entity"]] if item.get("entity") else [])
    if not isinstance(entities, list) or not all(isinstance(e, str) for e in entities):
        raise DataError(f"{name}: entities must be a list of registry keys", where, "e.g. entities: [reuters]")
    return MetaField(value=value, determined_by=how, evidence=str(item.get("evidence", "")).strip(), entities=tuple(entities))


def date_span(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date of any precision allows: '2024' -> 1 January to 31 December 2024.
    ValueError when it is not YYYY, YYYY-MM or YYYY-MM-DD, or names no real day."""
    m = _DATE.match(value.strip())
    if not m:
        raise ValueError(value)
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if day:
        d = dt.date(year, int(month), int(day))
        return d, d
    if month:
        first = dt.date(year, int(month), 1)
        return first, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _repairs(doc: dict[str, Any], meta_path: Path) -> list[dict[str, Any]]:
    out = []
    repairs = doc.get("text_repairs") or []
    if not isinstance(repairs, list):
        raise DataError("text_repairs must be a list of {find, replace, reason}", Location(meta_path, line_of(doc, "text_repairs")))
    for item in repairs:
        where = Location(meta_path, line_of(item) or line_of(doc, "text_repairs"))
        if not isinstance(item, dict) or not {"find", "replace", "reason"} <= set(item):
            raise DataError("a text repair needs find, replace and reason", where)
        if not all(isinstance(item[k], str) for k in ("find", "replace", "reason")) or not item["find"]:
            raise DataError("a text repair's find, replace and reason are texts (find not empty)", where)
        if len(item["find"]) != len(item["replace"]):
            raise DataError(
                "a text repair must keep the length, so offsets stay valid in the file as decoded",
                where, "replace the mis-decoded characters by as many characters",
            )
        out.append({"find": item["find"], "replace": item["replace"], "reason": item["reason"], "line": line_of(item)})
    return out


def _reference(doc: dict[str, Any], meta: dict[str, MetaField], meta_path: Path) -> tuple[dt.date, dt.date | None] | None:
    published = meta["date_published"].value
    if published:
        return date_span(str(published))
    after = doc.get("published_not_before")
    if after:
        try:
            return (dt.date.fromisoformat(str(after["value"])), None)
        except (TypeError, KeyError, ValueError):
            raise DataError(
                "published_not_before needs {value: YYYY-MM-DD, evidence: ...}",
                Location(meta_path, line_of(doc, "published_not_before")),
            ) from None
    return None
