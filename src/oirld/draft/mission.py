"""The mission as a whole: how it is cut into phases, when it ends within a phase, how big it was, how long it ran.

News copy announces phases once ("The task force will end in two phases.", "The transition will take place in two
main phases.") and names them sentences later ("The second phase will continue …"); each phase named after the
announcement belongs to what the announcing sentence named. A mission said to end inside a phase's time frame ("In
the first phase, which runs until September 2025, the mission … will conclude") ends when that frame ends. Figures
of size are read from a verb that says what they are: members ("includes / mobilised more than 30 countries"),
territory ("secured / recovered 42,000 square miles"), and a length of time ("After 10 years, the coalition …").
A pronoun subject ("At its peak, it mobilised …") is the operation the sentence before named first.
"""

from __future__ import annotations

import re

from ..quantities import QuantityParseError, parse_quantity
from .context import Candidate, Context
from .names import Mention
from .text import Sentence

__all__ = ["mission_part_rules", "unattributed"]

#: what phases belong to: an operation, a coalition's mission, a withdrawal or transition
_WHOLE = ("MilitaryOperation", "Withdrawal")
#: what has members, territory and a length: an operation or a coalition
_BODY = ("MilitaryOperation", "Coalition")
_ANNOUNCE = re.compile(r"\b(?:in|into|over|through|across)\s+(?:two|three|four|2|3|4)\s+(?:[a-z]+\s+)?(?:phases|stages)\b"
                       r"|\b(?:two|three|four)-(?:phase|stage)\s+(?:process|plan|transition|withdrawal|drawdown|timeline)\b",
                       re.I)
#: how far after the announcement its phases are still its own
_REACH = 8
_ORDINAL = re.compile(r"\b(?:first|second|third|fourth|final|last|1st|2nd|3rd)\b", re.I)
_SUBJECT_END = re.compile(r"\s(?:will|would|shall|is|are|was|were|has|have|had|to|reportedly|is\s+set|is\s+expected)\b", re.I)
_MODIFIER = re.compile(r"['’]s\b|\s+(?:combat\s+|military\s+)?(?:forces|troops|members|countries|partners|officials|"
                       r"presence|personnel|bases?)\b")
_END = re.compile(r"\b(?:will|would|is\s+(?:set|due|expected)\s+to)\s+(?:\w+ly\s+)?(?:end|conclude|close|wind\s+down|"
                  r"come\s+to\s+an\s+end|be\s+(?:concluded|completed|wound\s+down|brought\s+to\s+an\s+end))\b", re.I)
_FRAME = re.compile(r"(?:In|During)\s+(?:the\s+|its\s+)?(?:first|second|third|final|last|initial|opening)\s+(?:phase|stage),\s+"
                    r"(?:which\s+(?:runs|lasts|will\s+run|will\s+last|is\s+(?:set|due|expected)\s+to\s+(?:run|last)|extends)"
                    r"|running|lasting|set\s+to\s+run|due\s+to\s+run|expected\s+to\s+run)\s+[^,]+,\s+")
_PURPOSE = re.compile(r"(?:This|That|The)\s+(?:phase|stage)\s+(?:will|would|is\s+to|aims\s+to|is\s+meant\s+to|is\s+designed\s+to|"
                      r"is\s+intended\s+to|is\s+expected\s+to)\s+(?P<p>(?:\w+ly\s+)?[a-z]+\b[^;:\"“”]{10,}?)\s*\.?$")
_MEMBERS = re.compile(r"\b(?:includes?|included|including|comprises?|comprised|comprising|brings?\s+together|brought\s+together|"
                      r"mobili[sz](?:es|ed|e)|rallied|grew\s+to|numbers?|numbered|counts?|counted|consists?\s+of|consisted\s+of|"
                      r"(?:is|was)\s+made\s+up\s+of|(?:has|had)\s+grown\s+to)\s+", re.I)
_AREA = re.compile(r"\b(?:secured|recovered|retook|retaken|liberated|reclaimed|freed|regained|recaptured|cleared|"
                   r"(?:took|taken)\s+back|wrested\s+back)\s+", re.I)
_AFTER = re.compile(r"(?:^|\b)(?:After|after)\s+(?P<q>(?:more\s+than\s+|nearly\s+|almost\s+|about\s+|some\s+)?(?:\d+|a|one|two|three|"
                    r"four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\s+(?:years?|decades?))"
                    r"(?:\s+of\s+[^,]{3,60})?,\s+")


def mission_part_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    return [*_announced_phases(ctx, sentence), *_end_within_phase(ctx, sentence), *_phase_purpose(ctx, sentence),
            *_figures(ctx, sentence), *_duration(ctx, sentence), *presence_purpose_rules(ctx, sentence),
            *framed_phase_rules(ctx, sentence), *described_move_rules(ctx, sentence)]


