"""Where a known base is, when the place it is in is a name the registry does not know yet: "the X air base in
western Anbar", "Baghdad's X base".

The place rules in ``military.py`` read "A in B" between two known mentions; wire copy names bases with provinces and
cities that no earlier article named. The grammar itself says the second name is a place: a compass part ("in western
…") is part of an area, and a possessive right before a base's name is where the base is. Only single capitalised
names are taken (one or two words), never one the registry gives to something else.
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .text import Sentence

__all__ = ["unknown_place_rules"]

_BASES = ("MilitaryBase", "Airport")
_NAME = r"(?P<n>[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)?)"
#: "in western Anbar", "in the far north of Duhok" is not taken: only "in (the) COMPASS NAME"
_IN_PART = re.compile(r",?\s+(?:(?:situated|located|lying|based)\s+)?in\s+(?:the\s+)?(?:far\s+)?"
                      r"(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+"
                      + _NAME + r"(?=\s+(?:province|governorate)\b|[\s,.;:)]|$)(?!\s+[A-Z])")
#: "Baghdad's Victory base": one capitalised word and a possessive right before the base's name
_POSSESSOR = re.compile(r"(?:^|(?<=\s)|(?<=[(“\"]))(?P<n>[A-Z][a-z][\w-]*)['’]s\s+$")
#: a possessor that is a doer, not a place ("the militia's base", "Washington's Victory base" is still a place)
_NOT_PLACE = re.compile(r"(?i)(?:the|a|an|its|their|his|her)\s+$")


def _new_place(ctx: Context, words: str, kind: str) -> str | None:
    if ctx.index.lookup(words):
        return None  # a known name: the place rules between two mentions read it, or it is not a place
    return ctx.index.add_new(words, (kind,))


def unknown_place_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    out = []
    text = ctx.text
    for base in ctx.in_span(sentence, sentence.start, sentence.end, *_BASES):
        m = _IN_PART.match(text, base.end, sentence.end)
        if m and not any(n.start < m.end("n") and m.start("n") < n.end for n in ctx.names(sentence)):
            key = _new_place(ctx, m.group("n"), "Region")
            if key:
                out.append(Candidate(ctx.name_words(base), "locatedIn", m.group("n"), base.start, m.end("n"), 0.7,
                                     "base-in-part-of-new-place"))
        # the registry may know "X's Victory base" whole: the possessor is then inside the mention
        own = re.match(r"(?:the\s+)?(?P<n>[A-Z][a-z][\w-]*)['’]s\s+\S", base.text)
        if own and ctx.index.lookup(own.group("n")) is None:
            key = _new_place(ctx, own.group("n"), "Place")
            if key:
                out.append(Candidate(ctx.name_words(base), "locatedIn", own.group("n"), base.start, base.end, 0.65,
                                     "new-place-of-base"))
            continue
        before = text[max(sentence.start, base.start - 40):base.start]
        p = _POSSESSOR.search(before)
        if p and not _NOT_PLACE.search(before[:p.start()]) and not re.match(r"['’]s\b", base.text) \
                and not any(n.end == base.start - len(p.group()) + len(p.group("n")) for n in ctx.names(sentence)):
            key = _new_place(ctx, p.group("n"), "Place")
            if key:
                start = base.start - len(p.group())
                # a bare possessor may be a group ("Nujaba's base"), not a place: below the cut, a suggestion
                out.append(Candidate(ctx.name_words(base), "locatedIn", p.group("n"), start, base.end, 0.55,
                                     "new-place-of-base"))
    return out
