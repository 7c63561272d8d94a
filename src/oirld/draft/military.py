"""Troop numbers, casualties, the mission's dates and actors, and where places are.

Each rule reads one clause (a sentence cut at semicolons, dashes and ", but"), so a time or a place is tied only to
the claim beside it. Numbers and times are whatever the engine's parsers read in the words; the rules only decide
what the number or time is *of*.
"""

from __future__ import annotations

import re

from .context import Candidate, Context, Suggestion
from .names import Mention
from .text import Sentence

__all__ = ["DEMONYMS", "basing_rules", "troop_rules", "casualty_rules", "mission_rules", "actor_rules", "place_rules"]

_TROOP_NOUN = re.compile(r"\b(?:troops?|soldiers|personnel|servicemembers|service members|forces|boots on the ground)\b", re.I)
_PRESENT = re.compile(r"\b(?:has|have|is|are|remain|remains|keeps?|maintains?|there are|currently|current|now|still)\b", re.I)
_PAST = re.compile(r"\b(?:was|were|had|used to)\b", re.I)
_PEAK = re.compile(r"\b(?:at (?:the|its) (?:height|peak)|peaked at|at one point)\b", re.I)
#: a name used as a modifier ("coalition combat mission", "U.S. troops") is not the thing the clause is about
_MODIFIED = re.compile(r"\s+(?:combat\s+|military\s+|air\s+)?(?:mission|operation|forces|troops|partners|members|"
                       r"countries|presence|personnel|officials|bases?|campaign)\b")
_KILL = re.compile(r"\b(?:killed|killing|kills|wounded|wounding|injured|injuring)\b|\b(?:were|was) (?:killed|wounded|injured)\b", re.I)
_ATTACK = re.compile(r"\b(?:(?:drone|rocket|missile|air|suicide|car bomb|bomb|mortar)\s+)?(?:(?:air)?strikes?|attacks?|raids?|"
                     r"(?:rockets|drones|missiles|mortar\s+rounds)(?=\s+(?:struck|hit|targeted|slammed|landed))|"
                     r"bombings?|ambush(?:es)?|operation)\b", re.I)
_END_VERB = re.compile(r"\b(?:end|ends|ended|ending|come to an end|came to an end|conclude[sd]?|concluding|close[sd]?|"
                       r"closing|wind(?:s|ing)? down|wound down|disband(?:ed)?|expire[sd]?|wrap(?:s|ped)? up|finish(?:es|ed)?|"
                       r"arrive)\b", re.I)
_START_VERB = re.compile(r"\b(?:launch(?:ed|es)?|began|begin|begins|started|starts|formed|established|created|set up)\b", re.I)
_OPERATION = ("MilitaryOperation", "Phase", "Coalition")
_ACTOR = ("Actor",)
_PLACE = ("Place",)
_STATE = ("State",)
DEMONYMS = {"american": "United States", "u.s.": "United States", "us": "United States", "iraqi": "Iraq",
            "syrian": "Syria", "iranian": "Iran", "british": "United Kingdom", "jordanian": "Jordan",
            "turkish": "Turkey", "israeli": "Israel", "french": "France", "german": "Germany", "russian": "Russia",
            "italian": "Italy", "australian": "Australia", "canadian": "Canada", "spanish": "Spain", "dutch": "Netherlands",
            "danish": "Denmark", "norwegian": "Norway", "kuwaiti": "Kuwait", "saudi": "Saudi Arabia", "qatari": "Qatar"}


def _state_of_words(ctx: Context, sentence: Sentence, lo: int, hi: int) -> Mention | str | None:
    for m in ctx.in_span(sentence, lo, hi, *_STATE):
        return m
    for word in re.findall(r"[A-Z][\w.]*", ctx.text[lo:hi]):
        name = DEMONYMS.get(word.lower())
        if name:
            hit = ctx.index.lookup(name)
            if hit and "State" in ctx.index.types_of(hit[0]):
                return hit[0]
    return None


def _tense_scope(text: str, lo: int, end: int, hi: int) -> str:
    """The clause of a count, without what is said of its source ("…, according to the officials, who spoke on
    condition of anonymity because they were not authorised …"): those verbs do not date the count."""
    return text[lo:end] + re.split(r",?\s+(?:who|because|according to)\b", text[end:hi])[0]


