"""Who takes part in an agreement, partnership or talks: "a security partnership between the two nations",
"negotiations between Washington and Iraq", "a bilateral partnership with Iraq".

The agreement or talks is what the words right before "between" name, as the registry names it (its descriptions
count too: "a long-term security partnership" is how the registry describes one agreement); the agreement rules
(:mod:`.agreements`) instead find it among the other articles' agreements by its parties. The parties are those
named after "between" ("X and Y", read as the agreement rules read them: a capital or demonym stands for its state),
or, for "the two nations / countries / governments / sides", the two states
the sentence and the two before it name (a demonym counts: "the Iraqi government" names Iraq); with any other number
of states the parties are not guessed.
"""

from __future__ import annotations

import re

from .agreements import parties_after
from .context import Candidate, Context
from .military import DEMONYMS
from .text import Sentence

__all__ = ["party_rules", "event_before"]

_EVENTS = ("Agreement", "Meeting", "Event")
_BETWEEN = re.compile(r"\s+between\s+")
#: "a bilateral security partnership with Iraq", "defence ties with Washington": one party named, the other implied
_WITH = re.compile(r"\s+with\s+(?:the\s+)?")
_TWO = re.compile(r"(?:the\s+)?(?:two|both)\s+(?:nations|countries|states|governments|sides|allies|capitals)\b", re.I)


def event_before(ctx: Context, sentence: Sentence, at: int) -> tuple[str, int] | None:
    """(key, start) of the agreement or talks the words ending at ``at`` name: the longest run of up to six words
    the registry knows, names or descriptions alike."""
    words = list(re.finditer(r"[\w’'.-]+", ctx.text[sentence.start:at]))
    for n in range(min(6, len(words)), 0, -1):
        first = words[-n]
        key = ctx.index.exact(ctx.text[sentence.start + first.start():at])
        if key and ctx.index.closure(key) & set(_EVENTS) and not ctx.index.closure(key) & {"Actor", "Place"}:
            return key, sentence.start + first.start()
    return None


def _states(ctx: Context, sentence: Sentence) -> list[str]:
    """The states this sentence and the two before it name, by name or by demonym, in order, once each."""
    index = ctx.sentences.index(sentence)
    found: list[str] = []
    for s in ctx.sentences[max(0, index - 2):index + 1]:
        for m in ctx.names(s):
            key = m.key if ctx.is_a(m, "State") else None
            if key is None:
                first = m.text.split()[0] if m.text.split() else ""
                first = re.sub(r"^(?:the|The)$", "", first) or (m.text.split()[1] if len(m.text.split()) > 1 else "")
                name = DEMONYMS.get(first.lower())
                hit = ctx.index.lookup(name) if name else None
                key = hit[0] if hit and "State" in ctx.index.closure(hit[0]) else None
            if key and key not in found:
                found.append(key)
    return found


def party_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    out = []
    for b in _BETWEEN.finditer(ctx.text, sentence.start, sentence.end):
        event = event_before(ctx, sentence, b.start())
        if event is None:
            continue
        key, lo = event
        two = _TWO.match(ctx.text, b.end(), sentence.end)
        if two:
            states = _states(ctx, sentence)
            if len(states) == 2:
                out += [Candidate(key, "participant", s, lo, two.end(), 0.65, "between-the-two") for s in states]
            continue
        # "between Washington and Baghdad": named parties, a capital or demonym standing for its state
        parties = parties_after(ctx, sentence, b.end())
        if len(parties) == 2 and parties[0][0] != parties[1][0]:
            out += [Candidate(key, "participant", k, lo, parties[1][2], 0.7, "between-x-and-y") for k, _, _ in parties]
    for w in _WITH.finditer(ctx.text, sentence.start, sentence.end):
        event = event_before(ctx, sentence, w.start())
        party = next((m for m in ctx.names(sentence) if m.start in (w.end(), w.end() - 4) and m.start > w.start()), None)
        if event is None or party is None or not ctx.is_a(party, "State", "GovernmentBody"):
            continue
        # "… with Iraq and Syria": a list is not one party
        if re.match(r"\s*(?:,|and\b|or\b)", ctx.text[party.end:sentence.end]):
            continue
        out.append(Candidate(event[0], "participant", ctx.name_words(party), event[1], party.end, 0.7, "partnership-with-x"))
    return out
