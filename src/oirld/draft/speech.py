"""Who said what, and who people are: direct quotations, paraphrases, job titles and employers.

A direct quotation needs quotation marks and a speaker next to a verb of saying ("…,” Parnell said", "said
Lister", "Allawi said: “…”"). A paraphrase needs a named speaker followed by a verb of saying at the start of the
sentence, or a closing attribution (", the Pentagon said."). A speaker is a named person or body, or an unnamed
source the article describes ("a senior Iraqi security official", :mod:`.sources`); "an official said" stays a
suggestion, because the draft cannot tell which official. "He said" is given to the person quoted just before, in
the same or the previous paragraph, with less confidence.
"""

from __future__ import annotations

import re

from .context import Candidate, Context, Suggestion
from .sources import unnamed_group, unnamed_source
from .stances import governed, inside_relative_clause, speaker_before
from .names import TITLE_HEADS, TITLE_WORDS, Mention, kind_of_name, proper_runs
from ..web.reconcile.transliterate import fold
from .text import Sentence

__all__ = ["discover_people", "said_rules", "title_rules", "CLAUSE_END", "CLOSE_QUOTES", "OPEN_QUOTES", "SAY_VERBS",
           "SPEAKER_TYPES", "said_claim", "speaker_near"]

#: verbs that attribute a statement (quoted or not); :mod:`.asides` reads attributions with them too
SAY_VERBS = (r"(?:said|says|told|added|stated|noted|stressed|warned|explained|argued|insisted|confirmed|announced|wrote|"
             r"acknowledged|reiterated|emphasi[sz]ed|cautioned|predicted|claimed|admitted|asserted|pledged|vowed)")
#: verbs that report a view without quoting it: only for paraphrase ("Lister suggests that …")
_REPORT = (r"(?:argues?|suggests?|suggested|described|describes|highlighted|highlights|underscored|underscores|believes?|"
           r"believed|contends?|contended|maintains|maintained|discussed|discusses|signall?ed|signals)")
#: the quotation marks a quote opens and closes with, straight or curly
OPEN_QUOTES, CLOSE_QUOTES = "“\"", "”\""
#: what can speak: a statement attributed to anything else (a place, an event) is not one
SPEAKER_TYPES = ("Person", "GovernmentBody", "MilitaryCommand", "State", "Coalition", "ArmedGroup", "PoliticalBloc",
                 "NewsOrganization", "ResearchOrganization", "ArmedForces")
_ORG_TYPES = ("GovernmentBody", "MilitaryCommand", "NewsOrganization", "ResearchOrganization", "ArmedForces",
              "PoliticalBloc", "ArmedGroup", "Coalition")


