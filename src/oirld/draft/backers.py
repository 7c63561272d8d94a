"""Who backs whom, when the backer is a name the registry does not know yet: "…'s Shia Alliance Front, which backs
the prime minister's government".

``military.py`` reads "X, which backs Y" between two known mentions. In that relative clause the grammar alone says
the name before the comma is an actor (it backs someone), so a capitalised run right before ", which backs" becomes a
new entity when the one backed is a known actor. A leading possessive of a known place ("Iraq's …") is where the
backer is, not its name.
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .names import kind_of_name, proper_runs
from .text import Sentence

__all__ = ["new_backer_rules"]

_WHICH_BACKS = re.compile(r",\s+which\s+(?:backs|supports|has\s+backed|has\s+supported)\s+")
#: "Iraq's Shia Alliance Front": the possessor is the country or place the name is in
_PLACE_POSSESSOR = re.compile(r"^(?P<p>[A-Z][\w-]*)['’]s\s+(?=[A-Z])")


def new_backer_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    out = []
    text = ctx.text
    names = ctx.names(sentence)
    for m in _WHICH_BACKS.finditer(text, sentence.start, sentence.end):
        backed = next((n for n in names if (n.start == m.end() or n.start == m.end() + 4 and ctx.text[m.end():n.start] == "the ")
                       and ctx.is_a(n, "Actor")), None)
        run = next((r for r in proper_runs(text, sentence.start, m.start()) if r[1] == m.start()), None)
        if backed is None or run is None:
            continue  # an unknown one backing nobody known stays unread
        words = text[run[0]:run[1]]
        p = _PLACE_POSSESSOR.match(words)
        if p:
            hit = ctx.index.lookup(p.group("p"))
            if not hit or not {"Place", "State"} & ctx.index.closure(hit[0]):
                continue  # "Sudani's Front": a person's, not a place's
            words = words[p.end():]
        if any(n.start < run[1] and run[1] - len(words) < n.end for n in names):
            continue  # a known backer is read by military.py
        if len(words.split()) < 2 or run[0] == sentence.start and not p:
            continue  # one word, or the subject of the sentence that may be anything ("Tehran, which backs …")
        kind = kind_of_name(words, text[sentence.start:run[0]]) \
            or ("PoliticalBloc" if re.search(r"(?i)\b(?:framework|alliance|bloc)$", words) else "Actor")
        if kind not in {"PoliticalBloc", "ArmedGroup", "ArmedForces", "Actor"}:
            continue
        key = ctx.index.add_new(words, (kind,))
        if key and key != backed.key:
            out.append(Candidate(ctx.name_words(backed), "backedBy", words, run[0], backed.end, 0.65, "new-x-which-backs-y"))
    return out
