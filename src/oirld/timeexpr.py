"""Time as the articles write it: "by 2026", "next September", "in late August", "two years later".

A stated time becomes an interval of days, ``[earliest, latest]`` (either end may be open), plus the words and the
date they were resolved against. Two stated times are compatible when their intervals meet; that is the whole rule
the conflict finder applies (README, "When do two claims disagree?").

Relative words are resolved against the article's publication date (its *reference*): "this January" is the January
of that year, "last October" the latest October before its month, "next September" the first September after it,
a weekday the latest such day on or before it, a bare month the latest such month on or before it (``direction:
future`` in a mapping turns that round). "N years later" needs an anchor, another stated time in the same quote.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["TimeValue", "TimeParseError", "parse_time", "times_compatible"]

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
SMALL_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


class TimeParseError(ValueError):
    """The words do not name a time this parser understands; the message says which forms it does."""


@dataclass(frozen=True)
class TimeValue:
    text: str
    earliest: dt.date | None
    latest: dt.date | None
    #: the calendar unit the words name: "year", "month", "day", "week" or "part" (early/mid/late ...)
    precision: str
    #: how the words relate to that unit: "in", "by", "not-before", "after", "before"
    relation: str
    #: the date relative words were resolved against, or None when the words are absolute
    resolved_against: dt.date | None = None

    @property
    def key(self) -> tuple[object, ...]:
        """Identity of the stated time: the same interval said in other words is the same value."""
        return (self.earliest, self.latest)

    def label(self) -> str:
        """The words with the interval they allow, e.g. 'next September (September 2025)'."""
        return f"{self.text} ({self.canonical()})"

    def canonical(self) -> str:
        """The interval in words, the same for every wording of it: 'September 2025', 'by 31 December 2026'."""
        lo, hi = self.earliest, self.latest
        if lo and hi:
            if lo == hi:
                return f"{lo.day} {calendar.month_name[lo.month]} {lo.year}"
            if (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31) and lo.year == hi.year:
                return str(lo.year)
            if lo.day == 1 and (lo.year, lo.month) == (hi.year, hi.month) and hi == _month_end(hi.year, hi.month):
                return f"{calendar.month_name[lo.month]} {lo.year}"
            return f"{lo.isoformat()} to {hi.isoformat()}"
        if hi:
            return f"by {hi.day} {calendar.month_name[hi.month]} {hi.year}"
        if lo:
            return f"from {lo.day} {calendar.month_name[lo.month]} {lo.year}"
        return "any time"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _span(year: int, month: int | None = None, part: str | None = None) -> tuple[dt.date, dt.date, str]:
    if month is None:
        if part is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
        first, last = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "end": (12, 12), "start": (1, 1)}[part]
        return dt.date(year, first, 1), _month_end(year, last), "part"
    if part is None:
        return dt.date(year, month, 1), _month_end(year, month), "month"
    lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "end": (21, 31), "start": (1, 10)}[part]
    end = _month_end(year, month)
    return dt.date(year, month, lo), min(end, dt.date(year, month, min(hi, end.day))), "part"


_RELATIONS = [
    (r"at least until|at least through", "not-before"),
    (r"by the end of|by", "by"),
    (r"until|through|till|to", "in"),
    (r"since|from|beginning in|starting in", "in"),
    (r"after", "after"),
    (r"before", "before"),
    (r"in|on|during|of", "in"),
]
_PART = r"(?:(?P<part>early|mid|late|the end of|end of|the start of|start of)[\s-]+)?"


def parse_time(
    words: str,
    reference: tuple[dt.date, dt.date | None] | None = None,
    anchor: "TimeValue | None" = None,
    direction: str | None = None,
) -> TimeValue:
    """Parse ``words``; ``reference`` is the article's publication day (or earliest possible day, None unknown)."""
    text = " ".join(words.split())
    s = text.lower().strip(" ,.")
    relation = "in"
    for pattern, rel in _RELATIONS:
        m = re.match(rf"(?:{pattern})\s+", s)
        if m:
            relation, s = rel, s[m.end():]
            break
    if s.startswith("the end of"):
        s = s.replace("the end of", "end of", 1)
    earliest, latest, precision, against = _within(s, text, reference, anchor, direction)
    if relation == "by":
        earliest = None
    elif relation == "not-before":
        latest = None
    elif relation == "after":
        earliest, latest = (latest + dt.timedelta(days=1) if latest else None), None
    elif relation == "before":
        earliest, latest = None, (earliest - dt.timedelta(days=1) if earliest else None)
    return TimeValue(text, earliest, latest, precision, relation, against)


def _within(s, text, reference, anchor, direction):
    """Relative words against a reference known only to a month or a year ("2024-09"): resolved against its first and
    its last day, and the answer is every day either allows, never a day the reference cannot pin down."""
    if reference is None or reference[1] is None or reference[0] == reference[1]:
        return _core(s, text, reference, anchor, direction)
    lo_ref, hi_ref = reference
    first = _core(s, text, (lo_ref, lo_ref), anchor, direction)
    if first[3] is None:
        return first  # absolute words: the reference played no part
    last = _core(s, text, (hi_ref, hi_ref), anchor, direction)
    if first[:2] == last[:2]:
        return first
    lo = min(d for d in (first[0], last[0]) if d) if first[0] and last[0] else None
    hi = max(d for d in (first[1], last[1]) if d) if first[1] and last[1] else None
    if lo and hi and (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31) and lo.year == hi.year:
        precision = "year"
    elif lo and hi and lo.day == 1 and (lo.year, lo.month) == (hi.year, hi.month) and hi == _month_end(hi.year, hi.month):
        precision = "month"
    else:
        precision = "part"
    return lo, hi, precision, lo_ref


