"""Wars, invasions and a group's loss of territory: the background events news on this subject dates in passing.

"Since the war started in Gaza last October", "the war in Gaza, which began in October 2023": the start of a war the
registry knows (never a new war from one phrase). "The group lost its ability to hold territory in Iraq in 2017, and
in Syria two years later", "was declared defeated on Iraqi territory, followed by Syria in 2019", "Iraqi forces
declared victory over the group in late 2017": the date of the group's territorial defeat in each state (the
registry's event whose names say "defeat" and the state, or a new one), and who declared it. "The 2003 U.S. invasion
of Iraq": an invasion with its year, invader and country.
"""

from __future__ import annotations

import calendar
import re

from .attacks import state_of, mentions_state, names_of
from .context import Candidate, Context
from .text import Sentence
from .values import Found

__all__ = ["war_start_rules", "defeat_rules", "invasion_rules"]

_NAME = r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}"
_BEGAN = r"(?:started|began|begun|broke out|erupted|was launched)"
_WAR = r"(?:war|conflict)"
_WAR_START = re.compile(
    rf"\b[Tt]he\s+{_WAR}\s+(?:has\s+|had\s+)?{_BEGAN}\s+in\s+(?P<a>{_NAME})"
    rf"|\b[Tt]he\s+{_WAR}\s+(?:in|on)\s+(?P<b>{_NAME}),?\s+(?:which\s+|that\s+)?(?:has\s+|had\s+)?{_BEGAN}"
    rf"|\b[Tt]he\s+(?P<c>{_NAME})\s+{_WAR},?\s+(?:which\s+|that\s+)?(?:has\s+|had\s+)?{_BEGAN}")


def _war(ctx: Context, name: str) -> str | None:
    for words in (f"the war in {name}", f"{name} war", f"war in {name}", f"the {name} war", f"{name} conflict"):
        hit = ctx.index.lookup(words) or ((ctx.index.exact(words),) if ctx.index.exact(words) else None)
        if hit and "War" in ctx.index.closure(hit[0]):
            return hit[0]
    return None


def war_start_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    for m in _WAR_START.finditer(text, sentence.start, sentence.end):
        name = m.group("a") or m.group("b") or m.group("c")
        war = _war(ctx, name)
        if war is None:
            continue
        lo, hi = ctx.clause(sentence, m.start(), m.end())
        times = [t for t in ctx.times(m.start(), hi) if t.start >= m.start() and t.start - m.end() <= 25
                 and not re.match(r"(?i)(?:by|until|through|since|after|before)\b", t.words)]
        if not times:
            continue
        t = times[0]
        out.append(Candidate(war, "startDate", t.words, _since(text, sentence.start, m.start()), t.end, 0.7, "war-began"))
    return out


def _since(text: str, lo: int, at: int) -> int:
    s = re.search(r"\b(?:since|after|when|before)\s+$", text[lo:at], re.I)
    return lo + s.start() if s else at


#: how news says a group lost its territory, or that it was declared beaten
_DEFEAT = re.compile(
    r"\blost\s+(?:the\s+last\s+of\s+|all\s+(?:of\s+)?)?(?:its|their)\s+(?:(?:ability\s+to\s+hold|hold\s+on|grip\s+on|control\s+of|last|remaining)\s+)?(?:\w+\s+)?"
    r"(?:territory|territories|strongholds?|enclave|bastion)\b"
    r"|\b(?:was|were|been)\s+(?:officially\s+|formally\s+)?declared\s+(?:defeated|vanquished|beaten)"
    r"|\b(?:was|were)\s+(?:territorially|militarily)\s+defeated"
    r"|\b(?:declared|proclaimed|announced)\s+(?:a\s+|its\s+|their\s+)?(?:final\s+|formal\s+)?victory\s+(?:over|against)\s+"
    r"|\b(?:territorial\s+)?defeat\s+of\s+", re.I)
#: the state of a defeat: "in Iraq", "on Iraqi territory", "followed by Syria"
_WHERE = re.compile(rf"\b(?:in|on|from|across|followed\s+by|then)\s+(?:the\s+)?(?P<w>{_NAME})(?:\s+(?:territory|soil))?")


