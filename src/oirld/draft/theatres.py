"""Where events happen and whom a war is against, from the way news copy places them: "seized swathes of territory
in Iraq and Syria", "the fight against Daesh in Iraq and Syria", "the war on ISIS".

An event named and then placed ("EVENT in A and B") happens in each place of the list; the list must be the whole
of what follows "in" (places joined by commas and "and", nothing else), so "the attack in Syria's east" or "the
strike in Syria near the border with Iraq" is read only as far as it is certain. "The fight / war / campaign against
X" (X an armed group the registry knows) is a war: the registry's war whose own name is such a phrase about the same
group ("the war against ISIS" is "the fight against Daech"), or else a new war named as the article writes it.
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .military import DEMONYMS
from .mission import presence_purpose_rules
from .names import Mention
from .sources import only_source
from .text import Sentence

__all__ = ["bare_officials_rules", "based_on_rules", "doer_of_move_rules", "operation_end_rules", "event_place_rules", "phase_actor_rules", "presence_place_rules", "war_against_rules"]

#: what is an event with a place of its own (not an agreement or a meeting: where they are signed is another fact)
_PLACED = ("Attack", "War", "MilitaryOperation", "Withdrawal", "Relocation")
_NOT_PLACED = ("Agreement", "Meeting", "Phase")
_PLACES = ("State", "Region", "City")
_IN = re.compile(r"\s+(?:in|across|throughout)\s+(?:the\s+)?")
_WAR = re.compile(r"\b(?:the\s+)?(?:international\s+|global\s+|US-led\s+|U\.S\.-led\s+)?(?:fight|war|battle|campaign|struggle)"
                  r"\s+(?:against|on)\s+(?:the\s+)?", re.I)
_WAR_NAME = re.compile(r"^(?:the\s+)?(?:[\w.-]+\s+)?(?:fight|war|battle|campaign|struggle)\s+(?:against|on)\s+(?:the\s+)?(?P<foe>.+)$",
                       re.I)


def place_list(ctx: Context, sentence: Sentence, at: int) -> list[Mention]:
    """The places of a list that starts at ``at`` and is all that follows up to the clause's end ("Iraq and
    Syria", "Iraq, Syria and Lebanon"); none when anything else follows ("Syria near the border", "Iraq's north")."""
    places = sorted(ctx.in_span(sentence, at, sentence.end), key=lambda m: m.start)
    out: list[Mention] = []
    pos = at
    for m in places:
        sep = ctx.text[pos:m.start]
        if (out and not re.fullmatch(r",\s+|\s+and\s+|,\s+and\s+", sep)) or (not out and m.start != at):
            break
        if not ctx.is_a(m, *_PLACES) or ctx.is_a(m, "MilitaryBase"):
            if out:
                break  # "…in Iraq and Syria, the task force …": the list ended
            return []
        if re.search(r"['’]s?$", m.text):
            return []  # "in Iraq's north": a part of the place, not the place
        out.append(m)
        pos = m.end
    if not out:
        return []
    rest = ctx.text[pos:sentence.end]
    # the list ends the clause: a stop, a comma, a dash or a new clause ("…, when", "… and the coalition")
    if not re.match(r"\s*(?:$|[.,;:!?)”\"—–]|\s-\s|(?:in|since|after|before|until|from|on|during|when|while|as|two|three)\b"
                    r"(?!\s+(?:the\s+)?(?:north|south|east|west|centre|center|heart)))", rest):
        return []
    if re.match(r"\s+and\s+", rest) and re.match(r"\s+and\s+[A-Z]", rest):
        return []  # "in Iraq and Syria and Jordan"-like runs the name finder cut: unsure
    return out


def event_place_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """location of an event named just before "in A (and B)"."""
    out = []
    for ev in ctx.names(sentence):
        if not ctx.is_a(ev, *_PLACED) or ctx.is_a(ev, *_NOT_PLACED) or ctx.is_a(ev, "Actor", "Place"):
            continue
        m = _IN.match(ctx.text, ev.end, sentence.end)
        if not m:
            continue
        for place in place_list(ctx, sentence, m.end()):
            out.append(Candidate(ctx.name_words(ev) if ev.how != "new" else ev.key, "location", ctx.name_words(place),
                                 ev.start, place.end, 0.7, "event-in-places"))
    return out