def discover_people(ctx: Context) -> None:
    """New entities named with a title ("lawmaker Uday al-Khadran") or by their kind ("… Air Base", "… Ministry"),
    and people a quotation is attributed to ("…,” said Jane Doe"), added to the index before the rules run."""
    text = ctx.text
    for sentence in ctx.sentences:
        known = ctx.index.mentions(text, sentence.start, sentence.end)
        for s, e in proper_runs(text, sentence.start, sentence.end):
            s = _after_title(text, s, e)
            poss = list(re.finditer(r"['’]s\s+", text[s:e]))
            if poss and not _generic_body(text[s + poss[-1].end():e]):
                s = s + poss[-1].end()  # "the Kurdistan Region's Ministry of …": the name after the possessive
            inside = [m for m in known if m.start <= s < m.end or s <= m.start < e]
            # a known name inside a longer one of a kind ("Middle East" in "Middle East Institute") does not hide it
            if inside and (any(m.start <= s and m.end >= e for m in inside) or kind_of_name(text[s:e], "") is None
                           or any(_bare_start(text, m) < s or m.end > e for m in inside)):
                continue
            tail = re.match(r"\s+(?:air\s+base|base|airbase|airfield|province|governorate|district)\b", text[e:sentence.end])
            if tail and len(text[s:e].split()) <= 3:
                e += tail.end()  # "Baghdad's Victory base", "Nineveh province": the kind is written in lower case
            words = text[s:e]
            kind = kind_of_name(words, text[max(sentence.start, s - 30):s])
            after = text[e:e + 40]
            if kind is None and len(words.split()) >= 2 and re.match(rf",?\s+{SAY_VERBS}\b", after) \
                    and re.search(r"[”\"],?\s*$|,\s*$", text[max(sentence.start, s - 3):s]):
                kind = "Person"
            if kind is None and len(words.split()) >= 2 and re.match(r",\s+(?:a|an|the)?\s*[A-Za-z. ]{0,40}?\b(?:"
                                                                       + "|".join(sorted(w for w in TITLE_WORDS if w.isalpha()))
                                                                       + r")\b", after, re.IGNORECASE) \
                    and all(w[:1].isupper() or w.startswith(("al-", "el-", "bin")) for w in words.split()):
                kind = "Person"
            if kind is None and _person_by_context(ctx, words, after):
                kind = "Person"
            if kind is None:
                continue
            key = ctx.index.add_new(words, (kind,))
            if key and kind == "Person":
                last = words.split()[-1]
                if len(words.split()) >= 2 and len(last) > 2:
                    ctx.index.add_alias(key, last)
                    if last.lower().startswith(("al-", "el-")):
                        ctx.index.add_alias(key, last[3:])
        ctx.mentions.pop(sentence.start, None)


def _generic_body(words: str) -> bool:
    """"Foreign Ministry", "Defense Ministry": every state has one, so the owner ("Iraq's") stays in the name."""
    parts = words.lower().split()
    return len(parts) >= 2 and kind_of_name(words, "") is not None \
        and all(w in TITLE_WORDS or w in ("ministry", "of", "affairs", "embassy", "government", "cabinet") for w in parts)


def _bare_start(text: str, m: Mention) -> int:
    """Where a name starts without its article ("the Middle East" starts at "Middle")."""
    return m.start + 4 if text[m.start:m.start + 4].lower() == "the " else m.start


_TITLES = "|".join(sorted(w for w in TITLE_WORDS if w.isalpha()))


def _person_by_context(ctx: Context, words: str, after: str) -> bool:
    """Two or three capitalised words followed by "is the … reporter" or "from the Middle East Institute": a
    person, by what is said of them."""
    parts = words.split()
    if not 2 <= len(parts) <= 3 or not all(p[:1].isupper() and p.replace("-", "").isalpha() for p in parts):
        return False
    if re.match(rf"\s+(?:is|was)\s+(?:the|a|an)\s+[\w\s'’-]{{0,40}}?\b(?:{_TITLES})\b", after, re.IGNORECASE):
        return True
    m = re.match(r"\s+(?:from|at|of)\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,4})", after)
    if m:
        hit = ctx.index.lookup(m.group(1))
        kinds = set(ctx.index.closure(hit[0])) if hit else {kind_of_name(m.group(1), "")}
        return bool(kinds & {"ResearchOrganization", "NewsOrganization"})
    return False


def _after_title(text: str, s: int, e: int) -> int:
    """Where the name starts in a capitalised run that opens with a title ("Chief Pentagon Spokesman Sean
    Parnell" -> "Sean Parnell"): after the last title word, when two or more words follow it."""
    words = list(re.finditer(r"\S+", text[s:e]))
    last = max((i for i, w in enumerate(words) if w.group().lower().rstrip(",") in TITLE_HEADS), default=None)
    if last is not None and len(words) - last - 1 >= 2:
        return s + words[last + 1].start()
    return s


def name_tail(text: str, m: Mention) -> bool:
    """The mention ends a longer name the registry lacks ("the Islamic Resistance in Iraq", "Islamic State of
    Iraq"): the state named inside is not the one who speaks."""
    return bool(re.search(r"\b[A-Z][\w’'-]*\s+(?:in|of|for)\s+(?:the\s+)?$", text[max(0, m.start - 40):m.start]))


