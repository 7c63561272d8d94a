"""The pictures (SVG drawn on the server), the timeline's order, the home page's sources and the favicon, in-process.

The pages are served over a small store written here (claims, passages, articles), so each test knows exactly
what must be drawn; the look in a real browser is in tests/test_browser.py.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from oirld.web import ServeSettings, create_app
from oirld.web.svg import busy_window, count_chart, country_at, covered, passage_bar, place_map, timeline_chart
from oirld.web.svg.base import TimeScale, chrono_key, html_datetime

from .conftest import ROOT, asgi_client

B = "https://w3id.org/oirld/"
SVG = "{http://www.w3.org/2000/svg}"
D = dt.date
_PREFIXES = f"""@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix oa: <http://www.w3.org/ns/oa#> . @prefix oirl: <https://w3id.org/oirld/ontology#> .
@prefix wikibase: <http://wikiba.se/ontology#> . @prefix schema: <https://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> . @base <{B}> .
"""


class Data:
    """Turtle for a small dataset: articles, things, and claims each read from passages of the articles."""

    def __init__(self) -> None:
        self.ttl = [_PREFIXES]
        self.n = 0

    def source(self, key: str, headline: str, outlet: str, date: str, url: str) -> str:
        self.ttl.append(f"""<source/{key}> a schema:NewsArticle ; rdfs:label {_lit(headline)} ; schema:headline {_lit(headline)} ;
  schema:publisher <id/outlet-{key}> ; schema:datePublished "{date}"^^xsd:date ; schema:url <{url}> .