def troop_rules(ctx: Context, sentence: Sentence) -> tuple[list[Candidate], list[Suggestion]]:
    """troopCount: a count of troops, the state whose troops they are, where (location) and when (asOf)."""
    out: list[Candidate] = []
    notes: list[Suggestion] = []
    text = ctx.text
    for q in ctx.people_counts(sentence) + ctx.troop_numbers(sentence):
        if (not q.unit and not _TROOP_NOUN.search(q.words)) or _KILL.search(text[max(sentence.start, q.start - 25):q.start]) \
                or _KILL.search(text[q.end:q.end + 30]) or re.search(r"\btrain", text[max(sentence.start, q.start - 25):q.start], re.I):
            continue
        lo, hi = ctx.clause(sentence, q.start, q.end)
        owner_at = None
        state = _state_of_words(ctx, sentence, q.start, q.end)
        if state is None:
            before = [m for m in ctx.in_span(sentence, lo, q.start, *_STATE)]
            if not before and q.unit:  # "… US troop presence … at about 2,500, though Iraqi officials say it is over 3,000"
                before = [m for m in ctx.in_span(sentence, sentence.start, q.start, *_STATE)]
            # "troops in Iraq" is where they are; "the number of U.S. troops" still says whose they are
            before = [m for m in before if not re.search(r"\b(?:in|at|inside|across|from|to|of)\s+(?:the\s+)?$",
                                                          text[max(sentence.start, m.start - 12):m.start])
                      or _TROOP_NOUN.match(text, m.end + 1) and text[m.end:m.end + 1] == " "]
            state = before[-1] if before else None  # the owner of the troops, not where they are
        if state is None:
            # "the number of U.S. troops … has risen to 40,000": the forces named before say whose troops they are
            forces = [f for f in ctx.in_span(sentence, lo, q.start, "ArmedForces") if _TROOP_NOUN.search(f.text)]
            forces += [f for f in ctx.in_span(sentence, q.end, hi, "ArmedForces") if f.start - q.end <= 2]  # "2,500 U.S. forces"
            state = _state_of_words(ctx, sentence, forces[-1].start, forces[-1].end) if forces and q.unit else None
            owner_at = forces[-1].start if forces and state else None
        if state is None:
            notes.append(Suggestion(sentence.start, sentence.end, f"a troop number ({q.words!r}) without a country"))
            continue
        about = state if isinstance(state, str) else ctx.name_words(state)
        quals: list[tuple[str, str]] = []
        where = ctx.after_preposition(sentence, q.end, hi, "in|at|across|inside", *_PLACE, *_STATE)
        if where is None and q.unit:
            where = ctx.after_preposition(sentence, lo, q.start, "in|inside", *_PLACE, *_STATE)
        if where:
            quals.append(("location", ctx.name_words(where)))
        # a time after the number is its own only when it stands close, in the same phrase ("… to 2,000 in March"),
        # not "… an increase over the figure given in 2023"
        times = [t for t in ctx.times(lo, hi) if not re.match(r"(?i)by|until|through|after|before", t.words)
                 and (t.end <= q.start or t.start - q.end <= 40 and not re.search(
                     r",|\b(?:given|reported|announced|cited|published|figure|level|than)\b", text[q.end:t.start]))]
        peak = _PEAK.search(text[sentence.start:sentence.end])
        if peak:
            out.append(Candidate(about, "peakTroopCount", q.words, min(sentence.start + peak.start(), q.start),
                                 max(q.end, where.end if where else q.end), 0.7, "peak-troop-count", tuple(quals)))
            continue
        if times:
            quals.append(("asOf", times[0].words))
        elif _PRESENT.search(tense := _tense_scope(text, lo, q.end, hi)) and not _PAST.search(tense) \
                and not re.search(r"\b(?:will|would|could|may)\b", tense):
            quals.append(("asOf", "@published"))
        elif re.search(r",\s+(?:which|who)\s+(?:currently\s+|still\s+|now\s+)?(?:has|have|keeps|maintains)\s+$", text[lo:q.start]):
            # "The U.S., which has 2,500 troops in Iraq, will …": the relative clause is in the present
            quals.append(("asOf", "@published"))
        else:
            notes.append(Suggestion(sentence.start, sentence.end, f"a troop number ({q.words!r}) with no time it holds for"))
            continue
        q_lo = min([q.start] + ([state.start] if not isinstance(state, str) and state.start >= lo else [])
                   + ([owner_at] if isinstance(state, str) and owner_at is not None else []))
        q_hi = max([q.end] + ([where.end] if where else []))
        if ("asOf", "@published") not in quals and times:
            q_lo, q_hi = min(q_lo, times[0].start), max(q_hi, times[0].end)
        increase = re.match(r"[\s-]*(?:[a-z]+\s+)?(?:increase|more|higher|additional|extra)\b", text[q.end:q.end + 25], re.I) \
            or re.search(r"\b(?:an? increase of|added|adding|an additional|another)\s*$", text[max(lo, q.start - 25):q.start], re.I)
        prop = "troopIncrease" if increase else "troopCount"
        if where and where.start < q_lo:
            q_lo = where.start
        extra = _direction(ctx, lo, hi) + ((("unit", q.unit),) if q.unit else ())
        out.append(Candidate(about, prop, q.words, q_lo, q_hi, (0.8 if where else 0.7) - (0.1 if q.unit else 0), "troop-count",
                             tuple(quals), extra))
    return out, notes


