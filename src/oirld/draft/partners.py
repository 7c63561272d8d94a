"""Partners singled out after a comma: "stable bilateral defence ties, particularly with Washington and London".

``parties.py`` reads "PARTNERSHIP with X" for one party and leaves a list alone ("a deal with Iraq and Syria" may be
one deal with two sides or two deals). After ", particularly / notably / especially with" the writer is picking out
partners of the thing just named, so each party of the list the registry knows (a capital standing for its state)
takes part; names it does not know are left out, not guessed.
"""

from __future__ import annotations

import re

from .agreements import parties_after
from .context import Candidate, Context
from .parties import event_before
from .text import Sentence

__all__ = ["singled_out_partner_rules"]

_SINGLED = re.compile(r",\s+(?:particularly|notably|especially|mainly|chiefly|above\s+all|including)\s+with\s+")


def singled_out_partner_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    out = []
    for m in _SINGLED.finditer(ctx.text, sentence.start, sentence.end):
        event = event_before(ctx, sentence, m.start())
        if event is None:
            continue
        for key, _, end in parties_after(ctx, sentence, m.end()):
            if ctx.index.closure(key) & {"State", "GovernmentBody"}:
                out.append(Candidate(event[0], "participant", key, event[1], end, 0.65, "partners-singled-out"))
    return out
