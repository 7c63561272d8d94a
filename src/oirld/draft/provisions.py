"""What an agreement provides for, what follows from it, and whose announcement the article reports.

Wire copy states an agreement's content in a few fixed frames: "Under the deal, ...", "The deal will see ...",
"a 2024 agreement setting / outlining / providing for a partial withdrawal ...". Inside such a frame, the withdrawal,
operation, phase or partnership the registry describes in those words is what the agreement is ``about``; outside
it, a description ("a long-term security partnership") names too many things to be read. The agreement is the one
the frame names itself, or else the last one the article named before (an "a 2023 agreement" with none named
before stays unread). When the frame's clause has a state's or the coalition's forces leaving ("Under the deal,
U.S. troops will gradually leave ...", "reduce its military role under a deal struck with Baghdad") and names no
registry thing, the agreement is about the drawdown (which ends when the clause says "by 2026") the registry knows by that owner's name, or else the one
withdrawal the other articles say this agreement is about that names no base (a drawdown in general, not a move
from one base); other verbs ("will see troops train Iraqi forces") stay unread. "The shift follows the agreement" makes the described move ``basedOn`` it. "The Pentagon's
announcement" is an announcement by that actor: the one the other articles give it when there is only one, else a
new one of this article.
"""

from __future__ import annotations

import re

from .context import Candidate, Context
from .events import known_event, entity_label
from .stances import drawdown_of
from .text import Sentence, is_headline

__all__ = ["provision_rules"]

#: what an agreement can be about
_CONTENT = ("Withdrawal", "Relocation", "MilitaryOperation", "Phase", "Agreement")
_AGREEMENT = r"(?:agreement|deal|accord|pact)"
#: "Under the deal," / "Under the terms of the agreement," at the head of the sentence
_UNDER = re.compile(rf"(?:Under|As\s+part\s+of)\s+(?:the\s+terms\s+of\s+)?(?:the|this|that)\s+(?:new\s+)?{_AGREEMENT},\s+")
#: "The deal will see ...", "The agreement provides for ..."
_WILL_SEE = re.compile(rf"(?:The|This|That)\s+(?:new\s+)?{_AGREEMENT}\s+(?:will\s+see|would\s+see|provides\s+for|"
                       rf"calls\s+for|envisages|envisions|foresees|sets\s+out|lays\s+out|outlines|stipulates)\s+")
#: "a 2023 agreement setting ...", "the deal, which outlines ..."
_SETTING = re.compile(rf"\b(?:an?|the)\s+(?:(?:19|20)\d\d\s+)?{_AGREEMENT},?\s+(?:(?:that|which)\s+)?"
                      r"(?:setting|sets|set|outlining|outlines|outlined|providing\s+for|provides\s+for|provided\s+for|"
                      r"calling\s+for|calls\s+for|called\s+for|envisaging|envisages|laying\s+out|lays\s+out|laid\s+out)\s+")
#: "The shift follows a 2023 agreement", "The drawdown comes under the deal"
_FOLLOWS = re.compile(rf"\s+(?:follows|implements|(?:comes|came|falls|fell)\s+under|(?:is|was)\s+(?:in\s+line\s+with|"
                      rf"part\s+of|based\s+on))\s+(?:an?|the)\s+(?:(?:19|20)\d\d\s+)?{_AGREEMENT}\b")
#: "the Pentagon's announcement", "Washington's announcement"
_POSSESSIVE = re.compile(r"\b(?:the\s+)?(?P<who>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})['’]s?\s+(?:(?:latest|recent|surprise)\s+)?"
                         r"announcement\b(?!s)")
_ANNOUNCERS = ("GovernmentBody", "State", "Person", "MilitaryCommand", "Coalition", "ArmedForces")


def provision_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    if is_headline(sentence):
        return []  # a headline compresses what the body says: leave it to the body
    provided = _provisions(ctx, sentence)
    if not provided:
        provided = _forces_leaving(ctx, sentence)
    return [*provided, *_follows(ctx, sentence), *_possessive_announcement(ctx, sentence)]