def _direction(ctx: Context, lo: int, hi: int) -> tuple[tuple[str, str], ...]:
    d = ctx.direction(lo, hi)
    return (("direction", d),) if d else ()


def _event_in(ctx: Context, sentence: Sentence, lo: int, hi: int, *types: str) -> Mention | None:
    found = [m for m in ctx.in_span(sentence, lo, hi, *types) if not m.generic]
    return found[0] if found else None


def casualty_rules(ctx: Context, sentence: Sentence) -> tuple[list[Candidate], list[Suggestion]]:
    """killedCount / injuredCount of an attack or raid, with its date, place and who carried it out."""
    out: list[Candidate] = []
    notes: list[Suggestion] = []
    text = ctx.text
    for q in ctx.people_counts(sentence):
        before = text[max(sentence.start, q.start - 25):q.start]
        after = text[q.end:q.end + 30]
        kill = re.search(r"\b(?:killed|killing|kills|left|neutrali[sz](?:ed|ing|ation of)|eliminat(?:ed|ing|ion of))\s*$", before, re.I) or re.match(r"\s+(?:were|was)\s+killed", after, re.I)
        hurt = re.search(r"\b(?:wounded|wounding|injured|injuring)\s*$", before, re.I) or \
            re.match(r"\s+(?:were|was)\s+(?:wounded|injured)", after, re.I)
        if not (kill or hurt):
            continue
        lo, hi = ctx.clause(sentence, q.start, q.end)
        event = _event_in(ctx, sentence, sentence.start, sentence.end, "Attack", "Raid")
        conf = 0.75
        if event is not None:
            about = ctx.name_words(event)
            ctx.events.append((event.start, event.key))
        else:
            # the attack the count belongs to: the one named last before it, else the first after it; its own
            # stretch of the sentence (from the punctuation after the attack before it) holds its date and place
            nouns = list(_ATTACK.finditer(text, sentence.start, sentence.end))
            if not nouns:
                notes.append(Suggestion(sentence.start, sentence.end, f"{q.words!r} killed or injured, but in what attack?"))
                continue
            m = ([n for n in nouns if n.end() <= q.start] or nouns)[-1 if any(n.end() <= q.start for n in nouns) else 0]
            i = nouns.index(m)
            seg_lo, seg_hi = sentence.start, nouns[i + 1].start() if i + 1 < len(nouns) else sentence.end
            if i > 0:
                cut = max(text.rfind(",", nouns[i - 1].end(), m.start()), text.rfind(";", nouns[i - 1].end(), m.start()))
                seg_lo = cut + 1 if cut >= 0 else m.start()
            definite = re.search(r"\b(?:the|this|that)\s+$", text[max(sentence.start, m.start() - 6):m.start()], re.I)
            # "the raid": the attack named just before; with none, the corpus's attack if its facts agree
            earlier = [k for off, k in ctx.events if off < m.start()] if definite else []
            if earlier:
                about, conf = earlier[-1], 0.65
            elif definite and not _known_attack(ctx, sentence, q.quantity, ctx.times(seg_lo, seg_hi),
                                                 "killedCount" if kill else "injuredCount", (seg_lo, seg_hi)):
                notes.append(Suggestion(sentence.start, sentence.end, f"{q.words!r} killed or injured in an attack named earlier"))
                continue
            else:
                noun = m.group().lower()
                kind = "Raid" if re.search(r"raid|operation", noun) else "Attack"
                # "rockets struck the base": a rocket attack on the place struck
                noun = re.sub(r"^(rocket|drone|missile|mortar)s?\b.*", r"\1 attack", noun)
                place = next((p for p in ctx.in_span(sentence, m.end(), seg_hi, *_PLACE) if re.fullmatch(
                    r"\s+(?:struck|hit|targeted|slammed\s+into|landed\s+(?:in|on|at|near))\s+(?:the\s+)?", text[m.end():p.start])),
                    None) or ctx.after_preposition(sentence, m.end(), seg_hi, "in|near|on|at", *_PLACE, *_STATE)
                times = ctx.times(seg_lo, seg_hi)
                known = _known_attack(ctx, sentence, q.quantity, times, "killedCount" if kill else "injuredCount", (seg_lo, seg_hi))
                if known:
                    about, conf = known, 0.7
                    ctx.events.append((m.start(), known))
                    kill_or_hurt = "killedCount" if kill else "injuredCount"
                    victims = [v for v in ctx.in_span(sentence, q.start, q.end, *_ACTOR) if not v.generic]
                    out.append(Candidate(about, kill_or_hurt, q.words, min(lo, q.start), max(hi, q.end), conf, "casualties",
                                         (("victim", ctx.name_words(victims[0])),) if victims else ()))
                    out.extend(_event_facts(ctx, sentence, about, min(m.start(), q.start), max(m.end(), q.end), place, times, 0.65))
                    out.extend(_perpetrators(ctx, sentence, about, m.start()))
                    continue
                if place is None and not times:
                    notes.append(Suggestion(sentence.start, sentence.end, f"{q.words!r} killed or injured in an attack with no place or date"))
                    continue
                label = noun + (f" in {place.text}" if place else "") + (f", {times[0].time.canonical()}" if times else "")
                key = ctx.index.add_new(label[0].upper() + label[1:], (kind,), findable=False)
                if key is None:
                    continue
                about = key
                ctx.events.append((m.start(), key))
                out.extend(_event_facts(ctx, sentence, about, min(m.start(), q.start), max(m.end(), q.end), place, times))
        quals: tuple[tuple[str, str], ...] = ()
        victims = [v for v in ctx.in_span(sentence, q.start, q.end, *_ACTOR) if not v.generic]
        if victims:
            quals = (("victim", ctx.name_words(victims[0])),)
        prop = "killedCount" if kill else "injuredCount"
        out.append(Candidate(about, prop, q.words, min(lo, q.start), max(hi, q.end), conf, "casualties", quals))
        out.extend(_perpetrators(ctx, sentence, about, event.start if event is not None else m.start()))
    return out, notes


