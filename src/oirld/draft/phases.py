"""The mission's phases and the movements of forces between bases.

A phase is read where the article names it ("the first phase", "the second phase"): its number from the ordinal,
the operation it belongs to from the same sentence or the one before ("The task force will end in two phases. The
first phase …"), and its dates from the words right after it ("which runs until September 2025", "will continue
from September 2025 until the end of 2026"). A move of forces ("relocate to Harir", "vacate Ain al-Asad") is the
movement the other articles' mappings already hold when they give it the same base, else a new Withdrawal or
Relocation named after the base.
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .text import Sentence

__all__ = ["phase_rules", "movement_rules"]

_ORDINAL = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd)\b", re.I)
_WHOLE = ("MilitaryOperation", "Withdrawal")
_FROM = re.compile(r"^(?:from|since|beginning|starting)\b", re.I)
_UNTIL = re.compile(r"^(?:until|through|till|by|at least until|at least through)\b", re.I)


def phase_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    index = ctx.sentences.index(sentence)
    announced = index > 0 and ctx.sentences[index - 1].paragraph == sentence.paragraph \
        and re.search(r"\bin\s+(?:two|three|2|3)\s+(?:\w+\s+)?(?:phases|stages)\b", ctx.sentences[index - 1].text, re.I)
    for ph in ctx.in_span(sentence, sentence.start, sentence.end, "Phase"):
        # "… will end in two phases. The first will arrive next September": "the first" is a phase only right after
        if not re.search(r"\bphase\b", ph.text, re.I) and not (announced and _ORDINAL.search(ph.text)):
            continue
        about = ctx.name_words(ph)
        n = _ORDINAL.search(ph.text)
        if n:
            out.append(Candidate(about, "phaseNumber", n.group(1), ph.start, ph.end, 0.8, "ordinal-phase"))
        whole = _whole_of(ctx, sentence, ph.start)
        if whole is None and index > 0 and ctx.sentences[index - 1].paragraph == sentence.paragraph:
            before = ctx.sentences[index - 1]
            if re.search(r"\bphases\b|\bstages\b|\bphase process\b|two-phase", before.text, re.I):
                whole = _whole_of(ctx, before, before.end)
        if whole is not None:
            out.append(Candidate(about, "phaseOf", ctx.name_words(whole), min(whole.start, ph.start),
                                 max(whole.end, ph.end), 0.7, "phase-of-whole"))
        lo, hi = ctx.clause(sentence, ph.start, ph.end)
        nxt = [m.start for m in ctx.in_span(sentence, ph.end, hi, "Phase")]
        hi = min([hi, *nxt])
        # "In the second phase, U.S. troops will continue … until 2026 to support …": a phase that opens the sentence
        # as its time frame owns the main clause's end and purpose
        opening = re.fullmatch(r"(?:In|During)\s+", text[sentence.start:ph.start]) and text[ph.end:ph.end + 1] == ","
        reach = (hi - ph.end) if opening else 60
        for t in ctx.times(ph.end, hi):
            if t.start - ph.end > reach:
                break
            prop = "startDate" if _FROM.match(t.words) else "endDate" if _UNTIL.match(t.words) else None
            if prop:
                out.append(Candidate(about, prop, t.words, ph.start,
                                     t.end, 0.75 if t.start - ph.end <= 60 else 0.65, "phase-dates", (),
                                     (("direction", "future"),) if ctx.direction(lo, hi) else ()))
        purpose = _PURPOSE.search(text, ph.end, hi) if opening else None
        if purpose:
            out.append(Candidate(about, "purpose", purpose.group("p"), ph.start, purpose.end("p"), 0.65, "phase-purpose"))
    return out


#: "… (in order) to support ongoing counter-ISIS efforts": a purpose clause, its verb a plain lower-case word
_PURPOSE = re.compile(r"\s(?P<p>(?:in order\s+)?to\s+(?!the\b|a\b|an\b|be\b|\d)[a-z]+\b[^;.,]{6,})")


def _whole_of(ctx: Context, sentence: Sentence, before: int):
    wholes = [m for m in ctx.in_span(sentence, sentence.start, before, *_WHOLE)
              if not re.match(r"\s+(?:combat\s+)?(?:mission|forces|troops)\b", ctx.text[m.end:m.end + 20])]
    keys = {m.key for m in wholes}
    return wholes[-1] if len(keys) == 1 else None


_MOVES = [
    (re.compile(r"\b(?:relocat\w*|redeploy\w*|mov(?:e|es|ed|ing)|shift\w*|transfer\w*)\s+(?:\w+\s+){0,3}?to\s+(?:the\s+)?", re.I),
     "Relocation", "toPlace", "Relocation to"),
    (re.compile(r"\b(?:withdraw\w*\s+from|vacat\w*|leav(?:e|es|ing)|pull(?:s|ed|ing)? out of|exit\w*|hand(?:s|ed|ing)? over|depart\w*\s+from)\s+"
                r"(?:(?:the\s+|some\s+|several\s+|its\s+|their\s+)?(?:key\s+|main\s+|major\s+|longstanding\s+|remaining\s+)?bases,?\s+"
                r"(?:including|such as|like|notably)\s+)?(?:the\s+)?", re.I),
     "Withdrawal", "fromPlace", "Withdrawal from"),
]
#: the forces as the subject of a move; "these forces", "some of these troops" point back to the forces named before
_FORCES = ("ArmedForces", "Coalition")
_ANAPHOR = re.compile(r"\b(?:these|those|the|such|its|their)\s+(?:forces|troops|soldiers|personnel|units)\b", re.I)


def movement_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    for pattern, kind, prop, label in _MOVES:
        for m in pattern.finditer(text, sentence.start, sentence.end):
            at = m.end() - len(re.search(r"(?:the\s+)?$", m.group(), re.I).group())  # "the Hareer base" is a name
            places = [p for p in ctx.in_span(sentence, at, sentence.end, "MilitaryBase", "Airport")
                      if p.start <= m.end() or re.fullmatch(r"[\w\s,’'-]{0,40}?(?:and|,)\s+(?:the\s+)?", text[m.end():p.start])]
            places = [p for i, p in enumerate(places) if i == 0 and p.start <= m.end() or i > 0]
            if not places:
                continue
            key = _known_movement(ctx, kind, prop, {p.key for p in places})
            if key is None:
                name = re.sub(r"^the\s+", "", places[0].text, flags=re.I)
                key = ctx.index.add_new(f"{label} {name}", (kind,), findable=False)
                if key is None:
                    continue
            for p in places:
                out.append(Candidate(key, prop, ctx.name_words(p), m.start(), p.end, 0.7, f"{kind.lower()}-place"))
            doers, q_lo = movers(ctx, sentence, m.start())
            for words in doers:
                out.append(Candidate(key, "carriedOutBy", words, q_lo, places[0].end, 0.7, f"{kind.lower()}-by-forces"))
    return out


def movers(ctx: Context, sentence: Sentence, verb_at: int, back: bool = True, lo: int | None = None) -> tuple[list[str], int]:
    """The forces that are the subject of a verb of movement ("U.S. forces will begin withdrawing", "the U.S. and
    coalition forces will … vacate"), as mapping words, and where they are named; "these forces" are those the
    sentence before named."""
    text = ctx.text
    if lo is None:
        lo, _ = ctx.clause(sentence, verb_at, verb_at)
        # "The Iraqi army took control of the base after U.S. forces relocated": the clause a subordinator opens
        # has its own subject
        sub = None
        for sub in _SUBORDINATOR.finditer(text, lo, verb_at):
            pass
        if sub is not None:
            lo = sub.end()
    found: list[str] = []
    first = verb_at
    for m in ctx.in_span(sentence, lo, verb_at):
        if ctx.is_a(m, *_FORCES) and (not m.generic or ctx.is_a(m, "Coalition")) and not _MODIFIED_FORCE.match(text, m.end):
            found.append(ctx.name_words(m))
            first = min(first, m.start)
        elif ctx.is_a(m, "State") and not m.generic:
            tail = re.match(r"\s+(?:and\s+[\w.’'-]+\s+)?(?:forces|troops)\b", text[m.end:verb_at])
            hit = ctx.index.lookup(f"{m.text} forces") if tail else None
            if hit and "ArmedForces" in ctx.index.closure(hit[0]):
                found.append(hit[0])
                first = min(first, m.start)
    if found or not back:
        return list(dict.fromkeys(found)), first
    a = None
    for a in _ANAPHOR.finditer(text, lo, verb_at):
        pass
    index = ctx.sentences.index(sentence)
    if a is None or index == 0 or ctx.sentences[index - 1].paragraph != sentence.paragraph:
        return [], first
    before = ctx.sentences[index - 1]
    found, _ = movers(ctx, before, before.end, back=False, lo=before.start)
    return (found, a.start()) if found else ([], first)


_SUBORDINATOR = re.compile(r"\b(?:after|before|when|while|since|until|because|once|as soon as|whereas)\s+")
_MODIFIED_FORCE = re.compile(r"[’']s\b|\s+(?:bases?|presence|footprint|role|mission)\b")


def _known_movement(ctx: Context, kind: str, prop: str, places: set[str]) -> str | None:
    found = [key for key, claims in sorted(ctx.corpus.items())
             if key in ctx.index.registry.entities and kind in ctx.index.closure(key)
             and places & {c.value.entity for c in claims if c.prop == prop}]
    return found[0] if len(found) == 1 else None