<id/outlet-{key}> rdfs:label {_lit(outlet)} .""")
        return key

    def thing(self, key: str, label: str, *types: str) -> str:
        kinds = "".join(f" ; a oirl:{t}" for t in types)
        self.ttl.append(f"<id/{key}> rdfs:label {_lit(label)}{kinds} .")
        return key

    def things(self, kind: str, **labels: str) -> None:
        for key, label in labels.items():
            self.thing(key, label, kind)

    def claim(self, subject: str, prop: str, value: str, sources: list[str], extra: str = "", disputed: bool = False) -> str:
        """A claim with ``value`` (a value node's Turtle body), read from one passage of each of ``sources``."""
        self.n += 1
        c, v = f"claim/c{self.n}", f"value/v{self.n}"
        ev = []
        for i, src in enumerate(sources):
            e = f"evidence/e{self.n}x{i}"
            ev.append(f"<{e}>")
            self.ttl.append(f"""<{e}> a oirl:Evidence ; oa:hasSource <source/{src}> ; oa:hasSelector <{e}#q> , <{e}#p> .
<{e}#q> oa:exact "words {self.n}.{i}" . <{e}#p> oa:start {10 * self.n} ; oa:end {10 * self.n + 5} .""")
        self.ttl.append(f"""<{c}> a oirl:Claim ; rdf:subject <id/{subject}> ; rdf:predicate oirl:{prop} ; rdf:object <{v}> ;
  wikibase:rank wikibase:NormalRank ; prov:wasDerivedFrom {", ".join(ev)} {extra} .
<{v}> {value} .""")
        if disputed:
            self.ttl.append(f"<disagreement/d{self.n}> a oirl:Disagreement ; oirl:involvesClaim <{c}> .")
        return c

    def store(self) -> ox.Store:
        s = ox.Store()
        s.load("\n".join(self.ttl).encode(), ox.RdfFormat.TURTLE)
        return s


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _time(label: str, earliest: str | None, latest: str | None) -> str:
    parts = [f"a oirl:TimeValue ; rdfs:label {_lit(label)}"]
    parts += [f'oirl:earliest "{earliest}"^^xsd:date'] if earliest else []
    parts += [f'oirl:latest "{latest}"^^xsd:date'] if latest else []
    return " ; ".join(parts)


def _count(label: str, amount: int, lower: int | None, upper: int | None, approx: str) -> str:
    parts = [f"a oirl:Quantity ; rdfs:label {_lit(label)} ; schema:value {amount} ; oirl:approximation oirl:{approx}"]
    parts += [f"schema:minValue {lower}"] if lower is not None else []
    parts += [f"schema:maxValue {upper}"] if upper is not None else []
    return " ; ".join(parts)


def _svgs(html: str) -> dict[str, ET.Element]:
    """Every picture of the page, parsed as XML (so a badly escaped label fails here), by id."""
    return {ET.fromstring(m.group()).get("id"): ET.fromstring(m.group()) for m in re.finditer(r"<svg\b.*?</svg>", html, re.S)}


async def _get(store: ox.Store, path: str, **settings):
    async with asgi_client(create_app(ServeSettings(ontology_path=str(ROOT / "ontology" / "oirld.ttl"), **settings), store)) as c:
        return await c.get(path, headers={"Accept": "text/html"})


def _links(svg: ET.Element) -> list[ET.Element]:
    return list(svg.iter(f"{SVG}a"))


# -- the order of dates ---------------------------------------------------------------------------------------------

def test_dates_sort_by_their_span_and_what_ends_before_what_starts():
    year, month, later_month = (D(2023, 1, 1), D(2023, 12, 31)), (D(2023, 1, 1), D(2023, 1, 31)), (D(2023, 9, 1), D(2023, 9, 30))
    by_2026, undated = (None, D(2026, 12, 31)), (None, None)
    ordered = sorted([undated, by_2026, later_month, year, month], key=lambda t: chrono_key(*t))
    assert ordered == [month, year, later_month, by_2026, undated]
    sept = (D(2025, 9, 1), D(2025, 9, 30))
    assert chrono_key(*sept, ends=True) < chrono_key(*sept, ends=False)
    assert html_datetime(*year) == "2023" and html_datetime(*month) == "2023-01" and html_datetime(D(2024, 9, 27), D(2024, 9, 27)) == "2024-09-27"


@pytest.mark.anyio
async def test_timeline_lists_the_phase_that_ends_before_the_one_that_starts_then():
    """Regression: a phase with no start stated stood last ("9999"), so the second phase was listed before the first."""
    d = Data()
    src = d.source("s1", "Mission to end", "Outlet One", "2024-09-27", "https://example.org/a")
    d.thing("phase-b", "A later phase", "Phase")  # its label sorts first: only the dates may put it second
    d.thing("phase-a", "The first phase", "Phase")
    d.claim("phase-b", "startDate", _time("September 2025", "2025-09-01", "2025-09-30"), [src])
    d.claim("phase-a", "endDate", _time("September 2025", "2025-09-01", "2025-09-30"), [src])
    d.claim("phase-b", "endDate", _time("2026", "2026-01-01", "2026-12-31"), [src])
    r = await _get(d.store(), "/timeline")
    assert r.status_code == 200
    table = r.text[r.text.index('id="phases"'):r.text.index('id="events"')]
    assert table.index("The first phase") < table.index("A later phase")
    events = r.text[r.text.index('id="events"'):]
    assert events.index("The first phase") < events.index("A later phase")  # at September 2025: the end comes first
    assert '<time datetime="2026">' in events and '<time datetime="2025-09">' in events


# -- the timeline drawn -----------------------------------------------------------------------------------------------

@pytest.mark.anyio
async def test_timeline_draws_a_year_as_a_span_and_a_day_as_a_tick_each_linking_to_its_passage():
    d = Data()
    s1 = d.source("s1", "First article", "Outlet One", "2024-09-27", "https://example.org/1")
    s2 = d.source("s2", "Second <article> & \"more\"", "Outlet Two", "2024-09-28", "https://example.org/2")
    d.things("Event", launch="Launch of the <operation>", meeting="A meeting", end="The end")
    d.claim("launch", "date", _time("2014", "2014-01-01", "2014-12-31"), [s1, s2])
    d.claim("meeting", "date", _time("27 September 2024", "2024-09-27", "2024-09-27"), [s1])
    d.claim("end", "date", _time("by 2026", None, "2026-12-31"), [s2], disputed=True)
    r = await _get(d.store(), "/timeline")
    svg = _svgs(r.text)["timeline"]
    assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text  # named, and described in words
    assert svg.get("aria-labelledby") == "timeline-title timeline-desc"
    links = _links(svg)
    assert len(links) == 4 + 3  # a bar per passage (2 + 1 + 1), and a link per row's name
    bars = [a for a in links if "#ev-" in a.get("href", "")]
    assert sorted(a.get("href") for a in bars) == sorted(
        ["/doc/source/s1#ev-e1x0", "/doc/source/s2#ev-e1x1", "/doc/source/s1#ev-e2x0", "/doc/source/s2#ev-e3x0"])
    for a in bars:
        assert "Outlet" in a.find(f"{SVG}title").text and a.get("aria-label") == a.find(f"{SVG}title").text
    year = [float(a.find(f"{SVG}rect").get("width")) for a in bars if a.get("href").endswith("e1x0")][0]
    day = [float(a.find(f"{SVG}rect").get("width")) for a in bars if a.get("href").endswith("e2x0")][0]
    assert day == 3.0 and year > 10 * day  # a year is a year wide (13 years on 636 px); a day as wide as it must be to be seen
    open_end = [a for a in bars if a.get("href").endswith("e3x0")][0]
    assert open_end.find(f"{SVG}line").get("marker-end") == "url(#timeline-arrow-date)"  # "by 2026": an arrow
    group = next(g for g in svg.iter(f"{SVG}g") if open_end in list(g))
    assert "disputed" in group.get("class")  # the sources disagree on it: outlined
    assert "<script" not in r.text  # nothing to run
    assert "Second <article>" in "".join(svg.itertext())  # escaped in the page, read back intact


def test_timeline_rows_follow_the_dates():
    def e(label, lo, hi, prop="date"):
        return {"subject": {"iri": B + label, "label": label, "href": None}, "property": {"iri": f"x#{prop}", "label": prop},
                "value": {"label": "v"}, "earliest": lo, "latest": hi, "evidence": [], "disagreements": []}

    svg = ET.fromstring(str(timeline_chart([e("late", D(2020, 1, 1), D(2020, 12, 31)), e("early", D(2001, 5, 1), D(2001, 5, 31)),
                                            e("undated", None, None)])))
    names = [t.text for t in svg.iter(f"{SVG}text") if t.text in ("late", "early", "undated")]
    assert names == ["early", "late"]  # and the undated one is not drawn at all


# -- troop numbers ----------------------------------------------------------------------------------------------------

def _troops() -> Data:
    d = Data()
    s1 = d.source("s1", "Troops stay", "Outlet One", "2024-09-27", "https://example.org/1")
    s2 = d.source("s2", "Troops go", "Outlet Two", "2025-10-01", "https://example.org/2")
    d.things("State", us="United States", iraq="Iraq", syria="Syria")
    d.ttl.append(f"<value/asof> {_time('September 2024', '2024-09-01', '2024-09-30')} .")
    where = "; oirl:location <id/iraq> ; oirl:asOf <value/asof>"
    d.claim("us", "troopCount", _count("about 2,500 people", 2500, 2250, 2750, "Approximately"), [s1, s2], where)
    d.claim("us", "troopCount", _count("more than 3,000 people", 3000, 3000, None, "MoreThan"), [s2],
            "; oirl:location <id/iraq>", disputed=True)
    d.claim("us", "troopCount", _count("fewer than 900 people", 900, None, 900, "LessThan"), [s1], "; oirl:location <id/syria>")
    d.claim("us", "troopCount", _count("700 people", 700, 650, 750, "Exact"), [s2], "; oirl:location <id/syria>")
    return d


@pytest.mark.anyio
async def test_troop_chart_draws_every_sources_figure_with_its_bounds():
    r = await _get(_troops().store(), "/timeline")
    svg = _svgs(r.text)["counts"]
    panels = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("United States:")]
    assert len(panels) == 2 and any("Iraq" in p for p in panels) and any("Syria" in p for p in panels)
    marks = [a for a in _links(svg) if "#ev-" in a.get("href", "")]
    assert len(marks) == 5  # one per passage: the figure two articles give is two marks
    by_href = {a.get("href"): a for a in marks}
    about = by_href["/doc/source/s1#ev-e1x0"]
    assert about.find(f"{SVG}circle").get("fill") == "#fff"  # approximate: hollow
    assert len([ln for ln in about.iter(f"{SVG}line") if ln.get("class") == "bounds"]) == 1  # 2,250-2,750
    assert "Outlet One" in about.find(f"{SVG}title").text and "as of September 2024" in about.find(f"{SVG}title").text
    more = by_href["/doc/source/s2#ev-e2x0"]
    up = [ln for ln in more.iter(f"{SVG}line") if ln.get("class") == "open-up"]
    assert up and up[0].get("marker-end") == "url(#counts-arrow-disputed)"  # open above, and disputed
    assert "published 2025-10-01" in more.find(f"{SVG}title").text  # no "as of": its article's date
    fewer = by_href["/doc/source/s1#ev-e3x0"]
    assert [ln for ln in fewer.iter(f"{SVG}line") if ln.get("class") == "open-down"]
    exact = by_href["/doc/source/s2#ev-e4x0"]
    assert exact.find(f"{SVG}circle").get("fill") != "#fff"  # exact: filled
    # the two articles' "about 2,500" stand side by side, not on top of each other
    xs = [float(by_href[h].find(f"{SVG}circle").get("cx")) for h in ("/doc/source/s1#ev-e1x0", "/doc/source/s2#ev-e1x1")]
    assert abs(xs[0] - xs[1]) >= 6
    # the text alternative: every figure in a table too
    table = r.text[r.text.index('id="troops"'):]
    assert table.count("<tr class=") == 5 and "2,250–2,750" in table and "3,000 or more" in table and "up to 900" in table


