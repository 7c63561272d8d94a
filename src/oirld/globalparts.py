"""The global part of a build in groups, each written and validated once and then cached, so a rebuild redoes only
the groups whose inputs changed.

The global part (the build node, the entities, the merged claims, the wire stories, the disagreements and current
values, the plain triples of the best-ranked values) is cut into groups:

* ``claim:<id>``: one merged claim (its value and qualifier nodes, how many independent sources it has);
* ``ent:<key>``: one registry entity in use, its Wikidata links and the plain triples of its best-ranked values;
* ``dis:<id>``, ``cur:<id>``: one disagreement, one current value;
* ``wire``: every wire story with its text matches and the articles' ``oirl:reprintOf``;
* ``src:<stem>``: no triples of its own; the article's source node and the types of what it owns, as the global
  shapes see them (the article's ``extras``), so those nodes are checked too;
* ``build``: the build node and the files it used, and every claim's ``prov:wasGeneratedBy`` it: the triples that
  change with each version. It is written and validated on every build and never cached.

Each group's verdict is the global shapes' verdict on its *focus nodes* (the subjects of its own triples; for
``src:``, of the article's extras), found in the view :func:`oirld.groupview.closure` collects for them (that
module says why a view holds all the shapes read). The cache key of a group is a SHA-256 of the common key
(:func:`oirld.buildcache.common_key`: ontology, registry, shapes, base IRI, engine, oirld version) and of
everything its triples and its view are made from: for a claim, the claim with its evidence ids, wordings, rank,
mentions and number of independent sources, and the best-ranked values and preferred claims of its slot (the
``oirsh:Claim`` rule reads them); for an entity, its plain triples and, for a phase, those of the other phases of
its operation; for a disagreement or current value, its claims' ids, properties and review state; for the wire
group, the stories and the titles they are named by; for an article's group, the article's own cache key and its
wire story. A group whose key is in ``<out>/cache/global.pickle`` takes its N-Triples and its violations from
there; the others are written and validated, in batches of a bounded number of triples
(:func:`oirld.groupview.validate_batches`: on a first build, every group), and the file is rewritten with the
current groups only.

The global part's N-Triples is the groups' N-Triples in a fixed order; a value node (the same triples in every claim
that has the value) is written by the first claim with it only, so no triple is written twice. It holds the same
triples :func:`oirld.graph.global_graph` writes (tests/test_global_parts.py).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Graph, URIRef

from .buildcache import ArticleResult
from .claims import Claim
from .conflicts import CurrentValue, Disagreement
from .graph import (BuildInfo, Minter, best_claims, build_node, claim_triples, current_triples, disagreement_triples,
                    entity_triples, link_triple, plain_triple, wire_story_triples)
from .groupview import merged, validate_batches
from .namespaces import OIRL, PROV, RDF, WIKIBASE
from .registry import Registry
from .reprints import Reprints, find_reprints
from .seeds import Seed
from .validation import ValidationResult, Violation, ntriples_terms

__all__ = ["GlobalPart", "global_part", "cached_reprints", "CACHE_FILE", "PRINTS_FILE"]

#: bumped when what a group holds or how its key is made changes, so an old cache is never read
FORMAT = "2"
CACHE_FILE = "global.pickle"
#: what the wire-copy search read of each text (:func:`oirld.reprints.text_print`), by the text's SHA-256
PRINTS_FILE = "textprints.pickle"
#: how many triples of their own the groups validated in one call hold (their view holds about twice as many): a
#: first build's memory stays bounded, and a call is still big enough that the per-call cost does not count
BATCH = 100_000
_PLAIN = ("integer", "text", "entity", "concept")


@dataclass
class _Group:
    name: str
    key: str
    make: Callable[[Graph], None] | None
    nt: bytes = b""
    violations: tuple[Violation, ...] | None = None
    triples: int = 0


@dataclass
class GlobalPart:
    """The global part as N-Triples, with what it takes to validate it group by group."""
    nt: bytes
    triples: int
    groups: dict[str, _Group]
    lookup: "_Lookup"
    cache: Path
    #: how many groups were written now (the others came from the cache)
    fresh: int = 0
    stale: bool = field(default=False)

    def validate(self, shapes: Graph, ontology: Graph, engine: str = "turbo") -> ValidationResult:
        """The global shapes' verdict on the whole global view, from the cached groups and the groups validated
        now, a batch at a time (never the whole view in one graph); the cache is rewritten with the verdicts
        found."""
        todo = [g for g in self.groups.values() if g.violations is None]
        look = self.lookup
        sized = ((g.name, look.focus(g.name), look.data(("x", g.name[4:])).count(b"\n") if g.name.startswith("src:")
                  else g.triples) for g in todo)
        found = validate_batches(sized, look, shapes, ontology, engine, keeps_ontology="build", budget=BATCH,
                                 forget=look.forget)
        for g in todo:
            g.violations = found.get(g.name, ())
        if self.stale or any(g.name != "build" for g in todo):
            _save(self.cache, {g.key: (g.nt, g.violations, g.triples) for g in self.groups.values() if g.name != "build"})
        return merged({g.name: g.violations or () for g in self.groups.values()}, self.triples)


def _key(common: str, *parts: object) -> str:
    return hashlib.sha256(repr((FORMAT, common, *parts)).encode("utf-8")).hexdigest()


def _load(cache: Path, name: str = CACHE_FILE) -> dict:
    try:
        with open(cache / name, "rb") as fh:
            found = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _save(cache: Path, entries: dict, name: str = CACHE_FILE) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / (name + ".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, cache / name)


def cached_reprints(seeds: list[Seed], cache: Path) -> Reprints:
    """:func:`oirld.reprints.find_reprints` with each text's print kept in ``cache`` (a text is read once)."""
    prints = _load(cache, PRINTS_FILE)
    known = set(prints)
    found = find_reprints(seeds, prints)
    current = {s.text_sha256 for s in seeds}
    if known != current:
        _save(cache, {k: v for k, v in prints.items() if k in current}, PRINTS_FILE)
    return found