def _war_of(ctx: Context, foe: str) -> str | None:
    """The registry's (or this draft's) war whose name is a fight against ``foe`` under any of its names."""
    for key, ent in ctx.index.registry.entities.items():
        if "War" not in ctx.index.closure(key):
            continue
        for name in ent.names():
            m = _WAR_NAME.match(name)
            hit = ctx.index.lookup(m.group("foe")) if m else None
            if hit and hit[0] == foe:
                return key
    return None


def war_against_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """opponent (and location) of "the fight / war / campaign against X (in A and B)"."""
    out = []
    names = ctx.names(sentence)
    for w in _WAR.finditer(ctx.text, sentence.start, sentence.end):
        known = next((n for n in names if n.start <= w.start() < n.end and ctx.is_a(n, "War")), None)
        if known is not None:  # the registry names this war so: "the fight against Daech"
            inner = _WAR_NAME.match(known.text)
            hit = ctx.index.lookup(inner.group("foe")) if inner else None
            if hit is None or "ArmedGroup" not in ctx.index.closure(hit[0]):
                continue
            out.append(Candidate(ctx.name_words(known), "opponent", hit[0], known.start, known.end, 0.7, "war-against-x"))
            out += _part_of(ctx, sentence, ctx.name_words(known), w.start(), known.end)
            continue
        foe = next((n for n in names if n.start == w.end() and ctx.is_a(n, "ArmedGroup") and not n.generic), None)
        if foe is None or re.match(r"['’]s?\b|\s+(?:fighters|militants|cells|remnants|attacks)\b", ctx.text[foe.end:foe.end + 12]):
            continue
        words = ctx.text[w.start():foe.end]
        war = _war_of(ctx, foe.key)
        if war is None:
            hit = ctx.index.lookup(words)
            war = hit[0] if hit and "War" in ctx.index.closure(hit[0]) else None
        if war is None:
            if not re.match(r"(?i)(?:the\s+)?(?:international\s+|global\s+)?(?:fight|war)\b", words):
                continue
            war = ctx.index.add_new(re.sub(r"(?i)^the\s+", "", words), ("War",))
            if war is None:
                continue
        out.append(Candidate(war, "opponent", ctx.name_words(foe), w.start(), foe.end, 0.7, "war-against-x"))
        out += _part_of(ctx, sentence, war, w.start(), foe.end)
        m = _IN.match(ctx.text, foe.end, sentence.end)
        for place in place_list(ctx, sentence, m.end()) if m else []:
            out.append(Candidate(war, "location", ctx.name_words(place), w.start(), place.end, 0.7, "war-against-x-in"))
    return out


#: "the transition builds on the 2008 Strategic Framework Agreement", "the withdrawal is based on / in line with …"
_BASED = re.compile(r"\s+(?:(?:is|was|will\s+be)\s+)?(?:builds?\s+on|built\s+on|(?:is\s+|was\s+)?based\s+on|stems?\s+from|"
                    r"implements|(?:is\s+|was\s+)?(?:carried\s+out\s+)?(?:in\s+line|in\s+accordance)\s+with)\s+"
                    r"(?:the\s+|a\s+|an\s+)?(?:(?:19|20)\d\d\s+)?", re.I)
_MOVES = ("Withdrawal", "Relocation", "Agreement")


def _named_at(ctx: Context, sentence: Sentence, at: int) -> tuple[str, int] | None:
    """(key, end) of the longest name (of the registry or of this draft) that starts at ``at``."""
    ends = [m.end() for m in re.finditer(r"[\w’'.-]+", ctx.text[at:min(sentence.end, at + 90)])]
    for e in reversed(ends):
        words = ctx.text[at:at + e].rstrip(".")
        hit = ctx.index.lookup(words)
        if hit and not hit[2]:
            return hit[0], at + len(words)
    return None