def _announced_whole(ctx: Context, sentence: Sentence) -> tuple[str, int, int] | None:
    """(the whole's words, quote start, quote end) when ``sentence`` announces phases of one operation or
    transition: named ("The task force will end in two phases") or described as the registry describes it ("The
    transition will take place in two main phases")."""
    m = _ANNOUNCE.search(ctx.text, sentence.start, sentence.end)
    if not m:
        return None
    named = [n for n in ctx.in_span(sentence, sentence.start, m.start(), *_WHOLE) if not _MODIFIER.match(ctx.text, n.end)]
    if len({n.key for n in named}) == 1:
        return ctx.name_words(named[0]), named[0].start, m.end()
    if named:
        return None
    head = _SUBJECT_END.search(ctx.text, sentence.start, m.start())
    if head is None:
        return None
    # "Separately, the drawdown will …": a sentence adverb is not part of the subject
    words = re.sub(r"^[A-Z]\w*,\s+", "", ctx.text[sentence.start:head.start()].strip())
    key = ctx.index.exact(words) if len(words.split()) <= 5 else None
    if key is None or not ctx.index.closure(key) & set(_WHOLE):
        return None
    return key, sentence.start, m.end()


def _announced_phases(ctx: Context, sentence: Sentence) -> list[Candidate]:
    whole = _announced_whole(ctx, sentence)
    if whole is None:
        return []
    words, q_lo, q_hi = whole
    out = []
    index = ctx.sentences.index(sentence)
    for later in ctx.sentences[index + 1:index + 1 + _REACH]:
        if _ANNOUNCE.search(later.text):
            break  # another announcement: its phases are its own
        for ph in ctx.in_span(later, later.start, later.end, "Phase"):
            if re.search(r"\b(?:phase|stage)\b", ph.text, re.I) and _ORDINAL.search(ph.text):
                out.append(Candidate(ctx.name_words(ph), "phaseOf", words, q_lo, q_hi, 0.7, "phases-announced"))
    return out


def _op_before(ctx: Context, sentence: Sentence, lo: int, at: int, *types: str) -> Mention | None:
    """The thing a clause is about: the last operation-like name before ``at`` that is not a modifier ("the
    coalition's forces"); for a pronoun ("it", "its") with none, the first one the sentence before names."""
    found = [n for n in ctx.in_span(sentence, lo, at, *types) if not _MODIFIER.match(ctx.text, n.end)]
    if found:
        return found[-1]
    if not re.search(r"\b(?:it|its)\b", ctx.text[lo:at], re.I):
        return None
    index = ctx.sentences.index(sentence)
    if index == 0:
        return None
    before = ctx.sentences[index - 1]
    found = [n for n in ctx.in_span(before, before.start, before.end, *types) if not _MODIFIER.match(ctx.text, n.end)]
    return found[0] if found else None


