"""What the SHACL check costs `oirld draft` (the shapes on a draft before it is written, `oirld.draft.shapes`).

    .venv/bin/python bench/draft_shapes.py PROJECT NAME [NAME ...]

PROJECT is a project folder holding seeds/NAME.txt (for an unseen article: after `oirld add`). Each NAME is drafted
as `oirld draft NAME` drafts it (the other mappings are the corpus; nothing is written) and the steps are timed:
drafting, the compile check, and the two SHACL passes (per-article shapes on the article's own triples, global
shapes on the drafted claims joined with the corpus claims about the same things). Nothing is asserted here.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import oirld.draft.shapes as draft_shapes
from oirld.config import Config
from oirld.draft import _corpus, check_draft, draft_seed
from oirld.ontology import load_ontology
from oirld.registry import load_registry
from oirld.seeds import load_seed
from oirld.validation import load_shapes

PASSES: list[tuple[int, float]] = []
_validate = draft_shapes.validate_graph


def _timed(data, shapes, ontology, engine="pyshacl"):
    started = time.perf_counter()
    result = _validate(data, shapes, ontology, engine)
    PASSES.append((len(data), time.perf_counter() - started))
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("project", type=Path)
    ap.add_argument("names", nargs="+")
    args = ap.parse_args()
    config = Config(home=args.project.resolve())
    draft_shapes.validate_graph = _timed
    ontology = load_ontology(config.ontology_dir / "oirld.ttl")
    registry = load_registry(config.ontology_dir / "registry", ontology.classes)
    shapes = load_shapes(config.shapes_dir)
    print("| article | drafted claims | draft s | compile s | article triples | per-article SHACL s | "
          "global triples | global SHACL s | violations |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.names:
        seed = load_seed(config.seeds_dir / f"{name}.txt")
        display = f"mappings/{name}.yaml"
        t0 = time.perf_counter()
        corpus = _corpus(config, name, ontology, registry)
        draft = draft_seed(seed, ontology, registry, display, corpus)
        t1 = time.perf_counter()
        drafted = check_draft(seed, draft.text, ontology, draft.registry, display)
        t2 = time.perf_counter()
        PASSES.clear()
        found = draft_shapes.shape_problems(seed, drafted, corpus, ontology, draft.registry, shapes, config.base_iri, display)
        (na, ta), (ng, tg) = PASSES
        print(f"| {name} | {len(draft.claims)} | {t1 - t0:.2f} | {t2 - t1:.2f} | {na:,} | {ta:.2f} | {ng:,} | {tg:.2f} | "
              f"{len(found)} |")


if __name__ == "__main__":
    main()
