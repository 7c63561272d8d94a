"""The data extension service of the Reconciliation API 0.2 (``extend`` and ``propose_properties`` at /reconcile).

OpenRefine adds columns to reconciled rows by asking for the values of properties of the entities it matched. The
properties on offer are the claim properties that entities of the type hold in the store, the most widely held
first; their names come from the ontology file (the store holds the data, not the ontology), else from the
property's local name.

Every claimed value, not just the best-ranked: this dataset keeps every source's value, so a cell gets ALL values
claimed for the property (``rdf:subject`` / ``rdf:predicate`` / ``rdf:object`` of its claims, plus the plain
triples, which hold the best-ranked values), each distinct value once, best rank first (preferred, normal,
deprecated): a column of only the best-ranked values would hide the disagreements the dataset exists to show. Two
values that read the same under the settings (the year "2026" and "by 31 December 2026", both as their latest day)
fill one cell.

Dates are written as date-times (``2026-09-30T00:00:00Z``): the API 0.2 JSON Schema for a ``date`` cell asks for a
date-time. Integers and decimals come back as numbers, other literals as their text, and
entities as ``{"id", "name"}`` when they are reconciliation candidates.

The settings (``property_settings`` in the manifest, built from :data:`_SETTINGS` by :func:`extend_manifest`) say
how a value node fills a cell:

* ``time``: ``words`` (default), the time as resolved; ``earliest`` or ``latest``, that day (a time open on that
  side keeps its words);
* ``quantity``: ``value`` (default), the number stated; ``min`` or ``max``, the end of the range the wording allows;
  ``words`` (2,500 troops).

A request names at most ``ids_per_extend`` entities and ``properties_per_extend`` properties
(:mod:`oirld.web.common.limits`; 413 past them); a malformed one is a 400 that shows the expected shape.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Protocol

import pyoxigraph as ox

from ... import namespaces as ns
from ...config import ONTOLOGY_NS as ONT
from ..common.inputs import parse_json
from ..common.limits import LIMITS, enforce, enforce_length
from ..responses import ProtocolError
from .transliterate import whole_iri
from ..linkeddata.views import ontology_labels

__all__ = ["EXTEND_HINT", "MAX_EXTEND_IDS", "Candidates", "Extender", "extend_manifest"]


class Candidates(Protocol):
    """What data extension reads of the reconciler (:class:`.reconciler.Reconciler`), named here so that this
    module does not import the one that builds it."""

    store: ox.Store
    space: str
    candidates: dict[str, Any]

    def type_name(self, iri: str) -> str: ...

    def all_types(self, c: Any) -> set[str]: ...

RDF, RDFS, SCHEMA, WIKIBASE, XSD = (str(n) for n in (ns.RDF, ns.RDFS, ns.SCHEMA, ns.WIKIBASE, ns.XSD))
_RANK_ORDER = {WIKIBASE + "PreferredRank": 0, WIKIBASE + "NormalRank": 1, WIKIBASE + "DeprecatedRank": 2}
_SETTINGS = {  # name -> (label, default, {choice: its name}); the manifest's property_settings are built from this
    "time": ("Times as", "words", {"words": "the words, as resolved (by 30 September 2026)",
                                   "earliest": "the earliest day allowed", "latest": "the latest day allowed"}),
    "quantity": ("Quantities as", "value", {"value": "the number stated", "min": "the lowest the wording allows",
                                            "max": "the highest the wording allows", "words": "the words (2,500 troops)"}),
}
_KINDS = {ONT + "TimeValue": "time", ONT + "Quantity": "quantity"}  # value nodes, and the setting that renders them
_PARTS = {"time": {"earliest": ONT + "earliest", "latest": ONT + "latest"},
          "quantity": {"value": SCHEMA + "value", "min": SCHEMA + "minValue", "max": SCHEMA + "maxValue"}}
EXTEND_HINT = 'extend={"ids": ["oir"], "properties": [{"id": "endDate", "settings": {"time": "earliest"}}]}'
MAX_EXTEND_IDS = LIMITS.ids_per_extend
_CLAIMED = f"SELECT DISTINCT ?s ?p WHERE {{ ?c <{RDF}subject> ?s ; <{RDF}predicate> ?p }}"

#: one cell value of the API: {"id", "name"}, {"str"}, {"int"}, {"float"} or {"date"}
Cell = dict[str, Any]


def extend_manifest(root: str) -> dict[str, Any]:
    """The service manifest's ``extend`` block: where properties are proposed, and the settings a column may take."""
    return {
        "propose_properties": {"service_url": root, "service_path": "/propose_properties"},
        "property_settings": [
            {"name": name, "label": label, "type": "select", "default": default,
             "help_text": f"How a {name} value fills a cell",
             "choices": [{"value": v, "name": n} for v, n in choices.items()]}
            for name, (label, default, choices) in _SETTINGS.items()
        ],
    }


