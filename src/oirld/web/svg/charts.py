"""The pictures of the pages: counts over time with every source's figure and bounds, the timeline on a time
axis, and the bar beside an article that shows where its cited passages sit.

Every mark is a link to the passage it was drawn from, with a tooltip saying who said what; each picture's title and
description say what it shows, and the pages give the same data as a table (the text alternative).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict
from typing import Any

from markupsafe import Markup

from .base import Svg, TimeScale, chrono_key, el, fmt_number, markup, nice_ticks

__all__ = ["count_chart", "timeline_chart", "busy_window", "passage_bar", "covered", "COLOURS"]

COLOURS = {"figure": "#0b5394", "disputed": "#b35900", "startDate": "#1e6b2e", "endDate": "#8a1c1c", "date": "#0b5394",
           "grid": "#d5dde5", "axis": "#555", "ink": "#1b1b1b", "extent": "#9aa7b4"}
_DAY = dt.timedelta(days=1)
_LANE_H = 6.0  # a source passage's bar on the timeline


def _next(d: dt.date) -> dt.date:
    """The day after ``d``: where a span that includes ``d`` ends (the calendar's last day is its own end)."""
    return d if d == dt.date.max else d + _DAY


def _arrow_defs(svg: Svg, colours: dict[str, str]) -> None:
    defs = el(svg.root, "defs")
    for name, colour in colours.items():
        m = el(defs, "marker", id=f"{svg.ident}-arrow-{name}", viewBox="0 0 10 10", refX=8, refY=5, markerWidth=8,
               markerHeight=8, markerUnits="userSpaceOnUse", orient="auto-start-reverse")
        el(m, "path", d="M0,0 L10,5 L0,10 z", fill=colour)


def _time_axis(svg: Svg, scale: TimeScale, top: float, bottom: float, labels_at: list[float]) -> None:
    g = el(svg.root, "g", class_="axis", font_size=11, fill=COLOURS["axis"])
    for d, label in scale.ticks():
        x = scale.x(d)
        el(g, "line", x1=x, y1=top, x2=x, y2=bottom, stroke=COLOURS["grid"], stroke_width=1)
        for y in labels_at:
            el(g, "text", label, x=x, y=y, text_anchor="middle")


def _dodge(xs: list[float], gap: float = 8.0) -> list[float]:
    """Offsets that spread marks standing at (nearly) the same x side by side, so none hides another."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    out = [0.0] * len(xs)
    cluster: list[int] = []
    for i in order + [None]:  # type: ignore[list-item]
        if i is not None and cluster and xs[i] - xs[cluster[0]] < gap:
            cluster.append(i)
            continue
        for k, j in enumerate(cluster):
            out[j] = (k - (len(cluster) - 1) / 2) * gap
        cluster = [] if i is None else [i]
    return out


def _point_label(p: dict[str, Any], where: str) -> str:
    outlet = f"{p['outlet']['label']}, " if p.get("outlet") else ""
    when = f"as of {p['when']}" if p["dated_by"] == "as of" and p.get("when") else (
        f"published {p['date']}" if p.get("date") else "undated")
    dispute = " Sources disagree on this figure." if p["disputed"] else ""
    return (f"{outlet}“{p['headline']}”: {p['value']}{where}, {when}. "
            f"Words: “{p['evidence']['exact']}”.{dispute}")


def count_chart(series: list[dict[str, Any]], ident: str = "counts", width: int = 760) -> Markup | None:
    """Small multiples, one panel per subject and place on one shared time axis: each source's figure is a dot
    (filled when exact, hollow when approximate), its bounds a vertical bar, an open bound ("more than 3,000",
    "fewer than 500") an arrow to the panel's edge, a figure dated by a month or a year a horizontal span."""
    drawn = [s for s in series if any(p["earliest"] for p in s["points"])]
    if not drawn:
        return None
    left, right, panel_h, gap = 78, 18, 150, 58
    top0 = 46
    height = top0 + len(drawn) * (panel_h + gap) - 10
    dates = [d for s in drawn for p in s["points"] for d in (p["earliest"], p["latest"]) if d]
    scale = TimeScale.around(dates, left, width - right)
    total = sum(len(s["points"]) for s in drawn)
    svg = Svg(width, height, "Troop numbers over time, every source's figure",
              f"{total} figures from the sources in {len(drawn)} panels, one per subject and place, on one time axis. "
              "A dot is a source's figure: filled when exact, hollow when approximate; the vertical bar is the range its "
              "words allow; an arrow is an open bound (more than, fewer than); a horizontal line is the span its date "
              "covers. Orange marks figures the sources disagree on. Each mark links to the passage it was read from.",
              ident, class_="chart counts")
    colours = {"figure": COLOURS["figure"], "disputed": COLOURS["disputed"]}
    _arrow_defs(svg, colours)
    _legend(svg, [("dot", COLOURS["figure"], "exact figure"), ("ring", COLOURS["figure"], "approximate"),
                  ("arrow", COLOURS["figure"], "open bound"), ("dot", COLOURS["disputed"], "sources disagree")], left, 16)
    for n, s in enumerate(drawn):
        top = top0 + n * (panel_h + gap) + 18
        bottom = top + panel_h - 18
        where = f" in {s['location']['label']}" if s.get("location") else ""
        head = svg.link(svg.root, s["subject"].get("href"), s["title"])
        el(head, "text", s["title"], x=left, y=top - 8, font_size=13, font_weight=700, fill=COLOURS["ink"])
        peak = max(max(p["amount"], p["upper"] or 0, p["lower"] or 0) for p in s["points"]) * 1.12
        ticks = nice_ticks(peak)
        ymax = ticks[-1]

        def y(v: float) -> float:
            return bottom - (bottom - top) * max(0.0, min(v, ymax)) / ymax

        axis = el(svg.root, "g", class_="axis", font_size=11, fill=COLOURS["axis"])
        for t in ticks:
            el(axis, "line", x1=left, y1=y(t), x2=width - right, y2=y(t), stroke=COLOURS["grid"])
            el(axis, "text", fmt_number(t), x=left - 6, y=y(t) + 4, text_anchor="end")
        _time_axis(svg, scale, top, bottom, [bottom + 15])
        el(svg.root, "line", x1=left, y1=bottom, x2=width - right, y2=bottom, stroke=COLOURS["axis"])
        points = [p for p in s["points"] if p["earliest"]]
        mids = [(scale.x(p["earliest"]) + scale.x(_next(p["latest"]))) / 2 for p in points]
        for p, xm, dx in zip(points, mids, _dodge(mids)):
            colour_key = "disputed" if p["disputed"] else "figure"
            colour = colours[colour_key]
            mark = svg.link(el(svg.root, "g", class_=f"figure {colour_key} {p['approx'].lower()}"), p["href"], _point_label(p, where))
            x = xm + dx
            x0, x1 = scale.x(p["earliest"]), scale.x(_next(p["latest"]))
            if x1 - x0 > 3:
                el(mark, "line", x1=x0, y1=y(p["amount"]), x2=x1, y2=y(p["amount"]), stroke=colour, stroke_width=2,
                   stroke_opacity=0.45, class_="span")
            lo, hi = p["lower"], p["upper"]
            arrow = f"url(#{svg.ident}-arrow-{colour_key})"
            if lo is not None and hi is not None:
                el(mark, "line", x1=x, y1=y(lo), x2=x, y2=y(hi), stroke=colour, stroke_width=1.5, class_="bounds")
                for v in (lo, hi):
                    el(mark, "line", x1=x - 3.5, y1=y(v), x2=x + 3.5, y2=y(v), stroke=colour, stroke_width=1.5)
            elif lo is not None:  # "more than": up to the top, open
                el(mark, "line", x1=x, y1=y(lo), x2=x, y2=top + 2, stroke=colour, stroke_width=1.5, marker_end=arrow,
                   class_="open-up")
            elif hi is not None:  # "fewer than": down to nothing, open
                el(mark, "line", x1=x, y1=y(hi), x2=x, y2=bottom - 2, stroke=colour, stroke_width=1.5, marker_end=arrow,
                   class_="open-down")
            exact = p["approx"] == "Exact"
            el(mark, "circle", cx=x, cy=y(p["amount"]), r=4.5, fill=colour if exact else "#fff", stroke=colour,
               stroke_width=2)
    return markup(svg)


def _legend(svg: Svg, items: list[tuple[str, str, str]], x: float, y: float) -> None:
    g = el(svg.root, "g", class_="legend", font_size=11, fill=COLOURS["ink"], aria_hidden="true")
    for shape, colour, label in items:
        if shape == "dot":
            el(g, "circle", cx=x + 5, cy=y - 4, r=4.5, fill=colour)
        elif shape == "ring":
            el(g, "circle", cx=x + 5, cy=y - 4, r=4, fill="#fff", stroke=colour, stroke_width=2)
        elif shape == "arrow":
            el(g, "line", x1=x + 5, y1=y + 2, x2=x + 5, y2=y - 9, stroke=colour, stroke_width=1.5,
               marker_end=f"url(#{svg.ident}-arrow-figure)")
        elif shape == "bar":
            el(g, "rect", x=x, y=y - 8, width=14, height=7, fill=colour)
        elif shape == "outline":
            el(g, "rect", x=x, y=y - 8, width=14, height=7, fill="#fff", stroke=colour, stroke_width=2)
        el(g, "text", label, x=x + 16, y=y)
        x += 22 + 6.5 * len(label)


def busy_window(entries: list[dict[str, Any]], share: float = 0.75) -> tuple[dt.date, dt.date] | None:
    """The shortest run of whole years holding ``share`` of the dated claims, when it is under a third of the
    whole span: where a closer look is worth a second picture (the years of the withdrawal, after two decades)."""
    points = sorted(e["earliest"] or e["latest"] for e in entries if e.get("earliest") or e.get("latest"))
    if len(points) < 4:
        return None
    need = max(2, math.ceil(len(points) * share))
    best = min((points[i + need - 1].year - points[i].year, i) for i in range(len(points) - need + 1))
    first, last = points[best[1]].year, points[best[1] + need - 1].year
    whole = points[-1].year - points[0].year + 1
    if last - first + 1 > whole / 3:
        return None
    return dt.date(first, 1, 1), dt.date(last, 12, 31)


def timeline_chart(entries: list[dict[str, Any]], ident: str = "timeline", width: int = 960,
                   window: tuple[dt.date, dt.date] | None = None) -> Markup | None:
    """One row per thing, on a time axis: each dated claim is a bar over the whole span its words allow (a year is
    a year wide, a day a tick), one thin lane per source passage; an open date ("by 2026", "from January") is a
    dashed arrow from its known end. A phase's extent, first start to last end, is a grey line under its bars.
    With a ``window``, only what overlaps it, drawn over it (a closer look)."""
    dated = [e for e in entries if e.get("earliest") or e.get("latest")]
    if window:
        dated = [e for e in dated if (e["earliest"] or e["latest"]) <= window[1] and (e["latest"] or e["earliest"]) >= window[0]]
    if not dated:
        return None
    rows: OrderedDict[str, dict[str, Any]] = OrderedDict()
    # the timeline's entries carry their key ("chrono", from the page's order); others are keyed here
    for e in sorted(dated, key=lambda e: e["chrono"] if "chrono" in e else chrono_key(e["earliest"], e["latest"], e["property"]["iri"].endswith("#endDate"))):
        rows.setdefault(e["subject"]["iri"] or e["subject"]["label"], {"subject": e["subject"], "entries": []})["entries"].append(e)
    left, right, lane, top0 = 300, 24, 8, 58
    heights = [max(26, 12 + lane * sum(max(1, len(e["evidence"])) for e in r["entries"])) for r in rows.values()]
    height = top0 + sum(heights) + 30
    dates = list(window) if window else [d for e in dated for d in (e["earliest"], e["latest"]) if d]
    scale = TimeScale.around(dates, left, width - right)
    span = f" from {window[0].year} to {window[1].year}" if window else ""
    svg = Svg(width, height, f"Timeline{span}: every dated claim on a time axis",
              f"{len(dated)} dated claims about {len(rows)} things{span}, one row each, ordered by date. Each bar covers the "
              "whole span the source's words allow (a year is a year wide), one thin lane per source passage given "
              "(a page of the timeline gives a claim's first three): green "
              "starts, red ends, blue dates. An open date (by, from) is a dashed arrow from its known end; orange outlines "
              "mark dates the sources disagree on. Each bar links to the passage it was read from.",
              ident, class_="chart timeline-chart")
    kinds = {"startDate": COLOURS["startDate"], "endDate": COLOURS["endDate"], "date": COLOURS["date"]}
    _arrow_defs(svg, kinds)
    _legend(svg, [("bar", kinds["startDate"], "starts"), ("bar", kinds["endDate"], "ends"), ("bar", kinds["date"], "happens"),
                  ("outline", COLOURS["disputed"], "sources disagree")], left, 16)
    _time_axis(svg, scale, top0 - 8, height - 24, [top0 - 14, height - 8])
    y = top0
    for r, h in zip(rows.values(), heights):
        el(svg.root, "line", x1=0, y1=y + h, x2=width - right, y2=y + h, stroke=COLOURS["grid"], stroke_dasharray="2 3")
        name = r["subject"]["label"]
        head = svg.link(svg.root, r["subject"].get("href"), name)
        el(head, "text", name if len(name) <= 46 else name[:45] + "…", x=6, y=y + 16, font_size=12, fill=COLOURS["ink"])
        starts = [e for e in r["entries"] if e["property"]["iri"].endswith("#startDate")]
        ends = [e for e in r["entries"] if e["property"]["iri"].endswith("#endDate")]
        if starts and ends:
            a = min(e["earliest"] or e["latest"] for e in starts)
            b = max(e["latest"] or e["earliest"] for e in ends)
            el(svg.root, "line", x1=scale.x(a), y1=y + h / 2, x2=scale.x(_next(b)), y2=y + h / 2, stroke=COLOURS["extent"],
               stroke_width=2, class_="extent")
        ly = y + 6
        for e in r["entries"]:
            kind = e["property"]["iri"].rsplit("#", 1)[-1]
            colour = kinds.get(kind, COLOURS["date"])
            for ev in e["evidence"] or [None]:
                _timeline_bar(svg, scale, e, ev, kind, colour, ly)
                ly += lane
        y += h
    return markup(svg)


def _timeline_bar(svg: Svg, scale: TimeScale, e: dict[str, Any], ev: dict[str, Any] | None, kind: str, colour: str,
                  y: float) -> None:
    source = f"{ev['publisher']['label']}, " if ev and ev.get("publisher") else ""
    source += f"“{ev['source']['label']}”: “{ev['exact']}”" if ev else "no passage"
    label = f"{e['subject']['label']}, {e['property']['label']}: {e['value']['label']}. {source}"
    if e.get("disagreements"):
        label += ". Sources disagree on this date."
    href = (ev.get("passage_href") or ev.get("href")) if ev else e.get("href")
    g = svg.link(el(svg.root, "g", class_=f"when {kind}" + (" disputed" if e.get("disagreements") else "")), href, label)
    lo, hi = e.get("earliest"), e.get("latest")
    stroke = {"stroke": COLOURS["disputed"], "stroke_width": 1.5} if e.get("disagreements") else {}
    if lo and hi:
        x0, x1 = scale.x(scale.clamp(lo)), scale.x(scale.clamp(_next(hi)))
        el(g, "rect", x=x0, y=y, width=max(3.0, x1 - x0), height=_LANE_H, fill=colour, **stroke)
        return
    # open: a bracket at the known end, a dashed arrow toward the unknown one
    known = hi or lo
    x = scale.x(scale.clamp(_next(known) if hi else known))
    reach = -36 if hi else 36
    el(g, "rect", x=x - 1.5, y=y - 1, width=3, height=_LANE_H + 2, fill=colour, **stroke)
    el(g, "line", x1=x, y1=y + _LANE_H / 2, x2=x + reach, y2=y + _LANE_H / 2, stroke=colour, stroke_width=2,
       stroke_dasharray="4 3", marker_end=f"url(#{svg.ident}-arrow-{kind if kind in COLOURS else 'date'})", class_="open")


def covered(length: int, spans: list[tuple[int, int, str, str]]) -> float:
    """The share of the text that some cited passage covers (overlaps counted once)."""
    total, reach = 0, 0
    for start, end, *_ in sorted(spans):
        start, end = max(start, reach, 0), min(end, length)
        if end > start:
            total += end - start
            reach = end
    return total / length if length > 0 else 0.0


def passage_bar(length: int, spans: list[tuple[int, int, str, str]], ident: str = "passages", height: int = 480) -> Markup | None:
    """A thin bar standing for the whole article, top to bottom, with a mark where each cited passage sits (linked
    to it), so a reader sees at once where the claims come from even when most of the text is cited."""
    if length <= 0 or not spans:
        return None
    width = 22
    svg = Svg(width, height, "Where the cited passages sit in the article",
              f"{len({s[2] for s in spans})} cited passages, drawn at their place in the article's {length} characters; "
              f"they cover {covered(length, spans):.0%} of the text; each mark links to the passage in the text.", ident,
              class_="chart passage-bar", preserveAspectRatio="none")
    el(svg.root, "rect", x=8, y=0, width=6, height=height, fill="#e6ebf0", rx=3)
    seen: set[str] = set()
    for start, end, ev, label in sorted(spans):
        key = ev.rsplit("/", 1)[-1]
        if key in seen:
            continue
        seen.add(key)
        y0 = height * max(0, start) / length
        h = max(3.0, height * max(0, end - start) / length)
        g = svg.link(svg.root, f"#ev-{key}", f"Characters {start}–{end}" + (f": {label}" if label else ""))
        el(g, "rect", x=2, y=min(y0, height - h), width=18, height=h, fill="#e0a800", stroke="#fff", stroke_width=1,
           vector_effect="non-scaling-stroke", class_="passage")
    return markup(svg)
