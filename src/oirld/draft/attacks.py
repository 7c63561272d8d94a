"""What a sentence says of an attack it has named: leaders killed, who announced it, the border it happened on, the
series it belongs to.

These rules run after the casualty rules, which name the attack (a known one, or a new entity) and record where the
sentence names it; every fact here is tied to that attack, so a sentence that names no attack yields nothing. The
place of a strike is often a border told from one side: "just across the Syrian border in Jordan", "near Iraq's
border", "the border between Syria and Jordan", "the Iraqi-Syrian border". Such a phrase names both states and the
border area between them (an entity of the registry whose names mention "border" and both states, or a new one).
"""

from __future__ import annotations

import re

from ..quantities import QuantityParseError, parse_quantity
from .context import Candidate, Context
from .identity import EventFacts, known_attack
from ..web.reconcile.transliterate import fold
from .names import NOT_NAMES, Mention
from .military import DEMONYMS
from .text import Sentence
from .values import Found

__all__ = ["event_detail_rules", "event_facts", "border_places", "leaders_killed", "state_of", "mentions_state", "names_of",
           "group_attack_rules", "command_rules", "antecedent", "as_anaphor", "ANAPHOR"]

_NUM = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
        r"seventeen|eighteen|nineteen|twenty)")
_LEADERS = re.compile(rf"\b(?:including|among them|among whom were)\s+(?P<q>{_NUM}\s+(?:[\w-]+\s+){{0,2}}?"
                      r"(?:leaders|commanders|officials|officers|emirs|figures|chiefs))\b", re.I)
_STATE_WORD = r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?"
#: "the Syrian border in Jordan", "Iraq's border with Syria", "the border between Syria and Jordan", "the Iraq-Syria border"
_BORDER = re.compile(
    rf"(?:the\s+)?(?P<e>[A-Z][\w.]*)\s?[-–/]\s?(?P<f>[A-Z][\w.]*)\s+border"
    rf"|(?:the\s+)?(?P<a>{_STATE_WORD}?)(?:['’]s)?\s+border(?:\s+(?P<prep>in|with|into|inside|of)\s+(?P<b>{_STATE_WORD}))?"
    rf"|(?:the\s+)?border\s+(?:between|of)\s+(?P<c>{_STATE_WORD})\s+and\s+(?P<d>{_STATE_WORD})")