def _defeat_event(ctx: Context, group: str | None, state: str) -> str | None:
    """The event whose names say "defeat" and the state (and name no other group); else a new one of ``group``."""
    for k in [*ctx.index.registry.entities, *ctx.index.new]:
        if "Event" not in ctx.index.closure(k) or ctx.index.closure(k) & {"Attack", "War", "MilitaryOperation"}:
            continue
        if any(re.search(r"\bdefeat", n, re.I) and mentions_state(ctx, n, state) for n in names_of(ctx, k)):
            return k
    if group is None:
        return None
    return ctx.index.add_new(f"Territorial defeat of {names_of(ctx, group)[0]} in {names_of(ctx, state)[0]}", ("Event",),
                             findable=False)


def _group_before(ctx: Context, sentence: Sentence, at: int) -> str | None:
    """The armed group the clause is about: named in the sentence, or the last one named before it."""
    named = [m for m in ctx.in_span(sentence, sentence.start, at, "ArmedGroup") if not m.generic]
    if named:
        return named[-1].key
    for s in reversed([s for s in ctx.sentences if s.end <= sentence.start][-3:]):
        named = [m for m in ctx.names(s) if not m.generic and ctx.is_a(m, "ArmedGroup")]
        if named:
            return named[-1].key
    return None


def defeat_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    triggers = list(_DEFEAT.finditer(text, sentence.start, sentence.end))
    if not triggers:
        return out
    lo, hi = ctx.clause(sentence, triggers[0].start(), triggers[0].end())[0], sentence.end
    # (start, end, state, who declared it, the trigger) for each state a trigger's words name
    places: list[tuple[int, int, str, object, re.Match]] = []
    named: dict[int, str] = {}  # the state's words where the text names the place ("territory in Iraq")
    for i, trig in enumerate(triggers):
        seg_lo = lo if i == 0 else triggers[i - 1].end()
        seg_hi = triggers[i + 1].start() if i + 1 < len(triggers) else hi
        found = []
        for w in _WHERE.finditer(text, seg_lo, seg_hi):
            st = state_of(ctx, w.group("w"), create=False)
            if st and (w.start() >= trig.start() or re.search(r"territory|soil", w.group())):
                found.append((w.start(), w.end(), st, None, trig))
                named[w.start()] = w.group("w")
        # "declared victory over ISIS in Mosul": a battle won in a city, not the group's defeat in the state
        local = re.match(rf"[^,;.]*?\b(?:in|at)\s+(?:the\s+)?{_NAME}", text[trig.end():seg_hi])
        local = local and not re.fullmatch(rf"[^,;.]*?\b(?:in|at)\s+(?:the\s+)?(?:{_MONTHS}|(?:early|mid|late)\b)[\w\s]*",
                                           local.group())
        if not found and not local and re.match(r"(?i)(?:declared|proclaimed|announced)", trig.group()):
            # "Iraqi forces declared victory over the group": the defeat in the declarer's own state
            who = [m for m in ctx.in_span(sentence, seg_lo, trig.start(), "ArmedForces", "GovernmentBody", "State") if not m.generic]
            if who:
                st = who[-1].key if ctx.is_a(who[-1], "State") else state_of(ctx, who[-1].text.split()[0], create=False)
                if st:
                    found.append((trig.start(), trig.end(), st, who[-1], trig))
        places += found
    if not places:
        return out
    times = [t for t in ctx.times(lo, hi) if re.match(r"(?i)(?:in\s+|by\s+)?(?:(?:early|mid|late)[\s-]+)?(?:\w+\s+)?\d{4}$", t.words)]
    times += _later(ctx, lo, hi, times)
    times.sort(key=lambda t: t.start)
    used: set[int] = set()
    first_time: Found | None = None
    for i, (ps, pe, st, declarer, trig) in enumerate(places):
        nxt = places[i + 1][0] if i + 1 < len(places) else hi
        cand = [t for t in times if t.start not in used and pe <= t.start < nxt and t.start - pe <= 30] or \
               [t for t in times if t.start not in used and t.end <= ps and i == 0]
        if not cand:
            continue
        t = cand[0]
        used.add(t.start)
        after = next((m for m in ctx.names(sentence) if 0 <= m.start - trig.end() <= 15 and ctx.is_a(m, "ArmedGroup")), None)
        event = _defeat_event(ctx, after.key if after else _group_before(ctx, sentence, trig.start()), st)
        if event is None:
            continue
        q_lo, q_hi = min(lo if i == 0 else trig.start(), t.start, ps), max(t.end, pe)
        extra: tuple[tuple[str, str], ...] = ()
        if re.search(r"(?i)later|earlier|after|before", t.words) and not re.match(r"(?i)(?:after|before)\s", t.words):
            if first_time is None:
                continue
            extra = (("anchor", first_time.words),)
            q_lo = min(q_lo, first_time.start)
        elif first_time is None:
            first_time = t
        out.append(Candidate(event, "date", t.words, q_lo, q_hi, 0.7, "group-lost-territory", (), extra))
        if ps in named:  # where the territory was lost, in the words that name it
            out.append(Candidate(event, "location", named[ps], ps, pe, 0.7, "group-lost-territory-in"))
        if declarer is not None:
            out.append(Candidate(event, "announcedBy", ctx.name_words(declarer), declarer.start, max(trig.end(), t.end),
                                 0.65, "declared-victory-over"))
    return out