def speaker_near(ctx: Context, sentence: Sentence, lo: int, hi: int, before: bool) -> Mention | None:
    """The speaker named in ``text[lo:hi]``, the nearest to the verb (``before``: the span ends at it), as every
    attribution rule must pick it the same way."""
    names = [m for m in ctx.names(sentence) if lo <= m.start and m.end <= hi and ctx.is_a(m, *SPEAKER_TYPES)
             and not m.generic and not name_tail(ctx.text, m)]
    if not names:
        return None
    if not before:
        # "said Iraqi army spokesman Yahya Rasool": the speaker is the person the organisation's title leads to
        first = names[0]
        for p in names[1:] if not ctx.is_a(first, "Person") else ():
            gap = ctx.text[first.end:p.start].split()
            if ctx.is_a(p, "Person") and 0 < len(gap) <= 4 and all(w.lower() in TITLE_WORDS for w in gap):
                return p
        return first
    last = names[-1]
    # "Hussein Allawi, security advisor to Prime Minister X, said": the speaker is the head, not the apposition
    head = [m for m in names if ctx.is_a(m, "Person") and re.fullmatch(r",\s+[^,]{2,80},\s*", ctx.text[m.end:hi])]
    return head[0] if head else last


def _pronoun_speaker(ctx: Context, sentence: Sentence) -> str | None:
    earlier = [(off, k) for off, k in ctx.speakers if off < sentence.start]
    if not earlier:
        return None
    off, key = max(earlier)
    return key if ctx.text[off:sentence.start].count("\n") <= 2 else None


_QUOTED = re.compile(rf"[{OPEN_QUOTES}](?P<q>[^{CLOSE_QUOTES}{OPEN_QUOTES}]+?)[{CLOSE_QUOTES}]")
#: where a paraphrased clause stops, so that the value holds what was said and not the sentence around it
CLAUSE_END = re.compile(r',[”"]?\s+(?:as|while|but|though|although|especially\s+(?:after|since|following|when|amid)|calling|welcoming|adding|saying|stating|noting|according|emphasi[sz]ing|stressing|highlighting|underlining|underscoring|reflecting|marking|prompting|signall?ing|citing)|,\s+and\s+(?=(?:the|a|an|formal|[A-Z])\w*\s)\b|;|\s[—–]\s|[.!?]$'
                        # a closing attribution to the outlet: ", Al Mayadeen reported."
                        r"|,\s+(?:the\s+)?(?:[A-Z][\w’'.-]*\s+){1,4}(?:said|reported|wrote|added)\.?$")


