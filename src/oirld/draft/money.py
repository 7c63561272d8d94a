"""Sales, aid and training: sums of money and numbers trained, hung on the sale or programme they belong to.

A sum is a claim only when the sentence says what it is: "X approved a $65 million … sale to Y for Z" (an arms sale:
amount, approvedBy, recipient, purpose, date), or "X has given Y $N in …" / "$N has been invested by X" and "trained
N personnel" (support: supportValue, trainedCount, carriedOutBy, recipient). The sale or programme is the one the
other articles' mappings already hold when they state the same sum (or, for support, the same giver); otherwise a
sale becomes a new entity named as the article words it, and support with no known programme stays a suggestion.
"""

from __future__ import annotations

import re

from ..quantities import quantities_compatible
from .context import Candidate, Context, Suggestion
from .military import DEMONYMS
from .mission import unattributed
from .text import Sentence

__all__ = ["money_rules"]

_GIVERS = ("State", "Coalition", "GovernmentBody", "ArmedForces")
_SALE = re.compile(r"\b(?:approved|announced|cleared|signed|agreed(?: to)?)\s+(?:a|an|the)\s+(?P<amt>\$[\d.,]+(?:\s+(?:million|billion))?)"
                   r"(?P<what>(?:\s+[\w-]+){0,3}?\s+(?:sale|deal|contract|package))"
                   r"(?:\s+to\s+(?P<to>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*))?(?:\s+for\s+(?P<for>[^,.;]+))?")


def _known(ctx: Context, types: set[str], prop: str, amount=None, actor: str | None = None) -> str | None:
    found = []
    for key, claims in sorted(ctx.corpus.items()):
        if key not in ctx.index.registry.entities or not ctx.index.closure(key) & types:
            continue
        if amount is not None and any(c.prop == prop and c.value.quantity is not None and c.value.quantity.amount == amount.amount
                                      and quantities_compatible(c.value.quantity, amount) for c in claims):
            found.append(key)
        elif actor is not None and any(c.prop == "carriedOutBy" and c.value.entity == actor for c in claims):
            found.append(key)
    return found[0] if len(found) == 1 else None


def money_rules(ctx: Context, sentence: Sentence) -> tuple[list[Candidate], list[Suggestion]]:
    text, out, notes = ctx.text, [], []
    s0 = sentence.start
    for m in _SALE.finditer(text, s0, sentence.end):
        amt = next((q for q in ctx.quantities(m.start("amt"), m.end("amt") + 12) if q.quantity.kind == "MoneyAmount"), None)
        if amt is None:
            continue
        lo, hi = ctx.clause(sentence, m.start(), m.end())
        key = _known(ctx, {"ArmsSale"}, "amount", amt.quantity)
        if key is None:
            label = text[m.start("amt"):m.end("to") if m.group("to") else m.end("what")]
            key = ctx.index.add_new(label, ("ArmsSale",), findable=False)
            if key is None:
                continue
        q_lo, q_hi = m.start(), m.end()
        out.append(Candidate(key, "amount", amt.words, q_lo, q_hi, 0.75, "sale-amount"))
        approvers = [a for a in ctx.in_span(sentence, lo, m.start(), *_GIVERS) if not a.generic]
        if approvers:
            out.append(Candidate(key, "approvedBy", ctx.name_words(approvers[-1]), approvers[-1].start, q_hi, 0.75, "sale-approved-by"))
        if m.group("to"):
            to = next((a for a in ctx.in_span(sentence, m.start("to"), m.end("to") + 1, "Actor") if a.start == m.start("to")), None)
            if to:
                out.append(Candidate(key, "recipient", ctx.name_words(to), q_lo, q_hi, 0.75, "sale-recipient"))
        if m.group("for"):
            out.append(Candidate(key, "purpose", m.group("for").strip(), q_lo, q_hi, 0.7, "sale-purpose"))
            if not m.group("to"):
                out += _recipient_by_demonym(ctx, key, m.group("for"), q_lo, q_hi)
        times = ctx.times(lo, hi)
        if times:
            t = times[0]
            out.append(Candidate(key, "date", t.words, min(q_lo, t.start), max(q_hi, t.end), 0.7, "sale-date"))
    # support: "X has given Y more than $4 billion in …", "$N has been invested by X", "trained N personnel"
    for q in ctx.quantities(s0, sentence.end):
        before = text[max(s0, q.start - 60):q.start]
        after = text[q.end:q.end + 40]
        if q.quantity.kind == "MoneyAmount" and (re.search(r"\b(?:given|provided|supplied|delivered|invested|spent)\b[^.]*$", before)
                                                 or re.match(r"\s+(?:has|have)\s+been\s+(?:invested|spent|provided)", after)):
            prop = "supportValue"
        elif q.quantity.kind == "PersonCount" and re.search(r"\b(?:trained|training of)\s+$", before):
            prop = "trainedCount"
        else:
            if q.quantity.kind == "MoneyAmount" and not any(c.property == "amount" and c.start <= q.start < c.end for c in out):
                notes.append(Suggestion(s0, sentence.end, f"a sum of money ({q.words!r}): amount / supportValue of which sale or programme?", "supportValue"))
            continue
        lo, hi = ctx.clause(sentence, q.start, q.end)
        givers = [a for a in ctx.in_span(sentence, s0, sentence.end, *_GIVERS) if not a.generic or ctx.is_a(a, "Coalition")]
        key = _known(ctx, {"Training"}, prop, q.quantity)
        for g in givers:
            key = key or _known(ctx, {"Training"}, prop, actor=g.key)
        if key is None:
            notes.append(Suggestion(s0, sentence.end, f"{q.words!r} of support: which programme? (no known one matches)", prop))
            continue
        out.append(Candidate(key, prop, q.words, min(lo, q.start), max(hi, q.end), 0.7, "support-figure"))
        out += _giver_and_recipient(ctx, sentence, key, lo, q)
        why = _FOR_WHAT.search(text, q.end, sentence.end)
        if why:
            purpose = unattributed(why.group("p").strip())
            out.append(Candidate(key, "purpose", purpose, q.start, why.start("p") + len(purpose), 0.65, "support-purpose"))
            out += _built_up(ctx, sentence, key, why.start("p"), why.start("p") + len(purpose), out)
    out += _received(ctx, sentence)
    out += _years_of_support(ctx, sentence)
    return out, notes


