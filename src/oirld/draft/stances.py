"""Stances: who supports, opposes or welcomed what, read from the statements the speech rules found and from a few
verbs and nouns of stance.

A stance needs a target the draft can name with confidence, so it is drafted only when the words after the verb
are one of these:

* a name of an event, agreement, state or body ("welcomed the Strategic Framework Agreement", "US support for
  Israel");
* the departure of a state's or the coalition's forces ("called for the withdrawal of coalition forces", "pressed
  for a full departure of US forces"): a call for the withdrawal supports the drawdown the registry knows by the
  same words in the other order ("the coalition's drawdown"); a call for a complete, full or total departure, or an
  expulsion, opposes that state's presence ("US presence"). The thing is looked up by its registry name, so an
  article about another country's forces finds nothing rather than the wrong thing;
* a description the registry gives a standing situation of this subject ("a U.S. presence", "the planned
  drawdown"), never a description of a single event ("the deal" is another deal in another article);
* an anaphor ("the agreement", "this deal", "the decision") when the article named an agreement before: the most
  recent one.

A verb of welcome ("welcomed", "hailed", "expressed gratitude for") gives ``welcomed``; a call ("called for",
"urged", "pressed for", "advocating for", "expressed interest in keeping", "signalled willingness to maintain")
``supports``; a rejection ("rejected", "condemned", "opposed") ``opposes``; a judgement in a statement that the
target "could be premature" or "would be a mistake" ``opposes``. Negated verbs ("did not welcome") are not read.
Anything else stays unread: unknown is better than wrong.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .context import Candidate, Context
from .decisions import decision_rules
from .military import DEMONYMS
from .names import Mention
from .sources import SOURCE_DESCRIPTION, unnamed_group, unnamed_source
from .text import Sentence

__all__ = ["drawdown_of", "governed", "inside_relative_clause", "speaker_before", "stance_rules", "stances_of_statements"]

_SPEAKER_TYPES = ("Person", "GovernmentBody", "MilitaryCommand", "State", "Coalition", "ArmedGroup", "PoliticalBloc",
                  "ArmedForces")
#: what a stance may be about: events (agreements, withdrawals, a presence) and, for support, actors
_TARGET_TYPES = ("Event", "State", "GovernmentBody", "Coalition", "ArmedForces", "PoliticalBloc", "ArmedGroup")
#: situations that stay the same thing across the articles of this subject (a presence, a drawdown), so that a
#: description the registry gives them may name them; a single event's description ("the deal") may not
_STANDING_EVENTS = {"Withdrawal", "Event"}
_POSS = r"(?:its|his|her|their|the\s+government's|the\s+government’s)"
_WELCOME = (rf"welcom(?:ed|es|ing)|hailed|hails|praised|praises|applauded|applauds|"
            rf"(?:expressed|voiced|conveyed)\s+(?:{_POSS}\s+)?(?:gratitude|appreciation|satisfaction)\s+(?:for|with|at)")
_SUPPORT = (rf"called\s+for|calls\s+for|calling\s+for|urged|urges|urging|demanded|demands|demanding|pressed\s+for|presses\s+for|"
            rf"pressing\s+for|push(?:ed|es|ing)?\s+for|advocat(?:ed|es|ing)\s+for|"
            rf"(?:expressed|voiced|signall?ed|indicated|stated)\s+(?:{_POSS}\s+)?(?:support\s+for|interest\s+in|willingness\s+to|"
            rf"readiness\s+to|desire\s+(?:for|to))")
_OPPOSE = r"rejected|rejects|rejecting|opposed|opposes|opposing|condemned|condemns|condemning|denounced|denounces|objected\s+to"
_VERB = re.compile(rf"\b(?:(?P<welcome>{_WELCOME})|(?P<support>{_SUPPORT})|(?P<oppose>{_OPPOSE}))\s+", re.IGNORECASE)
#: between the speaker and the verb: an apposition, an auxiliary, adverbs, "been vocal in"
_GAP = re.compile(r",?(?:\s+(?:who|which)\s+[^,;“”\"]{2,90},|,\s+[^,;“”\"]{2,90},)?\s*(?:(?:has|have|had)\s+)?"
                  r"(?:(?:long|also|repeatedly|recently|again|publicly|openly|reportedly|strongly|[a-z]+ly)\s+)*"
                  r"(?:been\s+(?:[a-z]+ly\s+)?vocal\s+in\s+)?")
#: a quotation that opens with the speaker's own stance: “We welcome …”, “I reject …”
_FIRST_PERSON = re.compile(r"(?:We|I)\s+(?:(?:strongly|fully|also|firmly|warmly)\s+)?(?P<v>welcome|reject|oppose|condemn|"
                           r"support|call\s+for|demand|urge)\s+")
_URGE = re.compile(r"urg", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|never|n[o']t|neither|nor|no\s+longer)\b", re.IGNORECASE)
#: verbs that keep or grow what follows ("keeping a U.S. presence"): the stance is on their object
_KEEP = r"(?:keeping|keep|maintaining|maintain|retaining|retain|extending|extend|preserving|preserve)\s+"
_DEPART = re.compile(r"(?:(?:the|a|an)\s+)?(?:(?P<full>complete|full|total|immediate|unconditional|final)\s+)?"
                     r"(?P<n>withdrawal|departure|expulsion|exit|pullout|pull-out|removal|ouster|drawdown)\s+of\s+(?:all\s+)?"
                     r"(?:the\s+)?(?P<who>[\w.’'-]+)(?:\s+and\s+[\w’'-]+)?\s+(?:forces|troops|soldiers|personnel)\b"
                     r"|(?:pushing|forcing|driving)\s+out\s+(?:the\s+)?(?P<who2>[\w.’'-]+)\s+(?:forces|troops)\b", re.IGNORECASE)
#: someone's act or position whose object is the departure: the stance is on the departure
_STANCE_ON = re.compile(r"(?:the\s+)?[\w’'-]+(?:['’]s)?\s+(?:position|decision|role|efforts?|move|stance|push|insistence)\s+"
                        r"(?:in|on|of|to|for)\s+", re.IGNORECASE)
_LEAVE = re.compile(r"withdraw|leave|exit|depart|reduce|end|quit", re.IGNORECASE)
_ANAPHOR = re.compile(r"(?:the|this|that)\s+(?:new\s+|latest\s+|landmark\s+|recent\s+)?(?:agreement|deal|accord|pact|decision)\b"
                      r"(?!\s+(?:to|between|with|on|of|that)\b)", re.IGNORECASE)
#: a statement's judgement that its target is wrong: "… indicate that the planned drawdown could be premature"
_JUDGED = re.compile(r"(?:^|\bthat\s+)(?P<np>(?:the|this|a|an)\s+[^,;:]{3,60}?)\s+(?:could|would|might|may|will|is|was)\s+"
                     r"(?:be\s+|prove\s+)?(?:premature|a\s+mistake|an?\s+(?:grave\s+|serious\s+)?(?:error|mistake)|reckless|hasty|"
                     r"dangerous|a\s+gift\s+to)\b", re.IGNORECASE)
#: "X described the agreement as an important step": a judgement by the words after "as"
_DESCRIBED = re.compile(r"\b(?:described|describes|describing|hailed|hails|termed|terms|characteri[sz]ed)\s+", re.IGNORECASE)
_AS_GOOD = re.compile(r"\s+as\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:important|positive|historic|significant|major|welcome|"
                      r"crucial|key|big|landmark|necessary|good|great|first|real)\s+(?:step|milestone|achievement|"
                      r"development|move|success|victory|turning\s+point|breakthrough)\b", re.IGNORECASE)
_AS_BAD = re.compile(r"\s+as\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:mistake|violation|betrayal|failure|error|setback|"
                     r"blow|threat|unacceptable|illegal|premature|dangerous|reckless)\b", re.IGNORECASE)
#: "the decision has raised concerns about …": how the agreement named before was received
_RECEPTION = re.compile(r"\b(?P<np>(?:the|this|that)\s+(?:[\w-]+\s+)?(?:agreement|deal|accord|pact|decision))\s+"
                        r"(?P<v>(?:has|have|had)\s+(?:also\s+|already\s+)?(?:raised|sparked|drawn|prompted|fuell?ed|triggered|"
                        r"stirred|attracted|met\s+with)\s+(?:[\w-]+\s+){0,2}?(?:concerns?|criticism|fears?|questions|"
                        r"debate|anger|opposition|controversy|praise|doubts|skepticism|scepticism)\b)", re.IGNORECASE)
#: "US support for Israel", "Baghdad’s support for the plan"
_SUPPORT_FOR = re.compile(r"(?:['’]s)?\s+(?:(?:continued|strong|full|unwavering|growing)\s+)?support\s+for\s+", re.IGNORECASE)


def _forces_owner(words: str) -> list[str]:
    """How the registry may write the owner of "US forces", "coalition forces": the words as written, the state."""
    w = words.strip("’'")
    out = [w]
    state = DEMONYMS.get(w.lower())
    if state:
        out += [state, "US", "U.S."] if state == "United States" else [state]
    return list(dict.fromkeys(out))


def _registry_event(ctx: Context, phrases: list[str]) -> str | None:
    for p in phrases:
        key = ctx.index.exact(p)
        if key and ctx.index.closure(key) & {"Event"}:
            return key
    return None


def _presence(ctx: Context, owner: str) -> str | None:
    return _registry_event(ctx, [f"{o} {m}presence" for o in _forces_owner(owner) for m in ("", "military ")]
                           + [f"the {o} military presence" for o in _forces_owner(owner)])


def _drawdown(ctx: Context, owner: str) -> str | None:
    names = []
    for o in _forces_owner(owner):
        names += [f"the {o}’s drawdown", f"the {o}'s drawdown", f"{o} drawdown", f"{o} withdrawal",
                  f"the withdrawal of {o} forces", f"withdrawal of {o} forces"]
    return _registry_event(ctx, names)


drawdown_of = _drawdown


_PLAN = re.compile(r"the\s+(?:plan|pullout|pull-out|process)\b(?!\s+(?:to|for|of|that|which)\b)", re.IGNORECASE)


def _recent_withdrawal(ctx: Context, sentence: Sentence, lo: int) -> str | None:
    """The last withdrawal the registry names (by a name or a description of its own) in the text from the start of
    the sentence before up to ``lo``; None when there is none or the last two differ."""
    i = ctx.sentences.index(sentence)
    start = ctx.sentences[i - 1].start if i else sentence.start
    text, found = ctx.text, []
    for w in re.finditer(r"\b(?:the|a|an)\s", text[start:lo], re.IGNORECASE):
        at = start + w.start()
        words = list(re.finditer(r"[^\s,;:.“”\"]+", text[at:min(lo, at + 80)]))
        for n in range(min(6, len(words)), 1, -1):
            key = ctx.index.exact(text[at:at + words[n - 1].end()])
            if key and "Withdrawal" in ctx.index.closure(key):
                found.append(key)
                break
    return found[-1] if found and len(set(found[-2:])) == 1 else None


def _from_there(ctx: Context, sentence: Sentence, key: str, at: int, hi: int) -> bool:
    """"the withdrawal of US forces from the region": the place they leave must be one the registry's presence or
    drawdown is about (its label or description names it); no place named is the article's own subject."""
    m = re.match(r"\s+(?:from|out\s+of)\s+(?:the\s+)?(?P<w>[\w’'-]+(?:\s+[\w’'-]+){0,2})", ctx.text[at:hi])
    if m is None:
        return True
    ent = ctx.index.registry.entities.get(key)
    about = f"{ent.label} {ent.description}" if ent else ""
    place = next((n for n in ctx.names(sentence) if n.start >= at + m.start("w") and n.start <= at + m.end("w")), None)
    if place is None:
        return False
    names = ctx.index.registry.entities[place.key].names() if place.key in ctx.index.registry.entities else [place.text]
    return any(re.search(rf"\b{re.escape(n)}\b", about) for n in names)


