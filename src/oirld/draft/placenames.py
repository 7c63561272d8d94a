"""Where a place is, from the way its name is written: "northern Iraq's Kurdistan region", "the Kurdistan region of
northern Iraq", "Baghdad's airport".

The registry may hold such a phrase whole as one place's name, so the name finder returns one mention and the rules
that read "A in B" between two mentions never see the second place. Here the mention's own words are split at the
possessive or at "of" / "in", and when the other part is itself a known place (not a country: ``locatedIn`` takes a
place), the mention's place is located in it.
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .text import Sentence

__all__ = ["compound_place_rules"]

_POSSESSIVE = re.compile(r"^(?:the\s+)?(?P<in>.+?)['’]s\s+(?P<rest>\S.*)$")
_OF = re.compile(r"^(?P<rest>.+?)\s+(?:of|in)\s+(?:the\s+)?(?P<in>\S.*)$")


def compound_place_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    out = []
    for m in ctx.in_span(sentence, sentence.start, sentence.end, "Place"):
        for pattern in (_POSSESSIVE, _OF):
            parts = pattern.match(m.text)
            if not parts or len(parts.group("in").split()) > 4:
                continue
            hit = ctx.index.lookup(parts.group("in"))
            if hit is None or hit[0] == m.key or not ctx.index.closure(hit[0]) & {"Place"} \
                    or "MilitaryBase" in ctx.index.closure(hit[0]):
                continue
            # "A's B" where B itself names the other place ("Iraq's Iraq") or a wider one is no containment
            if "City" in ctx.index.closure(hit[0]) and ctx.is_a(m, "Region"):
                continue
            words = parts.group("in") if hit[1] == "registry" and not hit[2] else hit[0]
            out.append(Candidate(m.key, "locatedIn", words, m.start, m.end, 0.75, "place-named-in-place"))
            break
    return out