def _claim_state(c: Claim, ids: dict[int, str]) -> tuple:
    return (ids[id(c)], c.prop, c.unreviewed)


def global_part(seeds: list[Seed], registry: Registry, claims: list[Claim], disagreements: list[Disagreement],
                current: list[CurrentValue], reprints: Reprints, info: BuildInfo, base: str, used: set[str],
                links: list, articles: list[ArticleResult], common: str, cache: Path) -> GlobalPart:
    """The global part of ``info``'s build, its groups from the cache where their keys match (module docstring)."""
    m = Minter(base)
    ids = {id(c): c.id for c in claims}  # a claim's id is a digest of its key: made once here
    stems = {s.stem for s in seeds}
    labels = {k: e.label for k, e in registry.entities.items()}
    best_of: dict[str, list[Claim]] = defaultdict(list)
    for c in best_claims(claims):
        best_of[c.subject].append(c)
    plain = {k: tuple(sorted((c.prop, repr(c.value)) for c in cs)) for k, cs in best_of.items()}
    slot_best: dict[tuple, list] = defaultdict(list)
    slot_pref: dict[tuple, list] = defaultdict(list)
    for c in claims:
        if c.rank == "preferred":
            slot_pref[(c.subject, c.prop)].append(ids[id(c)])
    for k, cs in best_of.items():
        for c in cs:
            slot_best[(k, c.prop)].append(repr(c.value))
    # one digest per slot: a slot of thousands of claims (troops in Iraq) must not be sorted for each of its claims
    slot_sig = {slot: hashlib.sha256(repr((sorted(slot_best.get(slot, ())), sorted(slot_pref.get(slot, ())))).encode()).hexdigest()
                for slot in {(c.subject, c.prop) for c in claims}}
    phases: dict[str, list[str]] = defaultdict(list)  # operation -> its phases (by their best phaseOf values)
    for k, cs in best_of.items():
        for c in cs:
            if c.prop == "phaseOf" and c.value.kind == "entity" and c.value.entity:
                phases[c.value.entity].append(k)
    links_of: dict[str, list] = defaultdict(list)
    for link in links:
        if link.entity in used:
            links_of[link.entity].append(link)

    groups: dict[str, _Group] = {}

    def add(name: str, key: str, make: Callable[[Graph], None] | None) -> None:
        groups[name] = _Group(name, key, make)

    add("build", _key(common, "build", info), lambda g: build_node(g, m, info))
    # a value node is written by one group only, the first claim with the value (its triples are the same in all)
    value_owner: dict[str, str] = {}
    values_of: list[list[URIRef]] = []
    names: list[str] = []
    for c in claims:
        names.append(f"claim:{ids[id(c)]}")
        values_of.append([m.value(v) for v in (c.value, *(q for _, q in c.qualifiers)) if v.kind not in _PLAIN])
        for iri in values_of[-1]:
            value_owner.setdefault(str(iri), names[-1])

    def without(g: Graph, nodes: list[URIRef]) -> None:
        for node in nodes:
            g.remove((node, None, None))
    for key, ent in registry.entities.items():
        if key not in used:
            continue
        ops = sorted({c.value.entity for c in best_of.get(key, ()) if c.prop == "phaseOf" and c.value.entity})
        siblings = tuple((op, tuple((x, plain.get(x, ())) for x in sorted(phases[op]))) for op in ops)
        added_for = bool(ent.added and ent.added.source in stems)
        own_links = tuple((lk.predicate, lk.qid) for lk in links_of.get(key, ()))

        def make_entity(g: Graph, ent=ent, key=key) -> None:
            entity_triples(g, m, ent, stems)
            for link in links_of.get(key, ()):
                link_triple(g, m, link)
            for c in best_of.get(key, ()):
                plain_triple(g, m, c)
                without(g, [m.value(c.value)] if c.value.kind not in _PLAIN else [])
        add(f"ent:{key}", _key(common, "ent", key, added_for, own_links, plain.get(key, ()), siblings), make_entity)
    evidence_stem: dict[str, str] = {}
    for c, name, values in zip(claims, names, values_of):
        independent = reprints.independent(c.sources)
        slot = (c.subject, c.prop)
        foreign = [iri for iri in values if value_owner[str(iri)] != name]
        evidence = []
        for e in c.evidence:
            eid = e.id
            evidence.append((eid, e.draft))
            evidence_stem[eid] = e.anchor.source
        add(name, _key(common, "claim", name, repr(c.value), repr(c.qualifiers), c.rank, c.rank_reason,
                       tuple(sorted(evidence)), tuple(sorted(set(c.wordings.values()))), c.mentions, independent,
                       slot_sig[slot], tuple(map(str, foreign))),
            lambda g, c=c, n=independent, foreign=foreign: (claim_triples(g, m, c, labels, n, None), without(g, foreign)))
    titles = tuple((s.members[0], next((x.meta["title"].value for x in seeds if x.stem == s.members[0]), None))
                   for s in reprints.stories)
    add("wire", _key(common, "wire", repr(reprints.stories), titles),
        lambda g: wire_story_triples(g, m, reprints, {s.stem: s for s in seeds}))
    for d in disagreements:
        add(f"dis:{d.id}", _key(common, "dis", d.id, d.kind, d.subject, d.prop, tuple(_claim_state(c, ids) for c in d.claims)),
            lambda g, d=d: disagreement_triples(g, m, d, registry))
    for cv in current:
        add(f"cur:{cv.id}", _key(common, "cur", cv.id, cv.subject, cv.prop, cv.location, repr(cv.latest),
                                 tuple(_claim_state(c, ids) for c in cv.claims)),
            lambda g, cv=cv: current_triples(g, m, cv, registry))
    for a in articles:
        story = reprints.story_of.get(a.stem)
        add(f"src:{a.stem}", _key(common, "src", a.key, story.id if story else None), None)

    cached = _load(cache)
    fresh = 0
    for g in groups.values():
        hit = cached.get(g.key) if g.name != "build" else None
        if hit is not None:
            g.nt, g.violations, g.triples = hit
            continue
        if g.make is not None:
            own = Graph(store="SimpleMemory")
            g.make(own)
            g.nt, g.triples = own.serialize(format="nt", encoding="utf-8"), len(own)
        fresh += 1
    build = m.build(info.version)
    # the one triple of a claim that changes with every version, written apart (no shape reads it)
    generated = "".join(f"<{base}claim/{ids[id(c)]}> <{PROV.wasGeneratedBy}> <{build}> .\n" for c in claims).encode("utf-8")
    nt = b"".join([*(g.nt for g in groups.values()), generated])
    triples = sum(g.triples for g in groups.values()) + len(claims)
    look = _Lookup(base, groups, {a.stem: a.extras for a in articles}, evidence_stem, value_owner,
                   {str(m.entity(op)): [m.entity(x) for x in xs] for op, xs in phases.items()},
                   {(str(m.entity(s)), str(OIRL[p])): [URIRef(f"{base}claim/{i}") for i in ids]
                    for (s, p), ids in slot_pref.items()},
                   {mem for s in reprints.stories for mem in s.members}, build)
    stale = set(cached) != {g.key for g in groups.values() if g.name != "build"}
    return GlobalPart(nt, triples, groups, look, cache, fresh, stale)


