"""Statements whose attribution sits inside or around them: "Ending the mission now, the official continued,
reflects …" (the words after the attribution, as the curated mappings take them) and "… wouldn’t comment — other
than to say …" (what the speaker who declined did say). Kept apart from :mod:`.speech`, whose speaker rules they use.
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .sources import unnamed_source
from .speech import CLAUSE_END, CLOSE_QUOTES, OPEN_QUOTES, SAY_VERBS, SPEAKER_TYPES, said_claim, speaker_near
from .text import Sentence

__all__ = ["interrupted", "other_than_to_say"]

#: "Ending the mission now, the official continued, reflects two changes": the attribution inside the sentence
_INTERRUPTED = re.compile(rf"(?P<a>[^,{OPEN_QUOTES}{CLOSE_QUOTES}]{{8,}}),\s+(?P<who>[^,{OPEN_QUOTES}{CLOSE_QUOTES}]{{2,70}}?)\s+(?:{SAY_VERBS}|continued|went on)"
                          rf"(?:\s+(?:on|in)\s+(?:a\s+)?\w+)?,\s+(?P<b>[a-z][^{OPEN_QUOTES}{CLOSE_QUOTES}]{{8,}}?)[.!?]?$")
#: a finite verb: the words before such an attribution have none ("Ending the mission now")
_FINITE = re.compile(r"\b(?:will|would|shall|should|can|could|may|might|must|is|are|was|were|has|have|had|do|does|did)\b",
                     re.IGNORECASE)
#: "… wouldn’t comment on how many troops would remain — other than to say there would not be a full withdrawal"
_OTHER_THAN = re.compile(r"(?:,|\s[—–])\s+(?:other\s+than|except)\s+to\s+(?:say|note|confirm|add|stress)\s+(?:that\s+)?")
_DECLINED = re.compile(r"\s+(?:would(?:n[’']t|\s+not)|declined\s+to|refused\s+to|did(?:n[’']t|\s+not)|could(?:n[’']t|\s+not))\s")


def interrupted(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """A paraphrase cut by its attribution ("A, the official continued, B"): the words after the attribution, as
    the curated mappings take them (the quote holds the whole sentence)."""
    text, s0, s1 = ctx.text, sentence.start, sentence.end
    m = _INTERRUPTED.fullmatch(text, s0, s1)
    # the words before the attribution are a subject with no verb of their own ("Ending the mission now"), the
    # words after begin with its verb: "Washington will keep advisers, an official said, declining to …" is not one
    if not m or len(m.group("b").split()) < 3 or _FINITE.search(m.group("a")) \
            or re.match(r"\w+ing\b|(?:and|but|as|while|which|who|although|though)\b", m.group("b")):
        return []
    w_lo, w_hi = m.start("who"), m.end("who")
    speaker = speaker_near(ctx, sentence, w_lo, w_hi, before=True)
    if speaker is not None and speaker.end == w_hi and speaker.start == w_lo + (4 if text[w_lo:w_lo + 4].lower() == "the " else 0):
        who, conf = ctx.name_words(speaker), 0.7
        ctx.speakers.append((speaker.start, speaker.key))
    else:
        src = unnamed_source(ctx, sentence, w_lo, w_hi)
        if src is None or src.start != w_lo:
            return []
        who, conf = src.key, src.confidence
    return [said_claim(who, m.group("b"), m.start("b"), m.end("b"), s0, m.end("b"), "paraphrase", conf, "paraphrase-around-speaker")]


def other_than_to_say(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """What a speaker who declined to say more did say: the clause after "other than to say", given to the
    subject of "wouldn’t" / "declined to"."""
    text, s0, s1 = ctx.text, sentence.start, sentence.end
    o = _OTHER_THAN.search(text, s0, s1)
    d = _DECLINED.search(text, s0, o.start()) if o else None
    if not d:
        return []
    speaker = next((n for n in reversed(ctx.names(sentence)) if n.end == d.start() and not n.generic
                    and ctx.is_a(n, *SPEAKER_TYPES)), None)
    src = unnamed_source(ctx, sentence, s0, d.start()) if speaker is None else None
    if speaker is None and src is None:
        return []
    end = CLAUSE_END.search(text, o.end(), s1)
    c_hi = end.start() if end else s1
    if len(text[o.end():c_hi].split()) < 3:
        return []
    who = ctx.name_words(speaker) if speaker else src.key
    return [said_claim(who, text[o.end():c_hi], o.end(), c_hi, o.start() + re.search(r"other|except", o.group()).start(),
                       c_hi, "paraphrase", 0.7 if speaker else min(0.7, src.confidence), "declined-other-than-to-say")]
