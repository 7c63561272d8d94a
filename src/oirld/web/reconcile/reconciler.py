"""The W3C Entity Reconciliation Service API, version 0.2 (what OpenRefine speaks), at /reconcile.

Candidates are the published entities (everything with a ``skos:prefLabel``) and their names (``skos:altLabel``).
A query is compared with every name of a candidate in three tiers, so a name as written always beats a respelling:

* 100: the same name up to case, accents, curly quotes, dashes and a leading "the" (the registry's own rule);
* 98: the same name after transliteration folding (:func:`oirld.web.reconcile.transliterate.fold`: Husayn = Hussein,
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

Data extension (``extend`` and ``propose_properties``, section "Data extension service" of the API) is
:mod:`.extension`: every value claimed for a property, best rank first. The routes of both are in :mod:`.routes`.

Every route does its work off the event loop (:mod:`oirld.web.common.offload`), within the limits of
:mod:`oirld.web.common.limits` (stated in the manifest: ``batchSize`` and ``x-limits``), and reads its input strictly
(:mod:`oirld.web.common.inputs`): a batch of thousands of queries, a name of a million characters, bytes that are not
UTF-8 or JSON with lone surrogates are 413s and 400s, and no request holds up the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ... import namespaces as ns
from ...config import ONTOLOGY_NS as ONT
from .extension import Extender
from ..common.limits import LIMITS, enforce, enforce_length
from ..responses import ProtocolError
from .transliterate import fold, keys, names_something, whole_iri
from .transliterate import score as name_score

__all__ = ["Candidate", "Constraint", "MIN_SCORE", "QUERY_HINT", "Reconciler", "bounded_text", "combined_score", "fold",
           "parse_query"]

RDF, RDFS, SCHEMA, SKOS, XSD = (str(n) for n in (ns.RDF, ns.RDFS, ns.SCHEMA, ns.SKOS, ns.XSD))
RDFS_LABEL = RDFS + "label"
#: a well-formed batch, shown with every 400 about a query so that a client sees what was expected
QUERY_HINT = ('queries={"q0": {"query": "Harir Air Base", "type": ["MilitaryBase", "Place"], "limit": 3, '
              '"properties": [{"pid": "locatedIn", "v": [{"id": "erbil"}, "Kurdistan Region"]}]}}')
PROPERTY_WEIGHT = 0.5  # of one constraint the candidate has values for, against 1 for the name (module docstring)
MIN_SCORE = 40.0  # a candidate scoring less is not offered
_CANDIDATES = f"""
SELECT ?e ?label ?alt ?type ?description WHERE {{
  ?e <{SKOS}prefLabel> ?label ; a ?type .
  OPTIONAL {{ ?e <{SKOS}altLabel> ?alt }}
  OPTIONAL {{ ?e <https://schema.org/description> ?description }}
}}"""
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


class Reconciler:
    def __init__(self, store: ox.Store, base_iri: str, superclasses: dict[str, set[str]] | None = None,
                 ontology: Any = None) -> None:
        self.store = store
        self.base, self.space = base_iri, base_iri + "id/"
        self.superclasses = superclasses or {}
        #: the full-text index (oirld.search) suggest ranks by, when the app has one
        self.index: Any = None
        self.refresh()
        #: data extension over these candidates; it reads the ontology's property names on first use
        self.extender = Extender(self, ontology)

    def refresh(self) -> None:
        """Read the candidates from the store (again after a write, with updates enabled); swapped in at once, so a
        search running meanwhile sees the old set or the new one, never half of each."""
        candidates: dict[str, Candidate] = {}
        for row in self.store.query(_CANDIDATES):
            iri = row["e"].value
            if not iri.startswith(self.space):
                continue
            c = candidates.setdefault(iri, Candidate(iri, iri[len(self.space):], row["label"].value))
            c.names.add(row["label"].value)
            if row["alt"] is not None:
                c.names.add(row["alt"].value)
            if row["description"] is not None:
                c.description = row["description"].value
            if row["type"].value.startswith(ONT):
                c.types.add(row["type"].value)
        for c in candidates.values():
            c.keys = [keys(n) for n in sorted(c.names)]
        self.candidates, self.types = candidates, sorted({t for c in candidates.values() for t in c.types})

    @staticmethod
    def type_name(iri: str) -> str:
        local = iri.rsplit("#", 1)[-1]
        return "".join(" " + ch.lower() if ch.isupper() and i else ch.lower() for i, ch in enumerate(local)).strip()

    def search(self, query: str | None, type_id: str | list[str] | None = None, limit: int = 3,
               properties: list[Constraint] | None = None, features: bool = False,
               memo: dict[str, dict[str, set[Key]]] | None = None) -> list[dict[str, Any]]:
        """Candidates for a name and/or property constraints, best first (module docstring for the scores).
        ``memo`` keeps the claimed values of each property across the queries of one batch."""
        properties = properties or []
        named = query is not None and bool(query.strip())
        if not named and not properties:
            return []
        q = keys(query) if named else ("", "")
        if named and not names_something(q):
            return []
        types = [type_id] if isinstance(type_id, str) else list(type_id or [])
        wanted = {whole_iri(t, ONT) for t in types if t} or None
        claimed = [self._claimed(c.pid, memo) for c in properties]
        scored = []
        for c in self.candidates.values():
            if wanted is not None and not wanted & self.all_types(c):
                continue
            verdicts = [self.match_constraint(con, held.get(c.iri)) for con, held in zip(properties, claimed)]
            satisfied, contradicted = verdicts.count(True), verdicts.count(False)
            if named:
                # the least name score that can still reach MIN_SCORE with these verdicts, less a point for rounding
                floor = MIN_SCORE * (1 + PROPERTY_WEIGHT * (satisfied + contradicted)) - PROPERTY_WEIGHT * 100 * satisfied - 1
                name = 0.0
                for k in c.keys:  # a name that cannot beat the best so far is not compared in full
                    name = max(name, name_score(q, k, max(floor, name)))
                score = combined_score(name, satisfied, contradicted) if properties else name
            elif satisfied == len(properties):
                name, score = None, 100.0
            else:
                continue
            if score >= MIN_SCORE:
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

    def _claimed(self, pid: str, memo: dict[str, dict[str, set[Key]]] | None) -> dict[str, set[Key]]:
        if memo is None:
            return self._claimed_keys(pid)
        if pid not in memo:
            memo[pid] = self._claimed_keys(pid)
        return memo[pid]

    def _claimed_keys(self, pid: str) -> dict[str, set[Key]]:
        """subject IRI -> the keys of every value claimed for the property (all ranks), and of its plain triples,
        as data extension reads them (:meth:`oirld.web.reconcile.extension.Extender.extend`)."""
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

    def all_types(self, c: Candidate) -> set[str]:
        """The entity's types with all their superclasses, so a filter on 'actor' finds persons too."""
        out = set(c.types)
        for t in c.types:
            out |= self.superclasses.get(t, set())
        return out

    def suggest_entities(self, prefix: str, limit: int = 10) -> list[dict[str, str]]:
        """Things with a name one of whose words starts with what was typed: first as the full-text index ranks
        them (a typed word may be the start of a longer one: "hare" finds Hareer), then those only the
        transliteration folding finds ("husay" finds Hussein). Nothing for a prefix with no letter or digit."""
        if not any(ch.isalnum() for ch in prefix):
            return []
        order: dict[str, None] = {}
        if self.index is not None:
            for r in self.index.search(prefix, kinds=("entity",), prefix=True, limit=limit).results:
                if r["iri"] in self.candidates:
                    order[r["iri"]] = None
        lq, fq = keys(prefix)
        starts = lambda name, p: name.startswith(p) or f" {p}" in name  # noqa: E731  # at the start of a word
        for c in sorted(self.candidates.values(), key=lambda c: c.name):
            if len(order) >= limit:
                break
            if c.iri not in order and any(starts(ln, lq) or starts(nf, fq) for ln, nf in c.keys):
                order[c.iri] = None
        hits = [self.candidates[iri] for iri in list(order)[:limit]]
        return [{"id": c.id, "name": c.name, "description": c.description} for c in hits]

    def suggest_types(self, prefix: str) -> list[dict[str, str]]:
        p = prefix.lower()
        return [{"id": t, "name": self.type_name(t)} for t in self.types if p in self.type_name(t) or p in t.lower()]

    def extend(self, ids: list[str], props: list[tuple[str, dict[str, str]]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Data extension of these candidates, for callers that hold only the reconciler: :attr:`extender` does it."""
        return self.extender.extend(ids, props)


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
        return [("id", whole_iri(v["id"], space))]
    return None


def _bad_query(key: str, message: str) -> ProtocolError:
    return ProtocolError(400, "bad-queries", f"query {key!r} {message}", QUERY_HINT)


def bounded_text(value: str, where: str) -> str:
    """The text, or a 413 past ``text_chars``: every string a client sends is bounded before any work is done on it
    (module docstring)."""
    return enforce_length("text_chars", value, where)


def parse_query(key: str, q: Any, space: str) -> tuple[str | None, list[str], int, list[Constraint]]:
    """The query string, types, limit and property constraints of one reconciliation query, or a 400 with a hint
    (413 past a limit)."""
    if not isinstance(q, dict):
        raise _bad_query(key, "must be an object")
    query = q.get("query")
    if query is not None and not isinstance(query, str):
        raise _bad_query(key, "has a 'query' that is not a string")
    if query is not None:
        bounded_text(query, f"the 'query' of query {key!r}")
    raw_type = q.get("type")
    if raw_type is None or isinstance(raw_type, str):
        types = [raw_type] if raw_type else []
    elif isinstance(raw_type, list) and all(isinstance(t, str) for t in raw_type):
        enforce("types_per_query", len(raw_type), f"the 'type' of query {key!r}")
        types = [t for t in raw_type if t]
    else:
        raise _bad_query(key, "has a 'type' that is neither a type id nor a list of type ids (strings)")
    for t in types:
        bounded_text(t, f"a type of query {key!r}")
    try:
        limit = min(int(q.get("limit") or 3), LIMITS.results_per_query)
    except (TypeError, ValueError, OverflowError):
        raise _bad_query(key, "has a 'limit' that is not a number") from None
    raw_props = q.get("properties")
    if raw_props is None:
        raw_props = []
    if not isinstance(raw_props, list):
        raise _bad_query(key, "has 'properties' that is not a list of {pid, v} objects")
    enforce("properties_per_query", len(raw_props), f"query {key!r}")
    constraints = []
    for i, p in enumerate(raw_props):
        if not isinstance(p, dict) or not isinstance(p.get("pid"), str) or not p["pid"] or "v" not in p:
            raise _bad_query(key, f"has a property constraint #{i + 1} that is not an object with a 'pid' string and a 'v'")
        pid = whole_iri(bounded_text(p["pid"], f"a property id of query {key!r}"), ONT)
        try:
            ox.NamedNode(pid)
        except ValueError:
            raise _bad_query(key, f"has a property id {p['pid']!r} that is not an IRI or the name of one") from None
        values = p["v"] if isinstance(p["v"], list) else [p["v"]]
        enforce("values_per_property", len(values), f"the constraint on {p['pid']!r} of query {key!r}")
        for v in values:
            for text in (v, v.get("id"), v.get("name")) if isinstance(v, dict) else (v,):
                if isinstance(text, str):
                    bounded_text(text, f"a value for {p['pid']!r} of query {key!r}")
        parsed = [_value_keys(v, space) for v in values]
        if not values or any(k is None for k in parsed):
            raise _bad_query(key, f"has a value for {p['pid']!r} that is not a string, number, boolean or "
                                  "{\"id\": ..., \"name\": ...} object, or a non-empty list of those")
        constraints.append(Constraint(pid, tuple(k for ks in parsed for k in ks)))
    if query is None and not constraints:  # an empty query string is still one: it finds nothing, as before
        raise _bad_query(key, "needs a 'query' string or 'properties' (a non-empty list of {pid, v})")
    return query, types, limit, constraints
