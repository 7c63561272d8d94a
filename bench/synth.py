"""A synthetic dataset shaped like oirld's: entities, claims with qualifiers and ranks, evidence with Web Annotation
selectors, sources, values, and materialised disagreements, at any size.

    .venv/bin/python bench/synth.py --triples 100000 --out /tmp/synth-100k.nt

Deterministic for a given --seed. Roughly 23.5 triples per claim (claim, value, evidence and selectors).
"""

from __future__ import annotations

import argparse
import random

B = "https://w3id.org/oirld/"
O = "https://w3id.org/oirld/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
WB = "http://wikiba.se/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ["State", "Person", "MilitaryBase", "ArmedGroup", "Event", "MilitaryOperation", "Region"]
PROPS = ["troopCount", "endDate", "startDate", "date", "location", "participant", "said", "basedAt"]


def iri(x: str) -> str:
    return f"<{x}>"


def lit(v: str, dt: str | None = None, lang: str | None = None) -> str:
    v = v.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{v}"@{lang}' if lang else f'"{v}"^^<{dt}>' if dt else f'"{v}"'


def generate(n_triples: int, seed: int = 7):
    rng = random.Random(seed)
    n_claims = max(10, int(n_triples / 23.5))
    n_entities = max(20, n_claims // 10)
    n_sources = max(5, n_claims // 80)
    for i in range(n_sources):
        s = iri(f"{B}source/s{i}")
        yield f"{s} <{RDF}type> <{SCHEMA}NewsArticle> ."
        yield f"{s} <{RDFS}label> {lit(f'Article {i}', lang='en')} ."
        yield f"{s} <{SCHEMA}datePublished> {lit(f'2024-{1 + i % 12:02d}-{1 + i % 28:02d}', XSD + 'date')} ."
    for i in range(n_entities):
        e = iri(f"{B}id/e{i}")
        yield f"{e} <{RDF}type> <{O}{TYPES[i % len(TYPES)]}> ."
        yield f"{e} <{RDFS}label> {lit(f'Entity {i}', lang='en')} ."
        yield f"{e} <http://www.w3.org/2004/02/skos/core#altLabel> {lit(f'E{i} alias', lang='en')} ."
    for c in range(n_claims):
        claim = iri(f"{B}claim/c{c}")
        subj = iri(f"{B}id/e{rng.randrange(n_entities)}")
        prop = PROPS[c % len(PROPS)]
        yield f"{claim} <{RDF}type> <{O}Claim> ."
        yield f"{claim} <{RDF}subject> {subj} ."
        yield f"{claim} <{RDF}predicate> <{O}{prop}> ."
        yield f"{claim} <{RDFS}label> {lit(f'claim {c}', lang='en')} ."
        rank = "DeprecatedRank" if c % 50 == 0 else "NormalRank"
        yield f"{claim} <{WB}rank> <{WB}{rank}> ."
        if prop in ("troopCount", "endDate", "startDate", "date"):
            v = iri(f"{B}value/v{c}")
            if prop == "troopCount":
                n = rng.choice([700, 2500, 3000, 40000])
                yield f"{v} <{RDF}type> <{O}Quantity> ."
                yield f"{v} <{SCHEMA}value> {lit(str(n), XSD + 'integer')} ."
                yield f"{v} <{SCHEMA}minValue> {lit(str(n - 50), XSD + 'integer')} ."
                yield f"{v} <{SCHEMA}maxValue> {lit(str(n + 50), XSD + 'integer')} ."
                yield f"{claim} <{O}location> {iri(f'{B}id/e{rng.randrange(n_entities)}')} ."
                yield f"{claim} <{O}asOf> {iri(f'{B}value/t{c}')} ."
                yield f"{iri(f'{B}value/t{c}')} <{O}earliest> {lit(f'20{20 + c % 6}-0{1 + c % 9}-01', XSD + 'date')} ."
            else:
                year = 2014 + c % 13
                yield f"{v} <{RDF}type> <{O}TimeValue> ."
                yield f"{v} <{O}earliest> {lit(f'{year}-01-01', XSD + 'date')} ."
                yield f"{v} <{O}latest> {lit(f'{year}-12-31', XSD + 'date')} ."
            yield f"{v} <{RDFS}label> {lit(f'value {c}', lang='en')} ."
            obj = v
        elif prop == "said":
            obj = lit(f"Something said number {c}", lang="en")
        else:
            obj = iri(f"{B}id/e{rng.randrange(n_entities)}")
        yield f"{claim} <{RDF}object> {obj} ."
        if rank == "NormalRank":
            yield f"{subj} <{O}{prop}> {obj} ."
        for k in range(2 if c % 3 == 0 else 1):
            ev = iri(f"{B}evidence/c{c}x{k}")
            src = iri(f"{B}source/s{rng.randrange(n_sources)}")
            start = rng.randrange(5000)
            yield f"{claim} <{PROV}wasDerivedFrom> {ev} ."
            yield f"{ev} <{RDF}type> <{O}Evidence> ."
            yield f"{ev} <{OA}hasSource> {src} ."
            yield f"{ev} <{OA}hasSelector> <{B}evidence/c{c}x{k}#q> ."
            yield f"{ev} <{OA}hasSelector> <{B}evidence/c{c}x{k}#p> ."
            yield f"<{B}evidence/c{c}x{k}#q> <{RDF}type> <{OA}TextQuoteSelector> ."
            yield f"<{B}evidence/c{c}x{k}#q> <{OA}exact> {lit(f'the words of claim {c}')} ."
            yield f"<{B}evidence/c{c}x{k}#p> <{RDF}type> <{OA}TextPositionSelector> ."
            yield f"<{B}evidence/c{c}x{k}#p> <{OA}start> {lit(str(start), XSD + 'integer')} ."
            yield f"<{B}evidence/c{c}x{k}#p> <{OA}end> {lit(str(start + 20), XSD + 'integer')} ."
        if prop == "troopCount" and c % 16 == 0:
            cv = iri(f"{B}current/c{c}")
            yield f"{cv} <{RDF}type> <{O}CurrentValue> ."
            yield f"{cv} <{O}onSubject> {subj} ."
            yield f"{cv} <{O}onProperty> <{O}troopCount> ."
            yield f"{cv} <{O}latestAsOf> {lit(f'20{20 + c % 6}-0{1 + c % 9}-01', XSD + 'date')} ."
            yield f"{cv} <{O}currentClaim> {claim} ."
        if c % 40 == 1:
            d = iri(f"{B}disagreement/d{c}")
            yield f"{d} <{RDF}type> <{O}Disagreement> ."
            yield f"{d} <{O}onSubject> {subj} ."
            yield f"{d} <{O}onProperty> <{O}{prop}> ."
            yield f"{d} <{O}involvesClaim> {claim} ."
            yield f"{d} <{O}involvesClaim> {iri(f'{B}claim/c{c - 1}')} ."


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--triples", type=int, default=100_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    n = 0
    with open(args.out, "w", encoding="utf-8") as fh:
        for line in generate(args.triples, args.seed):
            fh.write(line + "\n")
            n += 1
    print(f"wrote {n} triples to {args.out}")


if __name__ == "__main__":
    main()
