"""Agreements and talks: who the parties are, and when.

News grammar names the parties of an agreement in a few shapes: "X (and Y) reached / signed / struck an
agreement (with Y)", "a deal struck with Y", "talks between X and Y", "the X-Y partnership". A capital standing for
its government ("a deal struck with Baghdad", "talks between Washington and Baghdad") is that state. The agreement
is the one another article's mappings already give these parties: the only one, or, when the article says it was
reached and gives no date, the only one dated in the two years before publication (an older treaty between the
same states is not "the agreement reached"). A dated agreement the corpus lacks becomes a new entity; an undated
one stays unread, since "an agreement" alone could be any.
"""

from __future__ import annotations

import datetime as dt
import re

from ..timeexpr import times_compatible
from .context import Candidate, Context
from .events import actors_in, entity_label
from .military import DEMONYMS
from .text import Sentence, is_headline

__all__ = ["agreement_rules", "agreement_mentions", "parties_after"]

_NOUN = r"(?:agreements?|deals?|accords?|pacts?|memorandum of understanding|partnerships?|arrangements?|talks|negotiations?|dialogue)"
_NP = rf"(?:(?:an?|the|its|their)\s+(?:(?!with\b|between\b)[\w’'-]+\s+){{0,4}}?|(?:direct|bilateral|formal)\s+){_NOUN}\b"
#: the words a thing of each family is called by, so "a deal" is not taken for "the security partnership"
_FAMILIES = (r"agreement|deal|accord|pact|memorandum", r"partnership|arrangement|ties|relationship",
             r"talks|negotiation|dialogue")
#: "X has reached an agreement with Y", "X and Y signed a deal"
_REACHED = re.compile(rf"\b(?:(?:has|have|had)\s+)?(?:reached|signed|struck|concluded|inked|sealed|finali[sz]ed|agreed on)\s+"
                      rf"(?P<np>{_NP})(?:\s+with\s+(?P<with>\S))?", re.I)
#: "a deal struck with Baghdad", "talks between Washington and Baghdad", "negotiations with Iraq"
_WITH = re.compile(rf"(?P<np>{_NP})\s+(?:(?:struck|reached|signed|agreed|concluded)\s+)?(?:with|between)\s+(?P<with>\S)", re.I)
#: "the US-Iraq deal", "a lasting U.S.-Iraqi security partnership"
_PAIR = re.compile(rf"\b(?P<a>[A-Z][\w.]*)[-–](?P<b>[A-Z][\w.]*)\s+(?:[\w-]+\s+){{0,3}}?(?P<n>{_NOUN})\b")
CAPITALS = {"baghdad": "Iraq", "washington": "United States", "london": "United Kingdom", "tehran": "Iran",
            "damascus": "Syria", "ankara": "Turkey", "amman": "Jordan", "paris": "France", "moscow": "Russia",
            "berlin": "Germany", "riyadh": "Saudi Arabia", "kuwait city": "Kuwait", "doha": "Qatar"}
_PARTIES = ("State", "GovernmentBody", "Coalition", "PoliticalBloc", "ArmedGroup")


def _kind(noun: str) -> str:
    return "Meeting" if re.search(r"talks|negotiation|dialogue", noun, re.I) else "Agreement"


def _party(ctx: Context, words: str) -> str | None:
    """A state named by itself, its demonym or its capital."""
    words = re.sub(r"^(?:the\s+)", "", words.strip(" ,.’'"), flags=re.I)
    hit = ctx.index.lookup(words)
    if hit and ctx.index.closure(hit[0]) & set(_PARTIES) and not hit[2]:
        return hit[0]
    name = CAPITALS.get(words.lower()) or DEMONYMS.get(words.lower())
    hit = ctx.index.lookup(name) if name else None
    return hit[0] if hit and "State" in ctx.index.closure(hit[0]) else None


def parties_after(ctx: Context, sentence: Sentence, at: int) -> list[tuple[str, int, int]]:
    """The party, or "X and Y", named from ``at``: (key, start, end)."""
    out: list[tuple[str, int, int]] = []
    name = r"(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}(?:\s+government)?"
    m = re.match(rf"({name})(?:\s+and\s+({name}))?", ctx.text[at:sentence.end])
    if not m:
        return out
    for g in (1, 2):
        if not m.group(g):
            continue
        parts = m.group(g).split()
        for n in range(len(parts), 0, -1):  # the longest leading words that name a party
            words = " ".join(parts[:n])
            key = _party(ctx, words)
            if key:
                out.append((key, at + m.start(g), at + m.start(g) + len(words)))
                break
    return out