def _target(ctx: Context, sentence: Sentence, lo: int, hi: int, stance: str, names: bool = True) -> tuple[str, str, int, float] | None:
    """(stance, key, end, confidence) of what the words from ``lo`` name, or None when they name nothing surely.
    The stance may change: a call for the departure of forces opposes their presence. ``names`` is False after a
    verb whose object is the one addressed ("Iraq urged Washington …"), not what is supported."""
    text = ctx.text
    keep = re.match(_KEEP, text[lo:hi], re.IGNORECASE)
    if keep:
        lo += keep.end()
    d = _DEPART.match(text, lo, hi)
    via = _STANCE_ON.match(text, lo, hi)
    if d is None and via:  # "the government's position in pushing out the coalition forces"
        d = _DEPART.match(text, via.end(), hi)
    if d and stance in ("supports", "welcomed"):
        owner = d.group("who") or d.group("who2")
        full = bool(d.group("full")) or (d.group("n") or "").lower() == "expulsion"
        key = _presence(ctx, owner) if stance == "supports" and full else _drawdown(ctx, owner)
        if key is None or not _from_there(ctx, sentence, key, d.end(), hi):
            return None
        return ("opposes" if stance == "supports" and full else stance), key, d.end(), 0.65
    # a name right at the start ("the Strategic Framework Agreement", "Israel")
    for m in ctx.names(sentence) if names else ():
        if m.start in (lo, lo + 4) and text[lo:m.start].lower() in ("", "the ") and not m.generic \
                and ctx.is_a(m, *_TARGET_TYPES) and m.end <= hi and not re.match(r"['’]s\b", text[m.end:m.end + 2]):
            inf = re.match(r"\s+to\s+(?P<v>\w+)", text[m.end:hi])
            if inf:  # "called for the U.S. to withdraw": the state is the infinitive's subject, not the target
                key = _drawdown(ctx, m.text) if stance == "supports" and _LEAVE.fullmatch(inf.group("v")) else None
                return (stance, key, m.end + inf.end(), 0.6) if key else None
            if stance != "supports" and not ctx.is_a(m, "Event"):
                return None
            return stance, m.key, m.end, 0.7
    # an anaphor for the agreement named before
    a = _ANAPHOR.match(text, lo, hi)
    if a:
        earlier = [k for off, k in ctx.agreements if off < lo]
        return (stance, earlier[-1], a.end(), 0.65) if earlier else None
    # "the plan", "the pullout": the withdrawal the article named in this or the sentence before
    plan = _PLAN.match(text, lo, hi)
    if plan:
        key = _recent_withdrawal(ctx, sentence, lo)
        return (stance, key, plan.end(), 0.6) if key else None
    # a description the registry gives a standing situation ("a U.S. presence", "the planned drawdown")
    words = list(re.finditer(r"[^\s,;:]+", text[lo:hi]))
    for n in range(min(7, len(words)), 0, -1):
        end = lo + words[n - 1].end()
        key = ctx.index.exact(text[lo:end].rstrip(".")) if n >= 2 else None
        if key and set(ctx.index.types_of(key)) & _STANDING_EVENTS and not ctx.index.closure(key) & {"Agreement", "Announcement"}:
            return stance, key, end, 0.65
    return None


