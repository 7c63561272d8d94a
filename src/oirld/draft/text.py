"""Sentences with their offsets, so every drafted quote is a slice of the published text.

News copy breaks sentences in ways a plain ``. `` split gets wrong: "U.S. troops", "Gen. Smith", "Jan. 28",
"Washington (AP) —" datelines, quotations that end with ``,”`` and go on with the speaker. The splitter here keeps
abbreviations and initials inside their sentence and never crosses a paragraph break (headlines, captions and
bylines are paragraphs of their own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences", "clause_bounds", "is_headline"]

#: words that end in a full stop without ending a sentence (titles, months, common news abbreviations)
_ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt", "adm", "cmdr",
    "rep", "sen", "gov", "pres", "st", "no", "vs", "etc", "inc", "co", "corp", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "approx", "est", "brig", "ret", "dept", "sr", "jr",
}
_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text`` with its code-point offsets (``text[start:end] == sentence.text``)."""
    out: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(_paragraphs(text)):
        start = p_start
        for m in _END.finditer(text, p_start, p_end):
            if _is_abbreviation(text, p_start, m.start()) or _inside_quotation(text, start, m.end()):
                continue
            _append(out, text, start, m.end(), number)
            start = m.end()
        _append(out, text, start, p_end, number)
    return out


def _inside_quotation(text: str, start: int, end: int) -> bool:
    """A full stop inside quotation marks opened in this sentence (“It’s time. But …,” she said) does not end it;
    straight quotes open and close alike, so an odd number of them is an open quotation."""
    return text.count("“", start, end) > text.count("”", start, end) or text.count('"', start, end) % 2 == 1


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _is_abbreviation(text: str, lo: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    m = re.search(r"([A-Za-z.]+)$", text[lo:dot])
    word = (m.group(1) if m else "").lower().rstrip(".")
    if word in _ABBREVIATIONS or word.replace(".", "") in {a.replace(".", "") for a in _ABBREVIATIONS if "." in a}:
        return True
    return len(word) == 1 and word.isalpha()  # an initial: "John F. Kennedy"


#: a wire dateline opening a paragraph: "BAGHDAD, Jan. 15 (Reuters) — ", "HEWLÊR — ", "WASHINGTON (AP) - "
_DATELINE = re.compile(r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’-]{2,40}(?:,\s*[A-Z][A-Za-z .]{1,30}?\s*\d{0,2})?\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+"
                       # in the outlet's own capitals, with the agency or the date it needs to be one: "Erbil (Kurdistan24) – ",
                       # "Tehran, Sept. 28 — "
                       r"|[A-ZÀ-Þ][\w'’-]+(?:\s[A-ZÀ-Þ][\w'’-]+){0,2}(?:,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?"
                       r"\s*\([A-Z][^)]{0,39}\)\s*[—–-]{1,2}\s+"
                       r"|[A-ZÀ-Þ][\w'’-]+(?:\s[A-ZÀ-Þ][\w'’-]+){0,2},\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
                       r"\s*[—–-]{1,2}\s+")


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    if not out or out[-1].paragraph != paragraph:
        m = _DATELINE.match(text, start, end)
        if m:
            start = m.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph))


def clause_bounds(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause around ``[start, end)``: bounded by semicolons, dashes and ", but"/", while"/", and" joins, so a
    time or a place is only tied to the claim it stands beside."""
    text = sentence.text
    lo, hi = start - sentence.start, end - sentence.start
    cut = re.compile(r";|\s[—–-]{1,2}\s|,\s+(?:but|while|whereas|although|though|and|as)\s")
    left = 0
    for m in cut.finditer(text, 0, lo):
        left = m.end()
    right = len(text)
    m = cut.search(text, hi)
    if m:
        right = m.start()
    return sentence.start + left, sentence.start + right


def is_headline(sentence: Sentence) -> bool:
    """A headline (or a caption, a byline): a paragraph that ends without a full stop."""
    return not re.search(r"[.!?][”\"’']?$", sentence.text)
