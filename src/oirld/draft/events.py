"""Meetings and announcements: who met whom, who announced what, and when.

An event is only drafted with the actors that stand beside its verb ("X met with Y", "X and Y announced"); it is
the event another article already reports when that article's claims give it the same actors (and, for an
announcement, a compatible date), and otherwise a new entity labelled by its actors and date. "The American and
Iraqi governments" names its states by their demonyms.
"""

from __future__ import annotations

import re

from ..timeexpr import times_compatible
from .context import Candidate, Context
from .military import DEMONYMS
from .names import Mention
from .text import Sentence

__all__ = ["meeting_rules", "announcement_rules", "named_agreement_rules", "founder_rules", "actors_in", "entity_label",
           "known_event"]

_ACTORS = ("Person", "State", "GovernmentBody", "MilitaryCommand", "Coalition", "ArmedGroup", "PoliticalBloc")


def entity_label(ctx: Context, key: str) -> str:
    """The label a new event's name is made of: an entity this draft added is not in the registry yet."""
    if key in ctx.index.new:
        return ctx.index.new[key].label
    return ctx.index.registry.entities[key].label


def known_event(ctx: Context, types: set[str], prop: str, actors: set[str], time=None) -> str | None:
    """The registry event of these types whose claims in the other articles name all ``actors`` under ``prop``
    (and a date compatible with ``time``, when both are known); None when there is none or more than one."""
    found = []
    for key, claims in sorted(ctx.corpus.items()):
        if key not in ctx.index.registry.entities or not ctx.index.closure(key) & types:
            continue
        named = {c.value.entity for c in claims if c.prop == prop}
        dates = [c.value.time for c in claims if c.prop == "date" and c.value.time is not None]
        if actors <= named and (time is None or not dates or any(times_compatible(d, time) for d in dates)):
            found.append(key)
    return found[0] if len(found) == 1 else None


def actors_in(ctx: Context, sentence: Sentence, lo: int, hi: int) -> list[tuple[str, int, int, str]]:
    """(key, start, end, words for the mapping) of the actors named in text[lo:hi], demonyms included."""
    out = []
    for m in ctx.in_span(sentence, lo, hi, *_ACTORS):
        if not m.generic:
            out.append((m.key, m.start, m.end, ctx.name_words(m)))
    for w in re.finditer(r"\b[A-Z][\w.]*", ctx.text[lo:hi]):
        name = DEMONYMS.get(w.group().lower())
        s = lo + w.start()
        if name and not any(a <= s < b for _, a, b, _ in out):
            hit = ctx.index.lookup(name)
            if hit and "State" in ctx.index.types_of(hit[0]):
                out.append((hit[0], s, s + len(w.group()), hit[0]))
    return sorted(out, key=lambda a: a[1])


def meeting_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    for v in re.finditer(r"\bmet(?:\s+with)?\s+", text[sentence.start:sentence.end]):
        at, after = sentence.start + v.start(), sentence.start + v.end()
        lo, hi = ctx.clause(sentence, at, after)
        before = [m for m in ctx.in_span(sentence, lo, at, "Person") if not m.generic]
        other = next((m for m in ctx.in_span(sentence, after, hi, "Person", "State", "GovernmentBody") if not m.generic), None)
        if not before or other is None or not _only_titles_between(text, after, other):
            continue
        one = before[-1]
        times = [t for t in ctx.times(other.end, hi) if t.start - other.end <= 30]
        when = times[0] if times else None
        key = known_event(ctx, {"Meeting"}, "participant", {one.key, other.key}, when.time if when else None)
        if key is None:
            label = f"Meeting of {entity_label(ctx, one.key)} and {entity_label(ctx, other.key)}" + (f" ({when.time.canonical()})" if when else "")
            key = ctx.index.add_new(label, ("Meeting",), findable=False)
            if key is None:
                continue
        q_lo, q_hi = one.start, other.end
        out.append(Candidate(key, "participant", ctx.name_words(one), q_lo, q_hi, 0.75, "x-met-y"))
        out.append(Candidate(key, "participant", ctx.name_words(other), q_lo, q_hi, 0.75, "x-met-y"))
        if when:
            out.append(Candidate(key, "date", when.words, q_lo, max(q_hi, when.end), 0.7, "x-met-y-date", (),
                                 ))
    return out


def _only_titles_between(text: str, lo: int, m: Mention) -> bool:
    """'met with Iraqi Prime Minister Mohamed …': between the verb and the name, capitalised title words only."""
    gap = text[lo:m.start].split()
    return len(gap) <= 5 and all(w[:1].isupper() or w in ("the", "a") for w in gap)


