"""Turning sources, entities, claims and disagreements into RDF.

Layers, all in one graph:

* sources: each article a ``schema:NewsArticle`` and ``prov:Entity`` with its metadata and, per field, how it was
  determined; the text itself is not republished (it is the publishers'), its SHA-256s are;
* entities from the registry with labels, aliases, types, coordinates (GeoSPARQL) and verified Wikidata links;
* claims: ``oirl:Claim`` nodes (rdf:subject / rdf:predicate / rdf:object, qualifiers, wikibase:rank), each
  ``prov:wasDerivedFrom`` evidence nodes that are Web Annotation specific resources with both selectors;
* the plain triple of each best-ranked value, so simple queries need not know the claim layer;
* disagreements, materialised, and the build as a ``prov:Activity``.

Only xsd datatypes whose lexical form is already canonical are written (integers, canonical decimals, dates), so
what the store reads back is what was validated. Offsets are ``xsd:integer``, not the ``xsd:nonNegativeInteger`` of
the Web Annotation context: Oxigraph stores the latter as ``xsd:integer``, and a shape keeps them non-negative.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .citation import humanize
from .claims import Claim, Evidence, Value, digest
from .conflicts import CurrentValue, Disagreement
from .namespaces import (DCTERMS, GEO, OA, OIRL, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, WD, WIKIBASE, bind_prefixes)
from .registry import Registry
from .reprints import IDENTICAL, Reprints
from .seeds import Seed

__all__ = ["Minter", "BuildInfo", "dataset_graph", "article_graph", "global_graph", "best_claims", "build_node",
           "link_triple", "entity_triples", "claim_triples", "plain_triple", "disagreement_triples", "current_triples",
           "wire_story_triples"]

_APPROX = {"exact": "Exact", "about": "Approximately", "more-than": "MoreThan", "at-least": "AtLeast", "up-to": "UpTo",
           "less-than": "LessThan", "nearly": "Nearly"}
_DETERMINED = {"stated-in-text": "StatedInText", "publication-record": "PublicationRecord", "page-metadata": "PageMetadata",
               "given": "GivenWhenAdded", "inferred": "Inferred", "unknown": "Unknown"}
#: a publication date keeps the precision its record gives
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
_FIELDS = {"title": SCHEMA.headline, "publisher": SCHEMA.publisher, "authors": SCHEMA.author,
           "language": SCHEMA.inLanguage, "date_published": SCHEMA.datePublished, "url": SCHEMA.url}
_RANK = {"preferred": WIKIBASE.PreferredRank, "normal": WIKIBASE.NormalRank, "deprecated": WIKIBASE.DeprecatedRank}


class Minter:
    """Every IRI the build mints, from the one base IRI."""

    def __init__(self, base: str) -> None:
        self.base = base

    def entity(self, key: str) -> URIRef:
        return URIRef(f"{self.base}id/{key}")

    def claim(self, claim: Claim) -> URIRef:
        return URIRef(f"{self.base}claim/{claim.id}")

    def evidence(self, ev: Evidence) -> URIRef:
        return URIRef(f"{self.base}evidence/{ev.id}")

    def value(self, value: Value) -> URIRef:
        return URIRef(f"{self.base}value/{digest(*value.key)}")

    def source(self, stem: str) -> URIRef:
        return URIRef(f"{self.base}source/{stem}")

    def mapping(self, name: str) -> URIRef:
        return URIRef(f"{self.base}mapping/{name}")

    def wire(self, story_id: str) -> URIRef:
        return URIRef(f"{self.base}wire/{story_id}")

    def disagreement(self, d: Disagreement) -> URIRef:
        return URIRef(f"{self.base}disagreement/{d.id}")

    def build(self, version: str) -> URIRef:
        return URIRef(f"{self.base}build/{version}")

    def dataset(self) -> URIRef:
        return URIRef(f"{self.base}dataset")


@dataclass(frozen=True)
class BuildInfo:
    version: str
    software_version: str
    started: dt.datetime
    inputs: tuple[tuple[str, str, str], ...]  # (kind, repository path, sha256)


def _lit(text: str) -> Literal:
    return Literal(text, lang="en")


def _decimal(d: Decimal) -> Literal:
    if d == d.to_integral_value():
        return Literal(str(int(d)), datatype=XSD.integer)
    s = format(d.normalize(), "f")
    return Literal(s, datatype=XSD.decimal)


def best_claims(claims: list[Claim]) -> list[Claim]:
    """The claims whose plain triple is asserted: per subject and property, all values of the best rank present."""
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        groups[(c.subject, c.prop)].append(c)
    out = []
    for group in groups.values():
        ranks = {c.rank for c in group}
        best = "preferred" if "preferred" in ranks else "normal" if "normal" in ranks else None
        out.extend(c for c in group if c.rank == best)
    return out


def dataset_graph(seeds: list[Seed], registry: Registry, claims: list[Claim], disagreements: list[Disagreement],
                  info: BuildInfo, base: str, used_entities: set[str] | None = None,
                  current: list[CurrentValue] | None = None, links: list | None = None,
                  reprints: Reprints | None = None) -> Graph:
    """The whole dataset in one graph: every article's part and the global part (small corpora, tests, validate)."""
    g = global_graph(seeds, registry, claims, disagreements, info, base, used_entities, current, links, reprints)
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        for stem in c.sources:
            by_source[stem].append(c)
    for seed in seeds:
        article_graph(seed, by_source[seed.stem], base, g)
    return g


