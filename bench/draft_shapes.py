"""What it would cost `oirld draft` to run the SHACL shapes on a draft before writing it.

    .venv/bin/python bench/draft_shapes.py PROJECT NAME

PROJECT is a project folder where `oirld add` and `oirld draft NAME` have run. The draft's claims, the other
mappings' claims about the things the draft names and the things those claims name, the articles they cite and the
entities they use are turned into RDF as the build does and validated with pySHACL as the build does. This is the
smallest graph in which the shapes that join claims (time order, phases) can be judged. The draft checks those rules
itself instead (`oirld.draft.conformance`); this script says why. Nothing is asserted here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from oirld import __version__
from oirld.claims import merge_claims
from oirld.conflicts import find_disagreements
from oirld.graph import BuildInfo, dataset_graph
from oirld.mapping import compile_mappings
from oirld.ontology import load_ontology
from oirld.registry import load_registry
from oirld.seeds import load_seeds
from oirld.validation import load_shapes, validate_graph


def _entities(c) -> set[str]:
    return {c.subject, *(v.entity for v in (c.value, *(q for _, q in c.qualifiers)) if v.kind == "entity" and v.entity)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("project", type=Path)
    ap.add_argument("name")
    args = ap.parse_args()
    home = args.project
    ontology = load_ontology(home / "ontology" / "oirld.ttl")
    registry = load_registry(home / "ontology" / "registry", ontology.classes)
    seeds = load_seeds(home / "seeds")
    with tempfile.TemporaryDirectory() as tmp:
        for p in (home / "mappings").glob("*.yaml"):
            (Path(tmp) / p.name).write_bytes(p.read_bytes())
        claims = compile_mappings(Path(tmp), seeds, ontology, registry)[0]
    drafted = [c for c in claims if any(e.anchor.source == args.name for e in c.evidence)]
    named = set().union(*map(_entities, drafted))
    hop = named | {e for c in claims if c.subject in named for e in _entities(c)}
    near = merge_claims([c for c in claims if c.subject in hop or (c.prop == "phaseOf" and c.value.entity in hop)])
    cited = {e.anchor.source for c in near for e in c.evidence}
    used = (set().union(*map(_entities, near)) | {k for s in seeds if s.stem in cited for f in ("publisher", "authors")
                                                  for k in s.meta[f].entities}) & set(registry.entities)
    info = BuildInfo("bench", __version__, dt.datetime.now(dt.timezone.utc), ())
    graph = dataset_graph([s for s in seeds if s.stem in cited], registry, near, find_disagreements(near, ontology), info,
                          "https://w3id.org/oirld/", used_entities=used)
    shapes = load_shapes(home / "shapes")
    started = time.perf_counter()
    result = validate_graph(graph, shapes, ontology.graph)
    took = time.perf_counter() - started
    print(f"{args.name}: {len(drafted)} drafted claims, {len(near)} claims around them, {len(graph)} triples; "
          f"pySHACL {took:.1f} s ({len(result.violations)} violations, the build record's own among them)")


if __name__ == "__main__":
    main()