class Extender:
    """Property values of the reconciler's candidates: the reconciler says which ids name entities, what they are
    called and what types they have (with superclasses); the store holds their claims."""

    def __init__(self, reconciler: Candidates, ontology: Any = None) -> None:
        self.reconciler = reconciler
        self.store = reconciler.store
        self.ontology = ontology  # the server's one parsed copy (vocabmodel.Parsed), or a path

    @cached_property
    def labels(self) -> dict[str, str]:
        """Property names from the ontology, read on first use."""
        return ontology_labels(self.ontology)

    def answer(self, raw: Any) -> dict[str, Any]:
        """The response to a data extension query (a JSON string or its parsed object): ``meta`` and ``rows``."""
        ids, props = _parse_extend(raw)
        meta = [{"id": pid, "name": self.labels.get(whole_iri(pid, ONT)) or self.reconciler.type_name(pid)}
                for pid, _ in props]
        return {"meta": meta, "rows": self.extend(ids, props)}

    def propose(self, type_id: str, limit: int | None) -> dict[str, Any]:
        """The response to ``propose_properties``: the claimed properties of the type (all types if empty)."""
        props = self.claimed_properties(type_id or None)
        found = [{"id": p, "name": self.labels.get(p) or self.reconciler.type_name(p)} for p in props]
        return {"type": type_id, "properties": found[: limit if limit and limit > 0 else None],
                **({"limit": limit} if limit else {})}

    def claimed_properties(self, type_id: str | None) -> list[str]:
        """Claim properties that entities of the type have in the store, the most widely held first."""
        wanted = whole_iri(type_id, ONT) if type_id else None
        subjects = {c.iri for c in self.reconciler.candidates.values()
                    if wanted is None or wanted in self.reconciler.all_types(c)}
        holders: dict[str, int] = {}
        for row in self.store.query(_CLAIMED):
            if row["s"].value in subjects:
                holders[row["p"].value] = holders.get(row["p"].value, 0) + 1
        return sorted(holders, key=lambda p: (-holders[p], p))

    def extend(self, ids: list[str], props: list[tuple[str, dict[str, str]]]) -> dict[str, dict[str, list[Cell]]]:
        """For each id, for each requested property id, every claimed value once, best rank first (module docstring)."""
        rows: dict[str, dict[str, list[Cell]]] = {}
        for eid in ids:
            if eid in rows:  # asked twice: one row, made once
                continue
            iri = whole_iri(eid, self.reconciler.space)
            values = self._claimed_values(iri) if iri in self.reconciler.candidates else {}
            row = rows.setdefault(eid, {})
            for pid, settings in props:
                ranked = sorted(((rank, self._cell(term, settings)) for term, rank in values.get(whole_iri(pid, ONT), {}).items()),
                                key=lambda rc: (rc[0], _order(rc[1])))
                row[pid] = []
                for _, cell in ranked:  # two values can read the same ("2026" and "by 31 December 2026", latest day)
                    if cell not in row[pid]:
                        row[pid].append(cell)
        return rows

    def _claimed_values(self, iri: str) -> dict[str, dict[Any, int]]:
        """property -> {value: best rank (0 preferred, 1 normal, 2 deprecated)}, from the claims and the plain triples."""
        s, out = ox.NamedNode(iri), {}
        for q in self.store.quads_for_pattern(None, ox.NamedNode(RDF + "subject"), s):
            ranks = self.store.quads_for_pattern(q.subject, ox.NamedNode(WIKIBASE + "rank"), None)
            rank = min((_RANK_ORDER.get(r.object.value, 1) for r in ranks), default=1)
            for p in self.store.quads_for_pattern(q.subject, ox.NamedNode(RDF + "predicate"), None):
                for o in self.store.quads_for_pattern(q.subject, ox.NamedNode(RDF + "object"), None):
                    slot = out.setdefault(p.object.value, {})
                    slot[o.object] = min(rank, slot.get(o.object, 2))
        for p in list(out):  # plain triples of the same properties: the best-ranked values, claimed as well
            for q in self.store.quads_for_pattern(s, ox.NamedNode(p), None):
                out[p].setdefault(q.object, 1)
        return out

    def _cell(self, term: Any, settings: dict[str, str]) -> Cell:
        """One value as a cell: a literal by its type, a candidate by id and name, a value node by the settings."""
        if isinstance(term, ox.Literal):
            return _literal_cell(term)
        candidate = self.reconciler.candidates.get(term.value)
        if candidate is not None:
            return {"id": candidate.id, "name": candidate.name}
        props: dict[str, Any] = {}
        for q in self.store.quads_for_pattern(term, None, None):
            props.setdefault(q.predicate.value, q.object)
        kinds = [_KINDS[q.object.value] for q in self.store.quads_for_pattern(term, ox.NamedNode(RDF + "type"), None)
                 if q.object.value in _KINDS]
        wanted = _PARTS[kinds[0]].get(settings.get(kinds[0], _SETTINGS[kinds[0]][1])) if kinds else None
        return _literal_cell(props[wanted]) if wanted in props else {"str": getattr(props.get(RDFS + "label"), "value", term.value)}


