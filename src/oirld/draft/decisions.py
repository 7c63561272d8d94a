""""The decision": an article that reports the end of the mission without naming the agreement behind it.

"Operation Inherent Resolve will come to an end by September 2026. This decision marks …" and "The decision to end
the task force by September 2026 signals …" speak of the agreement that ends the operation. When the article named
an agreement before, the anaphor rules (``agreements.agreement_mentions``, ``stances``) read it; these rules fill
only the other case, and only when the other articles' mappings know exactly one agreement that is ``about`` that
operation: the decision is that agreement. What the sentence says of it ("marks …", "signals …") is its
``characterisation``, verb included; "the decision to end X" is also ``about`` X. Anything else stays unread.
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .text import Sentence

__all__ = ["decision_rules"]

_DECISION = re.compile(r"\b(?:[Tt]his|[Tt]he|[Tt]hat)\s+(?:(?:new|latest|recent|joint|historic)\s+)?decision"
                       r"(?P<to>\s+to\s+(?:end|close|conclude|wind\s+down|phase\s+out|terminate)\s+)?")
_ENDS = re.compile(r"\b(?:end|ends|ended|ending|conclude[sd]?|close[sd]?|wind(?:s|ing)?\s+down|phase[sd]?\s+out|"
                   r"come\s+to\s+an\s+end|terminate[sd]?)\b", re.IGNORECASE)
#: what the sentence says the decision is: the verb and its object, to the end of the clause (a colon's list stays)
_SAID_OF = re.compile(r"\s+(?P<vp>(?:marks|signals|represents|reflects|constitutes|ushers\s+in|opens|paves\s+the\s+way\s+for|"
                      r"heralds)\s[^;.]{6,}?)(?=[;.]|,\s+(?:but|while|as|and|which|[a-z]+ed|[a-z]+ing)\b|$)")
_OPERATIONS = ("MilitaryOperation", "Phase")


def _agreement_about(ctx: Context, op: str) -> str | None:
    """The one agreement the other articles' claims say is about ``op``."""
    found = {key for key, claims in ctx.corpus.items()
             if key in ctx.index.registry.entities and "Agreement" in ctx.index.closure(key)
             and any(c.prop == "about" and c.value.kind == "entity" and c.value.entity == op for c in claims)}
    return found.pop() if len(found) == 1 else None


def _ended_before(ctx: Context, sentence: Sentence) -> str | None:
    """The operation the sentence before says will end (its first operation), for "This decision …"."""
    i = ctx.sentences.index(sentence)
    if i == 0:
        return None
    prev = ctx.sentences[i - 1]
    if not _ENDS.search(ctx.text, prev.start, prev.end):
        return None
    ops = [m for m in ctx.names(prev) if ctx.is_a(m, *_OPERATIONS)]
    return ops[0].key if ops else None


def decision_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    for d in _DECISION.finditer(text, sentence.start, sentence.end):
        if any(off < d.start() for off, _ in ctx.agreements):
            continue  # an agreement named before: the anaphor rules read it
        end = d.end()
        op = None
        if d.group("to"):
            op = next((m for m in ctx.names(sentence) if m.start == d.end() and ctx.is_a(m, *_OPERATIONS)), None)
            if op is None:
                continue
            end = op.end
            when = next((t for t in ctx.times(op.end, min(sentence.end, op.end + 40))
                         if re.fullmatch(r"\s*(?:by|in|before|until)?\s*", text[op.end:t.start])), None)
            end = when.end if when else end
        key = op.key if op else _ended_before(ctx, sentence)
        agreement = _agreement_about(ctx, key) if key else None
        if agreement is None:
            continue
        if op is not None:
            out.append(Candidate(agreement, "about", ctx.name_words(op), d.start(), end, 0.6, "decision-to-end-x"))
        said = _SAID_OF.match(text, end, sentence.end)
        if said:
            out.append(Candidate(agreement, "characterisation", said.group("vp").strip(), d.start(), said.end("vp"), 0.6,
                                 "decision-marks"))
    return out