def speaker_before(ctx: Context, sentence: Sentence, at: int) -> Mention | None:
    """The named speaker whose verb starts at ``at``: right before it, or before an apposition, an auxiliary and
    adverbs ("X, who has close ties to Iran, has been particularly vocal in …"); never a name inside the apposition."""
    text = ctx.text
    for m in reversed(ctx.names(sentence)):
        if m.end <= at and m.generic:
            gov = government_of_place(ctx, sentence, m)
            m = replace(m, key=gov, types=ctx.index.types_of(gov), how="place", generic=False) if gov else m
        if m.end > at or m.generic or not ctx.is_a(m, *_SPEAKER_TYPES):
            continue
        if _GAP.fullmatch(text, m.end, at) and not _NEGATED.search(text[m.end:at]) \
                and not inside_relative_clause(text, sentence.start, m.start) and not governed(text, sentence.start, m.start) \
                and (not text[m.end:at].startswith(",") or _heads_its_segment(text, sentence.start, m)):
            return m
    return None


_LOCAL = re.compile(r"(?:the\s+)?(?:local|regional)\s+(?:government|authorities|administration)", re.IGNORECASE)


def government_of_place(ctx: Context, sentence: Sentence, m: Mention) -> str | None:
    """"in Iraq’s Kurdistan region, where the local government …": the government the registry names after the
    region ("Kurdistan Region" -> "Kurdistan Regional Government", "Anbar" -> "Anbar government"); None when the
    words are not "the local government" right after "PLACE, where", or the registry has no such body."""
    text = ctx.text
    if not _LOCAL.fullmatch(m.text):
        return None
    place = next((p for p in reversed(ctx.names(sentence)) if p.end <= m.start and ctx.is_a(p, "Place")
                  and re.fullmatch(r",?\s+where\s+", text[p.end:m.start])), None)
    if place is None or place.key not in ctx.index.registry.entities:
        return None
    for name in ctx.index.registry.entities[place.key].names():
        base = re.sub(r"^(?:the\s+)", "", name)
        for words in (re.sub(r"\s+[Rr]egion$", " Regional Government", base), f"{base} government",
                      f"{base} Government", f"{base} authorities", f"Government of {base}"):
            hit = ctx.index.lookup(words)
            if hit and not hit[2] and "GovernmentBody" in ctx.index.closure(hit[0]):
                return hit[0]
    return None


