"""Time of the audit of unlinked names (oirld.unlinked.find_unlinked), which every build and validate runs.

    .venv/bin/python bench/unlinked.py                      # the repository's seeds and mappings
    .venv/bin/python bench/unlinked.py --home /tmp/corpus-1k  # a project folder (bench/corpus.py's)
    .venv/bin/python bench/unlinked.py --plain               # also with the drafter's matcher as it is, for comparison

Compiles the mappings as a build does (not timed), then times the audit: the names in every claim's quote, with the
drafter's matcher (oirld.draft.names.NameIndex) sped up by the audit's exact shortcuts, and with --plain the same
audit with the matcher unchanged (both must report the same names).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import oirld.unlinked as unlinked  # noqa: E402
from oirld.claims import merge_claims  # noqa: E402
from oirld.config import Config  # noqa: E402
from oirld.mapping import compile_mappings  # noqa: E402
from oirld.ontology import load_ontology  # noqa: E402
from oirld.registry import load_registry  # noqa: E402
from oirld.seeds import load_seeds  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, default=ROOT, help="project folder (default: this repository)")
    ap.add_argument("--plain", action="store_true", help="also time the audit with the matcher unchanged")
    args = ap.parse_args()
    config = Config(home=args.home, out=args.home / "var")
    ontology = load_ontology(config.ontology_dir / "oirld.ttl")
    registry = load_registry(config.ontology_dir / "registry", ontology.classes)
    seeds = load_seeds(config.seeds_dir)
    claims = merge_claims(compile_mappings(config.mappings_dir, seeds, ontology, registry, config.home)[0])
    passages = sum(len(c.evidence) for c in claims if c.prop != "writtenAs")
    import oirld.draft.names  # noqa: F401  (imported before timing: the build has it loaded by then)

    t = time.perf_counter()
    fast = unlinked.find_unlinked(claims, seeds, registry)
    took = time.perf_counter() - t
    print(f"{len(seeds)} articles, {len(claims)} claims, {passages} passages: {len(fast)} unlinked names in {took:.2f} s")
    named = unlinked.names_in_quotes(claims, seeds, registry)
    t = time.perf_counter()
    again = unlinked.find_unlinked(claims, seeds, registry, named)
    print(f"  with the names of each passage found already (a build finds them per article, in its workers, and "
          f"caches them): {time.perf_counter() - t:.2f} s; same names: {again == fast}")
    if args.plain:
        from oirld.draft.names import NameIndex

        unlinked._index = NameIndex  # the matcher as the drafter has it
        unlinked._INDEXES.clear()
        t = time.perf_counter()
        plain = unlinked.find_unlinked(claims, seeds, registry)
        took = time.perf_counter() - t
        print(f"  with the matcher unchanged: {len(plain)} unlinked names in {took:.2f} s; same names: {plain == fast}")


if __name__ == "__main__":
    main()