def article_graph(seed: Seed, claims: list[Claim], base: str, g: Graph | None = None) -> Graph:
    """What one article contributes on its own: its source node with the field records, and the passages its
    claims cite, with their selectors. Nothing here depends on another article, the build or its version, so it is
    compiled, validated and cached per article. ``claims`` may be the article's own (merged or not) or the whole
    build's: only evidence from this article is written."""
    g = bind_prefixes(Graph(), base) if g is None else g
    m = Minter(base)
    _source(g, m, seed)
    for c in claims:
        for ev in c.evidence:
            if ev.anchor.source == seed.stem:
                _evidence(g, m, ev)
    return g


def global_graph(seeds: list[Seed], registry: Registry, claims: list[Claim], disagreements: list[Disagreement],
                 info: BuildInfo, base: str, used_entities: set[str] | None = None,
                 current: list[CurrentValue] | None = None, links: list | None = None,
                 reprints: Reprints | None = None) -> Graph:
    """What needs the whole corpus: the build, entities, merged claims, wire stories, disagreements, current values."""
    # rdflib's plain store: no per-triple context bookkeeping, so the build's validation and N-Triples read it faster
    g = bind_prefixes(Graph(store="SimpleMemory"), base)
    m = Minter(base)
    build = build_node(g, m, info)
    stems = {seed.stem for seed in seeds}
    for key, ent in registry.entities.items():
        if used_entities is None or key in used_entities:
            entity_triples(g, m, ent, stems)
    for link in links or []:
        if used_entities is None or link.entity in used_entities:
            link_triple(g, m, link)
    labels = {k: e.label for k, e in registry.entities.items()}
    reprints = reprints or Reprints()
    for c in claims:
        claim_triples(g, m, c, labels, reprints.independent(c.sources), build)
    wire_story_triples(g, m, reprints, {s.stem: s for s in seeds})
    for c in best_claims(claims):
        plain_triple(g, m, c)
    for d in disagreements:
        disagreement_triples(g, m, d, registry)
    for cv in current or []:
        current_triples(g, m, cv, registry)
    return g


def build_node(g: Graph, m: Minter, info: BuildInfo) -> URIRef:
    """The build as a ``prov:Activity`` with the files it used; its IRI changes with every version."""
    build = m.build(info.version)
    g.add((build, RDF.type, PROV.Activity))
    g.add((build, RDF.type, OIRL.Build))
    g.add((build, RDFS.label, _lit(f"oirld build {info.version}")))
    # normalize=False: rdflib would rewrite "Z" as "+00:00", which the store turns back into "Z"
    g.add((build, PROV.startedAtTime, Literal(info.started.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime, normalize=False)))
    g.add((build, OIRL.softwareVersion, Literal(info.software_version)))
    g.add((build, OIRL.datasetVersion, Literal(info.version)))
    for kind, path, sha in info.inputs:
        node = m.mapping(Path(path).name) if kind == "mapping" else URIRef(f"{m.base}input/{path}")
        g.add((build, PROV.used, node))
        g.add((node, RDF.type, OIRL.MappingScript if kind == "mapping" else PROV.Entity))
        g.add((node, RDFS.label, _lit(f"{kind} {path}")))
        g.add((node, OIRL.fileName, Literal(path)))
        g.add((node, OIRL.bytesSha256, Literal(sha)))
    return build


def link_triple(g: Graph, m: Minter, link) -> None:
    g.add((m.entity(link.entity), SKOS[link.predicate.split(":", 1)[1]], WD[link.qid]))


def claim_triples(g: Graph, m: Minter, c: Claim, labels: dict[str, str], independent: int, build: URIRef | None) -> None:
    """A merged claim; ``build`` None leaves out its ``prov:wasGeneratedBy``, the one triple that changes with
    every version (:mod:`oirld.globalparts` writes it apart, so a claim's cached triples stay valid)."""
    _claim(g, m, c, build, labels)
    g.add((m.claim(c), OIRL.independentSources, Literal(str(independent), datatype=XSD.integer)))


