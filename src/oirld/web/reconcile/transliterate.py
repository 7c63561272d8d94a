"""Name folding for reconciliation: many Latin spellings of one Arabic (or French-transliterated) name, one key.

Users of OpenRefine type the names of this dataset as their own sources spell them: Husayn for Hussein, Ayn al-Asad
for Ain al-Asad, Daech or Da'ish for Daesh, Irak for Iraq. :func:`fold` maps such spellings onto one key, and the
reconciler compares keys. The rule, applied in this order to the query and to every label and alias alike:

1. Unicode NFKD, combining marks dropped (Hewlêr = Hewler, Ḥusayn = Husayn), case folded.
2. Apostrophes and the letters transliterations use for ʿayn and hamza (’ ‘ ' ` ´ ʿ ʾ ʻ ʼ) dropped: Asa'ib = Asaib.
3. A leading "the" dropped.
4. The Arabic article in one form, "al": al-, el-, ul- and al/el/ul as a separate word before another word, and the
   assimilated forms written with a hyphen (ad-, adh-, an-, ar-, as-, ash-, at-, ath-, az-, and the same with e):
   as-Sudani = el-Sudani = al Sudani = al-Sudani. A lone "al" stays "al" (it names nothing).
5. Dots dropped (U.S. = US); every other non-letter, non-digit (hyphens, commas, brackets) is a space.
6. In each word: ch → sh (French Daech), dj → j, dh → z (ذ is written both ways), q → k (Iraq = Irak, Haq = Hak),
   ee → i (Hareer = Harir), oo and ou → u (Soudani = Sudani), ai/ay/ei/ey before a consonant or at the end → ai
   (Ayn = Ain, Sheikh = Shaikh, Husayn = Hussain), a doubled letter counts once (Hussein, Muhammad, Haqq, Assad),
   and a final -ah → -a (Fallujah = Falluja).
7. Whole words with common variants the letter rules cannot reach, to one form: Mohammed / Muhammad / Mohamed /
   Mohammad / Muhammed / Mohamad; Hussein / Husayn / Hussain / Hossein; Daesh / Daech / Da'esh / Daish;
   Abdul / Abdel → Abd al; Hezbollah / Hizbollah / Hizballah / Hizbullah; Kataib / Kata'ib / Ketaib / Kataeb.
   The table holds spellings as people write them; it goes through steps 1-6 like everything else.

Folding can only make names equal, never tell them apart, so it is applied symmetrically and :func:`score` ranks a
folded match (98) below an exact one (100) and above any near miss (at most 96). English words are folded too
(meeting → miting): harmless, since both sides are, and it keeps the rule short enough to read. Arabic script is not
transliterated: a query in it matches only names written in it (the registry has none).

The similarity of two folded names is difflib's ratio over at most their first :data:`FUZZY_CHARS` characters:
difflib is superlinear in the lengths, and no name here comes near that length (a longer query is a far miss of
every name anyway), so no query, however long, costs more than that per name. :func:`score` also takes a floor
below which a caller drops the candidate; difflib's cheap upper bounds then spare the full comparison.

Ids, types and properties are read here too: :func:`whole_iri` takes one given whole or as the part after its
namespace, so reconciliation and data extension read them alike.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from ...registry import normalize_name

__all__ = ["EXACT", "FOLDED", "FUZZY_CHARS", "NEAR_MISS_CAP", "fold", "keys", "light", "names_something", "score", "whole_iri"]

EXACT, FOLDED, NEAR_MISS_CAP = 100.0, 98.0, 96.0
FUZZY_CHARS = 200  # of each folded name, compared by difflib (the longest name in the registry folds to 68)
_CACHED_CHARS = 200  # longer names are folded afresh each time: the cache holds names, not a client's essays
_QUOTES = dict.fromkeys(map(ord, "\u2019\u2018'`\u00b4\u02bf\u02be\u02bb\u02bc\u2032"))
_ARTICLE = re.compile(r"(?<![\w])(?:[ae]l|ul)(?:-+|\s+)(?=\w)|(?<![\w])[ae](?:dh|sh|th|[dnrstz])-+(?=\w)")
_VOWEL_PAIR = re.compile(r"[ae][iy](?![aeiou])")
_DOUBLE = re.compile(r"([a-z])\1+")
_VARIANTS = {
    "muhammad": ["mohammed", "mohamed", "mohammad", "muhammed", "mohamad", "muhamad", "mohamud"],
    "hussein": ["husayn", "hussain", "husain", "hossein", "husein", "hussayn"],
    "daesh": ["daech", "da'esh", "daish", "da'ish"],
    "abd al": ["abdul", "abdel", "abdal"],  # Abdul is Abd + the article: Abdul Mahdi = Abd al-Mahdi
    "hezbollah": ["hizbollah", "hizballah", "hizbullah", "hezbolla", "hizbolla"],
    "kataib": ["kata'ib", "ketaib", "kataeb", "kata'eb"],
}


def light(name: str) -> str:
    """The registry's own sense of "the same name" (case, accents, curly quotes, dashes, a leading "the"):
    equality here is an exact match."""
    return normalize_name(name)


def _letters(word: str) -> str:
    word = word.replace("ch", "sh").replace("dj", "j").replace("dh", "z").replace("q", "k")
    word = word.replace("ee", "i").replace("oo", "u").replace("ou", "u")
    word = _VOWEL_PAIR.sub("ai", word)
    word = _DOUBLE.sub(r"\1", word)
    return word[:-1] if word.endswith("ah") and len(word) > 3 else word


def _spelling(name: str) -> str:
    """Steps 1-6 of the rule."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().translate(_QUOTES)
    s = re.sub(r"^\s*the\s+", "", s)
    s = _ARTICLE.sub("al ", s)
    s = re.sub(r"[^\w\s]|_", lambda m: "" if m.group() == "." else " ", s)
    return " ".join(_letters(w) for w in s.split())