def _heads_its_segment(text: str, lo: int, m: Mention) -> bool:
    """A name followed by a comma and the verb speaks when it stands alone between commas ("The militia’s founder,
    Qais Khazali, recently expressed …") or as the example of its group ("factions, like the militia X, have
    called for …"), not when a phrase holds it ("Sudani, speaking to Biden, welcomed …": Sudani speaks)."""
    start = max(text.rfind(",", lo, m.start) + 1, lo)
    seg = text[start:m.start]
    return not seg.strip() or bool(re.search(r"\b(?:like|such\s+as|including|namely|notably)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}$", seg))


def governed(text: str, lo: int, at: int) -> bool:
    """Whether the name at ``at`` is the object of a preposition ("factions within the Coordination Framework
    have …": the factions speak, not the bloc)."""
    return bool(re.search(r"\b(?:within|inside|in|of|from|among|for|to|with|by|at|on|against|between)\s+(?:the\s+)?$",
                          text[max(lo, at - 20):at], re.IGNORECASE))


def inside_relative_clause(text: str, lo: int, at: int) -> bool:
    """Whether ``at`` is inside a relative clause and not its subject ("…, where the local government has …" is
    the clause's own subject, and speaks)."""
    m = _INSIDE_CLAUSE.search(text, lo, at)
    return bool(m) and not re.fullmatch(r",\s+where\s+", m.group())


