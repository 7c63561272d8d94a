"""The entity registry: one canonical IRI per real-world thing, and the names the articles use for it.

Mappings refer to things by name; :meth:`Registry.resolve` turns a name into an entity or says why it cannot.
Names match after folding case, accents, curly quotes, dashes and a leading "the", so "Hareer base", "the
Hareer base" and "HAREER BASE" are one name, and a name two entities share is refused when the registry loads.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataError, Location
from .yamlio import line_of, load_yaml, not_single

__all__ = ["Entity", "Registry", "load_registry", "normalize_name"]

_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ENTRY_KEYS = {"label", "types", "aliases", "description", "coordinates"}


def normalize_name(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.translate({0x2019: "'", 0x2018: "'", 0x201C: '"', 0x201D: '"', 0x2014: "-", 0x2013: "-", 0x2010: "-", 0xA0: " "})
    s = s.casefold().strip(" .,;:")
    s = re.sub(r"\s*-\s*", "-", s)
    s = re.sub(r"\s+", " ", s)
    return re.sub(r"^the ", "", s)


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
        folded = normalize_name(name)
        # no name is hundreds of characters long: skip the (quadratic) search for close ones
        close = difflib.get_close_matches(folded, list(self._by_name) + list(self.entities), n=3, cutoff=0.6) if len(folded) <= 200 else []
        hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
        raise DataError(
            f"unknown entity {name!r}",
            where,
            hint + "use a registry key or a listed alias, or add the name to an entry in ontology/registry/",
        )

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
    bad = not_single(raw, ("label", "description"))
    if bad:
        raise DataError(f"entity {key!r}: {bad} must be one text, not a list or mapping", where)
    if not isinstance(raw["types"], list) or not all(isinstance(t, str) for t in raw["types"]):
        raise DataError(f"entity {key!r}: types must be a list of class names", where, "e.g. types: [Person]")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or any(isinstance(a, (dict, list)) for a in aliases):
        raise DataError(f"entity {key!r}: aliases must be a list of names", where, "e.g. aliases: [OIR, the operation]")
    types = list(raw["types"])
    if known_types is not None:
        for t in types:
            if t not in known_types:
                close = difflib.get_close_matches(t, sorted(known_types), n=2)
                raise DataError(f"entity {key!r} has type {t!r}, which the ontology does not define", where,
                                f"did you mean {close}?" if close else "use a class of ontology/oirld.ttl")
    ent = Entity(key=key, label=str(raw["label"]), types=types, aliases=[str(a) for a in aliases],
                 description=str(raw.get("description") or ""), where=where)
    coords = raw.get("coordinates")
    if coords:
        try:
            ent.lat, ent.lon = float(coords["lat"]), float(coords["lon"])
        except (KeyError, TypeError, ValueError):
            raise DataError(f"entity {key!r}: coordinates need numeric lat and lon", where) from None
        if not (-90 <= ent.lat <= 90 and -180 <= ent.lon <= 180):
            raise DataError(f"entity {key!r}: coordinates out of range (lat {ent.lat}, lon {ent.lon})", where)
        if not isinstance(coords, dict) or not coords.get("source"):
            raise DataError(f"entity {key!r}: coordinates need a source", where)
        ent.coord_source = str(coords["source"])
    return ent