def test_troop_chart_puts_a_bigger_figure_higher():
    def point(amount, day):
        return {"amount": amount, "lower": None, "upper": None, "approx": "Exact", "earliest": day, "latest": day,
                "dated_by": "as of", "when": str(day), "disputed": False, "value": str(amount), "headline": "h", "outlet": None,
                "date": None, "href": "/x", "evidence": {"exact": "w"}}

    series = [{"subject": {"label": "S", "href": None}, "location": None, "title": "S: troops",
               "points": [point(100, D(2024, 1, 1)), point(4000, D(2024, 6, 1))]}]
    svg = ET.fromstring(str(count_chart(series)))
    (_, y_small), (_, y_big) = [(c.get("cx"), float(c.get("cy"))) for c in svg.iter(f"{SVG}circle") if c.get("r") == "4.5"][-2:]
    assert y_big < y_small
    assert count_chart([]) is None


# -- maps -------------------------------------------------------------------------------------------------------------

def test_map_draws_the_country_outlines_around_a_place():
    places = [{"iri": B + "id/harir", "label": "Harir <Air> Base", "href": "/doc/id/harir", "lon": 44.34, "lat": 36.53},
              {"iri": B + "id/baghdad", "label": "Baghdad", "href": "/doc/id/baghdad", "lon": 44.40, "lat": 33.34},
              {"iri": B + "id/dc", "label": "Washington", "href": "/doc/id/dc", "lon": -77.04, "lat": 38.9}]
    svg = ET.fromstring(str(place_map(places, B + "id/harir")))
    countries = {p.find(f"{SVG}title").text: p for p in svg.iter(f"{SVG}path") if "country" in (p.get("class") or "")}
    assert {"Iraq", "Syria", "Iran", "Turkey"} <= set(countries)
    assert "home" in countries["Iraq"].get("class") and "home" not in countries["Syria"].get("class")
    assert "in Iraq" in svg.find(f"{SVG}title").text
    dots = {a.get("href") for a in _links(svg)}
    assert dots == {"/doc/id/harir", "/doc/id/baghdad"}  # Washington is another map's business
    assert place_map(places, B + "id/nowhere") is None