def _who(ctx: Context, sentence: Sentence, at: int) -> tuple[str, int] | None:
    m = speaker_before(ctx, sentence, at)
    return (ctx.name_words(m), m.start) if m else None


#: a name inside a relative clause ("X, who has close ties to Iran, advocated …") is not the one who speaks
_INSIDE_CLAUSE = re.compile(r",\s+(?:who|which|where|whose|whom)\b[^,]*$")


def stance_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"X welcomed / called for / rejected TARGET" and "X’s support for TARGET"."""
    text, s0, s1 = ctx.text, sentence.start, sentence.end
    out: list[Candidate] = []
    for v in _VERB.finditer(text, s0, s1):
        if _NEGATED.search(text[max(s0, v.start() - 12):v.start()]):
            continue
        stance = "welcomed" if v.group("welcome") else "supports" if v.group("support") else "opposes"
        who = _who(ctx, sentence, v.start())
        if who is None:
            src = _unnamed_before(ctx, sentence, v.start())
            who = (src.key, src.start) if src else None
        if who is None:
            continue
        end = _clause_end(text, v.end(), s1)
        found = _target(ctx, sentence, v.end(), end, stance, not _URGE.match(v.group()))
        if found is None:
            continue
        prop, key, t_end, conf = found
        rule = {"welcomed": "speaker-welcomes-target", "supports": "speaker-calls-for-target"}.get(stance, "speaker-rejects-target")
        out.append(Candidate(who[0], prop, key, who[1], t_end, conf, rule))
    for d in _DESCRIBED.finditer(text, s0, s1):
        who = _who(ctx, sentence, d.start())
        found = _target(ctx, sentence, d.end(), _clause_end(text, d.end(), s1), "welcomed") if who else None
        if found is None:
            continue
        judged = _AS_GOOD.match(text, found[2], s1) or _AS_BAD.match(text, found[2], s1)
        if judged and not _NEGATED.search(text[max(s0, d.start() - 12):d.start()]):
            prop = "welcomed" if judged.re is _AS_GOOD else "opposes"
            out.append(Candidate(who[0], prop, found[1], who[1], judged.end(), found[3], f"speaker-describes-target-as"))
    for r in _RECEPTION.finditer(text, s0, s1):
        a = _ANAPHOR.match(text, r.start("np"))
        earlier = [k for off, k in ctx.agreements if off < r.start()] if a and a.end() == r.end("np") else []
        if earlier and not _NEGATED.search(r.group("v")):
            end = _clause_end(text, r.end(), s1)
            out.append(Candidate(earlier[-1], "characterisation", text[r.start("v"):end], r.start("np"), end, 0.65,
                                 "agreement-reception"))
    out += _situation_is(ctx, sentence) + decision_rules(ctx, sentence)
    for m in _SUPPORT_FOR.finditer(text, s0, s1):
        backer = next((n for n in ctx.names(sentence) if n.end == m.start() and not n.generic
                       and ctx.is_a(n, "State", "GovernmentBody", "PoliticalBloc", "Coalition")), None)
        key = backer.key if backer else _capital(ctx, text[max(s0, m.start() - 20):m.start()])
        if key is None:
            continue
        lo = backer.start if backer else m.start() - len(re.search(r"\S+$", text[s0:m.start()]).group())
        found = _target(ctx, sentence, m.end(), _clause_end(text, m.end(), s1), "supports")
        if found and found[0] == "supports":
            out.append(Candidate(ctx.name_words(backer) if backer else key, "supports", found[1], lo, found[2], found[3],
                                 "x-support-for-target"))
    return out


#: "negotiation between the US and Iraq on the US military presence": what the talks the article named are about
_TALKS_ON = re.compile(r"\b(?:talks|negotiations?|dialogue|discussions|agreement|deal|accord)\s+(?:between|with)\s+"
                       r"[^,;:.]{2,60}?\s+(?:on|over|about|regarding|concerning)\s+", re.IGNORECASE)


def _talks_about(ctx: Context, candidates: list[Candidate]) -> list[Candidate]:
    """The subject of talks or an agreement the agreement rules named in these very words (their parties' claims
    quote the noun), when the words after "on / over / about" name a standing situation or an event (the same
    targets as a stance)."""
    text, out = ctx.text, []
    parties = [c for c in candidates if c.property == "participant"]
    for sentence in ctx.sentences:
        for m in _TALKS_ON.finditer(text, sentence.start, sentence.end):
            named = [c.about for c in parties if c.start <= m.start() < c.end]
            if named:
                out += _about_target(ctx, sentence, m, named[0])
    return out


def _about_target(ctx: Context, sentence: Sentence, m: re.Match, talks: str) -> list[Candidate]:
    text = ctx.text
    found = _target(ctx, sentence, m.end(), _clause_end(text, m.end(), sentence.end), "supports", names=False)
    if found is None or found[0] != "supports" or not ctx.index.closure(found[1]) & {"Event"} or found[1] == talks:
        return []
    return [Candidate(talks, "about", found[1], m.start(), found[2], found[3], "talks-on-target")]


#: "…, where the presence of U.S. troops has been a point of contention": what a standing situation is said to be
_COPULA = re.compile(r"(?=\s+(?:has\s+been|have\s+been|had\s+been|is|was|remains|remained|has\s+become|had\s+become)\s+)")
_NP_AFTER = re.compile(r"\s+(?:has\s+been|have\s+been|had\s+been|is|was|remains|remained|has\s+become|had\s+become)\s+"
                     r"(?!(?:not|never|no)\b)(?P<np>(?:a|an)\s+[^;“”\"]{4,}?)(?=,\s+(?:and|but|while|as|the\s+\w+\s+said|[A-Z][\w.-]*\s+said)\b|"
                     r"[;]|\s[—–]\s|[.!?]$)")
_ATTRIBUTED = re.compile(r"[“”\"]|\b(?:said|says|told|according\s+to|argued?|argues|claimed|insisted|warned|stressed)\b")
_SUBJECT_START = re.compile(r"(?:[,;:]\s+(?:where|while|as|and|but|since|because)\s+|\b(?:that|where|while|because|as)\s+)")


def _situation_is(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"the US presence has been a point of contention, especially given …": the characterisation of a standing
    situation the registry names (the words after the copula, to the end of the clause), never of a single event."""
    text, out = ctx.text, []
    if _ATTRIBUTED.search(text, sentence.start, sentence.end):
        return []  # "The US presence is a violation, X said": X's view, read as what X said
    for at in _COPULA.finditer(text, sentence.start, sentence.end):
        c = _NP_AFTER.match(text, at.start(), sentence.end)
        if c is None:
            continue
        lo = ([sentence.start] + [m.end() for m in _SUBJECT_START.finditer(text, sentence.start, c.start())])[-1]
        found = _target(ctx, sentence, lo, c.start(), "supports", names=True)
        if found is None or found[2] != c.start() or found[0] != "supports" \
                or not set(ctx.index.types_of(found[1])) & _STANDING_EVENTS \
                or ctx.index.closure(found[1]) & {"Agreement", "Announcement"}:
            continue
        out.append(Candidate(found[1], "characterisation", c.group("np").strip(), lo, c.end("np"), 0.6,
                             "situation-is"))
    return out