def _parties_before(ctx: Context, sentence: Sentence, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """The parties named in ``text[lo:hi]``: actors, demonyms ("the American and Iraqi governments"), capitals."""
    out = [(k, a, b) for k, a, b, _ in actors_in(ctx, sentence, lo, hi) if ctx.index.closure(k) & set(_PARTIES)]
    for m in ctx.in_span(sentence, lo, hi, "City"):
        key = _party(ctx, m.text)
        if key and not any(a <= m.start < b for _, a, b in out):
            out.append((key, m.start, m.end))
    return sorted(out, key=lambda p: p[1])


def _value(ctx: Context, words: str, key: str) -> str:
    """The words as written when the registry reads them as this party ("Washington"), else the key ("Baghdad")."""
    hit = ctx.index.lookup(words)
    return words if hit and hit[0] == key else key


def _family(words: str) -> str | None:
    return next((f for f in _FAMILIES if re.search(rf"\b(?:{f})", words, re.I)), None)


def _resolve(ctx: Context, kind: str, parties: set[str], time, recent: bool, noun: str = "") -> str | None:
    """The agreement (or talks) of the other articles with these parties; see the module docstring."""
    found: list[tuple[str, list]] = []
    for key, claims in sorted(ctx.corpus.items()):
        if key not in ctx.index.registry.entities or kind not in ctx.index.closure(key):
            continue
        named = {c.value.entity for c in claims if c.prop == "participant"}
        dates = [c.value.time for c in claims if c.prop == "date" and c.value.time is not None]
        if parties <= named and (time is None or not dates or any(times_compatible(d, time) for d in dates)):
            found.append((key, dates))
    family = _family(noun)
    if len(found) > 1 and family:
        named = [(k, ds) for k, ds in found
                 if any(re.search(rf"\b(?:{family})", n, re.I) for n in ctx.index.registry.entities[k].names())]
        found = named or found
    if len(found) > 1 and time is None and recent and ctx.seed.reference:
        published = ctx.seed.reference[0]
        found = [(k, ds) for k, ds in found
                 if any(d.latest and published - dt.timedelta(days=730) <= d.latest <= published + dt.timedelta(days=31)
                        for d in ds)]
    return found[0][0] if len(found) == 1 else None


def agreement_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, out = ctx.text, []
    s0, s1 = sentence.start, sentence.end
    seen: set[int] = set()
    shapes = [(m, "reached") for m in _REACHED.finditer(text, s0, s1)] + [(m, "with") for m in _WITH.finditer(text, s0, s1)]
    for m, shape in sorted(shapes, key=lambda x: x[0].start()):
        np_lo, np_hi = m.start("np"), m.end("np")
        if np_lo in seen or any(a <= np_lo < b for a, b in _spans(out)):
            continue
        parties: list[tuple[str, int, int]] = []
        if shape == "reached":
            lo, _ = ctx.clause(sentence, m.start(), m.start())
            gap = text[lo:m.start()]
            if len(gap.split()) > 10 or re.search(r"\b(?:who|which|that)\s*$", gap):
                continue
            parties += _parties_before(ctx, sentence, lo, m.start())
        if m.group("with"):
            parties += parties_after(ctx, sentence, m.start("with"))
        keys = list(dict.fromkeys(k for k, _, _ in parties))
        if not keys:
            continue
        noun = text[np_lo:np_hi]
        kind = _kind(noun)
        hi = max([b for _, _, b in parties] + [np_hi])
        times = [t for t in ctx.times(m.start(), min(s1, hi + 30)) if t.start >= hi - 1 or np_lo <= t.start < np_hi]
        when = times[0] if times and times[0].start - hi <= 12 else None
        year = re.search(r"\b(19|20)\d\d\b", noun)
        if when is None and year:
            when = next((t for t in ctx.times(np_lo, np_hi)), None)
        recent = shape == "reached" or bool(re.search(r"\b(?:struck|reached|signed)\b", text[np_hi:m.end()]))
        key = _resolve(ctx, kind, set(keys), when.time if when else None, recent, noun)
        between = bool(re.search(r"\bbetween\s", text[np_hi:m.end()]))
        if key is None:
            if len(keys) < 2 or when is None and not (between and kind == "Meeting"):
                continue
            label = ("Talks" if kind == "Meeting" else "Agreement") + " between " + " and ".join(entity_label(ctx, k) for k in keys) \
                + (f" ({when.time.canonical()})" if when else "")
            key = ctx.index.add_new(label, (kind,), findable=False)
            if key is None:
                continue
        seen.add(np_lo)
        q_lo = min([a for _, a, _ in parties] + [m.start()])
        for k, a, b in parties:
            if k in keys:
                keys.remove(k)
                out.append(Candidate(key, "participant", _value(ctx, text[a:b], k), q_lo, max(b, np_hi), 0.7,
                                     "agreement-parties"))
        if when is not None:
            out.append(Candidate(key, "date", when.words, q_lo, max(hi, when.end), 0.65, "agreement-date"))
        if kind == "Agreement":
            ctx.agreements.append((np_lo, key))
            out += _about(ctx, sentence, key, q_lo, when.end if when is not None and when.start >= hi else hi)
    # a headline compresses what the body says in a sentence: leave it to the body
    for m in ([] if is_headline(sentence) else _PAIR.finditer(text, s0, s1)):
        a, b = _party(ctx, m.group("a")), _party(ctx, m.group("b"))
        if not a or not b or a == b or any(c.start <= m.start() < c.end and c.property == "participant" for c in out):
            continue
        np = re.search(r"(?:(?:an?|the)\s+(?:[\w-]+\s+){0,2}?)?$", text[max(s0, m.start() - 30):m.start()])
        year = re.search(r"\b(?:19|20)\d\d\b", text[max(s0, m.start() - 6):m.start()])
        when = next((t for t in ctx.times(max(s0, m.start() - 6), m.start())), None) if year else None
        key = _resolve(ctx, _kind(m.group("n")), {a, b}, when.time if when else None, False, m.group("n"))
        proper = next((n for n in ctx.in_span(sentence, m.start(), m.end() + 40) if not n.generic
                       and ctx.is_a(n, "Agreement", "Meeting") and n.start <= m.end()), None)
        if proper is not None:
            key = proper.key
        if key is None:
            continue
        q_lo = m.start() - (len(np.group()) if np else 0)
        q_hi = proper.end if proper is not None else m.end()
        for k, g in ((a, "a"), (b, "b")):
            out.append(Candidate(key, "participant", _value(ctx, m.group(g), k), q_lo, q_hi, 0.7, "x-y-agreement"))
        if when is not None:
            out.append(Candidate(key, "date", when.words, when.start, q_hi, 0.65, "x-y-agreement-date"))
    return out + agreement_mentions(ctx, sentence)


_ANAPHOR = re.compile(r"\b(?:[Tt]his|[Tt]he|[Tt]hat)\s+(?:new\s+|latest\s+|landmark\s+)?(?P<n>agreement|deal|accord|pact|decision)\b"
                      r"(?!\s+(?:to|between|with|on|of)\b)")
#: what is said of it: "is a significant development" (the words after the copula), "marks / signals …" (with the verb)
_SAID_OF = re.compile(r"\s+(?:(?:is|was|will be|would be)\s+(?P<np>(?:a|an|the)\s[^,;.:]{6,}?)(?=[,;.]|$)"
                      r"|(?P<vp>(?:marks|signals|represents|reflects|constitutes|ushers in|opens)\s[^;.]{6,}?)(?=[;.]|,\s+(?:but|while|as)\b|$))")


_ENDS = re.compile(r"\s*(?:,\s*)?(?:that|which)?\s*(?:will|would|is to|to)?\s*(?:end|close|conclude|wind down|phase out|"
                   r"mark the end of|bring an end to|put an end to)\s+")


def _about(ctx: Context, sentence: Sentence, key: str, q_lo: int, hi: int) -> list[Candidate]:
    """"an agreement to end the task force", "a deal that will close the coalition mission": what it is about."""
    m = _ENDS.match(ctx.text, hi, sentence.end)
    if not m:
        return []
    op = next((n for n in ctx.in_span(sentence, m.end(), sentence.end, "MilitaryOperation", "Phase", "Withdrawal")
               if n.start == m.end() or ctx.text[m.end():n.start].lower() in ("the ", "its ", "their ")), None)
    if op is None:
        return []
    return [Candidate(key, "about", ctx.name_words(op), q_lo, op.end, 0.7, "agreement-to-end-x")]


def agreement_mentions(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"This agreement is …", "The deal marks …": what the article says of the agreement it named before (a
    "decision" only once an agreement is named); the quote holds the words that point back."""
    text, out = ctx.text, []
    for m in _ANAPHOR.finditer(text, sentence.start, sentence.end):
        earlier = [k for off, k in ctx.agreements if off < m.start()]
        if not earlier:
            continue
        said = _SAID_OF.match(text, m.end(), sentence.end)
        if not said:
            continue
        value = said.group("np") or said.group("vp")
        v_end = said.end()
        out.append(Candidate(earlier[-1], "characterisation", value.strip(), m.start(), v_end, 0.65, "agreement-is"))
    return out


def _spans(out: list[Candidate]) -> list[tuple[int, int]]:
    return [(c.start, c.end) for c in out]
