"""The search rows of a few given claims, passages and things, read by index access.

A build from scratch reads every row with one SPARQL query per kind (:mod:`oirld.search`), a scan that is cheap
for all of them. An update needs the rows of a few: a query restricted by a VALUES block of their IRIs costs
pyoxigraph about as much as the scan and grows with the block (4,500 claims took 12.8 s), while looking each
IRI's triples up by pattern costs a few index reads each. The rows are the ones the queries would give, triple
for triple (``tests/test_search_update.py`` compares an updated index with one written from scratch).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox

from .citation import passage_anchor
from .search import Row

__all__ = ["claim_rows_of", "quote_rows_of", "entity_rows_of", "objects", "holds"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_OA = "http://www.w3.org/ns/oa#"
_OIRL = "https://w3id.org/oirld/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = (ox.NamedNode(f"{_RDF}{n}") for n in ("type", "subject", "predicate", "object"))
_CLAIM, _EVIDENCE = ox.NamedNode(f"{_OIRL}Claim"), ox.NamedNode(f"{_OIRL}Evidence")
_STATED_AS, _WRITTEN_AS = ox.NamedNode(f"{_OIRL}statedAs"), ox.NamedNode(f"{_OIRL}writtenAs")
_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_SOURCE, _SELECTOR, _EXACT = (ox.NamedNode(f"{_OA}{n}") for n in ("hasSource", "hasSelector", "exact"))
_PREF, _ALT = ox.NamedNode(f"{_SKOS}prefLabel"), ox.NamedNode(f"{_SKOS}altLabel")
_DESCRIPTION = ox.NamedNode("https://schema.org/description")


def objects(store: ox.Store, subject: Any, predicate: ox.NamedNode) -> list[Any]:
    """The objects of ``subject``'s ``predicate`` triples (none for a literal, which is never a subject)."""
    if isinstance(subject, ox.Literal):
        return []
    return [q.object for q in store.quads_for_pattern(subject, predicate, None)]


def holds(store: ox.Store, subject: Any, predicate: ox.NamedNode, obj: Any) -> bool:
    return ox.Quad(subject, predicate, obj, ox.DefaultGraph()) in store


def claim_rows_of(store: ox.Store, label: Callable[[Any], str], claims: Iterable[str]) -> list[Row]:
    """The rows of ``claims`` (IRIs) that are claims with a subject, a property other than a spelling and a value;
    what :func:`oirld.search.claim_rows` gives for them."""
    rows: list[Row] = []
    for iri in claims:
        c = ox.NamedNode(iri)
        if not holds(store, c, _TYPE, _CLAIM):
            continue
        s, o = objects(store, c, _SUBJECT), objects(store, c, _OBJECT)
        p = [t for t in objects(store, c, _PREDICATE) if t != _WRITTEN_AS]
        if not (s and p and o):
            continue
        subject, prop, value = label(s[0]), label(p[0]), label(o[0])
        words = sorted({w.value for w in objects(store, c, _STATED_AS)})
        sources = list(dict.fromkeys(src.value for e in objects(store, c, _DERIVED)
                                     for src in objects(store, e, _SOURCE)))
        rows.append(("claim", iri, subject, "", f"{prop}: {value}" + "".join(f" (“{w}”)" for w in words), iri,
                     f"{subject} · {prop}", sources))
    return rows


def _passage_rows(store: ox.Store, cited: Mapping[str, Any], e: Any, sources: Iterable[Any]) -> Iterator[Row]:
    if not holds(store, e, _TYPE, _EVIDENCE):
        return
    for src in sources:
        citation = cited.get(src.value)
        for selector in objects(store, e, _SELECTOR):
            for exact in objects(store, selector, _EXACT):
                yield ("quote", e.value, "", "", exact.value, src.value + "#" + passage_anchor(e.value),
                       citation.name if citation else "", [src.value])


def quote_rows_of(store: ox.Store, cited: Mapping[str, Any], passages: Iterable[str] = (),
                  sources: Iterable[str] = ()) -> list[Row]:
    """The rows of the ``passages`` (IRIs) and of every passage of the ``sources`` (IRIs); what
    :func:`oirld.search.quote_rows` gives for them (a passage of both comes twice)."""
    rows: list[Row] = []
    for iri in passages:
        e = ox.NamedNode(iri)
        rows += _passage_rows(store, cited, e, objects(store, e, _SOURCE))
    for iri in sources:
        src = ox.NamedNode(iri)
        for q in store.quads_for_pattern(None, _SOURCE, src):
            rows += _passage_rows(store, cited, q.subject, [src])
    return rows


def entity_rows_of(store: ox.Store, base: str, things: Iterable[str]) -> list[Row]:
    """The rows of ``things`` (IRIs) that are named things of this dataset; what
    :func:`oirld.search.entity_rows` gives for them."""
    rows: list[Row] = []
    for iri in things:
        e = ox.NamedNode(iri)
        labels = [t.value for t in objects(store, e, _PREF)]
        if not iri.startswith(base + "id/") or not labels:
            continue
        names = {t.value for t in objects(store, e, _ALT)}
        for q in store.quads_for_pattern(None, _SUBJECT, e):
            if holds(store, q.subject, _PREDICATE, _WRITTEN_AS):
                names.update(t.value for t in objects(store, q.subject, _OBJECT))
        label = min(labels)
        description = min((t.value for t in objects(store, e, _DESCRIPTION)), default="")
        rows.append(("entity", iri, label, " · ".join(sorted(names - {label})), description, iri, "", []))
    return rows