_TABLE = {_spelling(v): _spelling(k) for k, vs in _VARIANTS.items() for v in (k, *vs)}


def fold(name: str) -> str:
    """The folded key of a name (the rule in the module docstring)."""
    return _fold_cached(name) if len(name) <= _CACHED_CHARS else _fold(name)


def _fold(name: str) -> str:
    return " ".join(_TABLE.get(w, w) for w in _spelling(name).split())


_fold_cached = lru_cache(maxsize=8192)(_fold)


def keys(name: str) -> tuple[str, str]:
    """What :func:`score` compares: the name lightly normalised, and folded."""
    return light(name), fold(name)


def names_something(query_keys: tuple[str, str]) -> bool:
    """False for a query of articles alone ("al", "el-"): half the names here hold one, so it would match them all."""
    return bool(set(query_keys[1].split()) - {"al", "el", "ul"})


def score(query_keys: tuple[str, str], name_keys: tuple[str, str], floor: float = 0.0) -> float:
    """EXACT for the same name, FOLDED for the same folded name, else the similarity of the folded names (0-100)
    capped at NEAR_MISS_CAP: a respelling never scores as the name itself, and a near miss never as a respelling.
    A similarity that cannot reach ``floor`` may come back as 0 without being computed."""
    if query_keys[0] == name_keys[0]:
        return EXACT
    if query_keys[1] == name_keys[1]:
        return FOLDED
    a, b = query_keys[1][:FUZZY_CHARS], name_keys[1][:FUZZY_CHARS]
    if floor > 0 and 200 * min(len(a), len(b)) < floor * (len(a) + len(b)):
        return 0.0  # difflib's real_quick_ratio, an upper bound of ratio(): this name cannot reach the floor
    matcher = difflib.SequenceMatcher(None, a, b)
    if floor > 0 and 100 * matcher.quick_ratio() < floor:
        return 0.0  # the next upper bound
    return round(min(NEAR_MISS_CAP, 100 * matcher.ratio()), 1)


def whole_iri(value: str, namespace: str) -> str:
    """Ids, types and properties may be given whole (as OpenRefine echoes them) or as the part after the namespace."""
    return value if value.startswith(("http://", "https://")) else namespace + value
