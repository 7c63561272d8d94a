"""What every picture shares: SVG elements built as a tree (so every text and attribute is escaped by the XML
writer, never by hand), a time scale with calendar ticks, and the order of dates that respects their precision.

Pictures are drawn on the server and embedded in the page: they need no script, no font and nothing from elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

__all__ = ["Svg", "el", "markup", "parse_date", "TimeScale", "chrono_key", "nice_ticks", "fmt_number", "html_datetime"]

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _attr(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
    """A child element; ``class_`` stands for ``class``, other underscores for hyphens; None values are left out."""
    clean = {("class" if k == "class_" else k.replace("_", "-")): _attr(v) for k, v in attrs.items() if v is not None}
    node = ET.Element(tag, clean) if parent is None else ET.SubElement(parent, tag, clean)
    if text is not None:
        node.text = text
    return node


class Svg:
    """An ``<svg>`` root with its title and description first (what screen readers announce), and a prefix for ids,
    so two pictures on one page never share one."""

    def __init__(self, width: float, height: float, title: str, desc: str, ident: str, **attrs: Any) -> None:
        self.ident = ident
        self.root = el(None, "svg", xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {_attr(width)} {_attr(height)}",
                       width=_attr(width), height=_attr(height), role="group", id=ident, font_family="system-ui, sans-serif",
                       aria_labelledby=f"{ident}-title {ident}-desc", **attrs)
        el(self.root, "title", title, id=f"{ident}-title")
        el(self.root, "desc", desc, id=f"{ident}-desc")

    def link(self, parent: ET.Element, href: str | None, label: str) -> ET.Element:
        """A group that links to ``href`` (a plain group when there is nowhere to go), with its label as tooltip."""
        node = el(parent, "a", href=href, aria_label=label) if href else el(parent, "g")
        el(node, "title", label)
        return node


def markup(svg: Svg) -> Markup:
    return Markup(ET.tostring(svg.root, encoding="unicode", short_empty_elements=True))


def parse_date(text: str | None) -> dt.date | None:
    """An ``xsd:date`` (or dateTime, or gYear/gYearMonth) as a date at its start; None when it is none of them."""
    if not text:
        return None
    t = text.strip()
    try:
        if len(t) == 4 and t.isdigit():
            return dt.date(int(t), 1, 1)
        if len(t) == 7 and t[4] == "-":
            return dt.date(int(t[:4]), int(t[5:]), 1)
        return dt.date.fromisoformat(t[:10])
    except ValueError:
        return None


def chrono_key(earliest: dt.date | None, latest: dt.date | None, ends: bool = False) -> tuple[Any, ...]:
    """Where a dated thing stands in time, for sorting: by the earliest day its words allow, then the latest, so a
    year (a span) comes before a month of it that starts later, and "January 2023" before "2023" (same start, sooner
    end). An open interval ("by 2026") stands at its known end. At the same interval what ends comes before what
    starts (a phase ending in September 2025 precedes one starting then); what has no date at all comes last."""
    lo, hi = earliest or latest, latest or earliest
    if lo is None:
        return (1, dt.date.max, dt.date.max, 1)
    return (0, lo, hi, 0 if ends else 1)


@dataclass
class TimeScale:
    """Days to x: ``start`` at ``x0``, ``end`` at ``x1``."""

    start: dt.date
    end: dt.date
    x0: float
    x1: float

    @classmethod
    def around(cls, dates: list[dt.date], x0: float, x1: float) -> "TimeScale":
        """A scale over ``dates`` with a margin of a month or more, starting and ending on the first of a month."""
        lo, hi = min(dates), max(dates)
        pad = dt.timedelta(days=max(31, (hi - lo).days // 25))
        # clamped to the calendar's ends: a date in year 1 or 9999 (a typo in the data) still draws
        lo = lo - pad if lo - dt.date.min > pad else dt.date.min
        hi = hi + pad if dt.date.max - hi > pad + dt.timedelta(days=62) else dt.date(9999, 12, 1)
        hi = dt.date(hi.year + (hi.month == 12), hi.month % 12 + 1, 1) if hi.year < 9999 or hi.month < 12 else hi
        return cls(dt.date(lo.year, lo.month, 1), hi, x0, x1)

    def x(self, d: dt.date) -> float:
        span = max(1, (self.end - self.start).days)
        return self.x0 + (self.x1 - self.x0) * (d - self.start).days / span

    def clamp(self, d: dt.date) -> dt.date:
        return min(max(d, self.start), self.end)

    def ticks(self) -> list[tuple[dt.date, str]]:
        """Calendar ticks, as many as fit at about 70 pixels apart: every 1, 3 or 6 months, or 1, 2, 5, 10… years."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        room = max(1, int((self.x1 - self.x0) / 70))
        step = next((s for s in (1, 3, 6, 12, 24, 60, 120, 240, 600) if months / s <= room), 1200)
        out = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            index = y * 12 + m - 1
            if index % step == 0:
                label = str(y) if step >= 12 else (f"{_MONTHS[m - 1]} {y}" if m == 1 or not out else _MONTHS[m - 1])
                out.append((dt.date(y, m, 1), label))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round values from 0 to at least ``top``: 0, 1000, 2000, 3000 rather than 0, 833, 1667…"""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def html_datetime(earliest: dt.date | None, latest: dt.date | None) -> str | None:
    """The interval as an HTML ``datetime`` value at its precision: "2024" for a year, "2024-09" for a month."""
    if earliest is None or latest is None:
        return (earliest or latest).isoformat() if (earliest or latest) else None
    if earliest == latest:
        return earliest.isoformat()
    nxt = latest + dt.timedelta(days=1) if latest < dt.date.max else latest
    if (earliest.month, earliest.day, nxt.month, nxt.day, nxt.year) == (1, 1, 1, 1, earliest.year + 1):
        return f"{earliest.year:04d}"
    if earliest.day == 1 and nxt.day == 1 and (nxt.year * 12 + nxt.month) - (earliest.year * 12 + earliest.month) == 1:
        return f"{earliest.year:04d}-{earliest.month:02d}"
    return earliest.isoformat()


def fmt_number(v: float) -> str:
    return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 else f"{v:,.2f}".rstrip("0").rstrip(".")