def based_on_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """basedOn: a withdrawal or agreement, as the registry names or describes it, that "builds on" / "is based on" /
    "is in line with" an agreement named right after (the first of a list is not guessed: only a lone name)."""
    out = []
    for b in _BASED.finditer(ctx.text, sentence.start, sentence.end):
        words = list(re.finditer(r"[\w’'.-]+", ctx.text[sentence.start:b.start()]))
        subject = None
        for n in range(min(5, len(words)), 0, -1):
            lo = sentence.start + words[-n].start()
            key = ctx.index.exact(ctx.text[lo:b.start()])
            if key and ctx.index.closure(key) & set(_MOVES) and not ctx.index.closure(key) & {"Actor", "Place"}:
                subject = (key, lo)
                break
        named = _named_at(ctx, sentence, b.end())
        if subject is None or named is None or named[0] == subject[0] or "Agreement" not in ctx.index.closure(named[0]):
            continue
        if re.match(r"\s*(?:,\s+(?!which\b)|and\b)", ctx.text[named[1]:sentence.end]):
            continue  # "in line with X, Y and Z": one of several
        out.append(Candidate(subject[0], "basedOn", named[0], subject[1], named[1], 0.7, "builds-on-agreement"))
    return out


#: "In the second phase, U.S. troops will …": a phase, then what forces do in it
_IN_PHASE = re.compile(r"(?:In|During)\s+(?:the\s+|its\s+)?(?:first|second|third|final|last|initial|opening|next)\s+"
                       r"(?:phase|stage)\s*,\s+(?:the\s+)?")
#: "from Iraqi soil", "on Syrian territory": the state whose ground it is
_SOIL = re.compile(r"\b(?:from|on|in|inside|within)\s+(?P<d>[A-Z][\w.]*)\s+(?:soil|territory|ground)\b")


def phase_actor_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """participant and location of a phase the sentence opens with, when forces are the main clause's subject:
    "In the second phase, U.S. troops will continue limited operations from Iraqi soil" (soil, territory or ground
    of a demonym is its state's). A time frame or anything else before the forces leaves the sentence unread."""
    m = _IN_PHASE.match(ctx.text, sentence.start, sentence.end)
    if not m:
        return []
    ph = next(iter(ctx.in_span(sentence, sentence.start, m.end(), "Phase")), None)
    forces = next(iter(ctx.in_span(sentence, ph.end, sentence.end)), None) if ph else None
    if ph is None or forces is None or forces.start != m.end() and ctx.text[m.end() - 4:forces.start].lower() != "the " \
            or not ctx.is_a(forces, "ArmedForces", "Coalition") or forces.generic \
            or not re.match(r"\s+(?:will|would|are\s+to|is\s+to|shall|are\s+(?:set|due|expected)\s+to)\s+\w+", ctx.text[forces.end:sentence.end]):
        return []
    about = ctx.name_words(ph) if ph.how == "registry" and not ph.generic else ph.key
    out = [Candidate(about, "participant", ctx.name_words(forces), forces.start, forces.end, 0.65, "phase-forces")]
    lo, hi = ctx.clause(sentence, forces.end, forces.end)
    soil = _SOIL.search(ctx.text, forces.end, hi)
    state = ctx.index.lookup(DEMONYMS.get(soil.group("d").lower(), "")) if soil else None
    if state and "State" in ctx.index.closure(state[0]):
        out.append(Candidate(about, "location", state[0], forces.start, soil.end(), 0.65, "phase-on-soil"))
    return out


#: "OPERATION … played a major role in / is part of the war against X"
_PART = re.compile(r"\s+(?:(?:has|have|had)\s+)?(?:played|plays|play)\s+an?\s+(?:[\w-]+\s+){0,2}role\s+in\s+$"
                   r"|,?\s+(?:(?:is|was|are|were)\s+)?(?:a\s+|the\s+)?(?:key\s+|central\s+|main\s+)?part\s+of\s+$", re.I)


