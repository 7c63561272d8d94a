"""Wire-copy detection: where its threshold comes from, and how its time grows with the corpus.

    .venv/bin/python bench/reprints.py --sizes 500,1000,2000,4000 --pairs-upto 1000

1. *Threshold.* The similarity (5-word shingle containment, ``oirld.reprints``) of every pair of the real seed
   articles, which are different articles on one subject, and of each seed against itself edited as outlets edit
   wire copy (a dateline, a byline, an inserted sentence, paragraphs cut, plain quotes and dashes, "U.S." as "US").
2. *Scale.* A synthetic corpus of N articles made from the seeds' sentences with a third of their words replaced
   (so articles share stock phrases, as real ones on one subject do), of which every fifth is a reprint of an
   earlier one with random wire edits. ``find_reprints`` is timed at each size and checked against the planted
   reprints (12 to 24 paragraphs of one sentence, 250-500 words, as news articles are); up to ``--pairs-upto`` articles, comparing every pair of texts is timed too, for contrast.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import re
import time
from pathlib import Path

from oirld.reprints import containment, find_reprints, normalised_words, shingles
from oirld.seeds import Seed, load_seeds

ROOT = Path(__file__).resolve().parents[1]
INSERT = ("The outlet's own correspondent in Erbil said on Saturday that local officials had not been told of any "
          "change to the schedule of departures.")


def wire_edit(text: str, rng: random.Random, cut_last: int = 1, cut_first: int = 0, style: bool = False,
              insert: bool = True) -> str:
    """``text`` as an outlet might run it: dateline and byline added, paragraphs cut, a sentence inserted."""
    paras = [p for p in text.splitlines() if p.strip()]
    paras = paras[cut_first:len(paras) - cut_last] if cut_last else paras[cut_first:]
    if insert:
        paras.insert(rng.randrange(len(paras) + 1), INSERT)
    out = "BAGHDAD (Reuters) — " + "\n\n".join(paras) + "\n\nBy Jane Doe; editing by John Roe"
    out = out.replace("’", "'").replace("“", '"').replace("”", '"').replace("—", "--")
    return out.replace("U.S.", "US") if style else out


def threshold_report(seeds: list[Seed]) -> list[str]:
    sets = {s.stem[:3]: shingles(normalised_words(s.text)) for s in seeds}
    lines = ["| pair | containment | Jaccard |", "|---|---:|---:|"]
    worst_apart = max(containment(sets[a], sets[b]) for a, b in itertools.combinations(sets, 2))
    for a, b in itertools.combinations(sets, 2):
        inter = len(sets[a] & sets[b])
        lines.append(f"| {a} / {b} (different articles) | {containment(sets[a], sets[b])} | {inter / len(sets[a] | sets[b]):.3f} |")
    edits = {"dateline, byline, a sentence inserted, last paragraph cut": {},
             "the same, last three paragraphs cut": {"cut_last": 3},
             "the same, \"U.S.\" as \"US\"": {"style": True},
             "first paragraph and last two cut, \"US\"": {"cut_first": 1, "cut_last": 2, "style": True}}
    worst_copy = None
    for s in seeds:
        for name, kw in edits.items():
            b = shingles(normalised_words(wire_edit(s.text, random.Random(1), **kw)))
            a = sets[s.stem[:3]]
            c = containment(a, b)
            worst_copy = c if worst_copy is None else min(worst_copy, c)
            lines.append(f"| {s.stem[:3]} / its wire copy: {name} | {c} | {len(a & b) / len(a | b):.3f} |")
    lines.append(f"\nHighest between different articles: {worst_apart}; lowest between a text and its wire copy: {worst_copy}.")
    return lines


def _seed(stem: str, text: str, day: int) -> Seed:
    import datetime as dt

    date = dt.date(2024, 1, 1) + dt.timedelta(days=day)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Seed(stem=stem, path=Path(f"{stem}.txt"), meta_path=Path(f"{stem}.meta.yaml"), text=text, bytes_sha256=sha,
                text_sha256=sha, meta={}, reference=(date, date))


def synthetic_corpus(n: int, seeds: list[Seed], rng: random.Random) -> tuple[list[Seed], set[tuple[str, str]]]:
    """N articles, every fifth a wire copy of an earlier original; returns them and the planted (copy, original) pairs."""
    sentences = [s.strip() for seed in seeds for s in re.split(r"(?<=[.!?])\s+", seed.text) if len(s.split()) > 6]
    vocabulary = sorted({w for seed in seeds for w in seed.text.split()})
    out, planted, originals = [], set(), []
    for i in range(n):
        stem = f"a{i:05d}"
        if i % 5 == 4 and originals:
            src = rng.choice(originals)
            text = wire_edit(src.text, rng, cut_last=rng.randint(0, 2), cut_first=rng.randint(0, 1), style=rng.random() < 0.5,
                             insert=rng.random() < 0.7)
            planted.add((stem, src.stem))
            out.append(_seed(stem, text, i))
            continue
        paras = []
        for _ in range(rng.randint(12, 24)):
            words = rng.choice(sentences).split()
            words = [rng.choice(vocabulary) if rng.random() < 0.33 else w for w in words]
            paras.append(" ".join(words))
        seed = _seed(stem, "\n\n".join(paras), i)
        originals.append(seed)
        out.append(seed)
    return out, planted


def all_pairs(corpus: list[Seed], threshold: float = 0.6) -> int:
    sets = [shingles(normalised_words(s.text)) for s in corpus]
    return sum(1 for a, b in itertools.combinations(sets, 2) if containment(a, b) >= threshold)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,1000,2000,4000")
    ap.add_argument("--pairs-upto", type=int, default=1000, help="also time comparing every pair up to this size")
    args = ap.parse_args()
    seeds = load_seeds(ROOT / "seeds")
    print("\n".join(threshold_report(seeds)))
    print("\n| articles | planted reprints | found | wrongly linked | find_reprints s | ms per article | every pair s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(x) for x in args.sizes.split(",")):
        corpus, planted = synthetic_corpus(n, seeds, random.Random(n))
        t0 = time.perf_counter()
        found = find_reprints(corpus)
        took = time.perf_counter() - t0
        # a story is right when its articles are one original and copies of it (two copies of one original whose
        # cuts left them apart from it, but not from each other, are right too)
        family = {copy: orig for copy, orig in planted}
        story_of = found.story_of
        hits = sum(1 for copy, orig in planted
                   if copy in story_of and any(family.get(m, m) == orig for m in story_of[copy].members if m != copy))
        wrong = sum(1 for st in found.stories for m in st.members[1:] if family.get(m, m) != family.get(st.members[0], st.members[0]))
        pairs = ""
        if n <= args.pairs_upto:
            t0 = time.perf_counter()
            all_pairs(corpus)
            pairs = f"{time.perf_counter() - t0:.2f}"
        print(f"| {n} | {len(planted)} | {hits} | {wrong} | {took:.2f} | {1000 * took / n:.2f} | {pairs} |")


if __name__ == "__main__":
    main()