def _event_facts(ctx: Context, sentence: Sentence, about: str, lo: int, hi: int, place: Mention | None, times,
                 conf: float = 0.7) -> list[Candidate]:
    out = []
    if place:
        out.append(Candidate(about, "location", ctx.name_words(place), min(lo, place.start), max(hi, place.end), conf, "event-place"))
    if times:
        t = times[0]
        out.append(Candidate(about, "date", t.words, min(lo, t.start), max(hi, t.end), conf, "event-date"))
    return out


def _perpetrators(ctx: Context, sentence: Sentence, about: str, noun_at: int) -> list[Candidate]:
    """carriedOutBy: the forces or groups before "conducted / carried out / launched" when the verb's object is the
    attack's noun (at ``noun_at``: "launched strikes", not another attack of the sentence), or after "by" right
    after the noun ("a raid by Kataib Hezbollah")."""
    text, out = ctx.text, []
    types = ("ArmedForces", "ArmedGroup", "MilitaryCommand", "State", "Coalition")
    v = re.search(r"\b(?:conducted|carried out|launched|staged|mounted)\b", text[sentence.start:sentence.end])
    if v and not (0 <= noun_at - (sentence.start + v.end()) <= 40
                  and len(text[sentence.start + v.end():noun_at].split()) <= 4):
        v = None
    if v:
        verb_at = sentence.start + v.start()
        lo, _ = ctx.clause(sentence, verb_at, verb_at)
        # the coalition's descriptions ("coalition forces") mean it in every article here
        doers = [m for m in ctx.in_span(sentence, lo, verb_at, *types) if not m.generic or ctx.is_a(m, "Coalition")]
        # "U.S. and Iraqi forces": a state named before "and … forces" stands for its forces; "the Islamic Resistance
        # in Iraq": a state after "in" or "of" is where the doer is, not the doer
        for m in doers:
            if ctx.is_a(m, "State") and re.search(r"\b(?:in|of|from|inside)\s+(?:the\s+)?$", text[max(lo, m.start - 8):m.start]):
                continue
            # "Iraqi and US forces": the demonym before "and" stands for its state's forces too
            other = re.search(r"\b([A-Z][\w.]*)\s+and\s+$", text[max(lo, m.start - 20):m.start])
            if other and ctx.is_a(m, "ArmedForces", "Coalition") and DEMONYMS.get(other.group(1).lower()):
                forces = ctx.index.lookup(f"{other.group(1)} forces")
                if forces and forces[0] != m.key and "ArmedForces" in ctx.index.closure(forces[0]):
                    out.append(Candidate(about, "carriedOutBy", forces[0], m.start - len(other.group()), sentence.start + v.end(),
                                         0.7, "x-and-y-forces-conducted"))
            if ctx.is_a(m, "State") and re.match(r"\s+and\s", text[m.end:verb_at]):
                forces = ctx.index.lookup(f"{m.text} forces") if re.match(r"\s+and\s+\S+\s+(?:forces|troops)\b", text[m.end:verb_at]) else None
                if forces and "ArmedForces" in ctx.index.closure(forces[0]):
                    out.append(Candidate(about, "carriedOutBy", forces[0], m.start, sentence.start + v.end(), 0.7, "x-and-y-forces-conducted"))
                continue
            out.append(Candidate(about, "carriedOutBy", ctx.name_words(m), m.start, sentence.start + v.end(), 0.7, "x-conducted"))
    for b in re.finditer(r"\b(?:attacks?|strikes?|raids?|bombings?|ambush)\s+(?:\w+\s+){0,2}?by\s+(?:the\s+)?", text[sentence.start:sentence.end]):
        at = sentence.start + b.end()
        if abs(sentence.start + b.start() - noun_at) > 15:
            continue  # "by" after another attack of the sentence
        doer = next((m for m in ctx.names(sentence) if m.start in (at, at - 4) and ctx.is_a(m, *types) and not m.generic), None)
        if doer:
            out.append(Candidate(about, "carriedOutBy", ctx.name_words(doer), sentence.start + b.start(), doer.end, 0.7, "attack-by-x"))
    return out