def _need_reference(reference, text: str, exact: bool = True) -> dt.date:
    if reference is None or (exact and reference[1] is None):
        raise TimeParseError(
            f"{text!r} is relative to the publication date, which is unknown for this article; "
            "quote words that give the time in full, or establish the date in the seed's metadata"
        )
    return reference[0]


def _core(s, text, reference, anchor, direction):
    m = re.fullmatch(_PART + r"(?P<year>\d{4})", s)
    if m:
        part = _norm_part(m.group("part"))
        lo, hi, prec = _span(int(m.group("year")), None, part)
        return lo, hi, prec, None
    m = re.fullmatch(_PART + r"(?P<month>[a-z]+)(?:,)?\s+(?P<year>\d{4})", s)
    if m and m.group("month") in MONTHS:
        lo, hi, prec = _span(int(m.group("year")), MONTHS[m.group("month")], _norm_part(m.group("part")))
        return lo, hi, prec, None
    m = re.fullmatch(r"(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\s+(?P<year>\d{4})|(?P<month2>[a-z]+)\s+(?P<day2>\d{1,2}),?\s+(?P<year2>\d{4})", s)
    if m:
        month = m.group("month") or m.group("month2")
        if month in MONTHS:
            day = dt.date(int(m.group("year") or m.group("year2")), MONTHS[month], int(m.group("day") or m.group("day2")))
            return day, day, "day", None
    m = re.fullmatch(r"\d{4}-\d{2}-\d{2}", s)
    if m:
        day = dt.date.fromisoformat(s)
        return day, day, "day", None
    if s in ("now", "currently", "current", "today", "at present", "presently"):
        ref = _need_reference(reference, text, exact=False)
        return ref, reference[1], "day", ref
    m = re.fullmatch(r"(?P<which>last|this|next) year", s)
    if m:
        ref = _need_reference(reference, text)
        year = ref.year + {"last": -1, "this": 0, "next": 1}[m.group("which")]
        lo, hi, prec = _span(year)
        return lo, hi, prec, ref
    m = re.fullmatch(r"(?P<which>last|this|next) week", s)
    if m:
        ref = _need_reference(reference, text)
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks={"last": -1, "this": 0, "next": 1}[m.group("which")])
        hi = monday + dt.timedelta(days=6)
        if m.group("which") == "this":
            hi = min(hi, ref)
        return monday, hi, "week", ref
    m = re.fullmatch(r"(?:(?P<which>last|this|next)\s+)?" + _PART + r"(?P<month>[a-z]+)", s)
    if m and m.group("month") in MONTHS:
        ref = _need_reference(reference, text)
        month = MONTHS[m.group("month")]
        which = m.group("which") or ("next" if direction == "future" else "latest")
        if which == "this":
            year = ref.year
        elif which == "last":
            year = ref.year if month < ref.month else ref.year - 1
        elif which == "next":
            year = ref.year if month > ref.month else ref.year + 1
        else:
            year = ref.year if month <= ref.month else ref.year - 1
        lo, hi, prec = _span(year, month, _norm_part(m.group("part")))
        return lo, hi, prec, ref
    m = re.fullmatch(r"(?:(?P<which>last|this|next)\s+)?(?P<day>[a-z]+)", s)
    if m and m.group("day") in WEEKDAYS:
        ref = _need_reference(reference, text)
        back = (ref.weekday() - WEEKDAYS[m.group("day")]) % 7
        if m.group("which") == "next":
            day = ref + dt.timedelta(days=(WEEKDAYS[m.group("day")] - ref.weekday()) % 7 or 7)
        else:
            day = ref - dt.timedelta(days=back + (7 if m.group("which") == "last" and back == 0 else 0))
        return day, day, "day", ref
    m = re.fullmatch(r"(?P<n>\d+|[a-z]+) years? (?P<dir>later|earlier|after|before)", s)
    if m:
        n = int(m.group("n")) if m.group("n").isdigit() else SMALL_NUMBERS.get(m.group("n"))
        if n is None:
            raise TimeParseError(f"cannot read the number in {text!r}")
        if anchor is None or anchor.earliest is None or anchor.latest is None:
            raise TimeParseError(f"{text!r} needs an anchor: give 'anchor:' with the words of the time it counts from")
        sign = 1 if m.group("dir") in ("later", "after") else -1
        years = anchor.earliest.year + sign * n, anchor.latest.year + sign * n
        lo, _, _ = _span(years[0])
        _, hi, _ = _span(years[1])
        return lo, hi, "year" if years[0] == years[1] else "part", anchor.earliest
    m = re.fullmatch(r"the same month in (?P<year>\d{4})", s)
    if m:
        if anchor is None or anchor.earliest is None or anchor.earliest.month != (anchor.latest or anchor.earliest).month:
            raise TimeParseError(f"{text!r} needs an anchor: give 'anchor:' with the words of the month it repeats")
        lo, hi, prec = _span(int(m.group("year")), anchor.earliest.month)
        return lo, hi, prec, None
    raise TimeParseError(
        f"cannot read a time in {text!r}; understood forms: 2026, September 2026, late 2017, 27 September 2024, "
        "next/last/this September, in April, Friday, this week, last year, now/currently, two years later (with anchor), "
        "each optionally after by / until / through / from / since / at least until / after / before"
    )


def _norm_part(part: str | None) -> str | None:
    if part is None:
        return None
    part = part.replace("the ", "").replace(" of", "")
    return part


def times_compatible(a: TimeValue, b: TimeValue) -> bool:
    """True when some day lies in both intervals (open ends reach forever)."""
    lo = max((d for d in (a.earliest, b.earliest) if d), default=None)
    hi = min((d for d in (a.latest, b.latest) if d), default=None)
    return lo is None or hi is None or lo <= hi