def _end_within_phase(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"In the first phase, which runs until September 2025, the coalition's mission … will conclude": the
    mission ends when the phase's time frame does (unless the main clause gives its own time)."""
    frame = _FRAME.match(ctx.text, sentence.start, sentence.end)
    if not frame:
        return []
    until = [t for t in ctx.times(sentence.start, frame.end()) if re.match(r"(?i)until|through|till|by\b", t.words)]
    end = _END.search(ctx.text, frame.end(), sentence.end)
    if len(until) != 1 or end is None or ctx.times(frame.end(), sentence.end):
        return []
    op = _op_before(ctx, sentence, frame.end(), end.start(), "MilitaryOperation", "Coalition")
    if op is None or ctx.is_a(op, "Phase"):
        return []
    t = until[0]
    return [Candidate(ctx.name_words(op), "endDate", t.words, t.start, end.end(), 0.7, "end-within-phase", (),
                      (("direction", "future"),))]


def _phase_purpose(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"This phase will gradually shift …": what the phase named just before is for."""
    m = _PURPOSE.match(ctx.text.rstrip(), sentence.start, sentence.end)
    index = ctx.sentences.index(sentence)
    if not m or index == 0:
        return []
    for before in reversed(ctx.sentences[max(0, index - 2):index]):
        phases = {p.key: p for p in ctx.in_span(before, before.start, before.end, "Phase")}
        if len(phases) == 1:
            ph = next(iter(phases.values()))
            words = unattributed(m.group("p"))
            return [Candidate(ctx.name_words(ph) if ph.how == "registry" and not ph.generic else ph.key, "purpose",
                              words, sentence.start, m.start("p") + len(words), 0.65, "this-phase-purpose")]
        if phases:
            return []
    return []


#: ", a Western diplomat told AFP", ", officials said", ", according to …": who said it, not what the phase is for
_ATTRIBUTION = re.compile(r",\s+(?:[^,]{0,60}?\s)?(?:said|says|say|told|added|reported|according\s+to)\b.*$")


def unattributed(words: str) -> str:
    """The words without a trailing attribution (", officials said"), as a claim's value holds them."""
    return _ATTRIBUTION.sub("", words).rstrip(" .")


def _figures(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """memberCount and areaRecovered of the operation or coalition the clause is about."""
    out = []
    for verb, kind, prop, rule in ((_MEMBERS, "CountryCount", "memberCount", "members-of-body"),
                                   (_AREA, "Area", "areaRecovered", "territory-recovered")):
        for v in verb.finditer(ctx.text, sentence.start, sentence.end):
            q = next((q for q in ctx.quantities(v.end(), min(sentence.end, v.end() + 50))
                      if q.start == v.end() and q.quantity and q.quantity.kind == kind), None)
            if q is None:
                continue
            lo, _ = ctx.clause(sentence, v.start(), v.end())
            body = _op_before(ctx, sentence, lo, v.start(), *_BODY)
            if body is None:
                continue
            q_lo = body.start if body.start >= sentence.start else v.start()
            out.append(Candidate(ctx.name_words(body), prop, q.words, q_lo, q.end, 0.7, rule))
    return out


def _duration(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"After 10 years, the coalition … is coming to an end": how long the subject of the main clause has run."""
    m = _AFTER.match(ctx.text, sentence.start, sentence.end)
    if not m:
        return []
    lo, hi = ctx.clause(sentence, m.end(), m.end())
    subject = next((n for n in ctx.in_span(sentence, m.end(), hi, *_BODY) if not _MODIFIER.match(ctx.text, n.end)), None)
    if subject is None or not re.fullmatch(r"(?:the\s+)?", ctx.text[m.end():subject.start], re.I):
        return []
    try:
        q = parse_quantity(m.group("q"))
    except QuantityParseError:
        return []
    if q.kind != "TimeLength":
        return []
    return [Candidate(ctx.name_words(subject), "duration", m.group("q"), sentence.start, subject.end, 0.7, "after-n-years")]


#: "with the U.S. maintaining a presence in Iraq to support …": whose presence, and what it is for
_PRESENCE = re.compile(r"\s+(?:is\s+|are\s+|will\s+|would\s+)?(?:maintaining|keeping|retaining|maintains?|keeps?|retains?|"
                       r"maintained|kept|retained)\s+(?:an?\s+|its\s+|their\s+)?(?:(?:small|limited|reduced|residual|"
                       r"long-term|military|troop)\s+){0,2}presence\b(?:\s+(?:in|inside)\s+[\w’'\s-]{2,40}?)?"
                       r"\s+(?P<p>(?:in\s+order\s+)?to\s+(?!the\b|a\b|an\b|be\b|\d)[a-z]+\b[^;.,]{6,})")


def presence_purpose_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """purpose of a presence, and who keeps it: the actor keeping it names it ("the U.S. … presence" as the registry
    has it)."""
    out = []
    for actor in ctx.in_span(sentence, sentence.start, sentence.end, "State", "ArmedForces", "Coalition"):
        m = _PRESENCE.match(ctx.text, actor.end, sentence.end)
        if not m:
            continue
        names = [re.sub(r"^the\s+", "", actor.text, flags=re.I)]
        if actor.key in ctx.index.registry.entities:  # "The United States … presence" is "the U.S. presence"
            names += ctx.index.registry.entities[actor.key].names()
        hit = next((h for n in names for h in (ctx.index.lookup(f"{n} presence"), ctx.index.lookup(f"{n} military presence"))
                    if h and ctx.index.closure(h[0]) & {"Event"}), None)
        if hit is None:
            continue
        out.append(Candidate(hit[0], "purpose", m.group("p").strip(), actor.start, m.end("p"), 0.65, "presence-purpose"))
        out.append(Candidate(hit[0], "carriedOutBy", ctx.name_words(actor), actor.start,
                             len(ctx.text[:m.start("p")].rstrip()), 0.65, "presence-kept-by"))
    return out


#: "In the first phase, running through September 2025, the U.S. and coalition forces will complete …": a phase
#: given its own time frame, then what forces do in it
_FRAMED = re.compile(r"(?:In|During)\s+(?:the\s+|its\s+)?(?:first|second|third|final|last|initial|opening)\s+(?:phase|stage),\s+"
                     r"(?:which\s+\w+|running|lasting|set\s+to\s+run|due\s+to\s+run|expected\s+to\s+run)\s+[^,]+,\s+")


def framed_phase_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """purpose of a phase with its own time frame: the main clause, when forces (not the operation) are its
    subject; cut before a list of examples or a second clause."""
    m = _FRAMED.match(ctx.text, sentence.start, sentence.end)
    if not m:
        return []
    ph = next(iter(ctx.in_span(sentence, sentence.start, m.end(), "Phase")), None)
    first = next(iter(ctx.in_span(sentence, m.end(), sentence.end)), None)
    if ph is None or first is None or not ctx.is_a(first, "State", "ArmedForces", "Coalition") \
            or not re.fullmatch(r"(?:the\s+)?", ctx.text[m.end():first.start], re.I):
        return []
    main = unattributed(re.split(r",\s+(?:including|such as|notably|while|whereas|but)\b|[;:]|\.(?=\s+[A-Z]|\s*$)",
                                  ctx.text[m.end():sentence.end])[0].strip())
    if not re.search(r"\b(?:will|would|are to|is to|shall)\s+\w+", main) or len(main) > 160:
        return []
    about = ctx.name_words(ph) if ph.how == "registry" and not ph.generic else ph.key
    return [Candidate(about, "purpose", main, m.end(), m.end() + len(main), 0.65, "framed-phase-purpose")]


#: a withdrawal or transition is mostly described, not named ("a partial withdrawal of US forces"): the registry's
#: descriptions find it, and a time right after it that starts or ends it dates it
_MOVE_KINDS = ("Withdrawal", "Relocation")
_STARTS = re.compile(r"(?i)(?:beginning|starting|from)\b")
#: between the start and the end of the same thing: "… beginning in September and expected to conclude by …"
_THEN_ENDS = re.compile(r"\s*,?\s*(?:and\s+)?(?:is\s+|was\s+)?(?:(?:expected|set|due|scheduled)\s+to|will|would|to)\s+"
                        r"(?:conclude|end|finish|be\s+completed|wrap\s+up)\s+$", re.I)


def described_move_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """startDate / endDate of a withdrawal described as the registry describes it: "a partial withdrawal of US
    forces beginning in September and expected to conclude by September 2026"."""
    out: list[Candidate] = []
    times = ctx.times(sentence.start, sentence.end)
    for i, t in enumerate(times):
        if not _STARTS.match(t.words):
            continue
        lead = re.search(r",?\s*$", ctx.text[sentence.start:t.start])
        subject = _described(ctx, sentence, sentence.start + lead.start(), _MOVE_KINDS)
        if subject is None:
            continue
        out.append(Candidate(subject[0], "startDate", t.words, subject[1], t.end, 0.65, "described-move-dates"))
        after = times[i + 1] if i + 1 < len(times) else None
        if after is not None and re.match(r"(?i)by|until|through", after.words) \
                and _THEN_ENDS.fullmatch(ctx.text, t.end, after.start):
            out.append(Candidate(subject[0], "endDate", after.words, subject[1], after.end, 0.65, "described-move-dates"))
        out += _same_month_end(ctx, sentence, t, subject)
    return out


#: "… beginning in September and expected to conclude by the same month in 2026": the end counts from the start
_SAME_MONTH = re.compile(r"(?P<w>(?:by|until|through)\s+the\s+same\s+month\s+(?:in|of)\s+(?:19|20)\d\d)\b", re.I)


def _same_month_end(ctx: Context, sentence: Sentence, start, subject: tuple[str, int]) -> list[Candidate]:
    from ..timeexpr import TimeParseError, parse_time

    m = _SAME_MONTH.search(ctx.text, start.end, sentence.end)
    if not m or not _THEN_ENDS.fullmatch(ctx.text, start.end, m.start()):
        return []
    try:
        parse_time(m.group("w"), ctx.seed.reference, anchor=start.time)
    except TimeParseError:
        return []  # the start is no single month ("beginning in 2025")
    return [Candidate(subject[0], "endDate", m.group("w"), subject[1], m.end(), 0.65, "described-move-dates", (),
                      (("anchor", start.words),))]


def _described(ctx: Context, sentence: Sentence, at: int, kinds: tuple[str, ...]) -> tuple[str, int] | None:
    """(key, start) of the thing the up-to-eight words ending at ``at`` describe, as the registry describes it."""
    words = list(re.finditer(r"[\w’'.-]+", ctx.text[sentence.start:at]))
    for n in range(min(8, len(words)), 1, -1):
        start = sentence.start + words[-n].start()
        key = ctx.index.exact(ctx.text[start:at])
        if key and ctx.index.closure(key) & set(kinds):
            return key, start
    return None