def _known_attack(ctx: Context, sentence: Sentence, killed, times, prop: str = "killedCount",
                  span: tuple[int, int] | None = None) -> str | None:
    """An attack other articles already report, recognised by what their mappings claim about it (see
    :mod:`oirld.draft.identity`: what agrees decides, a date a year off does not make another attack); ``span`` is
    the attack's own stretch of the sentence."""
    from .attacks import known

    return known(ctx, sentence, prop, killed, times, span)


#: "…, the ministry said Thursday", "… told AFP on Friday": the day of the saying, not of the ending
_SAID_WHEN = re.compile(r"\b(?:said|says|told\s+[\w\s.]{1,30}?|announced|added|reported|stated)\s+(?:on\s+|late\s+|early\s+)?$")
#: a finite verb between the ending and a later time ("talks on the end of X resumed on Monday"): the time is that verb's
_OTHER_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|did|does|do|will|would|could|might|began|met|held|took|"
                         r"(?<!as\s)[a-z]{3,}ed|resumes|begins|continues|starts|opens|takes)\b")


def mission_rules(ctx: Context, sentence: Sentence) -> tuple[list[Candidate], list[Suggestion]]:
    """startDate / endDate of the operation, the coalition and the phases: the name, a verb of ending or
    starting, and a time, in one clause."""
    out: list[Candidate] = []
    notes: list[Suggestion] = []
    text = ctx.text
    for verbs, prop, rule in ((_END_VERB, "endDate", "mission-end"), (_START_VERB, "startDate", "mission-start")):
        for v in verbs.finditer(text, sentence.start, sentence.end):
            lo, hi = ctx.clause(sentence, v.start(), v.end())
            subjects = [n for n in ctx.in_span(sentence, lo, v.start(), *_OPERATION) if not _MODIFIED.match(text, n.end)]
            if not subjects:
                # "the end of the task force", "will close the task force": the operation as object
                subjects = [n for n in ctx.in_span(sentence, v.end(), hi, *_OPERATION)
                            if re.fullmatch(r"\s*(?:(?:of|for)\s+)?(?:the\s+)?", text[v.end():n.start])
                            and not _MODIFIED.match(text, n.end)]
            if not subjects and v.start() == sentence.start:
                # "Launched in 2014, when …, the task force includes …": an opening participle is said of the subject
                # of the main clause, the first name after a comma
                subjects = [n for n in ctx.in_span(sentence, v.end(), hi, *_OPERATION)
                            if re.search(r",\s+$", text[max(v.end(), n.start - 3):n.start] + " ")
                            and not _MODIFIED.match(text, n.end)][:1]
            times = [t for t in ctx.times(lo, hi) if t.start > v.start() - 40 and t.words.lower() not in ("now", "currently")
                     and not _SAID_WHEN.search(text, max(lo, t.start - 60), t.start)]
            if prop == "startDate":
                times = [t for t in times if not re.match(r"(?i)by|until|through|at least", t.words)]
            else:
                times = [t for t in times if not re.match(r"(?i)from|since|beginning|starting", t.words)]
            if not subjects or not times:
                if subjects and not times and prop == "endDate" and re.search(r"\d{4}|\b(?:next|this|last)\b", text[lo:hi]):
                    notes.append(Suggestion(sentence.start, sentence.end, "an end of the mission with a time the rules could not read",
                                            "endDate"))
                continue
            near = [t for t in times if (t.start >= v.end() and t.start - v.end() <= 50
                                         and not re.search(r"\b(?:continue|remain|stay|keep)", text[v.end():t.start])
                                         and not _OTHER_VERB.search(text, max(v.end(), subjects[0].end), t.start))
                    or (t.end <= v.start() and t.start >= subjects[0].start)]
            if not near:
                continue
            subject, t = subjects[0], min(near, key=lambda t: abs(t.start - v.end()))
            q_lo, q_hi = min(subject.start, t.start, v.start()), max(subject.end, t.end, v.end())
            out.append(Candidate(ctx.name_words(subject), prop, t.words, q_lo, q_hi, 0.75, rule, (),
                                 _direction(ctx, lo, hi)))
    return out, notes


