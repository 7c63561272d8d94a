"""The pages in a real browser: headless Chromium (Debian's package) driven by Playwright for Python.

Runs against a real `oirld serve` of the session's build: a reader's whole path from the home page through a search,
an entity, a claim and its source to a query, and the query page on its own, with and without JavaScript.
Screenshots go to test-artifacts/. Skipped locally without Chromium or Playwright; required in CI (.ci/run installs
Debian's chromium).
"""

import os
import shutil

import pytest

from .conftest import ROOT
from .test_server import serving

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if not chromium or sync_playwright is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium and Playwright for Python (.ci/run installs them)")
        pytest.skip("no chromium or playwright here")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(built):
    with serving("--store", str(built.path / "store")) as url:
        yield url


def test_query_page_runs_an_example_and_shows_a_table(browser, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/sparql")
    assert "SPARQL" in page.title()
    page.get_by_role("link", name="Where do the sources disagree?").click()
    assert "oirl:Disagreement" in page.locator("#query").input_value()  # the script filled the editor
    page.get_by_role("button", name="Run query").click()
    page.wait_for_selector("#results tbody tr")
    rows = page.locator("#results tbody tr").count()
    assert rows >= 7
    assert "In January 2023" in page.locator("#results").inner_text()
    page.screenshot(path=str(ARTIFACTS / "query-page-results.png"), full_page=True)
    assert errors == []


def test_query_page_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/sparql")
    page.get_by_role("link", name="US troop numbers over time, by place and source").click()  # runs the query itself
    page.wait_for_selector("#results tbody tr")
    assert "Iraq" in page.locator("#results").inner_text()
    page.screenshot(path=str(ARTIFACTS / "query-page-no-js.png"), full_page=True)
    context.close()


def test_entity_to_source_with_the_quote_highlighted(browser, server):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/id/harir-air-base")  # the thing's IRI: 303 to its page
    assert page.url.endswith("/doc/id/harir-air-base")
    assert page.locator("h1").inner_text() == "Harir Air Base"
    page.locator('main a[href^="/doc/source/"]').first.click()
    page.wait_for_selector("#article mark")
    assert page.locator("#article mark").count() > 10
    page.screenshot(path=str(ARTIFACTS / "source-page.png"), full_page=True)
    assert errors == []


def test_search_an_alias_and_open_the_entity(browser, server):
    page = browser.new_page()
    page.goto(f"{server}/search")
    page.get_by_label("Words, names or aliases").fill("Hareer")
    page.locator("main").get_by_role("button", name="Search").click()
    page.locator("#results a").first.click()
    assert page.locator("h1").inner_text() == "Harir Air Base"
    page.screenshot(path=str(ARTIFACTS / "entity-page.png"), full_page=True)


def test_a_readers_path_from_home_to_the_quote_and_a_query(browser, server):
    """Home → search an alias → the entity → one of its claims → the passage in the article → the query page."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/")
    assert "Operation Inherent Resolve" in page.locator("h1").inner_text()
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    page.get_by_label("Search words, names and aliases").fill("Hareer")
    page.locator("header").get_by_role("button", name="Search").click()
    page.locator("#results a").first.click()
    assert page.locator("h1").inner_text() == "Harir Air Base"
    assert page.locator("figure.map svg circle").count() > 1  # the map is drawn
    assert page.locator(".badge.disputed").count() > 0  # the spellings differ, and it says so
    page.screenshot(path=str(ARTIFACTS / "entity.png"), full_page=True)
    page.locator("#claims ~ ul.claims a", has_text="claim").first.click()
    assert page.url.split("/doc/", 1)[1].startswith("claim/")
    quote = page.locator("blockquote.quote mark").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "claim.png"), full_page=True)
    page.get_by_role("link", name="see it in the article").first.click()
    anchor = page.url.split("#", 1)[1]
    assert anchor.startswith("ev-")
    # the passage the claim cites is marked in the article, right after its anchor, and scrolled into view
    marked = page.locator(f"#{anchor} + mark")
    assert marked.is_visible() and (marked.inner_text() in quote or quote.startswith(marked.inner_text()))
    box = marked.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    page.screenshot(path=str(ARTIFACTS / "source-passage.png"))
    page.get_by_role("link", name="Query", exact=True).click()
    page.get_by_role("link", name="Where do the sources disagree?").click()
    page.get_by_role("button", name="Run query").click()
    page.wait_for_selector("#results tbody tr")
    assert page.locator("#results tbody tr").count() >= 7
    page.screenshot(path=str(ARTIFACTS / "query-results.png"), full_page=True)
    assert errors == []


def test_pages_print_without_navigation(browser, server):
    page = browser.new_page()
    page.goto(f"{server}/doc/id/oir")
    assert page.locator("header.site nav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header.site nav").is_visible()
    assert page.locator("h1").is_visible()
    page.pdf(path=str(ARTIFACTS / "entity-print.pdf")) if hasattr(page, "pdf") else None


def test_timeline_index_and_ontology_pages_render(browser, server):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path, check in [("/timeline", "ol.timeline > li"), ("/index", ".columns section"), ("/ontology", "h3"),
                        ("/shapes", "h3"), ("/disagreements", ".side")]:
        page.goto(f"{server}{path}")
        assert page.locator(check).count() > 3, path
        page.screenshot(path=str(ARTIFACTS / f"{path.strip('/')}.png"), full_page=True)
    assert errors == []


def _watch(page) -> list[str]:
    """The page's console errors and uncaught exceptions (a missing /favicon.ico shows up here as a 404)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_timeline_and_troop_numbers_are_drawn_and_each_mark_opens_its_passage(browser, server):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})  # no script needed
    page = context.new_page()
    errors = _watch(page)
    page.goto(f"{server}/timeline")
    chart = page.locator("svg#timeline")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 100
    bars = chart.locator('a[href*="#ev-"] rect')
    assert bars.count() > 3
    widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
    assert max(widths) > 5 * min(widths)  # years are spans, days are ticks
    chart.screenshot(path=str(ARTIFACTS / "timeline-chart.png"))
    counts = page.locator("svg#counts")
    if counts.count():  # troop numbers, when the sources give any
        assert counts.locator("circle").count() > 0
        counts.screenshot(path=str(ARTIFACTS / "troop-numbers.png"))
    # a mark is a link to the passage it was read from
    target = chart.locator('a[href*="#ev-"]').first
    href = target.get_attribute("href")
    target.locator("rect").click()
    page.wait_for_url(f"**{href}")
    anchor = href.split("#", 1)[1]
    assert page.locator(f"#{anchor} + mark").is_visible()
    assert errors == []
    context.close()


def test_place_map_has_country_outlines(browser, server):
    page = browser.new_page()
    errors = _watch(page)
    page.goto(f"{server}/doc/id/harir-air-base")
    figure = page.locator("figure.map")
    countries = figure.locator("path.country")
    assert countries.count() >= 3
    iraq = figure.locator("path.country.home")
    assert iraq.count() == 1 and iraq.locator("title").text_content() == "Iraq"
    dot, shape = figure.locator("circle.focus").bounding_box(), iraq.bounding_box()
    assert shape["x"] <= dot["x"] + dot["width"] / 2 <= shape["x"] + shape["width"]  # the place lies in its country
    figure.screenshot(path=str(ARTIFACTS / "map.png"))
    assert errors == []


def test_source_page_shows_where_passages_sit_and_lights_them_on_hover(browser, server):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors = _watch(page)
    page.goto(f"{server}/")
    page.locator("table.sources a[href^='/doc/source/']").first.click()
    page.wait_for_selector("#article mark")
    mark = page.locator("#article mark").first
    still = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    mark.hover()
    lit = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert still == "rgba(0, 0, 0, 0)" and lit != still  # underlined only, until the pointer is on it
    page.get_by_text("Highlight every cited passage").click()
    page.mouse.move(0, 0)
    assert page.locator("#article mark").last.evaluate("m => getComputedStyle(m).backgroundColor") == lit
    bar, text = page.locator(".passage-bar svg").bounding_box(), page.locator("#article").bounding_box()
    assert abs(bar["height"] - text["height"]) < 2  # the bar stands for the whole text, top to bottom
    assert page.locator(".passage-bar a").count() > 0
    page.screenshot(path=str(ARTIFACTS / "source-passage-bar.png"), full_page=True)
    icon = page.request.get(f"{server}/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/vnd.microsoft.icon"
    assert errors == []


def test_search_what_was_said_filter_and_page(browser, server):
    """Words of the quotes are found and highlighted, the withdrawal event leads, the kind filter and pages work."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/search")
    page.get_by_label("Words, names or aliases").fill("withdrawal")
    page.locator("main").get_by_role("button", name="Search").click()
    first = page.locator("#results > li").first
    assert "thing" in first.locator(".badge").inner_text() and "withdrawal" in first.inner_text().lower()
    assert page.locator("#results mark").count() > 3
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    page.get_by_label("quoted passages").check()
    page.locator("main").get_by_role("button", name="Search").click()
    badges = page.locator("#results .badge").all_inner_texts()
    assert badges and set(badges) == {"quote"}
    page.locator("#results a").first.click()
    anchor = page.url.split("#", 1)[1]
    assert anchor.startswith("ev-") and page.locator(f"#{anchor} ~ mark").first.is_visible()  # passages starting together share a place
    page.goto(f"{server}/search?q=Iraq&per_page=5")
    page.get_by_role("link", name="next").click()
    assert "page=2" in page.url and page.locator("#results > li").count() == 5
    assert errors == []


def test_disagreements_name_the_articles_and_open_the_passage(browser, server):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{server}/disagreements")
    text = page.locator("main").inner_text()
    assert "seeds/" not in text and ".txt" not in text and "characters " not in text
    assert "troopCount" not in text and "writtenAs" not in text and "startDate" not in text
    assert page.locator(".side footer cite.outlet").count() > 10
    page.screenshot(path=str(ARTIFACTS / "disagreements-named.png"), full_page=True)
    link = page.get_by_role("link", name="see the passage in the article").first
    quote = link.locator("xpath=ancestor::blockquote").inner_text()
    link.click()
    anchor = page.url.split("#", 1)[1]
    marked = page.locator(f"#{anchor} ~ mark").first
    assert marked.is_visible() and marked.inner_text()[:12] in quote
    page.screenshot(path=str(ARTIFACTS / "disagreement-passage.png"))