def _capital(ctx: Context, before: str) -> str | None:
    """"Baghdad’s support": the state a capital stands for."""
    from .agreements import CAPITALS
    m = re.search(r"([A-Z][\w-]+)$", before)
    name = CAPITALS.get(m.group(1).lower()) if m else None
    hit = ctx.index.lookup(name) if name else None
    return hit[0] if hit and "State" in ctx.index.closure(hit[0]) else None


def _unnamed_before(ctx: Context, sentence: Sentence, at: int):
    text = ctx.text
    gap = re.search(r"\s+(?:(?:has|have|had)\s+)?(?:(?:long|also|repeatedly|recently|again|publicly|openly|reportedly|strongly|[a-z]+ly)\s+)*$",
                    text[sentence.start:at])
    group = unnamed_group(ctx, sentence, sentence.start, sentence.start + gap.start()) if gap else None
    if group is not None:
        return group
    for d in reversed(list(SOURCE_DESCRIPTION.finditer(text, sentence.start, at))):
        if _GAP.fullmatch(text, d.end(), at) and not _NEGATED.search(text[d.end():at]):
            return unnamed_source(ctx, sentence, sentence.start, d.end())
    return None


#: where the words after a verb stop: a comma, colon or dash, a full stop that is not an abbreviation's ("U.S. forces")
_END = re.compile(r"[,;:](?:\s|$)|(?<![A-Z])[.!?](?:\s|$)|\s[—–]\s")


