"""Wire copy: the same story run by several outlets, found by comparing the articles' texts.

Ten outlets printing one AP or Reuters story are one source, not ten. The build finds such reprints so that each
article keeps its own evidence (it is still what that outlet published) while counting stops treating the reprints
as independent confirmations.

How two texts are compared:

* *Normalised words.* The text is NFKC-normalised, lower-cased and cut into words (letters and digits); quotes,
  dashes, punctuation and spacing are dropped, so curly versus straight quotes or an em dash versus a hyphen do not
  count. Two texts with the same words in the same order are *identical* (similarity 1).
* *Near-identical.* Each text becomes the set of its 5-word shingles (every run of five consecutive words). The
  similarity is the *containment* of the shorter in the longer: the share of the shorter text's shingles that the
  other text also has. Containment, unlike Jaccard, stays high when an outlet trims the last paragraphs; an added
  dateline, byline or sentence costs only the few shingles that span it. Texts are linked at
  ``NEAR_IDENTICAL`` (0.6) or more, with at least ``MIN_SHARED`` (25) shingles in common, so a quotation of a sentence
  or two never links two articles. The numbers behind the threshold are in bench/RESULTS.md ("Wire copy"): the
  five seed articles, all on one subject, share at most 2.1 % of their shingles pairwise; each of them edited as
  outlets edit wire copy (dateline, byline, an inserted sentence, paragraphs cut, plain quotes and dashes, "U.S."
  as "US") keeps 78.4 % or more.
* *Linear in the corpus.* Articles are taken in order of publication (then name). Each is compared only with the first-seen
  text of every story so far (its *representative*), found through an index from shingle to representatives (one
  shingle in ``SAMPLE``, chosen by its hash, so the same in every text; the full sets then decide). A
  shingle that more than ``COMMON`` (64) distinct stories share is a stock phrase, not a sign of copying, and is not
  used to find candidates, so the work per article is bounded and the whole is near-linear in the corpus; reprints
  of one story do not make the index grow, because only the representative is indexed. An article that matches
  several stories joins the one it matches best.

*Incremental.* Whether a text matches a representative, and how well, depends on the two texts alone: a rebuild
passes the answers of the last build (``pairs``, by the two texts' SHA-256) and compares only the pairs it has not
seen, which after one article changed are the pairs with that article. The order, the candidates and the choice
are worked out afresh every time, so the result is always that of a search from scratch.

A *wire story* is a representative with every article that matched it; each match is recorded with how it was
found (identical or near-identical) and its similarity.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from itertools import chain
from typing import Iterable, Mapping, Sequence

from .seeds import Seed

__all__ = ["TextMatch", "WireStory", "Reprints", "find_reprints", "same_story", "normalised_words", "shingles", "containment",
           "text_print", "Print", "Pairs", "SHINGLE", "NEAR_IDENTICAL", "MIN_SHARED", "COMMON", "SAMPLE", "IDENTICAL", "NEAR"]

SHINGLE = 5
NEAR_IDENTICAL = Decimal("0.6")
MIN_SHARED = 25
COMMON = 64
#: one shingle in SAMPLE (by its hash, so the same ones in every text) is indexed to find candidates
SAMPLE = 4
IDENTICAL, NEAR = "identical", "near-identical"

_WORD = re.compile(r"\w+")
#: has words, digest of the words, shingles, the sampled shingles (:func:`text_print`)
Print = tuple[bool, str, frozenset[int], tuple[int, ...]]
#: text SHA-256 -> representative's text SHA-256 -> containment, or None when the two are not near-identical
Pairs = dict[str, dict[str, Decimal | None]]


def normalised_words(text: str) -> list[str]:
    """The words of a text with case, quotes, dashes, punctuation and spacing folded away."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(words: Sequence[str], size: int = SHINGLE) -> frozenset[int]:
    """Every run of ``size`` words, as a 64-bit hash. Each word is hashed once (BLAKE2b), a run by Python's tuple
    hash of its words' hashes: both are the same on every run, unlike Python's salted hash of strings."""
    if len(words) < size:
        return frozenset()
    ids = [_word_id(w) for w in words]
    return frozenset(hash(tuple(ids[i:i + size])) for i in range(len(ids) - size + 1))


