"""How much of the curated mappings `oirld draft` finds: leave-one-out over the seeds that have a mapping.

    .venv/bin/python bench/extraction.py [--show-misses]

For each curated seed, the registry loses the entities only that seed uses (as if the article were new), the seed is
drafted against it, and the draft's claims are compared with the curated mapping's. A drafted claim matches a curated
one when subject, property and value agree and their quotes overlap; qualifiers are not compared. A new entity the
draft made counts as a held-out one when one of its names folds (reconciliation's transliteration folding) to one of
that entity's names. Precision and recall are given per kind of claim and overall. Nothing is asserted here.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from oirld.claims import Claim
from oirld.draft import draft_seed
from oirld.mapping import compile_mappings
from oirld.ontology import load_ontology
from oirld.registry import Registry, load_registry
from oirld.seeds import load_seeds
from oirld.web.reconcile.transliterate import fold

ROOT = Path(__file__).resolve().parents[1]

KINDS = {
    "troops": {"troopCount", "peakTroopCount", "troopIncrease"},
    "bases and places": {"fromPlace", "toPlace", "basedAt", "locatedIn", "location"},
    "mission and phases": {"startDate", "endDate", "phaseOf", "phaseNumber", "partOf", "duration"},
    "attacks": {"killedCount", "injuredCount", "leadersKilledCount", "target", "victim"},
    "money, equipment, training": {"amount", "supportValue", "trainedCount", "memberCount", "areaRecovered", "recipient", "purpose"},
    "agreements, announcements": {"announcedBy", "approvedBy", "about", "basedOn", "welcomed", "supports", "opposes", "characterisation"},
    "who said what": {"said"},
    "titles, affiliations": {"jobTitle", "worksFor"},
    "actors of events": {"ledBy", "opponent", "participant", "carriedOutBy", "backedBy", "foundedBy"},
    "dates of events": {"date"},
}


def kind_of(prop: str) -> str:
    return next((k for k, props in KINDS.items() if prop in props), "other")


def _main_claims(claims: list[Claim]) -> list[Claim]:
    return [c for c in claims if c.prop != "writtenAs"]


def _used(claims: list[Claim]) -> set[str]:
    out = set()
    for c in claims:
        out.add(c.subject)
        for v in (c.value, *(q for _, q in c.qualifiers)):
            if v.kind == "entity" and v.entity:
                out.add(v.entity)
    return out


def _text_key(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(s)).split())


def _value_key(c: Claim, alias: dict[str, str]) -> object:
    v = c.value
    if v.kind == "entity":
        return alias.get(v.entity, v.entity)
    if v.kind == "text":
        return _text_key(v.text or "")
    return v.key


def _align(new, held_out: set[str], registry: Registry, drafted: list[Claim], curated: list[Claim]) -> dict[str, str]:
    """Which held-out entity each new entity of the draft stands for: one whose name folds to one of its names, or
    else the held-out entity of a shared type that the curated claims state in the same passages (an attack the
    draft labels "Strike, January 2024" and the curator "the Jordan strike" is the same thing if both are the
    subject of claims quoting the same words)."""
    alias: dict[str, str] = {}
    for e in new:
        folded = {fold(n) for n in (e.label, *e.aliases)}
        named = [k for k in sorted(held_out) if k in registry.entities
                 and folded & {fold(n) for n in registry.entities[k].names()}]
        if named:
            alias[e.key] = named[0]
            continue
        votes: Counter = Counter()
        for d in (d for d in drafted if d.subject == e.key):
            ev = d.evidence[0].anchor
            for c in curated:
                cev = c.evidence[0].anchor
                if c.subject in held_out and set(registry.entities[c.subject].types) & set(e.types) \
                        and ev.start < cev.end and cev.start < ev.end:
                    votes[c.subject] += 1
        if votes:
            alias[e.key] = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return alias


def _compile(folder: Path, seed, ontology, registry: Registry) -> list[Claim]:
    return _main_claims(compile_mappings(folder, [seed], ontology, registry)[0])


def run(show_misses: bool = False) -> tuple[dict[str, Counter], list[str], float, int]:
    ontology = load_ontology(ROOT / "ontology" / "oirld.ttl")
    registry = load_registry(ROOT / "ontology" / "registry", ontology.classes)
    seeds = [s for s in load_seeds(ROOT / "seeds") if (ROOT / "mappings" / f"{s.stem}.yaml").is_file()]
    curated: dict[str, list[Claim]] = {}
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / f"{seed.stem}.yaml").write_text((ROOT / "mappings" / f"{seed.stem}.yaml").read_text("utf-8"), "utf-8")
            curated[seed.stem] = _compile(Path(tmp), seed, ontology, registry)
    meta_used = {s.stem: {k for f in ("publisher", "authors") for k in s.meta[f].entities} for s in seeds}
    counts: dict[str, Counter] = defaultdict(Counter)
    misses: list[str] = []
    elapsed = 0.0
    for seed in seeds:
        others = set().union(*(_used(curated[o]) | meta_used[o] for o in curated if o != seed.stem))
        held_out = (_used(curated[seed.stem]) | meta_used[seed.stem]) - others
        loo = Registry({k: e for k, e in registry.entities.items() if k not in held_out})
        t0 = time.perf_counter()
        corpus = [c for o in curated if o != seed.stem for c in curated[o]]
        draft = draft_seed(seed, ontology, loo, f"mappings/{seed.stem}.yaml", corpus)
        elapsed += time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / f"{seed.stem}.yaml").write_text(draft.text, "utf-8")
            drafted = _compile(Path(tmp), seed, ontology, draft.registry)
        alias = _align(draft.new_entities, held_out, registry, drafted, curated[seed.stem])
        free = list(curated[seed.stem])
        for d in drafted:
            kind = kind_of(d.prop)
            counts[kind]["drafted"] += 1
            ev = d.evidence[0].anchor
            hit = None
            for c in free:
                cev = c.evidence[0].anchor
                if (alias.get(d.subject, d.subject), d.prop, _value_key(d, alias)) == (c.subject, c.prop, _value_key(c, {})) \
                        and ev.start < cev.end and cev.start < ev.end:
                    hit = c
                    break
            if hit is not None:
                free.remove(hit)
                counts[kind]["matched"] += 1
            elif show_misses:
                misses.append(f"{seed.stem[:3]} extra  {d.subject} {d.prop} {d.value.label()!r}  [{ev.exact[:70]!r}]")
        for c in curated[seed.stem]:
            counts[kind_of(c.prop)]["curated"] += 1
        if show_misses:
            misses += [f"{seed.stem[:3]} missed {c.subject} {c.prop} {c.value.label()!r}  [{c.evidence[0].anchor.exact[:90]!r}]"
                       for c in free]
    return counts, misses, elapsed, len(seeds)


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "–"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true", help="list every extra and every missed claim")
    args = ap.parse_args()
    counts, misses, elapsed, seeds = run(args.show_misses)
    total = Counter()
    for c in counts.values():
        total.update(c)
    rows = [(k, counts[k]) for k in [*KINDS, "other"] if counts[k]["curated"] or counts[k]["drafted"]]
    rows.append(("**all**", total))
    print("| kind of claim | curated | drafted | matched | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, c in rows:
        print(f"| {name} | {c['curated']} | {c['drafted']} | {c['matched']} | {_pct(c['matched'], c['drafted'])} | "
              f"{_pct(c['matched'], c['curated'])} |")
    print(f"\ndrafting time: {elapsed:.2f} s for {seeds} seeds (in process, rules only; compiling excluded)")
    for line in misses:
        print(line)


if __name__ == "__main__":
    main()
