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

__all__ = ["attack_rules", "known_event_rules", "attack_series", "target_forces"]

_VERB = r"(?:targeted|attacked|struck|hit|shelled|bombed|fired (?:rockets|missiles|drones) at|launched attacks on)"
_ACTIVE = re.compile(rf"\s+(?:(?:have|has|had)\s+)?(?:(?:repeatedly|frequently|often|also|since)\s+)?(?:{_VERB}"
                     r"|(?:carried out|launched|conducted|staged|mounted)\s+(?:[\w-]+\s+){0,3}?(?:attacks|strikes)\s+(?:against|on))"
                     r"\s+", re.I)
_PASSIVE = re.compile(rf"\s+(?:(?:have|has|had)\s+(?:(?:repeatedly|frequently|often|also)\s+)?been|were|was|are|is)\s+"
                      rf"(?:(?:repeatedly|frequently|often|also)\s+)?"
                      rf"(?:targeted|attacked|struck|hit|shelled|bombed)\s+by\s+(?:the\s+)?", re.I)
_FORCE_NOUNS = r"(?:forces|troops|bases|ships|personnel|positions|facilities|convoys|soldiers|embassy)"


def _anaphor(ctx: Context, sentence: Sentence, at: int) -> Mention | None:
    """"these groups have carried out attacks": the group named just before, at the anaphor's words."""
    from .attacks import ANAPHOR, antecedent, as_anaphor

    a = ANAPHOR.search(ctx.text, sentence.start, at)
    ant = antecedent(ctx, sentence, a.start()) if a else None
    return as_anaphor(ant, a.start(), a.end(), ctx.text) if a and ant else None


def target_forces(ctx: Context, sentence: Sentence, m: Mention) -> str | None:
    """The forces a mention stands for as a target: forces themselves, or a state's bases, ships or troops."""
    if ctx.is_a(m, "ArmedForces"):
        return m.key
    if ctx.is_a(m, "State") and re.match(rf"\s+(?:[a-z]+\s+(?:and\s+)?)?{_FORCE_NOUNS}\b", ctx.text[m.end:sentence.end]):
        hit = ctx.index.lookup(f"{m.text} forces")
        return hit[0] if hit and "ArmedForces" in ctx.index.closure(hit[0]) else None
    return None


def attack_series(ctx: Context, actor: str, target: str) -> str | None:
    """The one registry attack the other articles give this attacker and target (None for none or several): a
    sentence like this reports a series the corpus holds, and a new entity from one sentence would be a guess."""
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
            if before is None and active:
                before = _anaphor(ctx, sentence, v.start())
            after = next((n for n in names if n.start in (v.end(), v.end() - 4) and n.start >= v.start()), None)
            if before is None or after is None:
                continue
            attacker, victim = (before, after) if active else (after, before)
            if not ctx.is_a(attacker, "ArmedGroup", "ArmedForces", "State"):
                continue
            target = target_forces(ctx, sentence, victim)
            if target is None or target == attacker.key:
                continue
            key = attack_series(ctx, attacker.key, target)
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


#: an actor doing something in the past: "ISIS overran …", "when the Islamic State seized …"
_DID = re.compile(r"\s+(?:(?:had|has|have)\s+)?(?:\w+ly\s+)?(?:[a-z]+ed|overran|seized|took|began|launched|swept|stormed|fought)\b")


def known_event_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """An event the corpus holds, recognised by its doer and its date: "ISIS overran swathes of Iraq and Syria in
    2014" is the offensive another article gives the Islamic State as its doer and 2014 as its date. Both must agree,
    and only one event may fit; the date and the doer are then claimed of it, as this article words them."""
    from ..timeexpr import times_compatible

    text, out = ctx.text, _named_events(ctx, sentence)
    for actor in ctx.names(sentence):
        if actor.generic or not ctx.is_a(actor, "ArmedGroup", "ArmedForces", "State", "Coalition"):
            continue
        verb = _DID.match(text, actor.end, sentence.end)
        if not verb:
            continue
        lo, hi = ctx.clause(sentence, actor.start, verb.end())
        times = [t for t in ctx.times(lo, hi) if re.match(r"(?i)(?:in\s+)?(?:\w+\s+)?\d{4}$", t.words) or t.time.precision == "day"]
        for t in times:
            fits = [key for key, claims in sorted(ctx.corpus.items())
                    if key in ctx.index.registry.entities and "Event" in ctx.index.closure(key)
                    and any(c.prop == "carriedOutBy" and c.value.entity == actor.key for c in claims)
                    and any(c.prop == "date" and c.value.time is not None and c.value.time.precision == t.time.precision
                            and times_compatible(c.value.time, t.time) for c in claims)]
            if len(fits) != 1:
                continue
            q_lo, q_hi = min(actor.start, t.start), max(verb.end(), t.end)
            out.append(Candidate(fits[0], "date", t.words, q_lo, q_hi, 0.65, "known-event-doer-and-date"))
            out.append(Candidate(fits[0], "carriedOutBy", ctx.name_words(actor), actor.start, max(verb.end(), actor.end),
                                 0.65, "known-event-doer-and-date"))
            break
    return out


def _named_events(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """An event the registry names as the article writes it ("ISIS overran swathes of Iraq and Syria in 2014"):
    the time beside it is its date, and an armed group its words begin with is its doer."""
    text, out = ctx.text, []
    for ev in ctx.names(sentence):
        if ev.generic or not ctx.is_a(ev, "Attack", "Meeting", "Agreement", "Announcement"):
            continue
        lo, hi = ctx.clause(sentence, ev.start, ev.end)
        near = [t for t in ctx.times(lo, hi) if 0 <= t.start - ev.end <= 3 or 0 <= ev.start - t.end <= 30
                and not re.search(r"[;.]", text[t.end:ev.start])]
        if near:
            t = near[0]
            out.append(Candidate(ctx.name_words(ev), "date", t.words, min(t.start, ev.start), max(t.end, ev.end), 0.7,
                                 "named-event-date"))
        words = re.match(r"(?:the\s+)?((?:[A-Z][\w’'-]*\s?){1,4})", ev.text)
        hit = ctx.index.lookup(words.group(1).strip()) if words else None
        if hit and hit[0] != ev.key and ctx.index.closure(hit[0]) & {"ArmedGroup", "ArmedForces"} and ctx.is_a(ev, "Attack"):
            out.append(Candidate(ctx.name_words(ev), "carriedOutBy", hit[0], ev.start, ev.end, 0.7, "named-event-doer"))
    return out
