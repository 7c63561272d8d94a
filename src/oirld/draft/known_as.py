"""Whom an operation is against when the article describes it first and names it after: "the coalition's mission
against ISIS, known as Operation Inherent Resolve".

``actor_rules`` reads "OPERATION ... against X" with the name first; news copy often puts the description first and
the name in an apposition ("known as", "dubbed", "called", "codenamed"). The foe must be an armed group the
registry knows and the named thing an operation, so "a campaign against corruption, known as ..." is not read.
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .text import Sentence

__all__ = ["known_as_rules"]

#: "against (the) FOE, known as / dubbed / called (the) NAME"
_AGAINST = re.compile(r"\b(?:against|to defeat|to fight|to counter|to combat|fight against|war on)\s+(?:the\s+)?$", re.I)
_KNOWN_AS = re.compile(r"(?:\s+(?:group|militants|jihadists|organi[sz]ation))?(?:\s*\([^()]{1,30}\))?\s*,?\s+(?:(?:which\s+is\s+|officially\s+|formally\s+)?(?:known|referred to)\s+as|dubbed|called|"
                       r"named|code-?named)\s+(?:the\s+)?", re.I)
_DESCRIBED = re.compile(r"\b(?:mission|operation|campaign|coalition|task force|war|fight|effort)\s+$", re.I)


def known_as_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    names = ctx.names(sentence)
    for foe in names:
        if not ctx.is_a(foe, "ArmedGroup"):
            continue
        lead = _AGAINST.search(text, max(sentence.start, foe.start - 20), foe.start)
        if not lead or not _DESCRIBED.search(text, max(sentence.start, lead.start() - 30), lead.start()):
            continue  # the words before "against" must describe an operation ("mission against ISIS")
        m = _KNOWN_AS.match(text, foe.end, sentence.end)
        op = next((n for n in names if m and n.start == m.end()), None)
        if op is None or not ctx.is_a(op, "MilitaryOperation") or op.key == foe.key:
            continue
        out.append(Candidate(ctx.name_words(op), "opponent", ctx.name_words(foe), lead.start(), op.end, 0.75,
                             "against-x-known-as-y"))
    return out
