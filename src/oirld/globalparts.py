"""The global part of a build in groups, each written and validated once and then cached, so a rebuild redoes only
the groups whose inputs changed.

The global part (the build node, the entities, the merged claims, the wire stories, the disagreements and current
values, the plain triples of the best-ranked values) is cut into groups:

* ``claim:<id>``: one merged claim (its value and qualifier nodes, how many independent sources it has);
* ``ent:<key>``: one registry entity in use, its Wikidata links and the plain triples of its best-ranked values;
* ``dis:<id>``, ``cur:<id>``: one disagreement, one current value;
* ``wire:<id>``: one wire story with its text matches and its articles' ``oirl:reprintOf`` (a group per story, so
  an edit of one wire article rewrites and checks its story only: everything ``oirsh:WireStory`` reads of a story
  is in the story's group and its articles' extras);
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
story, the story and the title it is named by; for an article's group, the article's own cache key and its
wire story. A group whose key is in the cache (:mod:`oirld.groupcache`, ``<out>/cache/global-<format>.sqlite``)
takes its N-Triples and its violations from there; the others are written and validated, then added to the cache,
and the keys no group has any more dropped. When most groups are new (a first build, a registry or shapes edit) and
the global view is small, the whole view is validated in one pass (the fastest way); past ``WHOLE_LIMIT`` triples,
in batches of a bounded number of triples (:func:`oirld.groupview.validate_batches`), so a first build's memory does
not grow with the corpus.

The global part's N-Triples is the groups' N-Triples in a fixed order; a value node (the same triples in every claim
that has the value) is written by the first claim with it only, so no triple is written twice. It holds the same
triples :func:`oirld.graph.global_graph` writes (tests/test_global_parts.py).
"""

from __future__ import annotations

import hashlib
import inspect
import os
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Graph, URIRef

from . import __version__
from .buildcache import ArticleResult
from .claims import Claim
from .conflicts import CurrentValue, Disagreement
from .graph import (BuildInfo, Minter, best_claims, build_node, claim_triples, current_triples, disagreement_triples,
                    entity_triples, link_triple, plain_triple, wire_story_triples)
from .groupcache import FORMAT, read_groups, write_groups
from .groupview import merged, validate_batches
from .namespaces import OIRL, PROV, RDF, WIKIBASE
from .ntlines import SubjectLines, object_lines
from .registry import Registry
from .reprints import MIN_SHARED, NEAR_IDENTICAL, SHINGLE, Reprints, find_reprints
from .seeds import Seed
from .validation import ValidationResult, Violation, add_ntriples, ntriples_terms, validate_graph

__all__ = ["GlobalPart", "global_part", "cached_reprints", "PRINTS_FILE", "PAIRS_FILE"]

#: what the wire-copy search read of each text (:func:`oirld.reprints.text_print`), by the text's SHA-256
PRINTS_FILE = "textprints-2.pickle"  # 2: with the sampled shingles
#: how pairs of texts compared (:data:`oirld.reprints.Pairs`), valid for this marker only
PAIRS_FILE = "textpairs.pickle"
_PAIRS_MARKER = "|".join(["1", __version__, str(SHINGLE), str(MIN_SHARED), str(NEAR_IDENTICAL),  # and the search's code
                          hashlib.sha256(Path(inspect.getfile(find_reprints)).read_bytes()).hexdigest()])