def announcement_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    for v in re.finditer(r"\b(?:jointly\s+)?announced\b", text[sentence.start:sentence.end]):
        at, after = sentence.start + v.start(), sentence.start + v.end()
        lo, hi = ctx.clause(sentence, at, after)
        subject = text[lo:at]
        if re.search(r"\b(?:was|were|is|are|been|as)\s*$", subject) or len(subject.split()) > 8:
            continue  # "as announced by CENTCOM", "was announced": no subject beside the verb
        if re.search(r"\b(?:the|a|an|its|their|his|her|this|that|newly|recently|previously|already)\s*$", subject, re.IGNORECASE):
            continue  # "welcomed the announced timetable": an adjective, not a verb
        actors = actors_in(ctx, sentence, lo, at)
        if not actors:
            continue
        times = [t for t in ctx.times(after, hi) if t.start - after <= 4]
        when = times[0] if times else None
        keys = {a[0] for a in actors}
        key = known_event(ctx, {"Announcement"}, "announcedBy", keys, when.time if when else None)
        if key is None:
            if when is None:
                continue  # an announcement with no date is too vague to become a thing of its own
            label = "Announcement by " + " and ".join(dict.fromkeys(entity_label(ctx, k) for k in keys)) + f" ({when.time.canonical()})"
            key = ctx.index.add_new(label, ("Announcement",), findable=False)
            if key is None:
                continue
        q_lo = actors[0][1]
        q_hi = max(after, when.end if when else after)
        for k, _, _, words in actors:
            out.append(Candidate(key, "announcedBy", words, q_lo, q_hi, 0.75, "x-announced"))
        if when:
            out.append(Candidate(key, "date", when.words, q_lo, q_hi, 0.7, "x-announced-date"))
        op = next((m for m in ctx.in_span(sentence, after, sentence.end, "MilitaryOperation", "Phase") if not m.generic), None)
        if op and "," not in text[after:op.start] and re.search(r"\b(?:end|ending|phasing down|phase-down|closing|close|wind(?:ing)? down|withdrawal|transition)\b",
                            text[after:op.start]):
            out.append(Candidate(key, "about", ctx.name_words(op), q_lo, op.end, 0.65, "announced-end-of-x"))
    return out


_AGREEMENT = re.compile(r"\b(?:(?P<year>(?:19|20)\d\d)\s+)?(?P<name>(?:(?P<parties>[A-Z][\w.]*(?:[-–/][A-Z][\w.]*)+)\s+)?"
                        r"(?:[A-Z][\w’'-]*\s+){1,4}(?:Agreement|Accords?|Pact|Treaty))\b")
_FOUNDER = re.compile(r"\b(?:[Tt]he\s+)?(?:(?:militia|group|movement|faction|organi[sz]ation|party)['’]s|[Ii]ts|(?P<g>[A-Z][\w’'-]*"
                      r"(?:\s+(?:al-)?[A-Z][\w’'-]*){0,3})['’]s)\s+founder,?\s+"
                      r"(?:(?:[A-Z][\w.]*\s+){0,2})?(?P<p>[A-Z][\w’'-]*(?:\s+(?:al-|bin\s+)?[A-Z][\w’'-]*){1,3})")


def named_agreement_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"the 2008 US-Iraq Strategic Framework Agreement": a named agreement, its year and the states its name joins."""
    from .attacks import state_of

    out = []
    for m in _AGREEMENT.finditer(ctx.text, sentence.start, sentence.end):
        name = m.group("name")
        hit = ctx.index.lookup(name) or ctx.index.lookup(f"{m.group('year')} {name}" if m.group("year") else name)
        if hit and "Agreement" not in ctx.index.closure(hit[0]):
            continue
        parties = [s for s in (state_of(ctx, p) for p in re.split(r"[-–/]", m.group("parties") or "")) if s]
        if not hit and not (m.group("year") or parties):
            continue  # a capitalised name alone may be anything's
        key = hit[0] if hit else ctx.index.add_new(name, ("Agreement",))
        if key is None:
            continue
        if m.group("year"):
            out.append(Candidate(key, "date", m.group("year"), m.start(), m.end(), 0.7, "year-named-agreement"))
        if not m.group("year") and re.search(rf"\b(?:19|20)\d\d\s+{re.escape(name)}", ctx.text):
            continue  # the parties are quoted where the article names the agreement in full, with its year
        for s in dict.fromkeys(parties):
            out.append(Candidate(key, "participant", s, m.start(), m.end(), 0.7, "parties-named-agreement"))
    return out


def founder_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"The militia’s founder, Qais Khazali": the group named before was founded by the person named here."""
    from .attacks import antecedent

    out = []
    for m in _FOUNDER.finditer(ctx.text, sentence.start, sentence.end):
        named = next((n for n in ctx.names(sentence) if m.group("g") and n.start == m.start("g") and not n.generic
                      and ctx.is_a(n, "ArmedGroup", "PoliticalBloc")), None) if m.group("g") else None
        if m.group("g") and named is None:
            continue  # "Iraq's founder": not a group the registry knows
        group = named or antecedent(ctx, sentence, m.start())
        if group is None:
            continue
        words = m.group("p")
        hit = ctx.index.lookup(words)
        if hit and "Person" not in ctx.index.closure(hit[0]):
            continue
        person = hit[0] if hit else ctx.index.add_new(words, ("Person",))
        if person is None:
            continue
        value = words if hit and hit[1] == "registry" else person
        out.append(Candidate(group.key, "foundedBy", value, m.start(), m.end("p"), 0.65, "group-s-founder-x"))
    return out
