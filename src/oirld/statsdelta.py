"""The counts the VoID description states, after a store update, from the previous version's counts and the update.

Counting the distinct subjects and things of a 1.5M-triple store takes seconds (every triple is read); a one-article
rebuild changes a few thousand triples. A subject is counted again only where the update touched it: it is new when
the previous store had no triple about it and the new one has, gone in the opposite case. The links to Wikidata
are counted from the triples removed and added. The previous counts are kept in the previous version's
``parts.json`` (:mod:`oirld.dumpparts`); a version without them makes the build count the whole store.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox

from .dumps import LINK_PREDICATES, WIKIDATA_ENTITY, DatasetStats, is_thing_iri, store_stats
from .dumpparts import read_parts
from .storedelta import Delta

__all__ = ["stats_after", "stats_record"]

_SKOS = "http://www.w3.org/2004/02/skos/core#"


def stats_record(stats: DatasetStats) -> dict:
    """The counts as ``parts.json`` keeps them."""
    return asdict(stats)


def _previous(version: Path) -> DatasetStats | None:
    parts = read_parts(version)
    record = parts.get("stats") if parts else None
    try:
        return DatasetStats(int(record["triples"]), int(record["distinct_subjects"]), int(record["entities"]),
                            {str(k): int(v) for k, v in record["links"].items()})
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def _has_subject(store: ox.Store, subject: ox.NamedNode | ox.BlankNode) -> bool:
    return next(iter(store.quads_for_pattern(subject, None, None)), None) is not None


def stats_after(delta: Delta | None, store_path: Path, base: str) -> DatasetStats:
    """The counts of the store at ``store_path``: from the previous version's and ``delta`` when both are known,
    else by counting the store."""
    before = _previous(delta.previous) if delta is not None else None
    if delta is None or before is None:
        return store_stats(store_path, base)
    old, new = ox.Store.read_only(str(delta.previous / "store")), ox.Store.read_only(str(store_path))
    subjects, entities = before.distinct_subjects, before.entities
    lost, gained = {q.subject for q in delta.removed}, {q.subject for q in delta.added}
    # a subject of a removed triple was in the old store, one of an added triple is in the new: only the others
    # are looked up (a subject in both, as every claim is when the build's IRI changes, does not count)
    for s in lost ^ gained:
        change = int(s in gained or _has_subject(new, s)) - int(s in lost or _has_subject(old, s))
        subjects += change
        if isinstance(s, ox.NamedNode) and is_thing_iri(s.value, base):
            entities += change
    links = dict(before.links)
    for sign, quads in ((-1, delta.removed), (1, delta.added)):
        for q in quads:
            name = q.predicate.value[len(_SKOS):] if q.predicate.value.startswith(_SKOS) else ""
            if (name in LINK_PREDICATES and not isinstance(q.object, ox.BlankNode)
                    and q.object.value.startswith(WIKIDATA_ENTITY)):
                links[name] = links.get(name, 0) + sign
    return DatasetStats(len(new), subjects, entities, links)
