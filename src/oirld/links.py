"""Links to Wikidata, from the reviewed SSSOM mapping file ``mappings/wikidata.sssom.tsv``.

SSSOM (Simple Standard for Sharing Ontological Mappings) is the field's convention for reviewable mappings: a TSV
with a YAML metadata block in ``#`` lines. Each row maps a registry entity (``oirld:<key>``) to a Wikidata item
(``wd:Q…``) with the match type, who made it, and the record it was verified against. ``sssom:NoTermFound`` as the
object says no item could be verified: no link is published for that row. The build refuses a malformed QID, a
subject the registry does not know, an entity mapped twice, and one item claimed by two entities.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import DataError, Location

__all__ = ["Link", "load_links", "PREDICATES", "NO_TERM"]

NO_TERM = "sssom:NoTermFound"
PREDICATES = {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch"}
_QID = re.compile(r"^wd:Q[1-9][0-9]*$")
REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")


@dataclass(frozen=True)
class Link:
    entity: str
    predicate: str  # a CURIE of PREDICATES
    qid: str
    justification: str
    creator: str
    see_also: str
    comment: str
    line: int


def load_links(path: Path, known_entities: set[str] | None = None, display: str | None = None) -> tuple[list[Link], dict[str, object]]:
    """The links and the mapping set's metadata; a DataError names the file and line of any bad row."""
    shown = display or str(path)
    if not path.is_file():
        raise DataError("no Wikidata mapping file", Location(shown), "create the SSSOM file mappings/wikidata.sssom.tsv")
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    meta_lines = [ln[1:] if not ln.startswith("# ") else ln[2:] for ln in lines if ln.startswith("#")]
    try:
        meta = yaml.safe_load("\n".join(meta_lines)) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"the metadata block does not parse: {exc}", Location(shown, 1)) from None
    first = next(i for i, ln in enumerate(lines) if not ln.startswith("#"))
    reader = csv.DictReader(io.StringIO("\n".join(lines[first:])), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DataError(f"the mapping table lacks the columns {missing}", Location(shown, first + 1))
    links: list[Link] = []
    seen_subject: dict[str, int] = {}
    seen_object: dict[str, tuple[str, int]] = {}
    for n, row in enumerate(reader, start=first + 2):
        if not any((v or "").strip() for v in row.values()):
            continue
        where = Location(shown, n)
        subject, predicate, obj = row["subject_id"].strip(), row["predicate_id"].strip(), row["object_id"].strip()
        if not subject.startswith("oirld:"):
            raise DataError(f"subject {subject!r} is not an oirld entity (oirld:<key>)", where)
        key = subject[len("oirld:"):]
        if known_entities is not None and key not in known_entities:
            raise DataError(f"subject {subject!r} is not in the registry", where, "use a key from ontology/registry/")
        if key in seen_subject:
            raise DataError(f"{subject} is mapped twice (first on line {seen_subject[key]})", where, "keep one row per entity")
        seen_subject[key] = n
        if predicate not in PREDICATES:
            raise DataError(f"predicate {predicate!r} is not one of {sorted(PREDICATES)}", where)
        if obj == NO_TERM:
            continue
        if not _QID.match(obj):
            raise DataError(f"object {obj!r} is not a Wikidata item (wd:Q followed by digits)", where, "fix the QID or write sssom:NoTermFound")
        if not (row.get("see_also") or "").strip() or not (row.get("comment") or "").strip():
            raise DataError(f"{subject} -> {obj} has no verification record", where,
                            "name the record in see_also and quote it in comment, or write sssom:NoTermFound")
        if predicate == "skos:exactMatch" and obj in seen_object:
            other, line = seen_object[obj]
            raise DataError(f"{obj} is the exact match of two entities: {other} (line {line}) and {subject}", where,
                            "one real-world thing has one item; fix the duplicate")
        if predicate == "skos:exactMatch":
            seen_object[obj] = (subject, n)
        links.append(Link(key, predicate, obj[len("wd:"):], row["mapping_justification"].strip(),
                          (row.get("creator_label") or "").strip(), row["see_also"].strip(), row["comment"].strip(), n))
    return links, meta