def plain_triple(g: Graph, m: Minter, c: Claim) -> None:
    g.add((m.entity(c.subject), OIRL[c.prop], _object(g, m, c.value)))


def disagreement_triples(g: Graph, m: Minter, d: Disagreement, registry: Registry) -> None:
    node = m.disagreement(d)
    g.add((node, RDF.type, OIRL.Disagreement))
    g.add((node, OIRL.disagreementKind, Literal(d.kind)))
    g.add((node, OIRL.onSubject, m.entity(d.subject)))
    g.add((node, OIRL.onProperty, OIRL[d.prop]))
    subject_label = registry[d.subject].label
    # in words, never the property's local name ("troopCount"): this label is shown on pages
    said = f"spell the name of {subject_label} differently" if d.kind == "spelling" else f"disagree on {subject_label}: {humanize(d.prop)}"
    g.add((node, RDFS.label, _lit(f"Sources {said}")))
    for c in d.claims:
        g.add((node, OIRL.involvesClaim, m.claim(c)))


def current_triples(g: Graph, m: Minter, cv: CurrentValue, registry: Registry) -> None:
    node = URIRef(f"{m.base}current/{cv.id}")
    g.add((node, RDF.type, OIRL.CurrentValue))
    g.add((node, OIRL.onSubject, m.entity(cv.subject)))
    g.add((node, OIRL.onProperty, OIRL[cv.prop]))
    if cv.location:
        g.add((node, OIRL.location, m.entity(cv.location)))
    g.add((node, OIRL.latestAsOf, Literal(cv.latest.isoformat(), datatype=XSD.date)))  # type: ignore[attr-defined]
    place = f" in {registry[cv.location].label}" if cv.location else ""
    g.add((node, RDFS.label, _lit(f"Latest {cv.prop} of {registry[cv.subject].label}{place}")))
    for c in cv.claims:
        g.add((node, OIRL.currentClaim, m.claim(c)))


def wire_story_triples(g: Graph, m: Minter, reprints: Reprints, seeds: dict[str, Seed]) -> None:
    """Each wire story, the articles that carry it, and how each was found to (identical or near-identical text)."""
    for story in reprints.stories:
        w = m.wire(story.id)
        first = seeds[story.members[0]].meta["title"].value or story.members[0]
        g.add((w, RDF.type, OIRL.WireStory))
        g.add((w, RDF.type, PROV.Entity))
        g.add((w, RDFS.label, _lit(f"Wire text carried by {len(story.members)} articles: {first}")))
        for stem in story.members:
            g.add((m.source(stem), OIRL.reprintOf, w))
        for match in story.matches:
            node = URIRef(f"{w}#{digest(match.reprint, size=12)}")
            g.add((w, OIRL.hasTextMatch, node))
            g.add((node, RDF.type, OIRL.TextMatch))
            g.add((node, RDFS.label, _lit(f"{match.reprint} has the {match.method} text of {match.of} (similarity {match.similarity})")))
            g.add((node, OIRL.matchedArticle, m.source(match.reprint)))
            g.add((node, OIRL.comparedWith, m.source(match.of)))
            g.add((node, OIRL.matchMethod, OIRL.IdenticalText if match.method == IDENTICAL else OIRL.NearIdenticalText))
            # xsd:decimal as the store writes it back ("1", "0.9")
            g.add((node, OIRL.similarity, Literal(format(match.similarity.normalize(), "f"), datatype=XSD.decimal)))