_ANNOUNCED = re.compile(r"\b(?:as\s+)?(?:announced|reported|confirmed)\s+by\s+(?:the\s+)?", re.I)
#: the words before a name that make it the attack's victim: a count ("14 ISIS members"), a target ("on U.S. bases")
_VICTIM = re.compile(rf"(?:\b{_NUM}|\bdozens\s+of|\bseveral|\bscores\s+of)\s+(?:[\w-]+\s+){{0,2}}$"
                     r"|\b(?:on|against|targeting|at)\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.I)
_SERIES_LINK = re.compile(r"\b(?:including|among them|such as|notably|one of which was)\s+(?:a|an|one|the)\s+"
                          r"(?:[\w-]+\s+){0,2}?(?:strike|attack|raid|bombing|ambush)\b", re.I)


def state_of(ctx: Context, words: str | None, create: bool = True) -> str | None:
    """The registry state a name or demonym stands for ("Syrian" -> Syria)."""
    if not words:
        return None
    words = re.sub(r"['’]s$", "", words.strip())
    for w in (words, DEMONYMS.get(words.lower(), "")):
        hit = ctx.index.lookup(w) if w else None
        if hit and "State" in ctx.index.closure(hit[0]):
            return hit[0]
    # a state the registry lacks, known by the demonym table ("Jordanian" <-> Jordan): a new entity
    name = DEMONYMS.get(words.lower()) or next((n for n in DEMONYMS.values() if n == words), None)
    if create and name and not ctx.index.lookup(name):
        return ctx.index.add_new(name, ("State",))
    return None


def names_of(ctx: Context, key: str) -> list[str]:
    if key in ctx.index.new:
        e = ctx.index.new[key]
        return [e.label, *e.aliases]
    return list(ctx.index.registry.entities[key].names())


def mentions_state(ctx: Context, name: str, state: str) -> bool:
    names = names_of(ctx, state)
    words = [n for n in names if n[:1].isupper()]
    words += [d for d, s in DEMONYMS.items() if s in names and len(d) > 3]
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", name, re.I) for w in words)


def _border(ctx: Context, a: str, b: str) -> str | None:
    """The border area between two states: the place whose names say "border" and both states, or a new one."""
    keys = [k for k in [*ctx.index.registry.entities, *ctx.index.new] if "Place" in ctx.index.closure(k)]
    for k in keys:
        for name in names_of(ctx, k):
            if re.search(r"\bborder\b", name, re.I) and mentions_state(ctx, name, a) and mentions_state(ctx, name, b):
                return k
    first, second = sorted((names_of(ctx, a)[0], names_of(ctx, b)[0]))
    return ctx.index.add_new(f"{first}–{second} border area", ("Region",), findable=False)


def border_places(ctx: Context, sentence: Sentence, lo: int, hi: int) -> list[tuple[str, str | None, int, int]]:
    """(border area key, the state named as the side it is on or None, start, end) for each border phrase in
    ``text[lo:hi]``. "near Iraq's border" takes its other state from the place named just before it ("in Syria,
    near Iraq's border")."""
    text, out = ctx.text, []
    for m in _BORDER.finditer(text, lo, hi):
        a, b = m.group("a") or m.group("c") or m.group("e"), m.group("b") or m.group("d") or m.group("f")
        sa, sb = state_of(ctx, a), state_of(ctx, b)
        side, start = None, m.start()
        if m.group("b") and m.group("prep") in ("in", "inside", "into"):
            side = sb  # "the Syrian border in Jordan": the strike was in Jordan
        elif m.group("b") and m.group("prep") == "with":
            side = sa  # "the Jordanian border with Syria": on the Jordanian side
        if sa and not sb and not m.group("b") and not m.group("d") and not m.group("f"):
            before = re.search(rf"\b(?:in|inside)\s+(?:the\s+)?(?:[a-z-]+ern\s+)?({_STATE_WORD}),?\s*"
                               r"(?:near|along|on|by|close\s+to)\s+(?:the\s+)?$", text[lo:m.start()])
            sb = state_of(ctx, before.group(1), create=False) if before else None
            side = sb  # "in northeastern Jordan near the Syrian border": the Jordanian side
            start = lo + before.start() if before else start
        if not sa or not sb or sa == sb:
            continue
        key = _border(ctx, sa, sb)
        if key:
            out.append((key, side, start, m.end()))
    return out


def leaders_killed(ctx: Context, lo: int, hi: int) -> Found | None:
    """"…, including four leaders": how many of those killed were leaders."""
    m = _LEADERS.search(ctx.text, lo, hi)
    if not m:
        return None
    words = m.group("q")
    try:
        return Found(m.start("q"), m.end("q"), words, quantity=parse_quantity(words))
    except QuantityParseError:
        return None


def event_facts(ctx: Context, sentence: Sentence, prop: str, toll, times, span: tuple[int, int] | None = None) -> EventFacts:
    """What the sentence (or the attack's ``span`` of it) states of its attack, for
    :func:`oirld.draft.identity.known_attack`."""
    text = ctx.text
    lo, hi = span or (sentence.start, sentence.end)
    facts = EventFacts(tolls={prop: toll} if toll is not None else {}, time=times[0].time if times else None)
    for m in ctx.in_span(sentence, lo, hi):
        if ctx.is_a(m, "Place") or (ctx.is_a(m, "State") and re.search(r"\b(?:in|near|at|across|inside)\s+(?:the\s+)?$",
                                                                        text[max(sentence.start, m.start - 12):m.start])):
            facts.places.add(m.key)
        if ctx.is_a(m, "ArmedForces", "ArmedGroup", "MilitaryCommand", "State") and not m.generic:
            # "killed 14 ISIS operatives", "attacks on U.S. forces": those the attack hit, not who carried it out
            if _VICTIM.search(text[max(sentence.start, m.start - 30):m.start]):
                facts.victims.add(m.key)
            elif not ctx.is_a(m, "State"):
                facts.actors.add(m.key)
    # a place the registry does not know is still a place: "a raid in Kirkuk" is not a raid the corpus puts elsewhere
    for w in re.finditer(r"\b(?:in|near|at|outside)\s+(?:the\s+)?([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)", text[lo:hi]):
        s, words = lo + w.start(1), w.group(1)
        if words.lower() not in NOT_NAMES and not any(m.start <= s < m.end for m in ctx.names(sentence)):
            facts.places.add("?" + fold(words))
    for key, side, _, _ in border_places(ctx, sentence, lo, hi):
        facts.places.add(key)
        if side:
            facts.places.add(side)
    leaders = leaders_killed(ctx, lo, hi)
    if leaders is not None and leaders.quantity is not None:
        facts.tolls["leadersKilledCount"] = leaders.quantity
    return facts


def known(ctx: Context, sentence: Sentence, prop: str, toll, times, span: tuple[int, int] | None = None) -> str | None:
    return known_attack(ctx, event_facts(ctx, sentence, prop, toll, times, span))


def _events_here(ctx: Context, sentence: Sentence) -> list[tuple[int, str]]:
    return [(off, key) for off, key in ctx.events if sentence.start <= off < sentence.end]


def event_detail_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """Leaders killed, the announcer, border places and the series of the attacks this sentence named."""
    text, out = ctx.text, []
    here = _events_here(ctx, sentence)
    if not here:
        return out

    def event_before(at: int) -> str | None:
        found = [key for off, key in here if off <= at]
        return found[-1] if found else None

    leaders = leaders_killed(ctx, sentence.start, sentence.end)
    if leaders is not None and re.search(r"\b(?:killed|killing|neutrali[sz]ed|neutrali[sz]ation|eliminated|dead)\b",
                                         text[sentence.start:leaders.start], re.I):
        about = event_before(leaders.start)
        if about:
            lo = max(sentence.start, text.rfind(",", sentence.start, leaders.start) - 40)
            kill = re.search(r"\b(?:killed|killing|neutrali[sz]ed|neutrali[sz]ation of|eliminated)\s+[^,;]*,\s*$",
                             text[sentence.start:leaders.start], re.I)
            lo = sentence.start + kill.start() if kill else lo
            out.append(Candidate(about, "leadersKilledCount", leaders.words, lo, leaders.end, 0.7, "including-n-leaders"))
    for a in _ANNOUNCED.finditer(text, sentence.start, sentence.end):
        who = next((m for m in ctx.names(sentence) if m.start in (a.end(), a.end() - 4) and not m.generic
                    and ctx.is_a(m, "MilitaryCommand", "GovernmentBody", "ArmedForces", "State", "Person", "ArmedGroup")), None)
        about = event_before(a.start())
        if who and about:
            lo = max(sentence.start, a.start() - 30)
            lo = text.find(" ", lo, a.start()) + 1 or lo
            out.append(Candidate(about, "announcedBy", ctx.name_words(who), lo, who.end, 0.7, "as-announced-by-x"))
    # "…, the Joint Operations Command announced.": the body that announced the attack the sentence reports
    tail = re.search(r",\s+(?:the\s+)?(?P<w>[A-Z][^,;]{1,60}?)\s+announced(?:\s+on\s+\w+)?\.?[”\"]?$", text[sentence.start:sentence.end])
    if tail:
        at = sentence.start + tail.start("w")
        who = next((m for m in ctx.names(sentence) if at <= m.start and m.end == sentence.start + tail.end("w") and not m.generic
                    and ctx.is_a(m, "MilitaryCommand", "GovernmentBody", "ArmedForces")), None)
        about = event_before(at)
        if who and about:
            lo = sentence.start + tail.start() + len(re.match(r",\s+", tail.group()).group())
            out.append(Candidate(about, "announcedBy", ctx.name_words(who), lo, sentence.end,
                                 0.65, "attack-then-x-announced"))
    # "Daesh militants killed two soldiers in an attack": the subject of the killing carried out the attack after it
    for d in _DOER.finditer(text, sentence.start, sentence.end):
        doer = next((m for m in ctx.names(sentence) if m.end == d.start() and not m.generic
                     and ctx.is_a(m, "ArmedGroup", "ArmedForces")), None)
        after = [key for off, key in here if off > d.end() and not re.search(r"[;.]", text[d.end():off])]
        if doer and after and not re.search(r"\b(?:was|were|been)\s*$", text[sentence.start:doer.start]):
            out.append(Candidate(after[0], "carriedOutBy", ctx.name_words(doer), doer.start, d.end(), 0.65, "x-killed-n-in-an-attack"))
    for key, side, s, e in border_places(ctx, sentence, sentence.start, sentence.end):
        about = event_before(s)
        if about is None:
            continue
        lo = _phrase_start(text, sentence.start, s)
        out.append(Candidate(about, "location", key, lo, e, 0.7, "event-border"))
        if side:
            m = next((n for n in ctx.names(sentence) if n.key == side and s <= n.start < e + 2 and not n.generic), None)
            out.append(Candidate(about, "location", ctx.name_words(m) if m else side, lo, e, 0.7, "event-border-side"))
    out.extend(_series(ctx, sentence, here))
    return out


def _phrase_start(text: str, lo: int, at: int) -> int:
    """The start of the prepositional phrase ending at ``at`` ("just across the", "near the")."""
    m = re.search(r"(?:\b(?:just|right|shortly)\s+)?\b(?:across|near|along|on|at|by|over|inside|close to)\s+(?:the\s+)?$",
                  text[lo:at], re.I)
    return lo + m.start() if m else at


def _series(ctx: Context, sentence: Sentence, here: list[tuple[int, str]]) -> list[Candidate]:
    """"Militias have targeted U.S. bases, including a strike that killed three troops": the strike is part of the
    attacks the sentence reports (the series the corpus knows by its attacker and target)."""
    from .campaigns import attack_rules

    out = []
    series = [c for c in attack_rules(ctx, sentence) if c.property == "carriedOutBy"]
    for link in _SERIES_LINK.finditer(ctx.text, sentence.start, sentence.end):
        whole = [c for c in series if c.end <= link.start() + 2]
        parts = [key for off, key in here if link.start() <= off < link.end()]
        if not whole or not parts or parts[0] == whole[-1].about:
            continue
        end = ctx.clause(sentence, link.start(), link.end())[1]
        end = min(end, link.end() + 40)
        end = ctx.text.rfind(" ", link.end(), end) if end < sentence.end and " " in ctx.text[link.end():end] else end
        out.append(Candidate(parts[0], "partOf", whole[-1].about, link.start(), max(end, link.end()), 0.65, "including-an-attack"))
    return out


_GROUP_ATTACKS = re.compile(r"(?P<g>(?:[A-Z][\w’'.-]*\s+){1,4}?)(?:(?:drone|rocket|missile|suicide|mortar)\s+)?"
                            r"(?P<n>attacks|strikes|raids|bombings|assaults)\s+(?:in|on|across|inside)\s+(?:the\s+)?"
                            r"(?P<p>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2})")
_DOER = re.compile(r"(?:\s+(?:militants|fighters|forces|troops|gunmen|members|jihadists|insurgents))?\s+"
                   r"(?:killed|wounded|injured|ambushed)\b")
_HYPOTHETICAL = re.compile(r"\b(?:could|would|may|might|risk|prevent\w*|warn\w*|fear\w*|threat\s+of|avert|deter\w*|"
                           r"resurgence\s+of|embolden\w*)\b", re.I)
#: "these groups" at the end of the words before a verb: the doer is the group named before (:func:`antecedent`)
ANAPHOR = re.compile(r"\b(?:these|those)\s+(?:armed\s+)?(?:groups|militias|factions|militants|fighters)\s*$", re.I)
_ONE_OF = re.compile(r"\b(?:strike|attack|raid|bombing|ambush)\s+by\s+(?:one|some|two|three|several|members)\s+of\s+"
                     r"(?:these|those)\s+(?:armed\s+)?(?:groups|militias|factions)\b", re.I)


def antecedent(ctx: Context, sentence: Sentence, at: int) -> Mention | None:
    """What "these groups" stands for: the last armed group named before ``at``, in this sentence or the two before
    it in the same paragraph; none when that is not plain."""
    before = [s for s in ctx.sentences if s.end <= sentence.start and s.paragraph == sentence.paragraph][-2:]
    for s in [sentence, *reversed(before)]:
        named = [m for m in ctx.names(s) if m.end <= at and not m.generic and ctx.is_a(m, "ArmedGroup")]
        if named:
            return named[-1]
    return None


def as_anaphor(ant: Mention, start: int, end: int, text: str) -> Mention:
    """The antecedent's entity at the anaphor's words; a claim names it by key (the words are not its name)."""
    return Mention(start, end, text[start:end], ant.key, ant.types, "anaphor")


#: words that make attacks current news, not a dated event the corpus already holds
_RECENT = re.compile(r"\b(?:recent|latest|new|renewed|fresh|ongoing|continuing|continued|repeated|frequent)\s+(?:wave\s+of\s+)?$", re.I)


def group_attack_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"recent ISIS attacks in Syria": an armed group's attacks in a place, the corpus's when it gives them the same
    doer and place, else a new attack entity; "clashes between U.S. forces and Iran-backed militias": the series the
    corpus knows by that attacker and target; "a raid by one of these militias": the doer named before."""
    from .campaigns import attack_series, target_forces

    text, out = ctx.text, []
    names = ctx.names(sentence)
    for m in _GROUP_ATTACKS.finditer(text, sentence.start, sentence.end):
        # the group is the last words of the capitalised run before the noun ("Recent ISIS attacks")
        run = m.group("g").split()
        found = [(n, hit) for n in range(len(run)) for hit in [ctx.index.lookup(" ".join(run[n:]))]
                 if hit and "ArmedGroup" in ctx.index.closure(hit[0])]
        where = ctx.index.lookup(m.group("p"))
        if not found or where is None or not ctx.index.closure(where[0]) & {"Place", "State"}:
            continue
        if _HYPOTHETICAL.search(text, max(sentence.start, m.start() - 45), m.start("g") + 1):
            continue  # "could embolden ISIS attacks in Iraq": attacks feared, not reported
        n, g = found[0]
        g_words = " ".join(run[n:])
        g_start = m.start("g") + m.group("g").rindex(g_words)
        # a registry event the phrase is a name of is that event
        named = next((e for e in names if e.start <= m.start("n") < e.end and ctx.is_a(e, "Attack")), None)
        key = named.key if named else known_attack(ctx, EventFacts(places={where[0]}, actors={g[0]}), specific=False)
        if key and not named and _RECENT.search(text, max(sentence.start, g_start - 25), g_start) \
                and any(c.prop in ("date", "startDate") for c in ctx.corpus.get(key, [])):
            key = None  # "recent ISIS attacks in Syria" are not the corpus's dated offensive of years ago
        conf = 0.7
        if key is None:
            key = ctx.index.add_new(f"{names_of(ctx, g[0])[0]} attacks in {names_of(ctx, where[0])[0]}", ("Attack",),
                                    findable=False)
            conf = 0.65
        if key is None:
            continue
        ctx.events.append((m.start("n"), key))
        out.append(Candidate(key, "carriedOutBy", g_words if g[1] == "registry" else g[0], g_start, m.end("p"), conf,
                             "group-attacks-in-x"))
        out.append(Candidate(key, "location", m.group("p") if where[1] == "registry" else where[0], g_start, m.end("p"),
                             conf, "group-attacks-in-x"))
    for m in re.finditer(r"\b(?:confrontations|clashes|skirmishes|fighting)\s+between\s+(?:the\s+)?", text[sentence.start:sentence.end], re.I):
        a = next((n for n in names if n.start == sentence.start + m.end()), None)
        b = next((n for n in names if a and n.start > a.end and re.fullmatch(r"(?:\s+[a-z]+){0,2}\s+and\s+(?:the\s+)?", text[a.end:n.start])), None)
        if a is None or b is None:
            continue
        for doer, victim in ((a, b), (b, a)):
            target = target_forces(ctx, sentence, victim)
            if not ctx.is_a(doer, "ArmedGroup") or target is None:
                continue
            key = attack_series(ctx, doer.key, target)
            if key:
                end = max(a.end, b.end)
                out.append(Candidate(key, "carriedOutBy", ctx.name_words(doer), sentence.start + m.start(), end, 0.65, "clashes-between"))
                out.append(Candidate(key, "target", target, sentence.start + m.start(), end, 0.65, "clashes-between"))
    for m in _ONE_OF.finditer(text, sentence.start, sentence.end):
        ant = antecedent(ctx, sentence, m.start())
        here = [key for off, key in ctx.events if m.start() <= off < m.end()]
        if ant is None or not here:
            continue
        out.append(Candidate(here[0], "carriedOutBy", ant.key, m.start(), m.end(), 0.65, "attack-by-one-of-these"))
        series = _series_of(ctx, sentence, ant.key)
        if series and series != here[0]:
            out.append(Candidate(here[0], "partOf", series, m.start(), m.end(), 0.6, "attack-by-one-of-these"))
    return out


def _series_of(ctx: Context, sentence: Sentence, doer: str) -> str | None:
    """The attacks the sentences just before say this group carried out (as the attack rules read them)."""
    from .campaigns import attack_rules

    before = [s for s in ctx.sentences if s.end <= sentence.start and s.paragraph == sentence.paragraph][-2:]
    for s in reversed(before):
        found = {c.about for c in attack_rules(ctx, s) if c.property == "carriedOutBy" and c.value == doer}
        if len(found) == 1:
            return found.pop()
    return None


def command_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"U.S. troops in the region under the command of U.S. Central Command": the forces are led by the command."""
    from .campaigns import target_forces

    text, out = ctx.text, []
    names = ctx.names(sentence)
    for m in re.finditer(r"\bunder\s+the\s+(?:command|operational\s+control|authority)\s+of\s+(?:the\s+)?", text[sentence.start:sentence.end], re.I):
        at = sentence.start + m.end()
        cmd = next((n for n in names if n.start == at and ctx.is_a(n, "MilitaryCommand") and not n.generic), None)
        lo = ctx.clause(sentence, sentence.start + m.start(), at)[0]
        forces = [f for f in (target_forces(ctx, sentence, n) for n in names if lo <= n.start < sentence.start + m.start()) if f]
        if cmd is None or not forces:
            continue
        first = next(n for n in names if lo <= n.start and target_forces(ctx, sentence, n) == forces[-1])
        out.append(Candidate(forces[-1], "ledBy", ctx.name_words(cmd), first.start, cmd.end, 0.7, "under-the-command-of-x"))
    return out