def actor_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """ledBy ("X-led"), opponent ("against / to defeat X"), backedBy ("X-backed", "backed by X")."""
    out: list[Candidate] = []
    text = ctx.text
    names = ctx.names(sentence)
    for m in re.finditer(r"\b([A-Z][\w.]*)-led\b", text[sentence.start:sentence.end]):
        s = sentence.start + m.start()
        leader = ctx.index.lookup(m.group(1))
        if not leader or not ({"Actor"} & ctx.index.closure(leader[0])):
            continue
        own = [n for n in names if n.start <= s < n.end and ctx.is_a(n, *_OPERATION)]
        prev = [n for n in names if n.end <= s and ctx.is_a(n, *_OPERATION) and re.fullmatch(r",\s+(?:a|an|the)\s+", text[n.end:s])]
        target = (own or prev or [None])[0]
        if target:
            lead_words = m.group(1) if leader[1] == "registry" else leader[0]
            out.append(Candidate(ctx.name_words(target), "ledBy", lead_words, min(target.start, s), max(target.end, s + len(m.group())),
                                 0.8, "x-led"))
    out += _led_by(ctx, sentence, names)
    out += _founded(ctx, sentence, names)
    for m in re.finditer(r"\b(?:against|to defeat|to fight|to counter|to combat|fight against|war on)\s+(?:the\s+)?", text[sentence.start:sentence.end]):
        s = sentence.start + m.end()
        foe = next((n for n in names if n.start == s or n.start == s - 4 and text[n.start:n.start + 4].lower() == "the "), None)
        if not foe or not ctx.is_a(foe, "ArmedGroup"):
            continue
        ops = [n for n in names if n.end <= sentence.start + m.start() and ctx.is_a(n, *_OPERATION)
               and not _MODIFIED.match(text, n.end)]
        if ops:
            op = ops[-1]
            gap = text[op.end:sentence.start + m.start()]
            # "Operation Inherent Resolve, a U.S.-led military operation to counter ISIS": an apposition names it again
            appos = re.fullmatch(r",\s+(?:a|an|the)\s+[\w.’'\s-]{0,40}?\b(?:operation|mission|campaign|task force|coalition)\s+", gap)
            if not appos and (len(gap) > 45 or "," in gap or re.search(r"\b(?:their|its|his|her)\b", gap)):
                continue  # "the coalition ... will complete their mission against ISIS": the mission's, not the coalition's
            out.append(Candidate(ctx.name_words(op), "opponent", ctx.name_words(foe), op.start, foe.end, 0.75, "against-x"))
    for n in names:
        # a description that says whom it is against ("the coalition's mission against ISIS")
        inner = re.search(r"\b(?:against|to defeat|to fight|to counter|to combat)\s+(?:the\s+)?(\S.*)$", n.text)
        if not inner or not ctx.is_a(n, "MilitaryOperation", "Phase"):
            continue
        words = inner.group(1).split()
        for k in range(len(words), 0, -1):
            foe = ctx.index.lookup(" ".join(words[:k]))
            if foe and "ArmedGroup" in ctx.index.closure(foe[0]):
                out.append(Candidate(ctx.name_words(n), "opponent", foe[0], n.start, n.end, 0.75, "x-against-y"))
                break
    for n in names:
        m = re.match(r"^([A-Z][\w.]*)-(?:backed|sponsored|supported|aligned)\b", n.text)
        backer = ctx.index.lookup(m.group(1)) if m else None
        if m and not backer:
            name = DEMONYMS.get(m.group(1).lower())
            backer = ctx.index.lookup(name) if name else None
        if backer and {"Actor"} & ctx.index.closure(backer[0]) and backer[0] != n.key:
            out.append(Candidate(ctx.name_words(n), "backedBy", backer[0], n.start, n.end, 0.8, "x-backed"))
        inner = re.search(r"\b(?:backed|sponsored|supported|funded|armed) by\s+(.+)$", n.text)
        backer = ctx.index.lookup(inner.group(1)) if inner else None
        if backer and {"Actor"} & ctx.index.closure(backer[0]) and backer[0] != n.key:
            out.append(Candidate(ctx.name_words(n), "backedBy", backer[0], n.start, n.end, 0.75, "name-backed-by-x"))
        m = re.search(r"\b([A-Z][\w.]*)-(?:backed|sponsored|supported|aligned)\s+(?:the\s+)?(?:(?:militias?|groups?|factions?|movement|"
                      r"party|paramilitary|armed|Shi['’]?ite|Shia|Sunni)\s+){0,2}$", text[max(sentence.start, n.start - 45):n.start])
        backer = ctx.index.lookup(m.group(1)) or ctx.index.lookup(DEMONYMS.get(m.group(1).lower(), "")) if m else None
        if backer and ctx.is_a(n, "ArmedGroup", "ArmedForces") and {"Actor"} & ctx.index.closure(backer[0]) and backer[0] != n.key:
            out.append(Candidate(ctx.name_words(n), "backedBy", backer[0], n.start - len(m.group()), n.end, 0.75, "x-backed-name"))
        m = re.match(r"\s*,\s+which\s+(?:backs|supports)\s+", text[n.end:sentence.end])
        backed = next((b for b in names if m and b.start == n.end + m.end()), None)
        if backed and ctx.is_a(n, "Actor") and ctx.is_a(backed, "Actor"):
            out.append(Candidate(ctx.name_words(backed), "backedBy", ctx.name_words(n), n.start, backed.end, 0.7, "x-which-backs-y"))
        m = re.match(r"\s*,?\s*(?:backed|sponsored|supported|funded|armed) by\s+", text[n.end:sentence.end])
        if m and ctx.is_a(n, "ArmedGroup", "ArmedForces"):
            backer_m = next((b for b in names if b.start == n.end + m.end() and ctx.is_a(b, "Actor")), None)
            if backer_m:
                out.append(Candidate(ctx.name_words(n), "backedBy", ctx.name_words(backer_m), n.start, backer_m.end, 0.8, "backed-by-x"))
    return out