def _source(g: Graph, m: Minter, seed: Seed) -> None:
    s = m.source(seed.stem)
    g.add((s, RDF.type, SCHEMA.NewsArticle))
    g.add((s, RDF.type, PROV.Entity))
    title = seed.meta["title"].value
    g.add((s, RDFS.label, _lit(title or f"Untitled article {seed.stem}")))
    g.add((s, OIRL.fileName, Literal(f"seeds/{seed.path.name}")))
    g.add((s, OIRL.bytesSha256, Literal(seed.bytes_sha256)))
    g.add((s, OIRL.textSha256, Literal(seed.text_sha256)))
    g.add((s, OIRL.textLength, Literal(len(seed.text), datatype=XSD.integer)))
    if seed.synthetic:
        g.add((s, RDFS.comment, _lit("Synthetic article written for benchmarks (bench/corpus.py); not a real publication.")))
    for rep in seed.repairs:
        g.add((s, OIRL.textRepair, _lit(f"{rep['find']!r} -> {rep['replace']!r}: {' '.join(rep['reason'].split())}")))
    if seed.reference and seed.reference[1] is None:
        g.add((s, OIRL.publishedNotBefore, Literal(seed.reference[0].isoformat(), datatype=XSD.date)))
    for name, prop in _FIELDS.items():
        f = seed.meta[name]
        rec = URIRef(f"{s}#{name}")
        g.add((s, OIRL.hasFieldRecord, rec))
        g.add((rec, RDF.type, OIRL.FieldRecord))
        g.add((rec, RDFS.label, _lit(f"{name} of {seed.stem}")))
        g.add((rec, OIRL.field, prop))
        g.add((rec, OIRL.determinedBy, OIRL[_DETERMINED[f.determined_by]]))
        if f.evidence:
            g.add((rec, OIRL.evidenceNote, _lit(" ".join(f.evidence.split()))))
        if f.value in (None, [], ""):
            continue
        if name == "title":
            g.add((s, prop, _lit(f.value)))
        elif name == "language":
            g.add((s, prop, Literal(f.value)))
        elif name == "date_published":
            g.add((s, prop, Literal(str(f.value), datatype=_DATE_TYPES[len(str(f.value))])))
        elif name == "url":
            g.add((s, prop, URIRef(f.value)))
        elif name == "publisher":
            g.add((s, prop, m.entity(f.entities[0]) if f.entities else _lit(f.value)))
        elif name == "authors":
            keys = list(f.entities)
            for i, author in enumerate(f.value):
                g.add((s, prop, m.entity(keys[i]) if i < len(keys) else Literal(author)))


def entity_triples(g: Graph, m: Minter, ent, stems: set[str]) -> None:
    """A registry entry as RDF (``stems``: the articles of the build, for ``oirl:addedFor``)."""
    s = m.entity(ent.key)
    for t in ent.types:
        g.add((s, RDF.type, OIRL[t]))
    if ent.unreviewed:  # a command made the entry and no person has checked it yet
        g.add((s, RDF.type, OIRL.UnreviewedEntity))
        g.add((s, OIRL.addedBy, Literal(ent.added.by)))
        g.add((s, OIRL.addedOn, Literal(ent.added.date, datatype=XSD.date)))
        if ent.added.source in stems:
            g.add((s, OIRL.addedFor, m.source(ent.added.source)))
    g.add((s, RDFS.label, _lit(ent.label)))
    g.add((s, SKOS.prefLabel, _lit(ent.label)))
    for alias in ent.aliases:
        if alias != ent.label:
            g.add((s, SKOS.altLabel, _lit(alias)))
    if ent.description:
        g.add((s, SCHEMA.description, _lit(ent.description)))
    if ent.lat is not None:
        geom = URIRef(f"{s}#geometry")
        g.add((s, GEO.hasGeometry, geom))
        g.add((geom, RDF.type, GEO.Geometry))
        g.add((geom, GEO.asWKT, Literal(f"POINT({ent.lon} {ent.lat})", datatype=GEO.wktLiteral)))
        g.add((geom, DCTERMS.source, _lit(ent.coord_source or "")))


def _object(g: Graph, m: Minter, v: Value):
    if v.kind == "entity":
        return m.entity(v.entity or "")
    if v.kind == "concept":
        return OIRL[v.entity or ""]
    if v.kind == "text":
        return _lit(v.text or "")
    if v.kind == "integer":
        return Literal(str(v.number), datatype=XSD.integer)
    node = m.value(v)
    if v.time is not None:
        t = v.time
        g.add((node, RDF.type, OIRL.TimeValue))
        g.add((node, RDFS.label, _lit(t.canonical())))
        if t.earliest:
            g.add((node, OIRL.earliest, Literal(t.earliest.isoformat(), datatype=XSD.date)))
        if t.latest:
            g.add((node, OIRL.latest, Literal(t.latest.isoformat(), datatype=XSD.date)))
        g.add((node, OIRL.precision, Literal(t.precision)))
        g.add((node, OIRL.relation, Literal(t.relation)))
        if t.earliest and t.latest and t.relation == "in":
            if t.precision == "year":
                g.add((node, TIME.inXSDgYear, Literal(str(t.earliest.year), datatype=XSD.gYear)))
            elif t.precision == "month":
                g.add((node, TIME.inXSDgYearMonth, Literal(t.earliest.strftime("%Y-%m"), datatype=XSD.gYearMonth)))
            elif t.precision == "day":
                g.add((node, TIME.inXSDDate, Literal(t.earliest.isoformat(), datatype=XSD.date)))
    elif v.quantity is not None:
        q = v.quantity
        g.add((node, RDF.type, OIRL.Quantity))
        g.add((node, RDF.type, SCHEMA.MonetaryAmount if q.kind == "MoneyAmount" else SCHEMA.QuantitativeValue))
        g.add((node, RDFS.label, _lit(q.canonical())))
        g.add((node, SCHEMA.value, _decimal(q.amount)))
        if q.lower is not None:
            g.add((node, SCHEMA.minValue, _decimal(q.lower)))
        if q.upper is not None:
            g.add((node, SCHEMA.maxValue, _decimal(q.upper)))
        if q.kind == "MoneyAmount":
            g.add((node, SCHEMA.currency, Literal(q.unit_code)))
        else:
            g.add((node, SCHEMA.unitCode, Literal(q.unit_code)))
        g.add((node, OIRL.quantityKind, OIRL[q.kind]))
        g.add((node, OIRL.approximation, OIRL[_APPROX[q.approximation]]))
    return node


