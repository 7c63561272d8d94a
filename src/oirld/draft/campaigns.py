"""Attacks told by who attacked whom: "Iran-backed militias have targeted U.S. bases", "U.S. bases have been
attacked by militias".

A sentence like this rarely names one attack: it reports a series the corpus usually already holds. The series is
the attack another article's mappings give both the same attacker (carriedOutBy) and the same target; with no such
attack, or more than one, nothing is claimed (a new "attacks by X" entity from one sentence would be a guess).
A state's bases, ships or troops ("U.S. ships and bases") are that state's forces, as the mappings read them.
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .names import Mention
from .text import Sentence

__all__ = ["attack_rules"]

_VERB = r"(?:targeted|attacked|struck|hit|shelled|bombed|fired (?:rockets|missiles|drones) at|launched attacks on)"
_ACTIVE = re.compile(rf"\s+(?:(?:have|has|had)\s+)?(?:(?:repeatedly|frequently|often|also|since)\s+)?(?:{_VERB}"
                     r"|(?:carried out|launched|conducted|staged|mounted)\s+(?:[\w-]+\s+){0,3}?(?:attacks|strikes)\s+(?:against|on))"
                     r"\s+", re.I)
_PASSIVE = re.compile(rf"\s+(?:(?:have|has|had)\s+(?:(?:repeatedly|frequently|often|also)\s+)?been|were|was|are|is)\s+"
                      rf"(?:(?:repeatedly|frequently|often|also)\s+)?"
                      rf"(?:targeted|attacked|struck|hit|shelled|bombed)\s+by\s+(?:the\s+)?", re.I)
_FORCE_NOUNS = r"(?:forces|troops|bases|ships|personnel|positions|facilities|convoys|soldiers|embassy)"


def _target(ctx: Context, sentence: Sentence, m: Mention) -> str | None:
    """The forces a mention stands for as a target: forces themselves, or a state's bases, ships or troops."""
    if ctx.is_a(m, "ArmedForces"):
        return m.key
    if ctx.is_a(m, "State") and re.match(rf"\s+(?:[a-z]+\s+(?:and\s+)?)?{_FORCE_NOUNS}\b", ctx.text[m.end:sentence.end]):
        hit = ctx.index.lookup(f"{m.text} forces")
        return hit[0] if hit and "ArmedForces" in ctx.index.closure(hit[0]) else None
    return None


def _known(ctx: Context, actor: str, target: str) -> str | None:
    found = [key for key, claims in sorted(ctx.corpus.items())
             if key in ctx.index.registry.entities and "Attack" in ctx.index.closure(key)
             and any(c.prop == "carriedOutBy" and c.value.entity == actor for c in claims)
             and any(c.prop == "target" and c.value.entity == target for c in claims)]
    return found[0] if len(found) == 1 else None


def attack_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    names = ctx.names(sentence)
    for pattern, active in ((_ACTIVE, True), (_PASSIVE, False)):
        for v in pattern.finditer(text, sentence.start, sentence.end):
            # the subject may carry its own words ("U.S. ships and bases in Iraq have been targeted")
            subj = [n for n in names if n.end < v.start() and re.fullmatch(rf"\s+(?:[a-z]+\s+(?:and\s+)?)?{_FORCE_NOUNS}"
                                                                            r"(?:\s+in\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)?",
                                                                            text[n.end:v.start()])]
            before = subj[-1] if subj else next((n for n in names if n.end == v.start()), None)
            after = next((n for n in names if n.start in (v.end(), v.end() - 4) and n.start >= v.start()), None)
            if before is None or after is None:
                continue
            attacker, victim = (before, after) if active else (after, before)
            if not ctx.is_a(attacker, "ArmedGroup", "ArmedForces", "State"):
                continue
            target = _target(ctx, sentence, victim)
            if target is None or target == attacker.key:
                continue
            key = _known(ctx, attacker.key, target)
            if key is None:
                continue
            lo, hi = min(attacker.start, victim.start), max(attacker.end, victim.end, v.end())
            hi = max(hi, re.match(rf"\S*(?:\s+(?:[a-z]+\s+(?:and\s+)?)?{_FORCE_NOUNS})?", text[victim.end:sentence.end]).end() + victim.end)
            out.append(Candidate(key, "carriedOutBy", ctx.name_words(attacker), lo, hi, 0.7, "x-attacked-y"))
            out.append(Candidate(key, "target", target, lo, hi, 0.7, "x-attacked-y"))
            where = next((n for n in names if victim.end < n.start <= hi + 25 and ctx.is_a(n, "Place", "State")
                          and re.search(r"\bin\s+(?:the\s+)?$", text[victim.end:n.start])
                          and not re.search(r"[,;]", text[victim.end:n.start])), None)
            if where is not None:
                out.append(Candidate(key, "location", ctx.name_words(where), victim.start, where.end, 0.65, "x-attacked-y-in"))
    return out