_LED = ("MilitaryOperation", "Phase", "Coalition", "ArmedForces", "ArmedGroup")


def _led_by(ctx: Context, sentence: Sentence, names: list[Mention]) -> list[Candidate]:
    """ledBy from "OPERATION, led by X" and "OPERATION led by X"."""
    out = []
    for m in re.finditer(r"(?:,\s+)?\bled\s+by\s+(?:an?\s+|the\s+)?", ctx.text[sentence.start:sentence.end]):
        at, end = sentence.start + m.start(), sentence.start + m.end()
        target = next((n for n in names if n.end == at and ctx.is_a(n, *_LED)), None)
        leader = next((n for n in names if n.start in (end, end - 4) and n.start >= at and ctx.is_a(n, "Actor")), None)
        if target and leader and leader.key != target.key:
            out.append(Candidate(ctx.name_words(target), "ledBy", ctx.name_words(leader), target.start, leader.end, 0.75, "x-led-by-y"))
    return out


def _founded(ctx: Context, sentence: Sentence, names: list[Mention]) -> list[Candidate]:
    """foundedBy and ledBy from "X formed (and led) the Y": X an actor, Y a coalition, force, group or operation."""
    out = []
    verbs = r"formed|founded|created|established|set up|led|launched"
    for m in re.finditer(rf"\s+(?P<v>(?:{verbs})(?:\s+and\s+(?:{verbs}))?)\s+(?:the\s+)?", ctx.text[sentence.start:sentence.end]):
        at, end = sentence.start + m.start(), sentence.start + m.end()
        doer = next((n for n in names if n.end == at and ctx.is_a(n, "Actor") and not ctx.is_a(n, *_LED[:2])), None)
        thing = next((n for n in names if n.start in (end, end - 4) and n.start >= at
                      and ctx.is_a(n, "Coalition", "ArmedGroup", "MilitaryOperation", "PoliticalBloc")), None)
        if not doer or not thing or doer.key == thing.key or _MODIFIED.match(ctx.text, thing.end):
            continue
        said = m.group("v")
        for verb, prop in ((r"formed|founded|created|established|set up", "foundedBy"), (r"\bled\b", "ledBy")):
            if re.search(verb, said) and not (prop == "foundedBy" and ctx.is_a(thing, "MilitaryOperation")):
                out.append(Candidate(ctx.name_words(thing), prop, ctx.name_words(doer), doer.start, thing.end, 0.75, "x-formed-y"))
    return out