def _agreement_before(ctx: Context, sentence: Sentence, at: int, lo: int) -> str | None:
    """The agreement the words ``text[lo:at]`` name, else the last one the article named before them."""
    named = [m for m in ctx.in_span(sentence, lo, at + 1, "Agreement") if not m.generic or m.how == "registry"]
    if named:
        return named[-1].key
    earlier = [k for off, k in ctx.agreements if off < lo]
    return earlier[-1] if earlier else None


def _contents(ctx: Context, sentence: Sentence, lo: int, hi: int, agreement: str) -> list[tuple[str, int, int]]:
    """The things of ``_CONTENT`` that ``text[lo:hi]`` names or describes as the registry does, longest first."""
    text, out = ctx.text, []
    for m in ctx.in_span(sentence, lo, hi, *_CONTENT):
        if not m.generic and m.key != agreement:
            out.append((m.key, m.start, m.end))
    starts = [lo + w.start() for w in re.finditer(r"(?:^|(?<=\s))(?:an?|the)\s", text[lo:hi])]
    for s in starts:
        if any(a <= s < b for _, a, b in out):
            continue
        words = list(re.finditer(r"[\w’'.-]+", text[s:hi]))
        for n in range(min(8, len(words)), 2, -1):  # the article and at least two words: "a partial withdrawal"
            e = s + words[n - 1].end()
            key = ctx.index.exact(text[s:e])
            if key and key != agreement and ctx.index.closure(key) & set(_CONTENT):
                out.append((key, s, e))
                break
    return sorted(out, key=lambda x: x[1])


