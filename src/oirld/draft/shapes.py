"""The SHACL shapes on a draft, before it is written: a draft ``oirld build`` would refuse is refused here.

The build validates in two passes (:mod:`oirld.validation`): the per-article shapes on each article's own triples,
the global shapes on the rest. A draft is checked the same way, on the least that can judge it:

* per article: the drafted article's own triples (its source node, field records, passages and selectors), as the
  build's per-article step makes them (:func:`oirld.buildcache.article_view_graph`);
* globally: the drafted claims merged with the corpus claims about the same things (and the other phases of an
  operation a drafted claim names), the registry entries they use, and the types of the passages they cite. A
  registry entry no article used before is published only once a claim uses it, so this is where its faults show.

Both run on pyshacl-turbo, as the build does. Each violation is traced to the drafted claim that is, cites or names
its focus node, so the message names that claim's line in the would-be mapping (or the seed's metadata, for the
article's record). A violation no drafted claim leads to is about the partial graph itself (the made-up build
record; a thing only a corpus claim names, whose own claims are not loaded) and is ignored: the build judges those
whole, and the one rule that reaches from a drafted claim to such a node (phase order) is checked beforehand with
the whole corpus (:mod:`.conformance`). Cost: bench/RESULTS.md, "SHACL on
a draft before it is written?".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .. import __version__
from ..buildcache import article_view_graph
from ..claims import Claim, merge_claims
from ..errors import DataError, Location, raise_problems
from ..graph import BuildInfo, Minter, article_graph, global_graph
from ..namespaces import OIRL
from ..ontology import Ontology
from ..registry import Registry
from ..seeds import Seed
from ..validation import VIOLATION, Violation, split_shapes, validate_graph

__all__ = ["ShapeProblem", "shape_problems", "refuse_nonconforming"]


@dataclass(frozen=True)
class ShapeProblem:
    """One violation the draft would bring into the build, and where to fix it: the line of the drafted claim behind
    it in the would-be mapping, or the seed's metadata for the article's own record."""

    where: Location
    violation: Violation


def _entities(c: Claim) -> set[str]:
    return {c.subject, *c.mentions,
            *(v.entity for v in (c.value, *(q for _, q in c.qualifiers)) if v.kind == "entity" and v.entity)}


def _near(drafted: list[Claim], corpus: list[Claim]) -> list[Claim]:
    """The corpus claims the shapes join with the drafted ones: about the same things, and the claims of every
    phase of an operation the draft names (the phase-order rule compares phases)."""
    named = set().union(*map(_entities, drafted)) if drafted else set()
    phases = {c.subject for c in corpus if c.prop == "phaseOf" and c.value.entity in named}
    return [c for c in corpus if c.subject in named or c.subject in phases]


def shape_problems(seed: Seed, drafted: list[Claim], corpus: list[Claim], ontology: Ontology, registry: Registry,
                   shapes: Graph, base: str, display: str) -> list[ShapeProblem]:
    """What the shapes would refuse in the build once the draft of ``seed`` is added; empty when it conforms."""
    article_shapes, global_shapes = split_shapes(shapes)
    m = Minter(base)
    own = article_graph(seed, merge_claims(drafted), base)
    owned_types = [(s, o) for s, o in own.subject_objects(RDF.type)]
    source_triples = list(own.triples((m.source(seed.stem), None, None)))
    view = article_view_graph(own, registry, base)
    found = list(validate_graph(view, article_shapes, ontology.graph, "turbo").violations)

    claims = merge_claims([*_near(drafted, corpus), *drafted])
    used = set().union(*map(_entities, claims)) if claims else set()
    used |= {k for f in ("publisher", "authors") for k in seed.meta[f].entities}
    info = BuildInfo("draft", __version__, dt.datetime.now(dt.timezone.utc), ())
    whole = global_graph([seed], registry, claims, [], info, base, used_entities=used & set(registry.entities))
    for t in source_triples:
        whole.add(t)
    for s, o in owned_types:
        whole.add((s, RDF.type, o))
    for c in claims:  # the corpus's passages are typed by their own articles, which the build has
        for ev in c.evidence:
            if ev.anchor.source != seed.stem:
                whole.add((m.evidence(ev), RDF.type, OIRL.Evidence))
                if ev.draft:
                    whole.add((m.evidence(ev), RDF.type, OIRL.MachineReadEvidence))
    build = m.build("draft")
    found += [v for v in validate_graph(whole, global_shapes, ontology.graph, "turbo").violations
              if URIRef(v.focus) != build]
    found = [v for v in found if v.severity == VIOLATION]
    located = [(_where(v, drafted, m, seed, display), v) for v in found]
    return [ShapeProblem(where, v) for where, v in located if where is not None]


def _where(v: Violation, drafted: list[Claim], m: Minter, seed: Seed, display: str) -> Location | None:
    """The mapping line of the first drafted claim that is, cites, or names the violation's focus node; the seed's
    metadata for the source node and its field records; None for a node only the corpus's claims bring in, whose
    own claims this partial graph may lack (the build judges it whole)."""
    focus = URIRef(v.focus)
    if focus == m.source(seed.stem) or str(focus).startswith(f"{m.source(seed.stem)}#"):
        return Location(f"seeds/{seed.meta_path.name}")
    for c in drafted:
        ours = [e for e in c.evidence if e.anchor.source == seed.stem]
        if not ours:
            continue
        passages = {str(m.evidence(e)) for e in ours}
        if (focus == m.claim(c) or str(focus).split("#", 1)[0] in passages
                or focus in {m.entity(k) for k in _entities(c)}):
            return Location(display, ours[0].line)
    return None


def refuse_nonconforming(problems: list[ShapeProblem], display: str) -> None:
    """Raise one DataError per violation (where to fix it, the shape's message), or nothing."""
    errors = [DataError(f"the draft would not validate, so nothing was written: {p.violation.focus_label}: {p.violation.message} "
                        f"(shape {p.violation.shape.rsplit('#', 1)[-1]})", p.where, _HINT)
              for p in problems]
    raise_problems(errors, f"the draft {display}, so nothing was written")


_HINT = ("fix what the message names (most often a registry entry in ontology/registry/, or the seed's metadata) and "
         "draft again; or map the article by hand (mappings/README.md)")