def _part_of(ctx: Context, sentence: Sentence, war: str, at: int, end: int) -> list[Candidate]:
    """partOf: the operation the clause is about "played a major role in" / "is part of" the war named at ``at``;
    the operation must be the clause's subject (a name, its apposition or a participle in commas between)."""
    lo, _ = ctx.clause(sentence, at, at)
    verb = _PART.search(ctx.text[:at], lo)
    if verb is None:
        verb = _PART.search(ctx.text[:at], sentence.start)
    if verb is None:
        return []
    ops = [n for n in ctx.in_span(sentence, sentence.start, verb.start(), "MilitaryOperation") if not n.generic]
    if not ops:
        return []
    op = ops[0]
    gap = ctx.text[op.end:verb.start()]
    if not re.fullmatch(r"(?:\s*\([^()]{1,20}\))?(?:,\s+[^,;]{1,60},)?", gap) or ops[0].start != sentence.start \
            and not re.fullmatch(r"(?:The|the)\s+", ctx.text[sentence.start:op.start]):
        return []
    return [Candidate(ctx.name_words(op), "partOf", war, op.start, end, 0.7, "operation-part-of-war")]


#: "Officials stressed that …", "…, but officials insisted …": officials the sentence does not describe
_BARE = re.compile(r"\b(?P<who>(?:[Tt]he\s+)?[Oo]fficials)\s+(?:also\s+|have\s+|had\s+)?"
                   r"(?:stressed|emphasi[sz]ed|insisted|noted|underlined|underscored|reiterated|maintained|said|added)"
                   r"\s+(?:that\s+)?(?P<c>(?!that\b)[A-Za-z][^“”\"]{15,}?)(?=,\s+(?:as|while|but|though|although|adding|saying|noting)\b|[;.!?]\s*$|$)")


def bare_officials_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """said, for "officials stressed that …": by the article's unnamed official source when it introduced exactly
    one before (the officials it speaks for); with none or several the speech rules leave a comment instead."""
    m = next((m for m in _BARE.finditer(ctx.text, sentence.start, sentence.end)
              if re.fullmatch(r"|.*(?:[,;:]\s+|\b(?:but|and|while)\s+)", ctx.text[sentence.start:m.start()], re.S)), None)
    if m is None or re.match(r"(?i)the", m.group("who")) and m.start() == sentence.start:
        return []  # "The officials said": the ones named before, which the speech rules resolve
    key = only_source(ctx, m.start("who"))
    if key is None:
        return []
    value = m.group("c").strip()
    if len(value.split()) < 4:
        return []
    hi = m.end("c") + 1 if m.end("c") < sentence.end and ctx.text[m.end("c")] in ".!?" else m.end("c")
    return [Candidate(key, "said", value, m.start("who"), hi, 0.6, "officials-of-the-only-source",
                      (("statementKind", "paraphrase"),))]


#: who does a move or keeps a presence the registry describes: "a partial withdrawal of US forces", "the
#: coalition's drawdown", "the presence of U.S. troops"
_DOERS = ("ArmedForces", "Coalition", "State")
#: "the transition of U.S. military involvement": the name only modifies the noun after it
_NOUN_AFTER = re.compile(r"\s+(?:involvement|role|mission|operations?|presence|footprint|personnel|bases?|assets|"
                         r"support|officials|commanders|aid|training|equipment|forces|troops)\b")
_DOER_PROP = (("Withdrawal", "carriedOutBy"), ("Relocation", "carriedOutBy"))


def _doer_prop(ctx: Context, key: str, words: str) -> str | None:
    kinds = ctx.index.closure(key)
    if kinds & {"Actor", "Place", "Agreement", "Meeting"}:
        return None
    prop = next((p for k, p in _DOER_PROP if k in kinds), None)
    if prop is None and re.search(r"(?i)\bpresence\b", words) and "Event" in kinds:
        prop = "participant"
    return prop