def _provisions(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    frames = [m for m in (_UNDER.match(text, sentence.start, sentence.end), _WILL_SEE.match(text, sentence.start, sentence.end))
              if m] + list(_SETTING.finditer(text, sentence.start, sentence.end))
    for m in frames:
        agreement = _agreement_before(ctx, sentence, m.start(), m.start())
        if agreement is None or "Agreement" not in ctx.index.closure(agreement):
            continue
        # the frame reaches to the end of its clause; a "but" or a quote starts another's words
        stop = re.search(r"[;:“”\"]|\s(?:but|while|although|whereas)\s", text[m.end():sentence.end])
        hi = m.end() + stop.start() if stop else sentence.end
        for key, a, b in _contents(ctx, sentence, m.end(), hi, agreement):
            if not any(c.value == key for c in out):
                out.append(Candidate(agreement, "about", key, m.start(), b, 0.6, "agreement-provides-x"))
    return out


def _follows(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    for m in _FOLLOWS.finditer(text, sentence.start, sentence.end):
        head = re.match(r"[\w’'.-]+(?:\s+[\w’'.-]+){1,7}?$", text[sentence.start:m.start()])
        if not head:
            continue
        move = ctx.index.exact(head.group())
        if not move or not ctx.index.closure(move) & {"Withdrawal", "Relocation"}:
            continue
        agreement = _agreement_before(ctx, sentence, m.end(), m.end())
        if agreement and "Agreement" in ctx.index.closure(agreement):
            out.append(Candidate(move, "basedOn", agreement, sentence.start, m.end(), 0.6, "x-follows-agreement"))
    return out


def _possessive_announcement(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    for m in _POSSESSIVE.finditer(text, sentence.start, sentence.end):
        # the actor's name may sit inside a longer name the registry knows ("the Pentagon's announcement")
        hit = ctx.index.lookup(m.group("who"))
        if not hit or hit[2] or not ctx.index.closure(hit[0]) & set(_ANNOUNCERS):
            continue
        who = hit[0]
        named = next((n for n in ctx.in_span(sentence, m.start(), m.end(), "Announcement") if n.end == m.end()), None)
        key = named.key if named is not None else known_event(ctx, {"Announcement"}, "announcedBy", {who})
        if key is None:
            key = ctx.index.add_new(f"Announcement by {entity_label(ctx, who)}", ("Announcement",), findable=False)
        if key is None:
            continue
        words = m.group("who") if ctx.index.exact(m.group("who")) == who else who  # what the build resolves
        out.append(Candidate(key, "announcedBy", words, m.start(), m.end(), 0.6, "x-s-announcement"))
    return out


#: the frame's clause opens with forces leaving: "U.S. troops will gradually shift from …", "coalition forces withdraw"
_LEAVING = re.compile(r"(?:the\s+)?(?P<owner>[\w.’'-]+)\s+(?:and\s+coalition\s+)?(?:troops|forces|soldiers|military\s+personnel)\s+"
                      r"(?:(?:will|would|are\s+to|must)\s+)?(?:(?:gradually|fully|begin|start|be)\s+){0,2}"
                      r"(?:withdraw\w*|leav(?:e|ing)|depart\w*|shift\w*\s+(?:away\s+)?from|pull\w*\s+out|draw\w*\s+down|exit\w*|"
                      r"vacat\w*)\b")
#: "(its commitment to) reduce its military role under a deal struck with …": the deal is named right after
_ROLE = re.compile(rf"\b(?:reduc\w*|end\w*|wind\w*\s+down|scal\w*\s+back|draw\w*\s+down)\s+(?:its|their|the)\s+"
                   rf"(?:[\w.-]+\s+)?(?:military\s+)?(?:role|presence|footprint|deployment)\s+(?:under|as\s+part\s+of)\s+"
                   rf"(?:an?|the)\s+(?:[\w-]+\s+)?{_AGREEMENT}\b", re.IGNORECASE)
_NOT_OWNERS = {"the", "its", "their", "these", "those", "some", "all", "foreign", "remaining", "many", "most"}


def _agreed_drawdown(ctx: Context, agreement: str) -> str | None:
    """The one withdrawal the other articles say the agreement is about, if it is a drawdown (no base named)."""
    about = {c.value.entity for c in ctx.corpus.get(agreement, []) if c.prop == "about" and c.value.entity}
    found = [k for k in sorted(about) if k in ctx.index.registry.entities and "Withdrawal" in ctx.index.closure(k)
             and not any(c.prop in ("fromPlace", "toPlace") for c in ctx.corpus.get(k, []))]
    return found[0] if len(found) == 1 else None


def _forces_leaving(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    frames = [m for m in (_UNDER.match(text, sentence.start, sentence.end), _WILL_SEE.match(text, sentence.start, sentence.end))
              if m]
    for m in frames:
        move = _LEAVING.match(text, m.end(), sentence.end)
        agreement = _agreement_before(ctx, sentence, m.start(), m.start()) if move else None
        if agreement is None or "Agreement" not in ctx.index.closure(agreement) \
                or move.group("owner").lower() in _NOT_OWNERS:
            continue
        key = drawdown_of(ctx, move.group("owner")) or _agreed_drawdown(ctx, agreement)
        if key is None:
            continue
        out.append(Candidate(agreement, "about", key, m.start(), move.end(), 0.6, "agreement-sees-forces-leave"))
        # "…, culminating in a full transition by 2026": the deadline the same clause sets is the drawdown's end
        stop = re.search(r"[;:“”\"]|\s(?:but|while|although|whereas|after|before)\s", text[move.end():sentence.end])
        hi = move.end() + stop.start() if stop else sentence.end
        until = next((t for t in ctx.times(move.end(), hi) if re.match(r"(?:by|until|no later than)\b", t.words, re.I)), None)
        if until is not None:
            out.append(Candidate(key, "endDate", until.words, move.start(), until.end, 0.6, "forces-leave-by"))
    for m in _ROLE.finditer(text, sentence.start, sentence.end):
        named = [k for off, k in ctx.agreements if m.start() <= off < m.end()]
        named += [n.key for n in ctx.in_span(sentence, m.start(), m.end(), "Agreement") if not n.generic]
        key = _agreed_drawdown(ctx, named[0]) if named and "Agreement" in ctx.index.closure(named[0]) else None
        if key is not None:
            out.append(Candidate(named[0], "about", key, m.start(), m.end(), 0.6, "reduce-role-under-agreement"))
    return out
