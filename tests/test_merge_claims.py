"""merge_claims, made cheaper for the common duplicate (same rank, no reason), merges as the plain rule says: checked
against that rule written out (the implementation before the shortcut) on random claims with every mix of ranks,
reasons, wordings, mentions and shared passages."""

from __future__ import annotations

import random

import pytest

from oirld.claims import RANKS, Claim, Evidence, Value, merge_claims
from oirld.provenance import Anchor


def reference_merge(claims: list[Claim]) -> list[Claim]:
    merged: dict[tuple[object, ...], Claim] = {}
    for c in claims:
        have = merged.get(c.key)
        if have is None:
            merged[c.key] = Claim(c.subject, c.prop, c.value, c.qualifiers, c.rank, c.rank_reason, list(c.evidence),
                                  dict(c.wordings), c.mentions)
            continue
        for ev in c.evidence:
            if ev.anchor not in {e.anchor for e in have.evidence}:
                have.evidence.append(ev)
        have.wordings.update(c.wordings)
        if c.mentions:
            have.mentions = tuple(dict.fromkeys((*have.mentions, *c.mentions)))
        if RANKS.index(c.rank) > RANKS.index(have.rank) or (c.rank != "normal" and have.rank == "normal"):
            have.rank = c.rank
        reasons = [r for r in (have.rank_reason, c.rank_reason) if r]
        have.rank_reason = " / ".join(dict.fromkeys(reasons)) or None
    return list(merged.values())


def _claims(rng: random.Random, n: int) -> list[Claim]:
    out = []
    for _ in range(n):
        source = f"s{rng.randrange(6)}"
        start = rng.randrange(4) * 10
        anchor = Anchor(source, start, start + 5, "words", "", "")
        evidence = [Evidence(anchor, f"mappings/{source}.yaml", rng.randrange(1, 9), draft=rng.random() < 0.2)]
        out.append(Claim(rng.choice(["a", "b"]), rng.choice(["p", "q"]), Value("entity", entity=rng.choice(["x", "y", "z"])),
                         rng.choice([(), (("asOf", Value("text", text="2024")),), (("asOf", Value("text", text="2025")),)]),
                         rng.choice([*RANKS, "normal", "normal"]), rng.choice([None, None, "", "old", "moved", "old / moved"]),
                         evidence, rng.choice([{}, {source: rng.choice(["one", "two"])}]),
                         tuple(rng.sample(["m1", "m2", "m3"], rng.randrange(3)))))
    return out


@pytest.mark.parametrize("seed", range(30))
def test_merging_equals_the_rule_written_out(seed):
    rng = random.Random(seed)
    claims = _claims(rng, rng.randrange(1, 80))
    assert merge_claims(claims) == reference_merge(claims)


def test_the_inputs_are_left_as_they_were():
    claims = _claims(random.Random(3), 60)
    before = [(c.rank, c.rank_reason, list(c.evidence), dict(c.wordings), c.mentions) for c in claims]
    merge_claims(claims)
    assert [(c.rank, c.rank_reason, list(c.evidence), dict(c.wordings), c.mentions) for c in claims] == before