def doer_of_move_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """carriedOutBy (participant for a presence) of a move the registry describes with its doer in it: "of FORCES"
    after the move's noun, or the doer's possessive before it."""
    out = []
    text = ctx.text
    for m in ctx.in_span(sentence, sentence.start, sentence.end, *_DOERS):
        of = re.search(r"\s+of\s+(?:the\s+)?$", text[max(sentence.start, m.start - 12):m.start])
        if of and not re.search(r"['’]s?$", m.text) and not _NOUN_AFTER.match(text, m.end):
            words = list(re.finditer(r"[\w’'.-]+", text[sentence.start:m.start]))
            for n in range(min(7, len(words)), 1, -1):
                lo = sentence.start + words[-n].start()
                # the registry may describe the move with its doer ("a partial withdrawal of US forces") or without
                noun_end = m.start - len(of.group())
                key = ctx.index.exact(text[lo:m.end]) or (ctx.index.exact(text[lo:noun_end]) if lo < noun_end else None)
                prop = _doer_prop(ctx, key, text[lo:m.end]) if key else None
                if prop:
                    out.append(Candidate(key, prop, ctx.name_words(m), lo, m.end, 0.65, "move-of-forces"))
                    break
        if re.search(r"['’]s?$", m.text):
            after = list(re.finditer(r"[\w’'.-]+", text[m.end:min(sentence.end, m.end + 40)]))
            for n in range(min(3, len(after)), 0, -1):
                hi = m.end + after[n - 1].end()
                key = ctx.index.exact(text[m.start:hi])
                prop = _doer_prop(ctx, key, text[m.start:hi]) if key else None
                if prop:
                    who = m.key if m.generic or m.how != "registry" else re.sub(r"['’]s?$", "", m.text)
                    out.append(Candidate(key, prop, who, m.start, hi, 0.65, "forces-own-move"))
                    break
    return out


#: "after the withdrawal of the task force in 2026", "the end of Operation X by September 2025"
_ENDING = re.compile(r"\b(?:withdrawal|departure|end|exit|conclusion|pullout|wind-down|termination)\s+of\s+(?:the\s+)?$", re.I)


def operation_end_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """endDate of an operation whose end, withdrawal or departure is dated right after its name ("the withdrawal
    of the task force in 2026"); a time further on may date something else and is not read."""
    out = []
    times = ctx.times(sentence.start, sentence.end)
    for op in ctx.in_span(sentence, sentence.start, sentence.end, "MilitaryOperation"):
        if ctx.is_a(op, "Phase") or not _ENDING.search(ctx.text[max(sentence.start, op.start - 40):op.start]):
            continue
        t = next((t for t in times if re.fullmatch(r"\s*", ctx.text[op.end:t.start])), None)
        if t is None or not re.match(r"(?i)(?:in|by)\b", t.words) or re.match(r"\s*(?:and|,\s*and)\s", ctx.text[t.end:t.end + 6]):
            continue
        lo = op.start - len(_ENDING.search(ctx.text[max(sentence.start, op.start - 40):op.start]).group())
        direction = ctx.direction(sentence.start, sentence.end)
        out.append(Candidate(ctx.name_words(op), "endDate", t.words, lo, t.end, 0.65, "end-of-operation-dated",
                             (), (("direction", direction),) if direction else ()))
    return out


def presence_place_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """location of a presence an actor keeps "in PLACE" ("the U.S. maintaining a presence in Iraq to …"), for the
    presence the mission rules found (the actor's, as the registry names it)."""
    out = []
    for kept in (c for c in presence_purpose_rules(ctx, sentence) if c.rule == "presence-kept-by"):
        m = re.search(r"\bpresence\s+(?:in|inside)\s+(?:the\s+)?", ctx.text[kept.start:kept.end])
        at = kept.start + m.end() if m else -1
        place = next((p for p in ctx.names(sentence) if p.start == at), None)
        if place is None or not ctx.is_a(place, *_PLACES) or ctx.is_a(place, "MilitaryBase") \
                or re.search(r"['’]s?$", place.text) or re.match(r"\s*(?:,\s*|\s+and\s+)[A-Z]", ctx.text[place.end:sentence.end]):
            continue
        out.append(Candidate(kept.about, "location", ctx.name_words(place), kept.start, place.end, 0.65, "presence-in-place"))
    return out
