"""Which bloc armed factions belong to: "armed factions within the Shi'ite alliance" → partOf the alliance.

The bloc is named either as the registry names it, or by a definite description ("the Shia alliance", "the Sunni
bloc") that points back to the one bloc the article named before whose name shares the description's adjective
("… Shia Coordination Framework, which backs …" earlier). With none or several such blocs the sentence stays unread.
The factions themselves become the same new armed group the speech rules make of them (``sources.unnamed_group``).
"""

from __future__ import annotations

import re

from ..web.reconcile.transliterate import fold
from .context import Candidate, Context
from .text import Sentence

__all__ = ["faction_rules"]

_FACTIONS = re.compile(r"(?P<g>(?:[A-Za-z][\w’'-]*\s+){0,3}?(?:armed\s+)?(?:factions|militias|groups|brigades)\s+"
                       r"(?:within|inside|in|of|from|among)\s+)(?P<q>the\s+(?P<adj>[A-Z][\w’'-]*)\s+"
                       r"(?:alliance|bloc|framework|coalition))\b", re.I)
_BLOC = "PoliticalBloc"


def _bloc_before(ctx: Context, sentence: Sentence, adj: str) -> str | None:
    before = ctx.text[:sentence.start]
    keys = {n.key for s in ctx.sentences if s.end <= sentence.start for n in ctx.names(s) if ctx.is_a(n, _BLOC)}
    keys |= {e.key for e in ctx.index.new.values() if _BLOC in e.types and e.label in before}
    word = fold(adj)
    fit = [k for k in keys if any(word in fold(n).split() for n in _names(ctx, k))]
    return fit[0] if len(fit) == 1 else None


def _names(ctx: Context, key: str) -> list[str]:
    if key in ctx.index.new:
        e = ctx.index.new[key]
        return [e.label, *e.aliases]
    return list(ctx.index.registry.entities[key].names())


def faction_rules(ctx: Context, sentence: Sentence) -> list[Candidate]:
    out = []
    for m in _FACTIONS.finditer(ctx.text, sentence.start, sentence.end):
        g0 = m.start("g")
        if g0 != sentence.start and not re.search(r"(?:[,;:]|\bwhile|\band|\bbut|\bthat)\s*$", ctx.text[sentence.start:g0]):
            continue  # the factions must be a subject, as the speech rules read them
        known = [n for n in ctx.names(sentence) if n.start <= m.start("q") + 4 and n.end >= m.end("q") - 1]
        bloc = known[0].key if len(known) == 1 and ctx.is_a(known[0], _BLOC) else None
        if not known:
            bloc = _bloc_before(ctx, sentence, m.group("adj"))
        if bloc is None:
            continue
        words = re.sub(r"\s+", " ", m.group()).strip()
        group = ctx.index.add_new(words[0].upper() + words[1:], ("ArmedGroup",), findable=False)
        if group and group != bloc:
            out.append(Candidate(group, "partOf", bloc, g0, m.end(), 0.65, "factions-within-bloc"))
    return out
