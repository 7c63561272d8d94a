"""The entity registry: one canonical IRI per real-world thing, and the names the articles use for it.

Mappings refer to things by name; :meth:`Registry.resolve` turns a name into an entity or says why it cannot.
Names match after folding case, accents, curly quotes, dashes and a leading "the", so "Hareer base", "the
Hareer base" and "HAREER BASE" are one name, and a name two entities share is refused when the registry loads.

Entries a command made (``oirld add``, ``oirld draft``) carry an ``added:`` record and go to their own file,
``added.yaml``, so the hand-written files are never rewritten; ``reviewed: true`` (or deleting the record) is the review.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import DataError, Location
from .yamlio import line_of, load_yaml

__all__ = ["Entity", "Registry", "NewEntry", "Added", "load_registry", "normalize_name", "add_entities", "entity_key",
           "ADDED_FILE", "ADDED_BY"]

_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ENTRY_KEYS = {"label", "types", "aliases", "description", "coordinates", "added"}
#: the file commands append their new entries to
ADDED_FILE = "added.yaml"
#: the commands that may add entries
ADDED_BY = ("oirld add", "oirld draft")
_ADDED_KEYS = {"by", "date", "reviewed", "source", "note"}  # "date", not "on": YAML 1.1 reads a bare on as true
_HEADER = """# Entries added by oirld add / oirld draft, not written by hand. Each has an 'added:' record; review an entry
# (label, types, aliases, description), then set 'reviewed: true' or delete the record. `oirld review` lists the
# entries still to review. The commands only ever append to this file.
entities:
"""


def normalize_name(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.translate({0x2019: "'", 0x2018: "'", 0x201C: '"', 0x201D: '"', 0x2014: "-", 0x2013: "-", 0x2010: "-", 0xA0: " "})
    s = s.casefold().strip(" .,;:")
    s = re.sub(r"\s*-\s*", "-", s)
    s = re.sub(r"\s+", " ", s)
    return re.sub(r"^the ", "", s)


@dataclass(frozen=True)
class Added:
    by: str
    date: str
    reviewed: bool = False
    note: str = ""
    #: the seed (its name) the entry was added for, so `oirld review` lists it with that article
    source: str = ""


@dataclass(frozen=True)
class NewEntry:
    """An entry a command adds to the registry, marked added and not reviewed."""

    key: str
    label: str
    types: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    description: str = ""
    by: str = "oirld add"
    note: str = ""
    #: the seed the entry is added for
    source: str = ""


@dataclass
class Entity:
    key: str
    label: str
    types: list[str]
    aliases: list[str]
    description: str
    where: Location
    lat: float | None = None
    lon: float | None = None
    coord_source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: who added the entry and whether a person has reviewed it (None: written by hand)
    added: "Added | None" = None

    @property
    def unreviewed(self) -> bool:
        return self.added is not None and not self.added.reviewed

    def names(self) -> list[str]:
        return [self.label, *self.aliases]


class Registry:
    def __init__(self, entities: dict[str, Entity]) -> None:
        self.entities = entities
        self._by_name: dict[str, str] = {}
        for ent in entities.values():
            for name in ent.names():
                norm = normalize_name(name)
                other = self._by_name.get(norm)
                if other and other != ent.key:
                    raise DataError(
                        f"the name {name!r} belongs to two entities: {other} and {ent.key}",
                        ent.where,
                        "keep the name on one entity; mappings can name the other by its key",
                    )
                self._by_name[norm] = ent.key

    def __contains__(self, key: str) -> bool:
        return key in self.entities

    def __getitem__(self, key: str) -> Entity:
        return self.entities[key]

    def resolve(self, name: str, where: Location) -> Entity:
        """A registry key or any name of an entity; otherwise a DataError that suggests close names."""
        if name in self.entities:
            return self.entities[name]
        key = self._by_name.get(normalize_name(name))
        if key:
            return self.entities[key]
        close = difflib.get_close_matches(normalize_name(name), list(self._by_name) + list(self.entities), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
        raise DataError(
            f"unknown entity {name!r}",
            where,
            hint + "use a registry key or a listed alias, or add the name to an entry in ontology/registry/",
        )

    def find(self, name: str) -> Entity | None:
        """The entity with this key or name (folded as :func:`normalize_name` does), or None."""
        key = name if name in self.entities else self._by_name.get(normalize_name(name))
        return self.entities[key] if key else None

    def is_alias_text(self, name: str) -> bool:
        """True when ``name`` is written as a name (not a key): the build then records how the article spells it."""
        return name not in self.entities


def load_registry(folder: Path, known_types: set[str] | None = None) -> Registry:
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise DataError("no registry files (*.yaml)", Location(folder), "the entity registry lives in ontology/registry/")
    entities: dict[str, Entity] = {}
    for path in files:
        doc = load_yaml(path)
        if not isinstance(doc, dict) or not isinstance(doc.get("entities"), dict):
            raise DataError("a registry file needs a top-level 'entities:' mapping", Location(path, 1))
        for key, raw in doc["entities"].items():
            if key in ("__line__", "__lines__"):
                continue
            where = Location(path, line_of(doc["entities"], key))
            ent = _entity(key, raw, where, known_types)
            if key in entities:
                old = entities[key]
                if raw.get("label") not in (None, old.label) or raw.get("types") not in (None, old.types):
                    raise DataError(f"entity {key!r} is defined again with another label or types", where,
                                    f"first defined at {old.where}; a later file may only add aliases")
                old.aliases.extend(a for a in ent.aliases if a not in old.aliases)
            else:
                entities[key] = ent
    return Registry(entities)


def _entity(key: str, raw: Any, where: Location, known_types: set[str] | None) -> Entity:
    if not _KEY.match(str(key)):
        raise DataError(f"entity key {key!r} must be lower-case words joined by '-'", where)
    if not isinstance(raw, dict):
        raise DataError(f"entity {key!r} must be a mapping", where)
    unknown = set(raw) - _ENTRY_KEYS - {"__line__", "__lines__"}
    if "wikidata" in unknown:
        raise DataError(f"entity {key!r} names a Wikidata item in the registry", where,
                        "Wikidata links live in mappings/wikidata.sssom.tsv, with the record each was verified against")
    if unknown:
        raise DataError(f"entity {key!r} has unknown fields {sorted(unknown)}", where, f"allowed: {sorted(_ENTRY_KEYS)}")
    if not raw.get("label") or not raw.get("types"):
        raise DataError(f"entity {key!r} needs a label and types", where)
    types = list(raw["types"])
    if known_types is not None:
        for t in types:
            if t not in known_types:
                close = difflib.get_close_matches(t, sorted(known_types), n=2)
                raise DataError(f"entity {key!r} has type {t!r}, which the ontology does not define", where,
                                f"did you mean {close}?" if close else "use a class of ontology/oirld.ttl")
    ent = Entity(key=key, label=str(raw["label"]), types=types, aliases=[str(a) for a in raw.get("aliases") or []],
                 description=str(raw.get("description") or ""), where=where, added=_added(key, raw.get("added"), where))
    coords = raw.get("coordinates")
    if coords:
        try:
            ent.lat, ent.lon = float(coords["lat"]), float(coords["lon"])
        except (KeyError, TypeError, ValueError):
            raise DataError(f"entity {key!r}: coordinates need numeric lat and lon", where) from None
        if not (-90 <= ent.lat <= 90 and -180 <= ent.lon <= 180):
            raise DataError(f"entity {key!r}: coordinates out of range (lat {ent.lat}, lon {ent.lon})", where)
        if not coords.get("source"):
            raise DataError(f"entity {key!r}: coordinates need a source", where)
        ent.coord_source = str(coords["source"])
    return ent


def _added(key: str, raw: Any, where: Location) -> Added | None:
    if raw is None:
        return None
    hint = "write added: {by: oirld add, date: YYYY-MM-DD, reviewed: false, source: SEED, note: ...}; after review, reviewed: true"
    if not isinstance(raw, dict):
        raise DataError(f"entity {key!r}: 'added' must be a mapping", where, hint)
    unknown = set(raw) - _ADDED_KEYS - {"__line__", "__lines__"}
    if unknown:
        raise DataError(f"entity {key!r}: 'added' has unknown fields {sorted(unknown)}", where, hint)
    if raw.get("by") not in ADDED_BY:
        raise DataError(f"entity {key!r}: added by {raw.get('by')!r}, not one of {', '.join(ADDED_BY)}", where, hint)
    try:
        dt.date.fromisoformat(str(raw.get("date")))
    except ValueError:
        raise DataError(f"entity {key!r}: added on {raw.get('date')!r}, which is not a date (YYYY-MM-DD)", where, hint) from None
    reviewed = raw.get("reviewed", False)
    if not isinstance(reviewed, bool):
        raise DataError(f"entity {key!r}: reviewed must be true or false, not {reviewed!r}", where, hint)
    return Added(str(raw["by"]), str(raw["date"]), reviewed, str(raw.get("note") or ""), str(raw.get("source") or ""))


def entity_key(label: str, taken: Iterable[str] = ()) -> str:
    """A registry key for a new entry: the label folded to lower-case words joined by '-', made unique."""
    base = re.sub(r"[^a-z0-9]+", "-", normalize_name(label)).strip("-")[:60].strip("-") or "entity"
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def add_entities(folder: Path, entries: Iterable[NewEntry], known_types: set[str] | None = None,
                 today: dt.date | None = None) -> Path:
    """Append ``entries`` to ``folder/added.yaml`` (created with its header), marked added and not reviewed.

    Hand-written files are never touched. A key, or a name (label or alias, compared as :func:`normalize_name`
    folds it), that the registry or another new entry already has is refused and nothing is written."""
    entries = list(entries)
    path = folder / ADDED_FILE
    if not entries:
        return path
    registry = load_registry(folder, known_types)
    names = dict(registry._by_name)
    keys = set(registry.entities)
    where = Location(path)
    for e in entries:
        if not _KEY.match(e.key):
            raise DataError(f"new entity key {e.key!r} must be lower-case words joined by '-'", where)
        if e.key in keys:
            raise DataError(f"entity {e.key!r} is already in the registry", where,
                            "use the existing entry (name it by its key), or choose another key")
        if e.by not in ADDED_BY:
            raise DataError(f"entries can only be added by {', '.join(ADDED_BY)}, not {e.by!r}", where)
        if not e.label.strip() or not e.types:
            raise DataError(f"new entity {e.key!r} needs a label and types", where)
        for t in e.types:
            if known_types is not None and t not in known_types:
                raise DataError(f"new entity {e.key!r} has type {t!r}, which the ontology does not define", where)
        for name in dict.fromkeys([e.label, *e.aliases]):
            other = names.get(normalize_name(name))
            if other:
                raise DataError(f"the name {name!r} of new entity {e.key!r} already belongs to {other}", where,
                                f"use {other!r}, or add the name as an alias there if it means the same thing")
            names[normalize_name(name)] = e.key
        keys.add(e.key)
    day = (today or dt.date.today()).isoformat()
    docs = []
    for e in entries:
        body: dict[str, Any] = {"label": e.label, "types": list(e.types)}
        aliases = [a for a in dict.fromkeys(e.aliases) if a != e.label]
        if aliases:
            body["aliases"] = aliases
        if e.description:
            body["description"] = e.description
        added: dict[str, Any] = {"by": e.by, "date": day, "reviewed": False}
        if e.source:
            added["source"] = e.source
        if e.note:
            added["note"] = e.note
        body["added"] = added
        text = yaml.safe_dump({e.key: body}, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)
        docs.append("".join("  " + line + "\n" for line in text.splitlines()))
    existing = path.read_text(encoding="utf-8") if path.is_file() else _HEADER
    if existing and not existing.endswith("\n"):
        existing += "\n"
    tmp = path.with_name(f".{ADDED_FILE}.tmp")
    tmp.write_text(existing + "".join(docs), encoding="utf-8")
    tmp.replace(path)  # all entries or none
    return path