#: above this share of changed groups, the whole global view is validated in one pass, if it holds at most
#: ``WHOLE_LIMIT`` triples (about 4.6 KiB of memory each in rdflib and the engine: 1.4 GiB at 1,000 articles)
WHOLE = 0.5
WHOLE_LIMIT = 1_000_000
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
    #: the cached keys no group has any more
    stale: frozenset[str] = field(default=frozenset())

    def validate(self, shapes: Graph, ontology: Graph, engine: str = "turbo") -> ValidationResult:
        """The global shapes' verdict on the whole global view, from the cached groups and the groups validated
        now; the new verdicts go to the cache. When most groups changed (a first build, a registry or shapes edit)
        and the view is small enough, the whole view is validated in one pass and each violation goes to the groups
        its focus node belongs to (the same verdicts, faster); otherwise a batch of groups at a time, each in the
        view collected for it, so memory stays bounded."""
        todo = [g for g in self.groups.values() if g.violations is None]
        look = self.lookup
        view_size = self.triples + sum(x.count(b"\n") for x in look.extras.values())
        if len(todo) > WHOLE * len(self.groups) and view_size <= WHOLE_LIMIT:
            found = self._whole(shapes, ontology, engine)
        else:
            sized = ((g.name, look.focus(g.name), look.data(("x", g.name[4:])).count(b"\n") if g.name.startswith("src:")
                      else g.triples) for g in todo)
            found = validate_batches(sized, look, shapes, ontology, engine, keeps_ontology="build", budget=BATCH,
                                     forget=look.forget)
        for g in todo:
            g.violations = found.get(g.name, ())
        new = {g.key: (g.nt, g.violations, g.triples) for g in todo if g.name != "build"}
        if self.stale or new:
            write_groups(self.cache, new, self.stale)
            self.stale = frozenset()
        return merged({g.name: g.violations or () for g in self.groups.values()}, self.triples)

    def _whole(self, shapes: Graph, ontology: Graph, engine: str) -> dict[str, tuple[Violation, ...]]:
        view = Graph(store="SimpleMemory")
        add_ntriples(view, self.nt + b"".join(self.lookup.extras.values()))
        owners: dict[str, list[str]] = defaultdict(list)
        for name in self.groups:
            for n in self.lookup.focus(name):
                owners[n].append(name)
        ontology_nodes = {str(n) for n in ontology.subjects()}
        found: dict[str, list[Violation]] = defaultdict(list)
        for v in validate_graph(view, shapes, ontology, engine).violations:
            for name in owners.get(v.focus) or (["build"] if v.focus in ontology_nodes else []):
                found[name].append(v)
        return {name: tuple(vs) for name, vs in found.items()}


def _key(common: str, *parts: object) -> str:
    return hashlib.sha256(repr((FORMAT, common, *parts)).encode("utf-8")).hexdigest()


def _load(cache: Path, name: str) -> dict:
    try:
        with open(cache / name, "rb") as fh:
            found = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _save(cache: Path, entries: dict, name: str) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / (name + ".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, cache / name)


def cached_reprints(seeds: list[Seed], cache: Path) -> Reprints:
    """:func:`oirld.reprints.find_reprints` with each text's print kept in ``cache`` (a text is read once), and
    how texts compared (a pair of texts is compared once)."""
    prints = _load(cache, PRINTS_FILE)
    known = set(prints)
    kept = _load(cache, PAIRS_FILE)
    pairs = kept.get("pairs", {}) if kept.get("marker") == _PAIRS_MARKER else {}
    before = sum(map(len, pairs.values()))
    found = find_reprints(seeds, prints, pairs)
    current = {s.text_sha256 for s in seeds}
    if known != current:
        _save(cache, {k: v for k, v in prints.items() if k in current}, PRINTS_FILE)
        (cache / "textprints.pickle").unlink(missing_ok=True)  # the prints of format 1
    if known != current or sum(map(len, pairs.values())) != before:  # texts gone, or pairs compared now
        pairs = {k: {r: v for r, v in m.items() if r in current} for k, m in pairs.items() if k in current}
        _save(cache, {"marker": _PAIRS_MARKER, "pairs": pairs}, PAIRS_FILE)
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
    seed_of = {s.stem: s for s in seeds}
    for story in reprints.stories:
        first = seed_of.get(story.members[0])
        add(f"wire:{story.id}", _key(common, "wire", repr(story), first.meta["title"].value if first else None),
            lambda g, story=story: wire_story_triples(g, m, Reprints.of([story]), seed_of))
    for d in disagreements:  # an id is a digest of its claims' ids: made once
        did = d.id
        add(f"dis:{did}", _key(common, "dis", did, d.kind, d.subject, d.prop, tuple(_claim_state(c, ids) for c in d.claims)),
            lambda g, d=d: disagreement_triples(g, m, d, registry))
    for cv in current:
        cid = cv.id
        add(f"cur:{cid}", _key(common, "cur", cid, cv.subject, cv.prop, cv.location, repr(cv.latest),
                               tuple(_claim_state(c, ids) for c in cv.claims)),
            lambda g, cv=cv: current_triples(g, m, cv, registry))
    for a in articles:
        story = reprints.story_of.get(a.stem)
        add(f"src:{a.stem}", _key(common, "src", a.key, story.id if story else None), None)

    cached = read_groups(cache)
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
                   {mem: f"wire:{s.id}" for s in reprints.stories for mem in s.members}, build)
    stale = frozenset(cached.keys() - {g.key for g in groups.values()})
    return GlobalPart(nt, triples, groups, look, cache, fresh, stale)


