"""Times and quantities in a sentence, found by pattern and read by the engine's own parsers.

The drafter only proposes words; :func:`oirld.timeexpr.parse_time` and :func:`oirld.quantities.parse_quantity`
decide what they mean, exactly as they will when the mapping is built. A candidate those parsers refuse is dropped,
so the draft never holds a value the build would read differently (or not at all).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from ..quantities import Quantity, QuantityParseError, parse_quantity
from ..timeexpr import TimeParseError, TimeValue, parse_time

__all__ = ["Found", "find_times", "find_quantities", "find_bare_counts", "find_counts_of_forces", "future_tense"]

_MONTH = "|".join(m for m in calendar.month_name if m)
_DAY = "|".join(d for d in calendar.day_name)
_REL = r"(?:at least until|at least through|by the end of|by|until|through|till|since|from|beginning in|starting in|after|before|in|on|during)"
_PART = r"(?:(?:early|mid|late|the end of|end of|the start of|start of)[\s-]+)?"
_CORE = (
    rf"(?:{_MONTH})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}}|{_PART}(?:{_MONTH}),?\s+\d{{4}}"
    rf"|{_PART}\d{{4}}(?!\s*(?:troops|soldiers|personnel|people|km|square|\$|%|-))"
    rf"|(?:last|this|next)\s+(?:year|week|{_MONTH}|{_DAY})|(?:last|this|next)\s+{_PART}(?:{_MONTH})"
)
_TIME = re.compile(rf"\b(?:{_REL}\s+)?(?:{_CORE})\b|\b(?:on\s+)?(?:{_DAY})\b|\b{_REL}\s+{_PART}(?:{_MONTH})\b(?!\s+\d)"
                   r"|\b(?:currently|now)\b", re.IGNORECASE)
_NUMBER = r"(?:\$\s?)?\d[\d,]*(?:\.\d+)?(?:[\s-]+(?:thousand|million|billion|trillion))?"
_WORDNUM = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
            r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a dozen|dozen)")
_APPROX = (r"(?:more than|over|upwards of|in excess of|at least|no fewer than|no less than|up to|at most|no more than|"
           r"fewer than|less than|under|nearly|almost|close to|about|around|some|roughly|approximately|an estimated)")
_UNIT = (r"(?:[A-Z][\w.'’-]*\s+|[a-z-]+\s+){0,3}?(?:troops?|soldiers?|personnel|operatives|members|leaders|officials|people|"
         r"militants|fighters|Americans|servicemembers|service\s?members|persons|staff|countries|nations|states|square miles|"
         r"square kilometres|square kilometers|km²|km2|years|decades?)\b")
_QTY = re.compile(rf"(?:\b{_APPROX}\s+)?(?:{_NUMBER}|\b{_WORDNUM}\b)(?:\s+(?:{_UNIT}))?", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    words: str
    time: TimeValue | None = None
    quantity: Quantity | None = None
    #: what the number counts when the words leave it out (the mapping's ``unit:``)
    unit: str | None = None


def future_tense(clause: str) -> bool:
    return bool(re.search(r"\b(?:will|would|shall|is to|are to|expected to|set to|due to|plans? to|scheduled to|"
                          r"going to|is set|are set|aims? to)\b", clause, re.IGNORECASE))


def find_times(text: str, lo: int, hi: int, reference, direction: str | None = None) -> list[Found]:
    """Time expressions in ``text[lo:hi]`` that the engine reads against ``reference``."""
    out = []
    for m in _TIME.finditer(text, lo, hi):
        words = m.group().strip()
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        try:
            tv = parse_time(words, reference, direction=direction)
        except TimeParseError:
            continue
        if tv.earliest is None and tv.latest is None:
            continue
        out.append(Found(start, start + len(words), words, time=tv))
    return out


def find_quantities(text: str, lo: int, hi: int) -> list[Found]:
    """Quantities with what they count, in ``text[lo:hi]``; bare numbers and years are left out."""
    out = []
    for m in _QTY.finditer(text, lo, hi):
        words = m.group().rstrip(" ,.")
        if re.fullmatch(r"(?:19|20)\d\d", words) or not re.search(r"[a-zA-Z$]", words.replace("million", "").replace("billion", "")) and "$" not in words:
            continue
        try:
            q = parse_quantity(words)
        except QuantityParseError:
            continue
        out.append(Found(m.start(), m.start() + len(words), words, quantity=q))
    return out


#: a bare number is followed by no noun, or by a comparison ("6,000 higher than normal", "3,000 more than in 2023")
_BARE = re.compile(rf"(?:\b{_APPROX}\s+)?\b\d{{1,3}}(?:,\d{{3}})+\b"
                   r"(?![\s-]*(?:(?!(?:higher|more|fewer|lower|less|above|below|over|up|down)\b)[A-Za-z%$]|km))")


def find_bare_counts(text: str, lo: int, hi: int, unit: str) -> list[Found]:
    """Numbers written without what they count ("at about 2,500", "over 3,000"), read as ``unit``; only
    thousands written with a separator, so years and small numbers stay out."""
    out = []
    for m in _BARE.finditer(text, lo, hi):
        try:
            q = parse_quantity(m.group(), unit)
        except QuantityParseError:
            continue
        out.append(Found(m.start(), m.end(), m.group(), quantity=q, unit=unit))
    return out


#: "2,500 U.S. forces", "about 900 American occupation forces": the engine's parser counts troops, not "forces"
_OF_FORCES = re.compile(rf"(?:\b(?i:{_APPROX})\s+)?\b\d[\d,]*\d(?=\s+(?:[A-Z][\w.’'-]*\s+|[a-z-]+\s+){{0,2}}forces\b)")


def find_counts_of_forces(text: str, lo: int, hi: int) -> list[Found]:
    """Numbers of forces, read as troops (the mapping's ``unit: troops``); years stay out."""
    out = []
    for m in _OF_FORCES.finditer(text, lo, hi):
        if re.fullmatch(r"(?:19|20)\d\d", m.group().split()[-1]):
            continue
        try:
            q = parse_quantity(m.group(), "troops")
        except QuantityParseError:
            continue
        out.append(Found(m.start(), m.end(), m.group(), quantity=q, unit="troops"))
    return out
