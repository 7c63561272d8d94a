"""Speakers the article does not name: "a senior U.S. defense official", "the official", "Iraqi officials".

The curated mappings give an unnamed source an entity of its own (a Person for one official, a GovernmentBody for
"Iraqi officials"), labelled by its description and marked unnamed. The first description of a source introduces
it ("a senior U.S. administration and defense official"); a later definite one whose words it already had ("the
defense official", "the official") is the same source, in the same article only. The registry's entity is reused
only when the article's full description is one of its names, word for word: "the official" in another article is
another official, and so is "a senior U.S. defense official" when only the registry's label ("Senior U.S. defense
official (unnamed)") reads alike. A bare "officials said" is left unread: the draft cannot tell whose officials.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import Context
from .text import Sentence

__all__ = ["Source", "only_source", "unnamed_group", "unnamed_source", "SOURCE_DESCRIPTION"]

_MODIFIER = (r"(?:senior|top|high-ranking|high-level|ranking|other|U\.S\.|US|American|Iraqi|Kurdish|Iranian|British|Syrian|"
             r"Turkish|Western|western|coalition|administration|defen[cs]e|military|government|security|state|"
             r"intelligence|Pentagon|ministry|foreign|federal|regional|local|militia|Kurdistan|KRG|and)")
_HEAD = r"(?:official|officials|spokes(?:man|woman|person)|source|sources|diplomat|diplomats|commander|commanders|aide|aides)"
#: "a senior U.S. defense official", "Iraqi security sources": how an article describes a source it does not name
SOURCE_DESCRIPTION = re.compile(rf"\b(?P<det>(?:an?|the|one|two|three|several|other|some)\s+)?(?P<mods>(?:{_MODIFIER}\s+){{0,7}})"
                                rf"(?P<head>{_HEAD})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    key: str
    start: int
    end: int
    #: how sure the draft is that these words are this source
    confidence: float


def _words(mods: str) -> set[str]:
    return {w.casefold().strip(".") for w in mods.split() if w.lower() != "and"}


def unnamed_source(ctx: Context, sentence: Sentence, lo: int, hi: int, *, at_end: bool = True) -> Source | None:
    """The unnamed source described in ``text[lo:hi]``, ending at ``hi`` (``at_end``) or starting at ``lo``."""
    text = ctx.text
    found = None
    for m in SOURCE_DESCRIPTION.finditer(text, lo, hi):
        if at_end and m.end() == hi or not at_end and m.start() == lo:
            found = m
    if found is None or (not found.group("det") and re.search(r"[A-Z][\w.’'-]*\s*$", text[max(sentence.start, found.start() - 25):found.start()])):
        return None
    resolved = _resolve(ctx, found)
    if resolved is None:
        return None
    key, confidence = resolved
    return Source(key, found.start(), found.end(), confidence)


def _resolve(ctx: Context, found: re.Match) -> tuple[str, float] | None:
    det = (found.group("det") or "").strip().lower()
    mods, head = found.group("mods"), found.group("head").lower()
    plural = _plural(head)
    if det == "the" or not det and not mods.strip():
        # a definite description points back to the last source described before it with at least its words
        for m in reversed(list(SOURCE_DESCRIPTION.finditer(ctx.text, 0, found.start()))):
            if m.group("det") and m.group("det").strip().lower() != "the" and _plural(m.group("head").lower()) == plural \
                    and _words(mods) <= _words(m.group("mods")) and _specific(m.group("mods")):
                earlier = _resolve(ctx, m)
                return (earlier[0], 0.75) if earlier else None
        if det != "the" or not _specific(mods):
            return None  # "the official", "officials": whose?
    registry = _registry_name(ctx, found.group().strip()) if det != "the" else None
    if registry:
        return registry, 0.75
    if not _specific(mods):
        return None  # "an official"
    label = re.sub(r"\s+", " ", f"{mods}{found.group('head')}").strip()
    label = label[0].upper() + label[1:] + " (unnamed)"
    known = ctx.index.lookup(label)
    if known and known[0] in ctx.index.registry.entities:
        # the registry's unnamed source has this label, not these words as a name: this one is someone else
        label = f"{label[:-1]}, {ctx.seed.stem})"
    key = ctx.index.add_new(label, ("GovernmentBody" if plural else "Person",), findable=False)
    return (key, 0.7 if det != "the" else 0.65) if key else None


def _plural(head: str) -> bool:
    return head.endswith("s") and not head.endswith("person")


def _specific(mods: str) -> bool:
    """Words that say whose source it is ("U.S. defense"), not only its rank ("senior")."""
    return bool(_words(mods) - {"senior", "top", "other", "high-ranking", "high-level", "ranking"})


def _registry_name(ctx: Context, words: str) -> str | None:
    """A registry entity one of whose names is these words exactly, when the words say more than "the official"."""
    body = re.sub(r"^(?:an?|the)\s+", "", words, flags=re.IGNORECASE)
    if len(body.split()) < 3:
        return None
    key = ctx.index.exact(words)
    if key and ctx.index.closure(key) & {"Person", "GovernmentBody"}:
        return key
    return None


#: "Powerful armed factions within the Shi’ite alliance", "Militias inside the Popular Mobilization Forces"
_GROUP = re.compile(r"(?P<mods>(?:[A-Za-z][\w’'-]*\s+){0,3}?)(?:armed\s+)?(?:factions|militias|groups|brigades)\s+"
                    r"(?:within|inside|in|of|from|among|allied\s+to|aligned\s+with)\s+(?P<q>(?:the\s+)?[^,;:“”\"]{3,60}?)$",
                    re.IGNORECASE)
_GROUP_OWNERS = {"PoliticalBloc", "ArmedGroup", "Coalition", "GovernmentBody", "ArmedForces"}


def unnamed_group(ctx: Context, sentence: Sentence, lo: int, hi: int) -> Source | None:
    """Armed groups the article describes by the bloc or force they belong to, as the subject of ``text[lo:hi]``
    ("Powerful armed factions within the Shi’ite alliance have long pressed …"): a new armed group labelled as
    written, when the words after "within / in / of" are all one name the registry knows as a bloc or a force.
    "Militias in Anbar" (a place) or "groups of protesters" stay unread."""
    text = ctx.text
    m = _GROUP.search(text, lo, hi)
    if m is None or m.start() != lo and not re.search(r"(?:[,;:]|\bwhile|\band|\bbut|\bthat)\s*$", text[lo:m.start()]):
        return None
    owner = [n for n in ctx.names(sentence) if n.start >= m.start("q") and n.end <= m.end("q")]
    bare = re.sub(r"^the\s+", "", m.group("q"), flags=re.IGNORECASE)
    if len(owner) != 1 or not ctx.is_a(owner[0], *_GROUP_OWNERS) \
            or re.sub(r"^the\s+", "", owner[0].text, flags=re.IGNORECASE) != bare:
        return None
    words = re.sub(r"\s+", " ", text[m.start():m.end()]).strip()
    label = words[0].upper() + words[1:]
    key = ctx.index.add_new(label, ("ArmedGroup",), findable=False)
    return Source(key, m.start(), m.end(), 0.6) if key else None


def only_source(ctx: Context, before: int) -> str | None:
    """The one unnamed official source the article has introduced before ``before`` ("a senior U.S. defense
    official", "Iraqi security sources"), when it has introduced exactly one; None for none or several."""
    found: set[str] = set()
    for m in SOURCE_DESCRIPTION.finditer(ctx.text, 0, before):
        det = (m.group("det") or "").strip().lower()
        # "a senior U.S. defense official", "Kurdish commanders": introduced; "the official" points back to one
        if det == "the" or not _specific(m.group("mods")) or not det and not _plural(m.group("head").lower()):
            continue
        resolved = _resolve(ctx, m)
        if resolved:
            found.add(resolved[0])
    return next(iter(found)) if len(found) == 1 else None
