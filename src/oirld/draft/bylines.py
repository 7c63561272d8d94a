"""Who writes for which outlet, from the way copy credits a piece: "In her article for the Associated Press, Tara
Copp …", "Copp's analysis for AP", "writing for The National, Jane Doe …".

The noun of the piece (article, analysis, report, column, piece, op-ed) says the name after "for" is a publication,
so an outlet the registry lacks is added as a news organisation; its initials written alone later ("AP" for the
Associated Press) are the same outlet, not a second one. The writer is the person the same clause names right
after the credit ("In her article for X, PERSON …") or whose possessive the piece is ("PERSON's analysis for X").
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .names import Mention, kind_of_name, proper_runs
from .text import Sentence

__all__ = ["byline_rules"]

_PIECE = r"(?:article|analysis|report|reporting|column|piece|op-ed|commentary|essay|dispatch|story)"
#: "In her article for the Associated Press, " / "Writing for The National, "
_LEADING = re.compile(rf"(?:In\s+(?:his|her|their|a|an|the)\s+(?:recent\s+|latest\s+)?{_PIECE}|Writing)\s+for\s+")
#: "PERSON's analysis for "
_POSSESSED = re.compile(rf"['’]s?\s+(?:recent\s+|latest\s+)?{_PIECE}\s+for\s+")


def _outlet(ctx: Context, sentence: Sentence, at: int) -> tuple[str, int] | None:
    """(key, end) of the publication named at ``at``: a known one, or a capitalised name added as a new outlet
    (all-capital initials of an outlet added before are that outlet)."""
    hit = next((m for m in ctx.names(sentence) if m.start in (at, at + 4) and m.start >= at), None)
    if hit is not None:
        return (hit.key, hit.end) if ctx.is_a(hit, "Organization", "NewsOrganization") else None
    run = next(((s, e) for s, e in proper_runs(ctx.text, at, sentence.end) if s in (at, at + 4)), None)
    if run is None:
        return None
    words = re.sub(r"^(?:the|The)\s+", "", ctx.text[run[0]:run[1]])
    kind = kind_of_name(words, "") if words else None
    if not words or len(words.split()) > 5 or kind not in (None, "NewsOrganization"):
        return None  # "a report for the Ministry of Defence": a body, not an outlet
    if re.fullmatch(r"[A-Z]{2,5}", words):
        for key, ent in ctx.index.new.items():
            if "NewsOrganization" in ent.types and "".join(w[0] for w in ent.label.split() if w[:1].isupper()) == words:
                ctx.index.add_alias(key, words)
                return key, run[1]
    key = ctx.index.add_new(words, ("NewsOrganization",))
    return (key, run[1]) if key else None


def byline_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    out = []
    text = ctx.text
    m = _LEADING.match(text, sentence.start, sentence.end)
    if m:
        outlet = _outlet(ctx, sentence, m.end())
        comma = re.match(r",\s+", text[outlet[1]:sentence.end]) if outlet else None
        person = next((p for p in ctx.names(sentence) if comma and p.start == outlet[1] + comma.end()), None)
        if outlet and person is not None and _writer(ctx, person):
            out.append(Candidate(ctx.name_words(person), "worksFor", outlet[0], sentence.start, person.end, 0.7, "piece-for-outlet"))
    for p in ctx.names(sentence):
        m = _POSSESSED.match(text, p.end - (2 if re.search(r"['’]s$", p.text) else 0), sentence.end)
        if m is None or not _writer(ctx, p):
            continue
        outlet = _outlet(ctx, sentence, m.end())
        if outlet:
            out.append(Candidate(ctx.name_words(p) if not re.search(r"['’]s?$", p.text) else p.key, "worksFor", outlet[0],
                                 p.start, outlet[1], 0.7, "persons-piece-for-outlet"))
    return out


def _writer(ctx: Context, m: Mention) -> bool:
    return ctx.is_a(m, "Person") and not m.generic