def said_rules(ctx: Context, sentence: Sentence) -> tuple[list[Candidate], list[Suggestion]]:
    out: list[Candidate] = []
    notes: list[Suggestion] = []
    text, s0, s1 = ctx.text, sentence.start, sentence.end
    body = text[s0:s1]
    para = _paraphrases(ctx, sentence)
    out += para
    for m in _QUOTED.finditer(body):
        q = m.group("q").strip()
        if len(q.split()) < 2:
            continue
        q_lo, q_hi = s0 + m.start("q"), s0 + m.end("q")
        after, before = body[m.end():], body[:m.start()]
        speaker, conf, rule = None, 0.0, ""
        attribution = re.match(rf"\s*,?\s*(?:[^{OPEN_QUOTES}.]|(?<=[A-Z])\.){{0,70}}?\b{SAY_VERBS}\b", after)
        if attribution and len(q.split()) >= 3:
            verb_at = s0 + m.end() + attribution.end()
            verb = re.search(rf"\b{SAY_VERBS}$", text[s0:verb_at])
            # "the U.S. defense official told": the official speaks, not the state that qualifies them
            src = unnamed_source(ctx, sentence, q_hi + 1, _strip_back(text, s0 + verb.start())) if verb else None
            if src:
                out.append(said_claim(src.key, q, q_lo, q_hi, s0, s1, "direct", src.confidence, "direct-quote-then-unnamed"))
                continue
            speaker = (speaker_near(ctx, sentence, q_hi, verb_at, before=True)
                       or speaker_near(ctx, sentence, verb_at, min(s1, verb_at + 60), before=False))
            conf, rule = 0.9, "direct-quote-then-speaker"
            if speaker is None and re.match(rf"\W*(?:he|she)\s+{SAY_VERBS}", after, re.IGNORECASE):
                who = _pronoun_speaker(ctx, sentence)
                if who:
                    out.append(said_claim(who, q, q_lo, q_hi, s0, s1, "direct", 0.7, "direct-quote-then-pronoun"))
                    continue
            if speaker is None:
                src = unnamed_source(ctx, sentence, _strip_forward(text, verb_at), min(s1, verb_at + 90), at_end=False)
                if src:
                    out.append(said_claim(src.key, q, q_lo, q_hi, s0, s1, "direct", src.confidence, "direct-quote-then-unnamed"))
                    continue
        elif re.search(rf"\b{SAY_VERBS}\b[^{OPEN_QUOTES}{CLOSE_QUOTES}]{{0,200}}$", before):
            verb_at = [v.start() for v in re.finditer(rf"\b{SAY_VERBS}\b", before)][-1]
            src = unnamed_source(ctx, sentence, s0, _strip_back(text, s0 + verb_at))
            speaker = None if src else speaker_near(ctx, sentence, s0, s0 + verb_at, before=True)
            conf, rule = (0.85, "speaker-then-direct-quote") if len(q.split()) >= 3 else (0.7, "quoted-words-in-paraphrase")
            if speaker is None and re.match(r"(?:He|She)\s", body):
                who = _pronoun_speaker(ctx, sentence)
                if who:
                    out.append(said_claim(who, q, q_lo, q_hi, s0, s1, "direct", 0.7, "pronoun-then-direct-quote"))
                    continue
            if src:
                out.append(said_claim(src.key, q, q_lo, q_hi, src.start, q_hi + 1, "direct", src.confidence,
                                      "unnamed-then-direct-quote"))
                continue
        else:
            continue
        if speaker is None:
            notes.append(Suggestion(s0, s1, "a quotation whose speaker is not named (or not known): say who said it"))
            continue
        ctx.speakers.append((speaker.start, speaker.key))
        lo = min(speaker.start, s0 + m.start()) if rule != "direct-quote-then-speaker" else s0
        hi = max(speaker.end, q_hi + 1) if rule != "direct-quote-then-speaker" else s1
        if rule == "quoted-words-in-paraphrase":
            lo, hi = min(speaker.start, q_lo), q_hi + 1
        out.append(said_claim(ctx.name_words(speaker), q, q_lo, q_hi, lo, hi, "direct", conf, rule))
    if not any(c.property == "said" for c in out) and _UNNAMED_SAYS.search(body):
        notes.append(Suggestion(s0, s1, "a statement by officials the article does not describe: say whose (an "
                                        "unnamed source of this article, or one the registry has)", "said"))
    return out, notes


#: "officials stressed that …", "an official said": a statement whose speaker the draft cannot tell
_UNNAMED_SAYS = re.compile(rf"(?:^|[,;:]\s+|\b(?:that|while|but|and)\s+)(?:an?\s+|the\s+|some\s+)?(?:officials?|sources?|diplomats?)"
                           rf"\s+(?:(?:have|has|had)\s+)?(?:also\s+)?(?:{SAY_VERBS}|{_REPORT})\b", re.IGNORECASE)


