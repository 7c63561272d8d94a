"""Anchoring claims on the words of their sources.

A mapping gives a quote; this module finds where it stands in the published text and returns the two Web
Annotation selectors for it: the quote with its context (``oa:TextQuoteSelector``) and its code-point offsets
(``oa:TextPositionSelector``). Offsets are never typed by hand. Matching forgives what a keyboard cannot easily
type (curly quotes, dashes, non-breaking or repeated spaces) but the selector always holds the text's own characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import DataError, Location
from .seeds import Seed

__all__ = ["Anchor", "locate", "locate_within", "CONTEXT"]

#: characters of prefix and suffix kept with each quote, enough to find it again if offsets drift
CONTEXT = 32

_FOLD = {0x2019: "'", 0x2018: "'", 0x201C: '"', 0x201D: '"', 0x2014: "-", 0x2013: "-", 0x2010: "-", 0x2011: "-"}


@dataclass(frozen=True)
class Anchor:
    source: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def _fold(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        c = _FOLD.get(ord(ch), ch)
        if c.isspace():
            if prev_space:
                continue
            c, prev_space = " ", True
        else:
            prev_space = False
        out.append(c)
        index.append(i)
    return "".join(out), index


class _Folded:
    """A seed's text folded once, with the map back to code-point offsets."""

    cache: dict[str, "_Folded"] = {}

    def __init__(self, seed: Seed) -> None:
        self.seed = seed
        self.text, self.index = _fold(seed.text)

    @classmethod
    def of(cls, seed: Seed) -> "_Folded":
        # the name too: two seeds with the same text (wire copy run by two outlets) anchor on their own source
        key = f"{seed.stem}\x1f{seed.text_sha256}"
        if key not in cls.cache:
            cls.cache[key] = cls(seed)
        return cls.cache[key]

    def find_all(self, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
        hi = len(self.text) if hi is None else hi
        found, i = [], self.text.find(needle, lo, hi)
        while i != -1:
            found.append(i)
            i = self.text.find(needle, i + 1, hi)
        return found

    def anchor(self, pos: int, length: int) -> Anchor:
        start = self.index[pos]
        end = self.index[pos + length - 1] + 1
        text = self.seed.text
        return Anchor(self.seed.stem, start, end, text[start:end], text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])

    def folded_pos(self, offset: int) -> int:
        # the folded position of a code-point offset (first folded char at or after it)
        import bisect
        return bisect.bisect_left(self.index, offset)


def locate(seed: Seed, quote: str, where: Location, occurrence: int | None = None) -> Anchor:
    folded = _Folded.of(seed)
    needle = _fold(quote.strip())[0]
    if not needle:
        raise DataError("empty quote", where, "quote the words of the article that support the claim")
    hits = folded.find_all(needle)
    if not hits:
        raise DataError(
            f"quote not found in {seed.path.name}: {quote!r}",
            where,
            "copy the words exactly from the article (quotes and dashes may be typed plainly); "
            + _nearest_hint(folded.text, needle),
        )
    if occurrence is not None:
        if not 1 <= occurrence <= len(hits):
            raise DataError(f"occurrence {occurrence} asked, but the quote occurs {len(hits)} time(s)", where)
        return folded.anchor(hits[occurrence - 1], len(needle))
    if len(hits) > 1:
        lines = ", ".join(str(seed.line_at(folded.index[h])) for h in hits)
        raise DataError(
            f"ambiguous quote: {quote!r} occurs {len(hits)} times in {seed.path.name} (lines {lines})",
            where,
            "quote more words so it is unique, or add 'occurrence: N' (1 = first)",
        )
    return folded.anchor(hits[0], len(needle))


def locate_within(seed: Seed, outer: Anchor, words: str, where: Location, what: str) -> Anchor:
    """Where ``words`` stand inside an already located quote (first occurrence)."""
    folded = _Folded.of(seed)
    needle = _fold(words.strip())[0]
    lo, hi = folded.folded_pos(outer.start), folded.folded_pos(outer.end)
    hits = folded.find_all(needle, lo, hi) if needle else []
    hits = [h for h in hits if h + len(needle) <= hi]
    if not hits:
        raise DataError(
            f"the {what} {words!r} is not in the quote {outer.exact!r}",
            where,
            f"the {what} must be words of the quote, so the claim rests on what the article says; widen the quote or fix the words",
        )
    return folded.anchor(hits[0], len(needle))


def _nearest_hint(text: str, needle: str) -> str:
    import difflib

    words = needle.split()
    head = " ".join(words[:3])
    i = text.find(head) if head else -1
    if i == -1:
        sm = difflib.SequenceMatcher(None, text, needle, autojunk=False)
        m = sm.find_longest_match(0, len(text), 0, len(needle))
        if m.size < 8:
            return "no similar passage found"
        i = max(0, m.a - m.b)
    return f"closest passage: {text[i:i + len(needle) + 10]!r}"