class _Lookup:
    """The whole global view (the groups' triples and the articles' extras), read lazily: a node's triples are
    parsed from the groups (or article) that write them, known from its IRI, so checking a few groups parses only
    the few parts their views reach."""

    def __init__(self, base: str, groups: dict[str, _Group], extras: dict[str, bytes], evidence_stem: dict[str, str],
                 value_owner: dict[str, str], phases: dict[str, list], preferred: dict[tuple, list],
                 wire_stems: set[str], build: URIRef) -> None:
        self.base = base
        self.build = build
        self.groups = groups
        self.extras = extras
        self.evidence_stem = evidence_stem
        self.value_owner = value_owner
        self.phases = phases
        self._preferred = preferred
        self.wire_stems = wire_stems
        self._parts: dict[tuple[str, str], dict] = {}
        self._terms: dict[tuple[str, str], dict] = {}
        self._out: dict[str, list] = {}
        self._reprints: dict | None = None

    def forget(self) -> None:
        """Drop what was parsed so far: validated a batch at a time, the lookup holds one batch's parts only."""
        self._parts.clear()
        self._terms.clear()
        self._out.clear()
        self._reprints = None

    def part(self, where: tuple[str, str]) -> dict[str, list[bytes]]:
        """The N-Triples lines of a group (``("g", name)``) or of an article's extras (``("x", stem)``), by subject:
        only the lines of the nodes a view reaches are ever parsed."""
        index = self._parts.get(where)
        if index is None:
            index = self._parts[where] = defaultdict(list)
            for line in self.data(where).splitlines(keepends=True):
                head = line.split(b" ", 1)[0]
                if head:
                    index[head[1:-1].decode("utf-8") if head.startswith(b"<") else head.decode("utf-8")].append(line)
        return index

    def terms(self, where: tuple[str, str]) -> dict[str, list[tuple]]:
        """A part's triples as terms, by subject: a part is parsed in one call, not once per node (a first build
        asks for every node)."""
        index = self._terms.get(where)
        if index is None:
            index = self._terms[where] = defaultdict(list)
            for t in ntriples_terms(self.data(where)):
                if isinstance(t[0], URIRef):
                    index[str(t[0])].append(t)
        return index

    def data(self, where: tuple[str, str]) -> bytes:
        kind, name = where
        return self.extras.get(name, b"") if kind == "x" else self.groups[name].nt

    def _describers(self, node) -> list[tuple[str, str]]:
        s, b = str(node), self.base
        if not s.startswith(b):
            return []
        kind, _, rest = s[len(b):].partition("/")
        head = rest.split("#", 1)[0]
        if kind == "claim":
            return [("g", f"claim:{head}")]
        if kind == "value":
            owner = self.value_owner.get(s)
            return [("g", owner)] if owner else []
        if kind in ("id", "disagreement", "current"):
            name = {"id": "ent", "disagreement": "dis", "current": "cur"}[kind] + ":" + head
            return [("g", name)] if name in self.groups else []
        if kind == "wire":
            return [("g", "wire")]
        if kind == "source":
            return [("x", head)] + ([("g", "wire")] if head in self.wire_stems and "#" not in rest else [])
        if kind == "evidence":
            stem = self.evidence_stem.get(head)
            return [("x", stem)] if stem else []
        if kind in ("build", "input", "mapping"):
            return [("g", "build")]
        return []

    def out(self, node) -> list[tuple]:
        key = str(node)
        found = self._out.get(key)
        if found is None:
            found = [t for where in self._describers(node) for t in self.terms(where).get(key, ())]
            if found and key.startswith(f"{self.base}claim/"):
                found.append((node, PROV.wasGeneratedBy, self.build))
            self._out[key] = found
        return found

    def into(self, node, predicate) -> list[tuple]:
        if predicate == OIRL.reprintOf and str(node).startswith(f"{self.base}wire/"):
            if self._reprints is None:  # read once, not once per wire story
                self._reprints = defaultdict(list)
                wire = self.part(("g", "wire"))
                for t in ntriples_terms(b"".join(line for lines in wire.values() for line in lines)):
                    if t[1] == OIRL.reprintOf:
                        self._reprints[t[2]].append(t)
            return list(self._reprints.get(node, ()))
        if predicate == OIRL.phaseOf:
            return [t for x in self.phases.get(str(node), ()) for t in self.out(x) if t[1] == predicate and t[2] == node]
        return []

    def preferred(self, subject, predicate) -> list[tuple]:
        want = {(RDF.subject, subject), (RDF.predicate, predicate), (WIKIBASE.rank, WIKIBASE.PreferredRank)}
        return [t for c in self._preferred.get((str(subject), str(predicate)), ()) for t in self.out(c)
                if (t[1], t[2]) in want]

    def focus(self, name: str) -> frozenset[str]:
        """The nodes a group answers for: the subjects of its own triples (an article's source node and what it owns
        belong to the article's group, ``src:<stem>``)."""
        if name.startswith("src:"):
            return frozenset(self.part(("x", name[4:])))
        sources = f"{self.base}source/"
        return frozenset(n for n in self.part(("g", name)) if not n.startswith(sources))