def _paraphrases(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """"SPEAKER said (that) CLAUSE" anywhere in the sentence, and "CLAUSE, SPEAKER said." at its end."""
    text, s0, s1 = ctx.text, sentence.start, sentence.end
    out: list[Candidate] = []
    verb = re.compile(rf"\s+(?:(?:has|have|had)\s+(?:also\s+|long\s+|repeatedly\s+|since\s+)?)?(?:also\s+)?(?:{SAY_VERBS}|say|{_REPORT})(?:\s+(?:on|in)\s+(?:a\s+)?\w+|\s+(?:last|this|earlier\s+this)\s+(?:week|month|year|\w+day)|\s+(?:earlier|yesterday|again|repeatedly))?(?:\s+that)?\s+(?=[^{OPEN_QUOTES}])")
    for m in verb.finditer(text, s0, s1):
        speaker = next((n for n in reversed(ctx.names(sentence)) if n.end == m.start()), None)
        if speaker is not None and name_tail(text, speaker):
            continue  # "The Islamic Resistance in Iraq says": not Iraq
        if speaker is None:  # "Tara Copp’s analysis for AP underscores …": the author speaks through the work
            speaker = next((n for n in ctx.names(sentence) if ctx.is_a(n, "Person") and not n.generic
                            and _WORK.fullmatch(text, n.end, m.start())), None)
        head = speaker_near(ctx, sentence, s0, m.start(), before=True)
        if head is not None and head is not speaker and re.fullmatch(r",\s+[^,]{2,80},", text[head.end:m.start()]):
            speaker = head  # "Hussein Allawi, security advisor to Prime Minister X, said"
        if speaker is None:  # "…, such as Charles Lister from the Middle East Institute, argue that"
            speaker = next((n for n in ctx.names(sentence) if n.end == m.start() - 1 and text[n.end] == ","
                            and ctx.is_a(n, *_ORG_TYPES)), None)
            if speaker is not None and not re.search(r"\s+(?:from|of|at)\s+(?:the\s+)?$", text[s0:_bare_start(text, speaker)]):
                speaker = None
        if speaker is not None and ctx.is_a(speaker, *_ORG_TYPES):
            # "Charles Lister from the Middle East Institute, argue that": the person speaks, the body is theirs
            person = next((n for n in ctx.names(sentence) if ctx.is_a(n, "Person") and not n.generic
                           and re.fullmatch(r"\s+(?:from|of|at)\s+(?:the\s+)?", text[n.end:speaker.start])), None)
            if person is not None and re.fullmatch(r",?", text[speaker.end:m.start()]):
                speaker = person
            elif text[speaker.end:m.start()] == ",":
                speaker = None
        who, conf, src = None, 0.0, None
        if speaker and ctx.is_a(speaker, *SPEAKER_TYPES) and not speaker.generic:
            who, conf = ctx.name_words(speaker), 0.75
            ctx.speakers.append((speaker.start, speaker.key))
        elif re.fullmatch(r"(?:He|She)", text[s0:m.start()]):
            who, conf = _pronoun_speaker(ctx, sentence), 0.65
        elif (src := unnamed_source(ctx, sentence, s0, m.start())) is not None:
            who, conf = src.key, src.confidence
        if not who or re.match(r"(?:told|announced|wrote)\b", text[m.start():m.end()].strip()):
            continue
        end = CLAUSE_END.search(text, m.end(), s1)
        c_hi = end.start() if end else s1
        value = text[m.end():c_hi].strip()
        if len(value.split()) < 4 or _cuts_quotation(value) or not value[:1].isalnum():  # "said — a drawdown …"
            continue
        lo = speaker.start if speaker else src.start if src else s0
        hi = c_hi + 1 if c_hi < s1 and text[c_hi] in ".!?" else c_hi
        out.append(said_claim(who, value, m.end(), c_hi, lo, hi, "paraphrase", conf, "speaker-said-that"))
    # SPEAKER called for / expressed / urged …: the stance, verb included, as the article words it
    # "X, recently expressed …", "X has long pressed for …": a comma after an apposed name, an adverb before the verb
    stance = re.compile(r",?\s+(?:[a-z]+ly\s+)?(?:(?:has|have|had)\s+(?:long\s+|repeatedly\s+|also\s+|[a-z]+ly\s+)?)?"
                        r"(?:been\s+(?:[a-z]+ly\s+)?vocal\s+in\s+)?(?P<v>called for|calls for|urged|urges|demanded|demands|expressed|expresses|pressed for|press for|"
                        r"advocated|advocating|voiced|rejected|reaffirmed|reaffirms)\b")
    for m in stance.finditer(text, s0, s1):
        speaker = next((n for n in reversed(ctx.names(sentence)) if n.end == m.start()), None)
        if speaker is not None and name_tail(text, speaker):
            continue  # "The Islamic Resistance in Iraq says": not Iraq
        if speaker is not None and (inside_relative_clause(text, sentence.start, speaker.start)
                                    or governed(text, sentence.start, speaker.start)):
            speaker = None  # "X, who has close ties to Iran, has been vocal in …": Iran is not the one who speaks
        if speaker is None or speaker.generic:  # "X, who has …, has been vocal in …"; "…, where the local government"
            speaker = speaker_before(ctx, sentence, m.start("v"))
        if not speaker or not ctx.is_a(speaker, *SPEAKER_TYPES) or speaker.generic:
            group = unnamed_group(ctx, sentence, s0, m.start())  # "Armed factions within the X alliance have …"
            if group is None:
                continue
            who, lo, conf = group.key, group.start, group.confidence
        else:
            who, lo, conf = ctx.name_words(speaker), speaker.start, 0.65
        end = CLAUSE_END.search(text, m.end(), s1)
        c_hi = end.start() if end else s1
        value = text[m.start("v"):c_hi].strip()
        if len(value.split()) >= 4 and not any(c.about == who and c.start <= m.start() < c.end for c in out):
            hi = c_hi + 1 if c_hi < s1 and text[c_hi] in ".!?" else c_hi
            out.append(said_claim(who, value, m.start("v"), c_hi, lo, hi, "paraphrase", conf, "speaker-stance"))
    out += _participles(ctx, sentence)
    from .asides import interrupted, other_than_to_say  # they use this module's speaker rules
    out += interrupted(ctx, sentence) + other_than_to_say(ctx, sentence)
    m = re.match(rf"^(?P<c>[^{OPEN_QUOTES}{CLOSE_QUOTES}]{{20,}}?),\s+(?P<who>[^,]{{2,80}}?)\s+{SAY_VERBS}(?:\s+(?:in|on)\s+(?:a\s+)?\w+)?\s*(?=[.,]|\s[—–]\s|$)",
                 text[s0:s1])
    if m:
        speaker = speaker_near(ctx, sentence, s0 + m.start("who"), s0 + m.end("who"), before=True)
        src = unnamed_source(ctx, sentence, s0 + m.start("who"), s0 + m.end("who"), at_end=False) if speaker is None else None
        if src and src.end == s0 + m.end("who"):
            out.append(said_claim(src.key, m.group("c").strip(), s0, s0 + m.end("c"), s0, s0 + m.end(), "paraphrase",
                                  0.55, "clause-then-unnamed-said"))
        if speaker and speaker.end == s0 + m.end("who"):
            value = m.group("c").strip()
            out.append(said_claim(ctx.name_words(speaker), value, s0, s0 + m.end("c"), s0, s0 + m.end(), "paraphrase", 0.7,
                                  "clause-then-speaker-said"))
            ctx.speakers.append((speaker.start, speaker.key))
    return out


#: ", noting that …", ", welcoming …": a second statement by the speaker of the verb before; the verbs of saying
#: drop out of the words, the verbs of stance stay in them (as the stance rule words them)
_PARTICIPLE = re.compile(r",\s+(?:(?P<say>noting|saying|adding|stressing|arguing|warning|explaining|emphasi[sz]ing|insisting)(?:\s+that)?"
                         r"|(?P<stance>welcoming|calling for|urging|praising|rejecting|criticising|criticizing))\s+")


#: a person's written work as the subject of a verb of report: "’s analysis for AP", "'s latest report"
_WORK = re.compile(r"(?:['’]s)?\s+(?:[a-z]+\s+)?(?:analysis|report|article|assessment|study|column|commentary|piece|book|paper)"
                   r"(?:\s+(?:for|in|with|at)\s+(?:the\s+)?[A-Z][\w.&’'-]*(?:\s+[A-Z][\w.&’'-]*){0,3})?")


def _cuts_quotation(value: str) -> bool:
    """A paraphrase that opens a quotation it does not close ("the military’s “footprint is going to"): the
    quotation is the statement, read by the direct-quote rules."""
    return sum(value.count(c) for c in "“") != sum(value.count(c) for c in "”") or value.count('"') % 2 == 1


def _participles(ctx: Context, sentence: Sentence) -> list[Candidate]:
    text, s0, s1 = ctx.text, sentence.start, sentence.end
    out: list[Candidate] = []
    for p in _PARTICIPLE.finditer(text, s0, s1):
        verbs = list(re.finditer(rf"\b(?:{SAY_VERBS}|{_REPORT})\b", text[s0:p.start()]))
        if not verbs or re.search(r"[;—–]", text[s0 + verbs[-1].end():p.start()]) or p.start() - s0 - verbs[-1].end() > 200:
            continue
        verb_at = s0 + verbs[-1].start()
        speaker = speaker_near(ctx, sentence, s0, _strip_back(text, verb_at), before=True)
        if speaker is not None and speaker.end != _strip_back(text, verb_at) \
                and not re.fullmatch(r",\s+[^,]{2,80},\s*", text[speaker.end:verb_at]):  # "X, who …, described"
            speaker = None
        src = unnamed_source(ctx, sentence, s0, _strip_back(text, verb_at)) if speaker is None else None
        if speaker is None and src is None:
            continue
        v_lo = p.start("stance") if p.group("stance") else p.end()
        end = CLAUSE_END.search(text, p.end(), s1)
        c_hi = end.start() if end else s1
        value = text[v_lo:c_hi].strip()
        if len(value.split()) < 3:
            continue
        who = ctx.name_words(speaker) if speaker else src.key
        lo = speaker.start if speaker else src.start
        out.append(said_claim(who, value, v_lo, c_hi, lo, c_hi + (1 if c_hi < s1 and text[c_hi] in ".!?" else 0), "paraphrase",
                              0.7 if speaker else 0.65, "speaker-said-participle"))
    return out


def _strip_back(text: str, at: int) -> int:
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at


def _strip_forward(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def said_claim(who: str, value: str, v_lo: int, v_hi: int, lo: int, hi: int, kind: str, conf: float, rule: str) -> Candidate:
    """One ``said`` claim, built the same way by every attribution rule; its passage is ``lo``-``hi`` (``v_lo`` and
    ``v_hi``, where the words said are, do not change it)."""
    return Candidate(who, "said", value.strip(), lo, hi, conf, rule, (("statementKind", kind),))


def title_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    """jobTitle from "TITLE Name" and "Name, TITLE …,"; worksFor from an organisation inside the title or after
    "at"/"from"/"with" ("Noah Robertson is the Pentagon reporter at Defense News")."""
    text, out = ctx.text, []
    names = ctx.names(sentence)
    for i, person in enumerate(names):
        if not ctx.is_a(person, "Person") or person.generic:
            continue
        who = ctx.name_words(person)
        inner = _title_inside(ctx, person)
        if inner:
            out.append(Candidate(who, "jobTitle", inner, person.start, person.end, 0.85, "title-in-name"))
            for org in ctx.index.mentions(ctx.text, person.start, person.start + len(inner)):
                if ctx.is_a(org, *_ORG_TYPES):
                    out.append(Candidate(who, "worksFor", ctx.name_words(org), person.start, person.end, 0.8, "organisation-in-title"))
        # TITLE Name: walk back over title words, capitalised modifiers and organisation names
        lo = person.start
        j = i
        while True:
            m = re.search(r"([A-Za-z][\w.’'-]*)\s+$", text[sentence.start:lo])
            if not m:
                break
            word = m.group(1)
            prev = names[j - 1] if j > 0 else None
            if prev and prev.end == sentence.start + m.end(1) and ctx.is_a(prev, *_ORG_TYPES, "State"):
                lo, j = prev.start, j - 1
                continue
            if word.lower() in TITLE_WORDS or (word[:1].isupper() and word.lower() not in ("the", "a", "and", "by", "with")
                                                and lo != person.start and not re.search(r"[.,]$", word)):
                lo = sentence.start + m.start(1)
                continue
            if word in ("U.S.", "US", "Iraqi", "American", "Iranian", "Kurdish", "British", "Syrian"):
                lo = sentence.start + m.start(1)
                continue
            break
        title = text[lo:person.start].strip()
        # "Pentagon press secretary Maj. Gen. Pat Ryder": the rank after the post is not part of the post
        rank = re.search(r"(?:\s+(?:Maj|Gen|Lt|Col|Adm|Brig|Sgt|Capt|Cmdr|Cdr|Rear|Vice)\.?)+$", title)
        if rank and rank.group(0).strip().endswith(".") and any(w.isalpha() and w.lower() in TITLE_WORDS
                                                                for w in title[:rank.start()].split()):
            title = title[:rank.start()]
        if title and any(w.lower() in TITLE_WORDS for w in title.split()) and title.split()[-1].lower() in TITLE_HEADS:
            out.append(Candidate(who, "jobTitle", title, lo, person.end, 0.85, "title-before-name"))
            for org in names:
                if lo <= org.start and org.end <= person.start and ctx.is_a(org, *_ORG_TYPES):
                    out.append(Candidate(who, "worksFor", ctx.name_words(org), lo, person.end, 0.8, "organisation-in-title"))
        # Name, TITLE (to|of|at …),
        m = re.match(r",\s+(?:the\s+|a\s+|an\s+)?(?P<t>[^,;()“”\"]{3,90}?)(?=,|\.|;|$| said| told)", text[person.end:sentence.end])
        if m:
            t = m.group("t").strip()
            words = t.lower().split()
            if words and (words[0] in TITLE_WORDS or (len(words) > 1 and words[1] in TITLE_WORDS)) and len(words) <= 12:
                t_lo = person.end + m.start("t")
                out.append(Candidate(who, "jobTitle", t, person.start, t_lo + len(t), 0.75, "name-comma-title"))
        # Name is the TITLE at ORG  /  Name from ORG
        m = re.match(r"(?:\s+(?:is|was)|,)\s+(?:the|a|an)\s+(?P<t>[\w\s'’-]{3,60}?)\s+(?:at|for|with|of)\s+", text[person.end:sentence.end])
        m3 = re.match(r"\s+(?:from|of|at)\s+", text[person.end:sentence.end])
        tail = person.end + (m.end() if m else m3.end() if m3 else 0)
        if m or m3:
            org = next((o for o in names if o.start == tail or o.start == tail + 4 and text[tail:tail + 4].lower() == "the "), None)
            if org and ctx.is_a(org, *_ORG_TYPES):
                out.append(Candidate(who, "worksFor", ctx.name_words(org), person.start, org.end, 0.8, "person-at-organisation"))
                if m and not m.group(0).startswith(",") and any(w.lower() in TITLE_WORDS for w in m.group("t").split()):
                    out.append(Candidate(who, "jobTitle", m.group("t").strip(), person.start, org.end, 0.8, "person-is-title-at"))
    return out


def _title_inside(ctx: Context, person: Mention) -> str | None:
    """The title part of a registry name that carries one ("Chief Pentagon Spokesman Sean Parnell"), compared
    folded so "Prime Minister Mohamed al-Soudani" splits like "Prime Minister Mohammed al-Sudani"."""
    if person.key not in ctx.index.registry.entities:
        return None
    names = {fold(n) for n in ctx.index.registry.entities[person.key].names()}
    words = person.text.split()
    for i in range(len(words) - 1, 0, -1):
        if fold(" ".join(words[i:])) in names and words[i - 1].lower() in TITLE_WORDS:
            return " ".join(words[:i])
    return None
