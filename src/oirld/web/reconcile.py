"""The W3C Entity Reconciliation Service API, version 0.2 (what OpenRefine speaks), at /reconcile.

Candidates are the published entities (everything with a ``skos:prefLabel``) and their names (``skos:altLabel``).
A query is compared with every name of a candidate in three tiers, so a name as written always beats a respelling:

* 100: the same name up to case, accents, curly quotes, dashes and a leading "the" (the registry's own rule);
* 98: the same name after transliteration folding (:func:`oirld.web.transliterate.fold`: Husayn = Hussein,
  Ayn el-Asad = Ain al-Asad, Daech = Da'ish = Daesh, Irak = Iraq; that module documents the rule and scores);
* otherwise the similarity of the two folded names (0-100), capped at 96 so that no near miss outranks a folding.

A result is a ``match`` only when it was asked for by name, scores at least 95 and no other candidate comes within
10 points: OpenRefine then links it without asking; everything else is left for a person to choose (a query by
properties alone never matches: being the only thing with a property says nothing about identity). A query made only of articles ("al",
"el-") matches nothing: every second name here starts with one.

A query's ``type`` is one type or a list of them (API 0.2, section 4.1): a candidate passes if it is of any of them,
directly or through the class hierarchy. ``type_strict`` is accepted and not acted on: the filter is always strict.

Property constraints (``properties``: ``[{"pid": "locatedIn", "v": {"id": "erbil"}}]``) are compared with the
claims of each candidate, read as data extension reads them (:meth:`Reconciler.match_constraint` has the details).
For each constraint a candidate either satisfies it (one of its claimed values is one of ``v``), contradicts it (it
has values for the property, none of them in ``v``) or says nothing (no value for the property). A query with only
properties returns the candidates that satisfy every constraint, each scoring 100. With a query string, the score is
the name score ``N`` (above) averaged with the constraints the candidate has values for (:func:`combined_score`)::

    score = (N + 0.5 * 100 * satisfied) / (1 + 0.5 * (satisfied + contradicted))

each such constraint weighing half as much as the name: a satisfied one pulls the score towards 100, a contradicted
one towards 0 (an exact name contradicting one constraint scores 66.7, never a ``match``), a silent one leaves it.
Each candidate carries ``features``: ``name`` (N, when there is a query string) and ``properties`` (the fraction of
the constraints satisfied, when there are constraints).

Data extension (``extend``, section "Data extension service" of the API) fetches the values of claim properties.
This dataset keeps every source's value, so a cell gets ALL values claimed for the property (``rdf:subject`` /
``rdf:predicate`` / ``rdf:object`` of its claims, plus the plain triples), each distinct value once, best rank first:
a column of only the best-ranked values would hide the disagreements the dataset exists to show. Times come back as
their words unless the ``time`` setting asks for the earliest or latest day (a time open on that side keeps its
words); quantities as their number unless ``quantity`` asks for the lower or upper end of the range or the words.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from .responses import ProtocolError
from .transliterate import fold, keys, names_something
from .transliterate import score as name_score

__all__ = ["Candidate", "Constraint", "Reconciler", "combined_score", "fold", "reconcile_router"]

SKOS = "http://www.w3.org/2004/02/skos/core#"
ONT = "https://w3id.org/oirld/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SCHEMA = "https://schema.org/"
WIKIBASE = "http://wikiba.se/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
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
_EXTEND_HINT = 'extend={"ids": ["oir"], "properties": [{"id": "endDate", "settings": {"time": "earliest"}}]}'
_QUERY_HINT = ('queries={"q0": {"query": "Harir Air Base", "type": ["MilitaryBase", "Place"], "limit": 3, '
               '"properties": [{"pid": "locatedIn", "v": [{"id": "erbil"}, "Kurdistan Region"]}]}}')
PROPERTY_WEIGHT = 0.5  # of one constraint the candidate has values for, against 1 for the name (module docstring)
MAX_EXTEND_IDS = 1000
_CANDIDATES = f"""
SELECT ?e ?label ?alt ?type ?description WHERE {{
  ?e <{SKOS}prefLabel> ?label ; a ?type .
  OPTIONAL {{ ?e <{SKOS}altLabel> ?alt }}
  OPTIONAL {{ ?e <https://schema.org/description> ?description }}
}}"""
_CLAIMED = f"SELECT DISTINCT ?s ?p WHERE {{ ?c <{RDF}subject> ?s ; <{RDF}predicate> ?p }}"
_NUMERIC = ("integer", "Integer", "int", "Int", "long", "Long", "short", "Short", "byte", "Byte", "decimal", "double",
            "float")

#: what a constraint value or a claimed value is compared as: ("id", full IRI), ("str", folded text),
#: ("num", number), ("bool", truth), or for a claimed quantity ("range", lowest, highest)
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Constraint:
    """One ``{pid, v}`` of a query: the property's full IRI and the keys of the values any of which satisfies it."""

    pid: str
    values: tuple[Key, ...]


def combined_score(name: float, satisfied: int, contradicted: int) -> float:
    """The name score averaged with the constraints the candidate has values for, each weighing PROPERTY_WEIGHT
    and counting 100 when satisfied, 0 when contradicted (module docstring)."""
    return round((name + PROPERTY_WEIGHT * 100 * satisfied) / (1 + PROPERTY_WEIGHT * (satisfied + contradicted)), 1)


@dataclass
class Candidate:
    iri: str
    id: str
    name: str
    description: str = ""
    types: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    #: (light, folded) of every name, computed once: scoring runs for every candidate on every query
    keys: list[tuple[str, str]] = field(default_factory=list)


@lru_cache(maxsize=8)
def _ontology_labels(path: str) -> dict[str, str]:
    """English ``rdfs:label`` of every term of the ontology file (read once per file)."""
    from rdflib import Graph
    from rdflib.namespace import RDFS

    g = Graph().parse(path, format="turtle")
    return {str(s): str(o) for s, o in g.subject_objects(RDFS.label) if getattr(o, "language", None) in (None, "en")}


class Reconciler:
    def __init__(self, store: ox.Store, base_iri: str, superclasses: dict[str, set[str]] | None = None,
                 ontology_path: str | None = None) -> None:
        self.store = store
        self.space = base_iri + "id/"
        self.superclasses = superclasses or {}
        self.ontology_path = ontology_path
        self.candidates: dict[str, Candidate] = {}
        for row in store.query(_CANDIDATES):
            iri = row["e"].value
            if not iri.startswith(self.space):
                continue
            c = self.candidates.setdefault(iri, Candidate(iri, iri[len(self.space):], row["label"].value))
            c.names.add(row["label"].value)
            if row["alt"] is not None:
                c.names.add(row["alt"].value)
            if row["description"] is not None:
                c.description = row["description"].value
            if row["type"].value.startswith(ONT):
                c.types.add(row["type"].value)
        for c in self.candidates.values():
            c.keys = [keys(n) for n in sorted(c.names)]
        self.types = sorted({t for c in self.candidates.values() for t in c.types})

    @staticmethod
    def type_name(iri: str) -> str:
        local = iri.rsplit("#", 1)[-1]
        return "".join(" " + ch.lower() if ch.isupper() and i else ch.lower() for i, ch in enumerate(local)).strip()

    def search(self, query: str | None, type_id: str | list[str] | None = None, limit: int = 3,
               properties: list[Constraint] | None = None, features: bool = False) -> list[dict[str, Any]]:
        """Candidates for a name and/or property constraints, best first (module docstring for the scores)."""
        properties = properties or []
        named = query is not None and bool(query.strip())
        if not named and not properties:
            return []
        q = keys(query) if named else ("", "")
        if named and not names_something(q):
            return []
        types = [type_id] if isinstance(type_id, str) else list(type_id or [])
        wanted = {_iri(t, ONT) for t in types if t} or None
        claimed = [self._claimed_keys(c.pid) for c in properties]
        scored = []
        for c in self.candidates.values():
            if wanted is not None and not wanted & self._all_types(c):
                continue
            verdicts = [self.match_constraint(con, held.get(c.iri)) for con, held in zip(properties, claimed)]
            satisfied, contradicted = verdicts.count(True), verdicts.count(False)
            if named:
                name = max(name_score(q, k) for k in c.keys)
                score = combined_score(name, satisfied, contradicted) if properties else name
            elif satisfied == len(properties):
                name, score = None, 100.0
            else:
                continue
            if score >= 40:
                scored.append((score, c, name, satisfied))
        scored.sort(key=lambda sc: (-sc[0], sc[1].name))
        runner_up = scored[1][0] if len(scored) > 1 else 0  # before the limit: a limit of 1 hides no rival
        out = []
        for i, (score, c, name, satisfied) in enumerate(scored[: max(1, limit)]):
            result = {
                "id": c.id, "name": c.name, "score": score, "description": c.description,
                "type": [{"id": t, "name": self.type_name(t)} for t in sorted(c.types)],
                # a name is needed: being the only thing with some property says nothing about identity
                "match": named and i == 0 and score >= 95 and score - runner_up >= 10,
            }
            if features:
                result["features"] = ([{"id": "name", "value": name}] if name is not None else []) + (
                    [{"id": "properties", "value": round(satisfied / len(properties), 3)}] if properties else [])
            out.append(result)
        return out

    @staticmethod
    def match_constraint(constraint: Constraint, held: set[Key] | None) -> bool | None:
        """True if one of the values claimed for the property is one of the constraint's (an entity by its IRI, or
        by any of its names folded; a literal by its folded text, or as a number or truth; a quantity by its number,
        by any number in its range, or by the folded words; a time by its folded words), False if values are claimed
        and none is, None if the candidate has no value for the property."""
        if not held:
            return None
        for kind, *rest in constraint.values:
            if (kind, *rest) in held:
                return True
            if kind == "num" and any(k[0] == "range" and k[1] <= rest[0] <= k[2] for k in held):
                return True
        return False

    def _claimed_keys(self, pid: str) -> dict[str, set[Key]]:
        """subject IRI -> the keys of every value claimed for the property (all ranks), and of its plain triples,
        as :meth:`_claimed_values` reads them for data extension."""
        out: dict[str, set[Key]] = {}
        seen: dict[Any, set[Key]] = {}
        prop = ox.NamedNode(pid)
        for claim in self.store.quads_for_pattern(None, ox.NamedNode(RDF + "predicate"), prop):
            for s in self.store.quads_for_pattern(claim.subject, ox.NamedNode(RDF + "subject"), None):
                held = out.setdefault(s.object.value, set())
                for o in self.store.quads_for_pattern(claim.subject, ox.NamedNode(RDF + "object"), None):
                    held |= seen.setdefault(o.object, self._term_keys(o.object))
        for subject, held in out.items():
            for q in self.store.quads_for_pattern(ox.NamedNode(subject), prop, None):
                held |= seen.setdefault(q.object, self._term_keys(q.object))
        return out

    def _term_keys(self, term: Any) -> set[Key]:
        if isinstance(term, ox.Literal):
            return _literal_keys(term)
        found: set[Key] = {("id", term.value)} if isinstance(term, ox.NamedNode) else set()
        if term.value in self.candidates:
            return found | {("str", folded) for _, folded in self.candidates[term.value].keys}
        parts: dict[str, Any] = {}
        for q in self.store.quads_for_pattern(term, None, None):
            parts.setdefault(q.predicate.value, q.object)
        if isinstance(parts.get(RDFS_LABEL), ox.Literal):
            found.add(("str", fold(parts[RDFS_LABEL].value)))
        if isinstance(parts.get(SCHEMA + "value"), ox.Literal):
            found |= {k for k in _literal_keys(parts[SCHEMA + "value"]) if k[0] == "num"}
        low, high = (_number(parts.get(SCHEMA + end)) for end in ("minValue", "maxValue"))
        if low is not None and high is not None:
            found.add(("range", low, high))
        return found

    def _all_types(self, c: Candidate) -> set[str]:
        """The entity's types with all their superclasses, so a filter on 'actor' finds persons too."""
        out = set(c.types)
        for t in c.types:
            out |= self.superclasses.get(t, set())
        return out

    def suggest_entities(self, prefix: str, limit: int = 10) -> list[dict[str, str]]:
        p = fold(prefix)
        hits = [c for c in self.candidates.values() if any(nf.startswith(p) or f" {p}" in nf for _, nf in c.keys)]
        return [{"id": c.id, "name": c.name, "description": c.description} for c in sorted(hits, key=lambda c: c.name)[:limit]]

    def suggest_types(self, prefix: str) -> list[dict[str, str]]:
        p = prefix.lower()
        return [{"id": t, "name": self.type_name(t)} for t in self.types if p in self.type_name(t) or p in t.lower()]

    # ---------------------------------------------------------------- data extension

    def claimed_properties(self, type_id: str | None) -> list[str]:
        """Claim properties that entities of the type have in the store, the most widely held first."""
        wanted = _iri(type_id, ONT) if type_id else None
        subjects = {c.iri for c in self.candidates.values() if wanted is None or wanted in self._all_types(c)}
        holders: dict[str, int] = {}
        for row in self.store.query(_CLAIMED):
            if row["s"].value in subjects:
                holders[row["p"].value] = holders.get(row["p"].value, 0) + 1
        return sorted(holders, key=lambda p: (-holders[p], p))

    def extend(self, ids: list[str], props: list[tuple[str, dict[str, str]]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """For each id, for each requested property id, every claimed value once, best rank first (module docstring)."""
        rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for eid in ids:
            iri = _iri(eid, self.space)
            values = self._claimed_values(iri) if iri in self.candidates else {}
            row = rows.setdefault(eid, {})
            for pid, settings in props:
                ranked = sorted(((rank, self._cell(term, settings)) for term, rank in values.get(_iri(pid, ONT), {}).items()),
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

    def _cell(self, term: Any, settings: dict[str, str]) -> dict[str, Any]:
        if isinstance(term, ox.Literal):
            return _literal_cell(term)
        if term.value in self.candidates:
            return {"id": self.candidates[term.value].id, "name": self.candidates[term.value].name}
        props: dict[str, Any] = {}
        for q in self.store.quads_for_pattern(term, None, None):
            props.setdefault(q.predicate.value, q.object)
        kinds = [_KINDS[q.object.value] for q in self.store.quads_for_pattern(term, ox.NamedNode(RDF + "type"), None)
                 if q.object.value in _KINDS]
        wanted = _PARTS[kinds[0]].get(settings.get(kinds[0], _SETTINGS[kinds[0]][1])) if kinds else None
        return _literal_cell(props[wanted]) if wanted in props else {"str": getattr(props.get(RDFS_LABEL), "value", term.value)}


def _iri(value: str, namespace: str) -> str:
    """Ids, types and properties may be given whole (as OpenRefine echoes them) or as the part after the namespace."""
    return value if value.startswith(("http://", "https://")) else namespace + value


def _number(term: Any) -> float | None:
    if isinstance(term, ox.Literal) and term.datatype.value.removeprefix(XSD) in _NUMERIC:
        try:
            return float(term.value)
        except ValueError:
            return None
    return None


def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _literal_keys(lit: ox.Literal) -> set[Key]:
    """A claimed literal as constraint values can meet it: its folded text, and its number or truth if it has one."""
    found: set[Key] = {("str", fold(lit.value))}
    number = _number(lit)
    if number is not None:
        found |= {("num", number), ("str", fold(_number_text(number)))}
    if lit.datatype.value == XSD + "boolean" and lit.value in ("true", "false", "1", "0"):
        found.add(("bool", lit.value in ("true", "1")))
    return found


def _value_keys(v: Any, space: str) -> list[Key] | None:
    """The keys of one constraint value (a string, number, boolean or ``{"id", "name"}`` object), None if it is none
    of those. An entity is its IRI; a string is its folded text, or an IRI given whole."""
    if isinstance(v, bool):
        return [("bool", v), ("str", "true" if v else "false")]
    if isinstance(v, (int, float)):
        return [("num", float(v)), ("str", fold(_number_text(v)))]
    if isinstance(v, str):
        return [("str", fold(v))] + ([("id", v)] if v.startswith(("http://", "https://")) else [])
    if isinstance(v, dict) and isinstance(v.get("id"), str) and v["id"] and isinstance(v.get("name", ""), str):
        return [("id", _iri(v["id"], space))]
    return None


def _bad_query(key: str, message: str) -> ProtocolError:
    return ProtocolError(400, "bad-queries", f"query {key!r} {message}", _QUERY_HINT)


def _parse_query(key: str, q: Any, space: str) -> tuple[str | None, list[str], int, list[Constraint]]:
    """The query string, types, limit and property constraints of one reconciliation query, or a 400 with a hint."""
    if not isinstance(q, dict):
        raise _bad_query(key, "must be an object")
    query = q.get("query")
    if query is not None and not isinstance(query, str):
        raise _bad_query(key, "has a 'query' that is not a string")
    raw_type = q.get("type")
    if raw_type is None or isinstance(raw_type, str):
        types = [raw_type] if raw_type else []
    elif isinstance(raw_type, list) and all(isinstance(t, str) for t in raw_type):
        types = [t for t in raw_type if t]
    else:
        raise _bad_query(key, "has a 'type' that is neither a type id nor a list of type ids (strings)")
    try:
        limit = int(q.get("limit") or 3)
    except (TypeError, ValueError):
        raise _bad_query(key, "has a 'limit' that is not a number") from None
    raw_props = q.get("properties")
    if raw_props is None:
        raw_props = []
    if not isinstance(raw_props, list):
        raise _bad_query(key, "has 'properties' that is not a list of {pid, v} objects")
    constraints = []
    for i, p in enumerate(raw_props):
        if not isinstance(p, dict) or not isinstance(p.get("pid"), str) or not p["pid"] or "v" not in p:
            raise _bad_query(key, f"has a property constraint #{i + 1} that is not an object with a 'pid' string and a 'v'")
        values = p["v"] if isinstance(p["v"], list) else [p["v"]]
        parsed = [_value_keys(v, space) for v in values]
        if not values or any(k is None for k in parsed):
            raise _bad_query(key, f"has a value for {p['pid']!r} that is not a string, number, boolean or "
                                  "{\"id\": ..., \"name\": ...} object, or a non-empty list of those")
        constraints.append(Constraint(_iri(p["pid"], ONT), tuple(k for ks in parsed for k in ks)))
    if query is None and not constraints:  # an empty query string is still one: it finds nothing, as before
        raise _bad_query(key, "needs a 'query' string or 'properties' (a non-empty list of {pid, v})")
    return query, types, limit, constraints


def _order(cell: dict[str, Any]) -> tuple[str, float, str]:
    kind, value = next(iter(cell.items()))
    return kind, value if isinstance(value, (int, float)) else 0, str(cell.get("name", value))


def _literal_cell(lit: ox.Literal) -> dict[str, Any]:
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
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ProtocolError(400, "bad-json", f"extend is not JSON: {exc}", _EXTEND_HINT) from None
    ids, props = (raw.get("ids"), raw.get("properties")) if isinstance(raw, dict) else (None, None)
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ProtocolError(400, "bad-extend", "extend needs 'ids', a list of entity ids", _EXTEND_HINT)
    if not isinstance(props, list) or not all(isinstance(p, dict) and isinstance(p.get("id"), str) for p in props):
        raise ProtocolError(400, "bad-extend", "extend needs 'properties', a list of objects with an 'id'", _EXTEND_HINT)
    if len(ids) > MAX_EXTEND_IDS:
        raise ProtocolError(400, "too-many-ids", f"at most {MAX_EXTEND_IDS} ids per request", "send the ids in batches")
    for p in props:
        settings = p.get("settings") or {}
        bad = ([k for k, v in settings.items() if k in _SETTINGS and v not in _SETTINGS[k][2]]
               if isinstance(settings, dict) else ["settings"])
        if bad:
            choices = "; ".join(f"{k}: {', '.join(_SETTINGS[k][2])}" for k in bad if k in _SETTINGS) or "an object"
            raise ProtocolError(400, "bad-extend", f"bad settings for {p['id']!r} (expected {choices})", _EXTEND_HINT)
    return ids, [(p["id"], {k: str(v) for k, v in (p.get("settings") or {}).items()}) for p in props]


def reconcile_router(reconciler: Reconciler) -> APIRouter:
    router = APIRouter()

    def manifest(request: Request) -> dict[str, Any]:
        root = str(request.url_for("reconcile_get"))
        return {
            "versions": ["0.2"],
            "name": "oirld: entities in the news about the end of Operation Inherent Resolve",
            "identifierSpace": reconciler.space,
            "schemaSpace": ONT,
            "defaultTypes": [{"id": t, "name": reconciler.type_name(t)} for t in reconciler.types],
            "view": {"url": reconciler.space + "{{id}}"},
            "preview": {"url": root + "/preview?id={{id}}", "width": 400, "height": 120},
            "suggest": {
                "entity": {"service_url": root, "service_path": "/suggest/entity"},
                "type": {"service_url": root, "service_path": "/suggest/type"},
            },
            "extend": {
                "propose_properties": {"service_url": root, "service_path": "/propose_properties"},
                "property_settings": [
                    {"name": name, "label": label, "type": "select", "default": default,
                     "help_text": f"How a {name} value fills a cell",
                     "choices": [{"value": v, "name": n} for v, n in choices.items()]}
                    for name, (label, default, choices) in _SETTINGS.items()
                ],
            },
        }

    def labels(request: Request) -> dict[str, str]:
        """Property names from the ontology file: the app's settings name it (the store holds no ontology)."""
        path = reconciler.ontology_path or getattr(getattr(request.app.state, "settings", None), "ontology_path", None)
        return _ontology_labels(path) if path else {}

    def answer(queries: Any) -> JSONResponse:
        if not isinstance(queries, dict):
            raise ProtocolError(400, "bad-queries", "queries must be a JSON object of queries")
        out = {}
        for key, q in queries.items():
            query, types, limit, constraints = _parse_query(str(key), q, reconciler.space)
            out[key] = {"result": reconciler.search(query, types, limit, constraints, features=True)}
        return JSONResponse(out)

    def answer_extend(request: Request, raw: Any) -> JSONResponse:
        ids, props = _parse_extend(raw)
        names = labels(request)
        meta = [{"id": pid, "name": names.get(_iri(pid, ONT)) or reconciler.type_name(pid)} for pid, _ in props]
        return JSONResponse({"meta": meta, "rows": reconciler.extend(ids, props)})

    def parse_queries(raw: str) -> Any:
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ProtocolError(400, "bad-json", f"queries is not JSON: {exc}") from None

    @router.get("/reconcile", name="reconcile_get")
    async def reconcile_get(request: Request, queries: str | None = None, extend: str | None = None,
                            callback: str | None = None):
        if extend is not None:
            return answer_extend(request, extend)
        if queries is None:
            return JSONResponse(manifest(request))
        return answer(parse_queries(queries))

    @router.post("/reconcile")
    async def reconcile_post(request: Request):
        ctype = (request.headers.get("content-type") or "").split(";")[0].strip()
        if ctype == "application/json":
            try:
                body = json.loads(await request.body())
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ProtocolError(400, "bad-json", f"the body is not JSON: {exc}", _EXTEND_HINT) from None
            if isinstance(body, dict) and ("extend" in body or "ids" in body):
                return answer_extend(request, body.get("extend", body))
            return answer(body.get("queries", body) if isinstance(body, dict) else body)
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
        if "extend" in form:
            return answer_extend(request, form["extend"])
        raw = form.get("queries")
        if raw is None:
            return JSONResponse(manifest(request))
        return answer(parse_queries(str(raw)))

    @router.get("/reconcile/propose_properties")
    async def propose_properties(request: Request, type: str = "", limit: int | None = None):
        names = labels(request)
        props = reconciler.claimed_properties(type or None)
        found = [{"id": p, "name": names.get(p) or reconciler.type_name(p)} for p in props][: limit if limit and limit > 0 else None]
        return {"type": type, "properties": found, **({"limit": limit} if limit else {})}

    @router.get("/reconcile/suggest/entity")
    async def suggest_entity(prefix: str = ""):
        return {"result": reconciler.suggest_entities(prefix)}

    @router.get("/reconcile/suggest/type")
    async def suggest_type(prefix: str = ""):
        return {"result": reconciler.suggest_types(prefix)}

    @router.get("/reconcile/preview")
    async def preview(id: str):
        c = reconciler.candidates.get(reconciler.space + id)
        if c is None:
            raise ProtocolError(404, "unknown-id", f"no entity {id!r}")
        types = ", ".join(reconciler.type_name(t) for t in sorted(c.types))
        body = (f'<html><body style="font:14px sans-serif;margin:4px"><strong><a href="{html.escape(c.iri)}" target="_blank">'
                f"{html.escape(c.name)}</a></strong> <span style=\"color:#555\">({html.escape(types)})</span>"
                f"<p>{html.escape(c.description)}</p></body></html>")
        return HTMLResponse(body)

    return router