def test_country_at():
    assert country_at(44.34, 36.53)["name"] == "Iraq"
    assert country_at(2.35, 48.86)["name"] == "France"
    assert country_at(-30.0, 0.0) is None  # the Atlantic


@pytest.mark.anyio
async def test_a_place_page_shows_its_map_with_outlines():
    d = Data()
    d.thing("erbil", "Erbil", "Place")
    d.ttl.append('<id/erbil> geo:hasGeometry <id/erbil#geometry> . <id/erbil#geometry> geo:asWKT "POINT(44.01 36.18)"^^geo:wktLiteral .')
    r = await _get(d.store(), "/doc/id/erbil")
    maps = [s for k, s in _svgs(r.text).items() if k.startswith("map-")]
    assert len(maps) == 1 and any(p.find(f"{SVG}title").text == "Iraq" for p in maps[0].iter(f"{SVG}path"))


# -- a source's passages, the home page, the icon -----------------------------------------------------------------------

def test_passage_bar_places_each_passage_at_its_share_of_the_text():
    spans = [(0, 100, B + "evidence/a", "claim A"), (500, 600, B + "evidence/b", "claim B"), (550, 560, B + "evidence/c", "")]
    svg = ET.fromstring(str(passage_bar(1000, spans, height=400)))
    marks = {a.get("href"): a.find(f"{SVG}rect") for a in _links(svg)}
    assert set(marks) == {"#ev-a", "#ev-b", "#ev-c"}
    assert float(marks["#ev-a"].get("y")) == 0 and float(marks["#ev-b"].get("y")) == 200 and float(marks["#ev-b"].get("height")) == 40
    assert covered(1000, spans) == 0.2  # the nested passage counts once
    assert passage_bar(1000, []) is None