def _claim(g: Graph, m: Minter, c: Claim, build: URIRef | None, labels: dict[str, str]) -> None:
    node = m.claim(c)
    g.add((node, RDF.type, OIRL.Claim))
    if c.prop == "said":
        g.add((node, RDF.type, OIRL.AttributedStatement))
    if c.unreviewed:
        g.add((node, RDF.type, OIRL.UnreviewedClaim))
    g.add((node, RDF.subject, m.entity(c.subject)))
    g.add((node, RDF.predicate, OIRL[c.prop]))
    obj = _object(g, m, c.value)
    g.add((node, RDF.object, obj))
    value = labels.get(c.value.entity or "", c.value.label()) if c.value.kind == "entity" else c.value.label()
    g.add((node, RDFS.label, _lit(f"{labels.get(c.subject, c.subject)} · {humanize(c.prop)} · {value}"[:300])))
    for q, v in c.qualifiers:
        g.add((node, OIRL[q], _object(g, m, v)))
    for key in c.mentions:
        g.add((node, OIRL.mentions, m.entity(key)))
    g.add((node, WIKIBASE.rank, _RANK[c.rank]))
    if c.rank_reason:
        g.add((node, OIRL.rankReason, _lit(c.rank_reason)))
    if build is not None:
        g.add((node, PROV.wasGeneratedBy, build))
    for words in sorted(set(c.wordings.values())):
        g.add((node, OIRL.statedAs, _lit(words)))
    for ev in c.evidence:
        g.add((node, PROV.wasDerivedFrom, m.evidence(ev)))


def _evidence(g: Graph, m: Minter, ev: Evidence) -> None:
    """One passage and its two selectors: everything here comes from one article and its mapping."""
    e = m.evidence(ev)
    g.add((e, OIRL.mappingLine, Literal(str(ev.line), datatype=XSD.integer)))
    if (e, RDF.type, OIRL.Evidence) in g:
        return
    a = ev.anchor
    src = m.source(a.source)
    g.add((e, RDF.type, OIRL.Evidence))
    g.add((e, RDF.type, OA.SpecificResource))
    if ev.draft:
        g.add((e, RDF.type, OIRL.MachineReadEvidence))
        if ev.rule:
            g.add((e, OIRL.draftRule, Literal(ev.rule)))
        if ev.confidence is not None:
            # xsd:decimal even for 0 and 1, written as the store writes it back ("1", not "1.0")
            g.add((e, OIRL.draftConfidence, Literal(format(Decimal(str(ev.confidence)).normalize(), "f"), datatype=XSD.decimal)))
    g.add((e, RDFS.label, _lit(f"“{a.exact[:80]}” ({a.source} {a.start}–{a.end})")))
    g.add((e, OA.hasSource, src))
    g.add((e, PROV.wasQuotedFrom, src))
    g.add((e, OIRL.mappedIn, m.mapping(Path(ev.mapping_file).name)))
    qsel, psel = URIRef(f"{e}#quote"), URIRef(f"{e}#position")
    g.add((e, OA.hasSelector, qsel))
    g.add((qsel, RDF.type, OA.TextQuoteSelector))
    g.add((qsel, OA.exact, Literal(a.exact)))
    g.add((qsel, OA.prefix, Literal(a.prefix)))
    g.add((qsel, OA.suffix, Literal(a.suffix)))
    g.add((e, OA.hasSelector, psel))
    g.add((psel, RDF.type, OA.TextPositionSelector))
    g.add((psel, OA.start, Literal(str(a.start), datatype=XSD.integer)))
    g.add((psel, OA.end, Literal(str(a.end), datatype=XSD.integer)))