def place_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """locatedIn: "Harir Air Base in / near / north of Erbil", "Ain al-Asad air base in western Anbar"."""
    out: list[Candidate] = []
    names = ctx.names(sentence)
    text = ctx.text
    for a, b in zip(names, names[1:]):
        if not ctx.is_a(a, "MilitaryBase", "Airport", "City", "Region") or not ctx.is_a(b, "Place") or a.key == b.key:
            continue
        if a.generic and not re.search(r"[A-Z]", a.text):
            continue  # "the border in Duhok": a description names one place in its article, another here
        gap = text[a.end:b.start]
        near = r"in|near|outside|north of|south of|east of|west of|in the" + ("|of" if ctx.is_a(a, "Region") else "")
        # "in western Anbar" is in Anbar: a part of a place is in it
        if re.fullmatch(rf",?\s+(?:(?:situated|located|lying|based)\s+)?(?:{near})\s+(?:the\s+)?(?:[a-z]+ern\s+)?", gap) \
                and not ctx.is_a(b, "MilitaryBase") and not (ctx.is_a(a, "Region") and ctx.is_a(b, "City")) \
                and not (ctx.is_a(b, "City") and re.match(r"\s+(?:province|governorate)\b", text[b.end:b.end + 14], re.I)):
            # ("in Erbil province" is in the province, not the city the registry knows by that name)
            out.append(Candidate(ctx.name_words(a), "locatedIn", ctx.name_words(b), a.start, b.end, 0.8, "place-in-place"))
        # "Baghdad's Victory base", "northern Iraq's Kurdistan region": the possessor is where the place is
        elif re.search(r"['’]s$", a.text) and not gap.strip() and ctx.is_a(a, "City", "Region", "State") \
                and ctx.is_a(b, "MilitaryBase", "Airport", "City", "Region") and not (ctx.is_a(b, "Region") and ctx.is_a(a, "City")):
            out.append(Candidate(ctx.name_words(b), "locatedIn", ctx.name_words(a), a.start, b.end, 0.75, "place-of-place"))
    return out


def basing_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """basedAt: forces "based / stationed / deployed at" a base ("US troops, most based at Ain al-Asad air base
    … and at Baghdad's Victory base")."""
    out: list[Candidate] = []
    text = ctx.text
    for v in re.finditer(r"\b(?:based|stationed|deployed|housed)\s+(?:at|in)\s+", text[sentence.start:sentence.end]):
        at = sentence.start + v.start()
        lo, hi = ctx.clause(sentence, at, at)
        forces = [m for m in ctx.in_span(sentence, sentence.start, at, "ArmedForces") if not m.generic]
        if not forces or text[forces[-1].end:at].count(",") > 2:
            continue
        force = forces[-1]
        for base in ctx.in_span(sentence, sentence.start + v.end(), sentence.end, "MilitaryBase", "Airport"):
            gap = text[sentence.start + v.end():base.start]
            if base.start == sentence.start + v.end() or re.fullmatch(r"[^.;]{0,80}?\band\s+(?:at\s+|in\s+)?(?:the\s+)?(?:[A-Z][\w’']*\s+)?", gap):
                out.append(Candidate(ctx.name_words(force), "basedAt", ctx.name_words(base), force.start, base.end, 0.7, "forces-based-at"))
    return out
