"""What an article says a person, a body or an operation is: `characterisation`, read only where the grammar
marks it as a description.

Two shapes: a non-restrictive relative clause on a name ("al-Sudani, who has close ties to Iran,"), and a
participle that judges the whole main clause ("The operation will end in 2026, marking a turning point in the
fight against terrorism"), said of that clause's subject when it is an operation or an agreement. The words are the
curated mappings' way: the verb stays in ("has close ties to Iran", "marking a turning point …").
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .text import Sentence

__all__ = ["characterisation_rules"]

_WHO = re.compile(r",\s+who\s+(?P<c>(?:has|had|have|is|was|were|are)\s+(?!been\s+(?:quoted|cited)|said|told|spoke)[^,;()“”\"]{6,120}?)(?=,|\.|;|$)")
_JUDGES = re.compile(r",\s+(?P<c>(?:marking|signalling|signaling|representing|heralding|ushering in)\s[^;()“”\"]{6,160}?)(?=[;.]|,\s|$)")


def characterisation_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    names = ctx.names(sentence)
    for n in names:
        if n.generic or not ctx.is_a(n, "Person", "GovernmentBody", "ArmedGroup", "PoliticalBloc"):
            continue
        m = _WHO.match(text, n.end, sentence.end)
        if m:
            out.append(Candidate(ctx.name_words(n), "characterisation", m.group("c").strip(), n.start, m.end("c"), 0.65,
                                 "name-who-is"))
    j = _JUDGES.search(text, sentence.start, sentence.end)
    subject = names[0] if names else None
    if j and subject is not None and subject.start - sentence.start <= 40 and not subject.generic \
            and ctx.is_a(subject, "MilitaryOperation", "Agreement") and not re.search(r"[;:]", text[subject.end:j.start()]):
        out.append(Candidate(ctx.name_words(subject), "characterisation", j.group("c").strip(), subject.start, j.end("c"), 0.65,
                             "clause-marking"))
    return out
