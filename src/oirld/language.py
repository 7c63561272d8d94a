"""Which language a text is in, told offline from its script and its commonest words.

Enough to catch a mistake, not to identify any language: a text declared English that is mostly in Arabic script, or
whose words are a tenth as often English function words as French ones, is "clearly not" English. Every language
has a short list of its commonest function words; a text's score in a language is the share of its words on that
list (English news runs at 35-45% on its list, other languages at a few percent). Short texts are never judged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Reading", "read_language", "mismatch", "guess", "STOPWORDS", "MIN_WORDS"]

#: below this many words a text is not judged
MIN_WORDS = 40

STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "en": "the of and to a in is that for on it with as was at by be this are from or an have has had not but which "
          "will were their its been they he she said would who also after more than said into about over",
    "fr": "le la les de des du un une et est en que qui dans pour sur au aux par pas plus avec ne se ce sont il elle "
          "ont été sa son ses leur cette mais ou où comme lors selon",
    "de": "der die das und ist nicht ein eine zu den dem des mit von auf für im sich auch es als wie bei nach aus "
          "wird wurde sind hat haben noch oder aber über zum zur",
    "es": "el la los las de del y en que un una es por con para se no su sus al lo como más pero fue ha son este esta "
          "entre sobre también",
    "it": "il lo la gli le di del della dei e è che un una per con non si da al alla nel nella sono come più ma anche "
          "sul dalla questo",
    "pt": "o a os as de do da dos das e em que um uma é para com não se por no na ao mais como mas foi são seu sua "
          "pelo pela também",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er maar om ook als bij door werd wordt naar "
          "heeft hebben",
    "tr": "ve bir bu da de için ile olarak olan gibi daha çok en ama ya kadar sonra ancak değil göre",
    "ar": "في من على إلى أن عن مع هذا هذه التي الذي كان قد لا ما أو بين بعد كما إن ذلك حيث وقد",
    "fa": "و در به از که این را با است برای آن یک تا می شد بود هم کرد شده خود اما",
    "ckb": "و لە بە کە ئەم بۆ لەگەڵ دەکات بوو ئەو یان هەروەها کرد",
    "ru": "и в не на что с по как это он она они из за от для к но был была были также его её их",
}.items()}

_LATIN = {"en", "fr", "de", "es", "it", "pt", "nl", "tr", "ku"}
_ARABIC_SCRIPT = {"ar", "fa", "ckb", "ur", "ps"}
_CYRILLIC = {"ru", "uk", "bg", "sr"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Reading:
    words: int
    #: share of letters per script: "latin", "arabic", "cyrillic", "other"
    scripts: dict[str, float]
    #: share of words on each language's list
    scores: dict[str, float]

    def best(self) -> tuple[str, float] | None:
        if not self.scores:
            return None
        lang = max(self.scores, key=lambda k: self.scores[k])
        return lang, self.scores[lang]

    def describe(self, *langs: str) -> str:
        return ", ".join(f"{lang} {self.scores.get(lang, 0):.0%}" for lang in dict.fromkeys(langs) if lang in self.scores)


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "ARABIC", "CYRILLIC"):
        if name.startswith(script) or f" {script} " in name:
            return script.lower()
    return "other"


def read_language(text: str) -> Reading:
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    letters = [c for c in text if c.isalpha()]
    counts: dict[str, int] = {}
    for c in letters:
        s = _script(c)
        counts[s] = counts.get(s, 0) + 1
    scripts = {s: n / len(letters) for s, n in counts.items()} if letters else {}
    scores = {lang: sum(w in stop for w in words) / len(words) for lang, stop in STOPWORDS.items()} if words else {}
    return Reading(len(words), scripts, scores)


def _primary(tag: str) -> str:
    return tag.lower().split("-")[0].split("_")[0]


def mismatch(text: str, declared: str) -> str | None:
    """Why ``text`` is clearly not in the ``declared`` language (a BCP 47 tag), or None when it may well be."""
    r = read_language(text)
    if r.words < MIN_WORDS:
        return None
    lang = _primary(declared)
    expected = "latin" if lang in _LATIN else "arabic" if lang in _ARABIC_SCRIPT else "cyrillic" if lang in _CYRILLIC else None
    if expected and r.scripts.get(expected, 0) < 0.5:
        main = max(r.scripts, key=lambda s: r.scripts[s])
        return (f"declared {declared}, but {r.scripts.get(main, 0):.0%} of its letters are in {main} script "
                f"and {r.scripts.get(expected, 0):.0%} in {expected}")
    if lang not in STOPWORDS:
        return None
    best = r.best()
    own = r.scores[lang]
    if best and best[0] != lang and own < 0.08 and best[1] >= 0.2 and best[1] >= 3 * own:
        return f"declared {declared}, but it reads as {best[0]} (share of common words: {r.describe(best[0], lang)})"
    return None


def guess(text: str) -> tuple[str, str] | None:
    """The language a text is clearly in, with the evidence, or None when it is not clear."""
    r = read_language(text)
    if r.words < MIN_WORDS or not r.scores:
        return None
    ranked = sorted(r.scores.items(), key=lambda kv: -kv[1])
    (lang, top), (_, second) = ranked[0], ranked[1]
    if top >= 0.15 and top >= 2 * second:
        return lang, f"{top:.0%} of its {r.words} words are common {lang} function words (next best: {r.describe(ranked[1][0])})"
    return None