_MONTHS = "|".join(m for m in calendar.month_name if m)
_WORDNUM = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)"


def _later(ctx: Context, lo: int, hi: int, times: list[Found]) -> list[Found]:
    """"two years later": a time counted from the one stated before it (the mapping's ``anchor``)."""
    from ..timeexpr import TimeParseError, parse_time

    out = []
    for m in re.finditer(rf"\b{_WORDNUM}\s+years?\s+(?:later|after)\b", ctx.text[lo:hi], re.I):
        before = [t for t in times if t.end <= lo + m.start()]
        if not before:
            continue
        try:
            tv = parse_time(m.group(), ctx.seed.reference, anchor=before[-1].time)
        except TimeParseError:
            continue
        out.append(Found(lo + m.start(), lo + m.end(), m.group(), time=tv))
    return out


_INVASION = re.compile(
    rf"\b(?:the\s+)?(?P<year>(?:19|20)\d\d)\s+(?:(?P<who>[A-Z][\w.]*(?:-led)?)\s+)?invasion(?:\s+of\s+(?P<where>{_NAME}))?"
    rf"|\b(?:the\s+)?(?P<who2>[A-Z][\w.]*(?:-led)?)\s+invasion\s+of\s+(?P<where2>{_NAME})\s+in\s+(?P<year2>(?:19|20)\d\d)")


def invasion_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    for m in _INVASION.finditer(text, sentence.start, sentence.end):
        year = m.group("year") or m.group("year2")
        who = re.sub(r"-led$", "", m.group("who") or m.group("who2") or "")
        where = m.group("where") or m.group("where2")
        invader = state_of(ctx, who, create=False) if who else None
        country = state_of(ctx, where, create=False) if where else None
        if (who and invader is None) or (where and country is None):
            continue
        if country is None:
            continue  # "the 2003 U.S. invasion" with no country: the reviewer knows which
        label = f"{year} invasion of {names_of(ctx, country)[0]}"
        hit = ctx.index.lookup(label)
        key = hit[0] if hit and "Invasion" in ctx.index.closure(hit[0]) else ctx.index.add_new(label, ("Invasion",), findable=False)
        if key is None:
            continue
        out.append(Candidate(key, "date", year, m.start(), m.end(), 0.7, "year-invasion-of-x"))
        if invader:
            out.append(Candidate(key, "carriedOutBy", invader, m.start(), m.end(), 0.7, "year-invasion-of-x"))
        out.append(Candidate(key, "location", country, m.start(), m.end(), 0.7, "year-invasion-of-x"))
    return out