@functools.lru_cache(maxsize=1 << 16)
def _word_id(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def containment(a: frozenset[int], b: frozenset[int]) -> Decimal:
    """The share of the smaller set found in the other, rounded down to 3 places (0 for an empty set)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not small:
        return Decimal(0)
    return (Decimal(len(small & large)) / Decimal(len(small))).quantize(Decimal("0.001"), rounding=ROUND_FLOOR)


@dataclass(frozen=True)
class TextMatch:
    """Article ``reprint`` carries the same wire text as article ``of`` (the story's representative)."""

    reprint: str
    of: str
    method: str  # identical | near-identical
    similarity: Decimal


@dataclass(frozen=True)
class WireStory:
    """Articles that carry one wire text: the representative (first published) first, then its reprints."""

    members: tuple[str, ...]
    matches: tuple[TextMatch, ...]

    @property
    def id(self) -> str:
        # from the first article alone, so the story keeps its IRI as more reprints of it are added
        return hashlib.sha256(self.members[0].encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Reprints:
    """The wire stories of a corpus, and the one question the rest of the build asks of them."""

    stories: tuple[WireStory, ...] = ()
    story_of: dict[str, WireStory] = field(default_factory=dict)

    @classmethod
    def of(cls, stories: Iterable[WireStory]) -> "Reprints":
        stories = tuple(stories)
        return cls(stories, {m: s for s in stories for m in s.members})

    def independent(self, sources: Iterable[str]) -> int:
        """How many independent sources these articles are: the reprints of one wire story count once."""
        return len({self.group(s) for s in sources})

    def group(self, source: str) -> str:
        story = self.story_of.get(source)
        return f"wire:{story.id}" if story else source

    def same_text_as(self, source: str) -> list[str]:
        story = self.story_of.get(source)
        return [m for m in story.members if m != source] if story else []


def same_story(sources: Iterable[str], story_of: Mapping[str, str]) -> tuple[int, dict[str, list[str]]]:
    """For some articles, given the wire story each reprints (absent: none), how many independent sources they are,
    and for each article the others among them that carry the same wire text. Pages and reports count with this."""
    articles = sorted(set(sources))
    independent = len({story_of.get(a, a) for a in articles})
    carrying: dict[str, list[str]] = {}  # each story's articles (comparing every pair was quadratic in a long list)
    for a in articles:
        if a in story_of:
            carrying.setdefault(story_of[a], []).append(a)
    return independent, {a: [o for o in carrying[story_of[a]] if o != a] if a in story_of else [] for a in articles}


@dataclass
class _Story:
    representative: str
    shingles: frozenset[int]
    members: list[str]
    matches: list[TextMatch]
    #: the SHA-256 of the representative's text, which names it in ``pairs``
    text: str = ""


def text_print(text: str) -> Print:
    """What :func:`find_reprints` reads of one text: whether it has words, a digest of its words, its shingles, and
    those of its shingles that find candidates (one in ``SAMPLE``), picked out once."""
    words = normalised_words(text)
    mine = shingles(words)
    return bool(words), hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest(), mine, tuple(sh for sh in mine if sh % SAMPLE == 0)


def find_reprints(seeds: Sequence[Seed], prints: dict[str, Print] | None = None,
                  pairs: Pairs | None = None) -> Reprints:
    """The wire stories among ``seeds`` (texts with no reprint are in none). ``prints``: :func:`text_print` of
    texts already read, by the text's SHA-256 (read and added to here), so a rebuild reads only the changed texts:
    reading them was most of the time. ``pairs``: how each text compared with the representatives it was compared
    with (by the two texts' SHA-256; the score, or None for no match), read and added to here."""
    order = sorted(seeds, key=lambda s: (s.reference[0].isoformat() if s.reference else "9999", s.stem))
    by_words: dict[str, tuple[_Story, str]] = {}  # normalised words -> the story and the first article with them
    stories: list[_Story] = []
    index: dict[int, list[int]] = defaultdict(list)  # shingle -> stories whose representative has it
    prints = {} if prints is None else prints
    for seed in order:
        known = prints.get(seed.text_sha256)
        if known is None:
            known = prints[seed.text_sha256] = text_print(seed.text)
        words, key, mine, sampled = known
        if words and key in by_words:
            story, first = by_words[key]
            story.members.append(seed.stem)
            story.matches.append(TextMatch(seed.stem, first, IDENTICAL, Decimal(1)))
            continue
        best = _best_match(mine, sampled, stories, index, None if pairs is None else pairs.setdefault(seed.text_sha256, {}))
        if best is not None:
            story, score = best
            story.members.append(seed.stem)
            story.matches.append(TextMatch(seed.stem, story.representative, NEAR, score))
            by_words.setdefault(key, (story, seed.stem))
            continue
        story = _Story(seed.stem, mine, [seed.stem], [], seed.text_sha256)
        stories.append(story)
        by_words[key] = (story, seed.stem)
        n = len(stories) - 1
        for sh in sampled:
            index[sh].append(n)
    found = [WireStory(tuple(s.members), tuple(s.matches)) for s in stories if len(s.members) > 1]
    return Reprints.of(sorted(found, key=lambda w: w.members))


def _best_match(mine: frozenset[int], sampled: tuple[int, ...], stories: list[_Story], index: dict[int, list[int]],
                known: dict[str, Decimal | None] | None = None) -> tuple[_Story, Decimal] | None:
    # counted in one call: a Counter.update per shingle was most of a rebuild's search
    shared = Counter(chain.from_iterable(h for h in map(index.get, sampled) if h and len(h) <= COMMON))
    best: tuple[_Story, Decimal] | None = None
    for n in sorted(n for n, count in shared.items() if count >= MIN_SHARED // (2 * SAMPLE)):  # the full sets decide
        story = stories[n]
        if known is not None and story.text in known:
            score = known[story.text]
        else:
            score = _pair_score(mine, story.shingles)
            if known is not None:
                known[story.text] = score
        if score is not None and (best is None or score > best[1]):
            best = (story, score)
    return best


def _pair_score(mine: frozenset[int], theirs: frozenset[int]) -> Decimal | None:
    """The containment of two texts when they are near-identical, else None: a function of the two texts alone."""
    common = len(mine & theirs)
    if common < MIN_SHARED or common < NEAR_IDENTICAL * min(len(mine), len(theirs)):
        return None
    return containment(mine, theirs)