def _order(cell: Cell) -> tuple[str, float, str]:
    kind, value = next(iter(cell.items()))
    return kind, value if isinstance(value, (int, float)) else 0, str(cell.get("name", value))


def _literal_cell(lit: ox.Literal) -> Cell:
    """A literal as the API's typed value: int, float, date (a date-time, as the 0.2 schema wants) or str."""
    local = lit.datatype.value.removeprefix(XSD)
    try:
        if local.endswith(("integer", "Integer", "int", "Int", "long", "Long", "short", "Short", "byte", "Byte")):
            return {"int": int(lit.value)}
        if local in ("decimal", "double", "float"):
            return {"float": float(lit.value)}
    except ValueError:
        pass
    if local in ("date", "dateTime") and len(lit.value) >= 10:
        return {"date": lit.value if local == "dateTime" else lit.value[:10] + "T00:00:00Z"}
    return {"str": lit.value}


def _parse_extend(raw: Any) -> tuple[list[str], list[tuple[str, dict[str, str]]]]:
    """The ids and (property id, settings) of a data extension query, or a 400 that shows the expected shape."""
    if isinstance(raw, str):
        raw = parse_json(raw, "extend", EXTEND_HINT)
    ids, props = (raw.get("ids"), raw.get("properties")) if isinstance(raw, dict) else (None, None)
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ProtocolError(400, "bad-extend", "extend needs 'ids', a list of entity ids", EXTEND_HINT)
    if not isinstance(props, list) or not all(isinstance(p, dict) and isinstance(p.get("id"), str) for p in props):
        raise ProtocolError(400, "bad-extend", "extend needs 'properties', a list of objects with an 'id'", EXTEND_HINT)
    enforce("ids_per_extend", len(ids), "extend")
    enforce("properties_per_extend", len(props), "extend")
    for text in ids + [p["id"] for p in props]:
        enforce_length("text_chars", text, "an id of extend")
    for p in props:
        settings = p.get("settings") or {}
        bad = ([k for k, v in settings.items() if k in _SETTINGS and v not in _SETTINGS[k][2]]
               if isinstance(settings, dict) else ["settings"])
        if bad:
            choices = "; ".join(f"{k}: {', '.join(_SETTINGS[k][2])}" for k in bad if k in _SETTINGS) or "an object"
            raise ProtocolError(400, "bad-extend", f"bad settings for {p['id']!r} (expected {choices})", EXTEND_HINT)
    return ids, [(p["id"], {k: str(v) for k, v in (p.get("settings") or {}).items()}) for p in props]