#: "a decade of logistical and financial support from the coalition", "ten years of U.S. training from the coalition"
_YEARS_OF = re.compile(r"\b(?P<q>(?:more\s+than\s+|nearly\s+|almost\s+|over\s+)?(?:a|one|two|three|four|five|six|seven|eight|"
                       r"nine|ten|eleven|twelve|\d+)\s+(?:years?|decades?))\s+of\s+(?:[\w-]+,?\s+(?:and\s+)?){0,3}?"
                       r"(?:support|assistance|aid|training|backing)\s+(?:from|by|provided\s+by)\s+", re.I)


def _years_of_support(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """How long the support the other articles give this giver ran, and that it was the giver's."""
    out = []
    for m in _YEARS_OF.finditer(ctx.text, sentence.start, sentence.end):
        giver = next((n for n in ctx.in_span(sentence, m.end(), sentence.end, *_GIVERS) if n.start == m.end()
                      and (not n.generic or ctx.is_a(n, "Coalition"))), None)
        key = _known(ctx, {"Training"}, "carriedOutBy", actor=giver.key) if giver is not None else None
        if key is None:
            continue
        out.append(Candidate(key, "duration", m.group("q"), m.start(), giver.end, 0.65, "years-of-support-from-x"))
        out.append(Candidate(key, "carriedOutBy", ctx.name_words(giver), m.start(), giver.end, 0.65, "years-of-support-from-x"))
    return out


#: "… has been invested by X to improve the capabilities of the Iraqi army": what the support is for
_FOR_WHAT = re.compile(r"\s(?P<p>(?:in\s+order\s+)?to\s+(?!the\b|a\b|an\b|be\b|\d)[a-z]+\b[^;.,]{6,})")
#: "to improve / build up the capabilities of the Iraqi army": whose capabilities the support is for
_CAPABILITIES = re.compile(r"\bto\s+(?:\w+ly\s+)?(?:improve|build(?:\s+up)?|strengthen|boost|enhance|develop|bolster|raise)\s+"
                           r"(?:the\s+)?(?:\w+\s+)?(?:capabilities|capability|capacity|capacities|readiness|skills)\s+of\s+")


def _built_up(ctx: Context, sentence: Sentence, key: str, lo: int, hi: int, out: list[Candidate]) -> list[Candidate]:
    """The forces whose capabilities the support improves are its recipient, unless the sentence named one already."""
    m = _CAPABILITIES.search(ctx.text, lo, hi)
    if not m or any(c.about == key and c.property == "recipient" for c in out):
        return []
    who = next((n for n in ctx.in_span(sentence, m.end(), hi) if n.start == m.end() and not n.generic
                and ctx.is_a(n, "ArmedForces", "State")), None)
    if who is None:
        return []
    return [Candidate(key, "recipient", ctx.name_words(who), m.start(), who.end, 0.65, "to-improve-capabilities-of-x")]


#: "Iraqi security forces have received massive support in terms of equipment, training and funding"
_RECEIVED = re.compile(r"\s+(?:has|have|had)\s+(?:also\s+)?received\s+(?P<np>(?:[\w-]+\s+){0,3}?(?:support|aid|assistance))\s+"
                       r"(?:in\s+terms\s+of|in\s+the\s+form\s+of|including)\s+(?P<what>[a-z][^.;:]{3,80}?)(?=[.;:]|,\s+(?:which|as|while)\b|$)")


def _received(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """recipient and purpose of support the registry describes ("massive support"), from "X have received …"."""
    out = []
    for m in _RECEIVED.finditer(ctx.text, sentence.start, sentence.end):
        key = ctx.index.exact(m.group("np"))
        taker = next((n for n in ctx.names(sentence) if n.end == m.start() and ctx.is_a(n, "Actor")), None)
        if key is None or taker is None or not ctx.index.closure(key) & {"Training"}:
            continue
        out.append(Candidate(key, "recipient", ctx.name_words(taker), taker.start, m.end("np"), 0.7, "x-received-support"))
        what = unattributed(m.group("what").strip())
        out.append(Candidate(key, "purpose", what, m.start("np"), m.start("what") + len(what), 0.65, "support-in-terms-of"))
    return out


def _recipient_by_demonym(ctx: Context, key: str, purpose: str, lo: int, hi: int) -> list[Candidate]:
    """A sale with no "to Y" is for the state whose things the purpose names ("for the maintenance of Iraqi ships");
    only one such state, and one the registry knows."""
    states = set()
    for word in re.findall(r"\b[A-Z][\w.]*", purpose):
        name = DEMONYMS.get(word.lower())
        hit = ctx.index.lookup(name) if name and word.lower() not in ("u.s.", "us") else None
        if hit and "State" in ctx.index.closure(hit[0]):
            states.add(hit[0])
    return [Candidate(key, "recipient", states.pop(), lo, hi, 0.65, "sale-for-demonym")] if len(states) == 1 else []


_GIVE = re.compile(r"\s+(?:has|have|had)?\s*(?:also\s+)?(?:given|provided|supplied|delivered|gave|provides|gives|trained)\s+")


def _giver_and_recipient(ctx: Context, sentence: Sentence, key: str, lo: int, q) -> list[Candidate]:
    """"X has given Y $N …": X carried the support out, Y received it; "$N has been invested by X": X."""
    text, out = ctx.text, []
    names = ctx.names(sentence)
    for v in _GIVE.finditer(text, lo, q.start):
        giver = next((n for n in names if n.end == v.start() and ctx.is_a(n, *_GIVERS)), None)
        taker = next((n for n in names if n.start == v.end() and n.end <= q.start and ctx.is_a(n, "Actor")), None)
        if giver is not None:
            out.append(Candidate(key, "carriedOutBy", ctx.name_words(giver), giver.start, q.end, 0.7, "x-gave-support"))
            if taker is not None and taker.key != giver.key:
                out.append(Candidate(key, "recipient", ctx.name_words(taker), giver.start, q.end, 0.7, "x-gave-y-support"))
    by = re.match(r"\s+(?:has|have)\s+been\s+(?:invested|spent|provided|given)\s+by\s+(?:the\s+)?", text[q.end:sentence.end])
    if by:
        giver = next((n for n in names if n.start in (q.end + by.end(), q.end + by.end() - 4) and ctx.is_a(n, *_GIVERS)), None)
        if giver is not None:
            out.append(Candidate(key, "carriedOutBy", ctx.name_words(giver), q.start, giver.end, 0.7, "support-by-x"))
    return out