@pytest.mark.anyio
async def test_home_page_lists_the_latest_sources_and_sources_every_one_oldest_first():
    d = Data()
    d.source("late", "Later <b>news</b>", "Outlet Late", "2025-10-01", "https://late.example/story")
    d.source("early", "Early news", "Outlet Early", "2024-09-27", "https://early.example/story")
    d.source("odd", "Odd address", "Outlet Odd", "2025-11-01", "javascript:alert(1)")
    r = await _get(d.store(), "/")
    home = r.text[r.text.index('id="sources"'):r.text.index('id="use"')]
    assert home.index("Odd address") < home.index("Later &lt;b&gt;news&lt;/b&gt;") < home.index("Early news")  # newest first
    assert 'href="/sources"' in home
    listed = (await _get(d.store(), "/sources")).text
    for section in (home, listed):
        assert '<a href="/doc/source/early">Early news</a>' in section and "Outlet Early" in section and "2024-09-27" in section
        assert 'href="https://early.example/story"' in section and "<b>news" not in section
        assert "javascript:" not in section  # an address nobody should click is not a link
    assert listed.index("Early news") < listed.index("Later &lt;b&gt;news&lt;/b&gt;") < listed.index("Odd address")


@pytest.mark.anyio
async def test_favicon_is_served_and_linked():
    r = await _get(Data().store(), "/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/vnd.microsoft.icon"
    assert r.content[:4] == b"\x00\x00\x01\x00" and b"PNG" in r.content  # an icon directory with PNG images
    page = await _get(Data().store(), "/timeline")
    assert '<link rel="icon" href="/favicon.ico"' in page.text


def test_time_ticks_fit_the_width():
    scale = TimeScale.around([D(2003, 3, 20), D(2026, 9, 30)], 0, 700)
    ticks = scale.ticks()
    assert 3 <= len(ticks) <= 10 and all(label.isdigit() for _, label in ticks)
    short = TimeScale.around([D(2024, 9, 1), D(2025, 10, 1)], 0, 700).ticks()
    assert any(not label.isdigit() for _, label in short)  # months when the span is short


def test_pictures_survive_odd_data():
    """Dates at the calendar's ends, a zero figure, a label full of markup: drawn, never a 500."""
    def e(label, lo, hi):
        return {"subject": {"iri": B + "x", "label": label, "href": "/doc/id/x\"><script>"}, "property": {"iri": "x#date", "label": "date"},
                "value": {"label": "v"}, "earliest": lo, "latest": hi, "evidence": [], "disagreements": []}

    svg = str(timeline_chart([e("</svg><script>alert(1)</script>", D(1, 1, 1), D(1, 12, 31)), e("b", D(9999, 1, 1), D(9999, 12, 31))]))
    assert "<script>" not in svg and ET.fromstring(svg).get("id") == "timeline"
    point = {"amount": 0.0, "lower": None, "upper": None, "approx": "Exact", "earliest": D(2024, 1, 1), "latest": D(2024, 1, 1),
             "dated_by": "as of", "when": "", "disputed": False, "value": "0", "headline": "h", "outlet": None, "date": None,
             "href": "/x", "evidence": {"exact": "w"}}
    assert ET.fromstring(str(count_chart([{"subject": {"label": "S"}, "location": None, "title": "S", "points": [point]}])))


@pytest.mark.anyio
async def test_a_subject_page_draws_its_own_troop_numbers_only():
    store = _troops().store()
    us = _svgs((await _get(store, "/doc/id/us")).text)
    assert len([a for a in _links(us["counts"]) if "#ev-" in a.get("href", "")]) == 5
    assert "counts" not in _svgs((await _get(store, "/doc/id/iraq")).text)  # a place in the figures is not their subject


def test_a_closer_look_where_most_dates_fall():
    def e(year):
        return {"earliest": D(year, 1, 1), "latest": D(year, 12, 31)}

    recent = [e(2024), e(2024), e(2025), e(2025), e(2026), e(2026)]
    assert busy_window([e(2003), e(2014), *recent]) == (D(2024, 1, 1), D(2026, 12, 31))
    assert busy_window([e(2003), e(2008), e(2014), e(2020)]) is None  # spread out: the whole picture is the close one
    assert busy_window([e(2024)]) is None