class _Lookup:
    """The whole global view (the groups' triples and the articles' extras), read lazily: a node's triples are
    parsed from the groups (or article) that write them, known from its IRI, so checking a few groups parses only
    the few parts their views reach."""

    def __init__(self, base: str, groups: dict[str, _Group], extras: dict[str, bytes], evidence_stem: dict[str, str],
                 value_owner: dict[str, str], phases: dict[str, list], preferred: dict[tuple, list],
                 wire_of: dict[str, str], build: URIRef) -> None:
        self.base = base
        self.build = build
        self.groups = groups
        self.extras = extras
        self.evidence_stem = evidence_stem
        self.value_owner = value_owner
        self.phases = phases
        self._preferred = preferred
        self.wire_of = wire_of  # an article's stem -> the group of its wire story
        self._parts: dict[tuple[str, str], dict] = {}
        self._lines: dict[tuple[str, str], SubjectLines] = {}
        self._out: dict[str, list] = {}

    def forget(self) -> None:
        """Drop what was parsed so far: validated a batch at a time, the lookup holds one batch's parts only."""
        self._parts.clear()
        self._lines.clear()
        self._out.clear()

    def part(self, where: tuple[str, str]) -> dict[str, list[bytes]]:
        """The N-Triples lines of a group (``("g", name)``) or of an article's extras (``("x", stem)``), by subject:
        split only for :meth:`focus` (a node's own lines are found in :meth:`_sorted`)."""
        index = self._parts.get(where)
        if index is None:
            index = self._parts[where] = defaultdict(list)
            for line in self.data(where).splitlines(keepends=True):
                head = line.split(b" ", 1)[0]
                if head:
                    index[head[1:-1].decode("utf-8") if head.startswith(b"<") else head.decode("utf-8")].append(line)
        return index

    def _sorted(self, where: tuple[str, str]) -> SubjectLines:
        found = self._lines.get(where)
        if found is None:
            found = self._lines[where] = SubjectLines(self.data(where))
        return found

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
            return [("g", f"wire:{head}")] if f"wire:{head}" in self.groups else []
        if kind == "source":
            wire = self.wire_of.get(head) if "#" not in rest else None
            return [("x", head)] + ([("g", wire)] if wire else [])
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
            head = f"<{key}> ".encode("utf-8")
            found = [t for where in self._describers(node) for t in ntriples_terms(self._sorted(where).of(head))]
            if found and key.startswith(f"{self.base}claim/"):
                found.append((node, PROV.wasGeneratedBy, self.build))
            self._out[key] = found
        return found

    def into(self, node, predicate) -> list[tuple]:
        wire = f"{self.base}wire/"
        if predicate == OIRL.reprintOf and str(node).startswith(wire):
            name = "wire:" + str(node)[len(wire):].split("#", 1)[0]
            if name not in self.groups:
                return []
            tail = f" <{predicate}> <{node}> .\n".encode("utf-8")
            return [t for t in ntriples_terms(object_lines(self.data(("g", name)), tail))
                    if t[1] == predicate and t[2] == node]
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