def _clause_end(text: str, lo: int, hi: int) -> int:
    m = _END.search(text, lo, hi)
    return m.start() if m else hi


def stances_of_statements(ctx: Context, candidates: list[Candidate]) -> list[Candidate]:
    """Stances the statements already drafted hold: a paraphrase that is a call ("called for the withdrawal of …")
    or that judges its target ("… could be premature"), said of the statement's speaker and quoted from it."""
    text, out = ctx.text, _talks_about(ctx, candidates)
    for c in candidates:
        if c.property != "said" or c.confidence < 0.6 or not c.value:
            continue
        v_lo = text.find(c.value, c.start, c.end + 1)
        if v_lo < 0:
            continue
        v_hi = v_lo + len(c.value)
        sentence = next((s for s in ctx.sentences if s.start <= v_lo < s.end), None)
        if sentence is None:
            continue
        for j in _JUDGED.finditer(text, v_lo, v_hi):
            found = _target(ctx, sentence, j.start("np"), j.end("np"), "opposes")
            if found and found[2] == j.end("np") and not _NEGATED.search(text[j.end("np"):j.end()]):
                out.append(Candidate(c.about, "opposes", found[1], j.start(), j.end(), found[3], "statement-judges-target"))
        first = _FIRST_PERSON.match(text, v_lo, v_hi) if ("statementKind", "direct") in c.qualifiers else None
        if first:  # “We welcome the decision to …,” the lawmaker said
            stance = "welcomed" if first.group("v").lower().startswith("welcom") else \
                "opposes" if re.match(r"reject|oppose|condemn", first.group("v"), re.IGNORECASE) else "supports"
            found = _target(ctx, sentence, first.end(), _clause_end(text, first.end(), v_hi), stance,
                            not _URGE.match(first.group("v")))
            if found:
                out.append(Candidate(c.about, found[0], found[1], c.start, c.end, found[3], "quote-first-person-stance"))
            continue
        v = _VERB.match(text, v_lo, v_hi)
        if v and not v.group("welcome") and not any(o.about == c.about and o.start <= v_lo < o.end for o in out):
            found = _target(ctx, sentence, v.end(), _clause_end(text, v.end(), sentence.end),
                            "supports" if v.group("support") else "opposes", not _URGE.match(v.group()))
            if found:
                out.append(Candidate(c.about, found[0], found[1], c.start, max(c.end, found[2]), found[3],
                                     "statement-stance-target"))
    return out
