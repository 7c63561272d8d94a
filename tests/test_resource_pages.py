"""The pages for people about one resource: an entity (claims by property, ranks, disagreements, inverse links,
Wikidata, map), a claim (its words, the other sides) and a source (each passage anchored). What a page must show
is read from the store in each test, so a page that drops a claim, a link or a side fails."""

import re
from html.parser import HTMLParser

import pytest

from oirld.pipeline import build
from oirld.store import open_store
from oirld.web import ServeSettings, create_app
from tests.conftest import MINI_MAPPING, asgi_client

pytestmark = pytest.mark.anyio
BASE = "https://w3id.org/oirld/"
HTML = {"Accept": "text/html"}
P = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
     "PREFIX oirl: <https://w3id.org/oirld/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
     "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#>\n")


@pytest.fixture
def client(built_client, root):
    return built_client(home=str(root), ontology_path=str(root / "ontology" / "oirld.ttl"))


@pytest.fixture(scope="module")
def store(built):
    return open_store(built.path / "store")


def rows(store, query):
    return list(store.query(P + query))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_entity_page_groups_every_claim_by_property_with_rank_and_words(client, store):
    page = (await client.get("/doc/id/harir-air-base", headers=HTML)).text
    claims = rows(store, """SELECT ?c ?pl ?exact WHERE { ?c rdf:subject <https://w3id.org/oirld/id/harir-air-base> ;
        rdf:predicate ?p ; prov:wasDerivedFrom/oa:hasSelector/oa:exact ?exact . FILTER (?p != oirl:writtenAs) }""")
    assert claims
    for row in claims:
        key = row["c"].value.rsplit("/", 1)[-1]
        assert f'href="/doc/claim/{key}"' in page
        assert f"<mark>{row['exact'].value}</mark>" in page
    # one heading per property, linked to its definition in the ontology
    assert re.search(r'<h3 id="p-located-in"><a href="/ontology#locatedIn">located in</a>', page)
    assert "normal rank" not in page and "badge normal" not in page  # a rank shows only when it says something
    assert "@en" not in text_of(page)  # no language tags after English text
    assert 'href="/ontology#MilitaryBase"' in page  # its type, linked


async def test_entity_page_shows_inverse_links_sources_and_spellings(client, store):
    page = (await client.get("/doc/id/harir-air-base", headers=HTML)).text
    inverse = rows(store, "SELECT ?s WHERE { ?c rdf:object <https://w3id.org/oirld/id/harir-air-base> ; rdf:subject ?s }")
    assert inverse
    linked = page.split('id="inverse"', 1)[1].split("</section>", 1)[0]
    for row in inverse:
        assert f'href="/doc/{row["s"].value[len(BASE):]}"' in linked
    aside = page.split("<aside", 1)[1]
    for row in rows(store, """SELECT DISTINCT ?src WHERE { ?c rdf:subject <https://w3id.org/oirld/id/harir-air-base> ;
                                prov:wasDerivedFrom/oa:hasSource ?src }"""):
        assert f'href="/doc/{row["src"].value[len(BASE):]}"' in aside.split("Mentioned in", 1)[1]
    names = page.split('id="names"', 1)[1]
    assert "Hareer base" in names and "Harir Air Base" in names and "disputed" in names


async def test_entity_page_links_to_wikidata_only_when_verified(client, store):
    linked = rows(store, "SELECT ?s ?q WHERE { ?s skos:exactMatch ?q } LIMIT 3")
    assert linked
    for row in linked:
        page = (await client.get(f"/doc/{row['s'].value[len(BASE):]}", headers=HTML)).text
        assert f'href="{row["q"].value}"' in page
    harir = (await client.get("/doc/id/harir-air-base", headers=HTML)).text
    assert "wikidata.org" not in harir and "No Wikidata item verified yet" in harir
    broader = rows(store, "SELECT ?s ?q WHERE { ?s skos:broadMatch ?q }")
    assert broader  # the file has broad matches; they show as such, never as the same thing
    for row in broader:
        page = (await client.get(f"/doc/{row['s'].value[len(BASE):]}", headers=HTML)).text
        item = page.split(f'href="{row["q"].value}"', 1)[0].rsplit("<li>", 1)[1]
        assert "broader" in item and "same thing" not in item


async def test_entity_page_draws_its_place_on_a_map(client, store):
    page = (await client.get("/doc/id/harir-air-base", headers=HTML)).text
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    places = rows(store, "SELECT ?s WHERE { ?s <http://www.opengis.net/ont/geosparql#hasGeometry> ?g }")
    assert svg.count("<circle") == len(places) > 1
    assert "<title" in svg and re.search(r'r="6"[^>]*fill="#c0392b"', svg)  # this place, marked
    no_place = (await client.get("/doc/id/us-dod", headers=HTML)).text
    assert "<svg" not in no_place


async def test_disagreement_is_flagged_and_explained_on_the_entity(client, store):
    d = rows(store, """SELECT ?d ?s (COUNT(?c) AS ?n) WHERE { ?d a oirl:Disagreement ; oirl:disagreementKind "value" ;
                         oirl:onSubject ?s ; oirl:involvesClaim ?c } GROUP BY ?d ?s""")
    assert d
    for row in d:
        page = (await client.get(f"/doc/{row['s'].value[len(BASE):]}", headers=HTML)).text
        assert f'href="/doc/{row["d"].value[len(BASE):]}"' in page.split('id="disputes"', 1)[1]
        assert page.count("badge disputed") >= int(row["n"].value)
        assert "none is chosen" in page


async def test_claim_page_shows_the_words_and_the_other_sides(client, store):
    row = rows(store, """SELECT ?c ?other ?d WHERE { ?d oirl:involvesClaim ?c, ?other . FILTER (?c != ?other)
                         ?d oirl:disagreementKind "value" } LIMIT 1""")[0]
    key = row["c"].value.rsplit("/", 1)[-1]
    page = (await client.get(f"/doc/claim/{key}", headers=HTML)).text
    assert f'href="/doc/{row["d"].value[len(BASE):]}"' in page
    others = page.split('id="others"', 1)[1]
    assert f'href="/doc/claim/{row["other"].value.rsplit("/", 1)[-1]}"' in others
    # each piece of evidence links to its place in the article, and the article has that anchor
    ev = rows(store, f"SELECT ?e ?src WHERE {{ <{row['c'].value}> prov:wasDerivedFrom ?e . ?e oa:hasSource ?src }}")
    for e in ev:
        anchor = f"/doc/{e['src'].value[len(BASE):]}#ev-{e['e'].value.rsplit('/', 1)[-1]}"
        assert f'href="{anchor}"' in page
        source = (await client.get(anchor.split("#")[0], headers=HTML)).text
        assert f'id="{anchor.split("#")[1]}"' in source


async def test_source_page_shows_each_field_and_how_it_was_determined(client, store):
    page = (await client.get("/doc/source/001_2f6905f1a8d1b6b7", headers=HTML)).text
    records = rows(store, """SELECT ?f ?how WHERE { <https://w3id.org/oirld/source/001_2f6905f1a8d1b6b7> oirl:hasFieldRecord ?r .
                               ?r oirl:field ?f ; oirl:determinedBy ?how }""")
    table = page.split('id="record"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == len(records) + 1
    for r in records:
        assert r["how"].value.rsplit("#", 1)[-1] in table
    sha = rows(store, "SELECT ?h WHERE { <https://w3id.org/oirld/source/001_2f6905f1a8d1b6b7> oirl:textSha256 ?h }")[0]["h"].value
    assert sha in page


async def test_ranks_and_their_reasons_show(project, tmp_path):
    mapping = MINI_MAPPING.replace("    value: next September\n",
                                   "    value: next September\n    rank: deprecated\n    reason: superseded by the official schedule\n")
    result = build(project(mapping))
    app = create_app(ServeSettings(), open_store(result.path / "store"))
    async with asgi_client(app) as c:
        page = (await c.get("/doc/id/oir-phase-1", headers=HTML)).text
    item = page.split("badge deprecated", 1)[1].split("</li>", 1)[0]
    assert "superseded by the official schedule" in item


class _Outline(HTMLParser):
    """Headings, labelled controls, images and the language: the accessibility basics a test can check."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.headings: list[int] = []
        self.inputs: list[str | None] = []
        self.labels: set[str] = set()
        self.svgs_without_title = 0
        self._svg = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("input", "textarea", "select") and a.get("type") != "hidden":
            self.inputs.append(a.get("id"))
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag == "svg":
            self._svg = "aria-labelledby" in a or "aria-label" in a
            self.svgs_without_title += 0 if self._svg else 1


@pytest.mark.parametrize("path", ["/", "/index", "/timeline", "/disagreements", "/search?q=Hareer", "/doc/id/harir-air-base",
                                  "/doc/id/oir", "/doc/claim/b311f5d5edd2ee76", "/doc/source/001_2f6905f1a8d1b6b7",
                                  "/doc/id/no-such-thing", "/sparql"])
async def test_pages_meet_the_accessibility_basics(client, path, store):
    if path.startswith("/doc/claim/"):  # any claim: keys change with the data
        path = "/doc/claim/" + rows(store, "SELECT ?c WHERE { ?c a oirl:Claim } LIMIT 1")[0]["c"].value.rsplit("/", 1)[-1]
    r = await client.get(path, headers=HTML)
    assert r.status_code in (200, 404) and r.headers["content-type"].startswith("text/html")
    o = _Outline()
    o.feed(r.text)
    assert o.lang == "en"
    assert o.headings.count(1) == 1 and o.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(o.headings, o.headings[1:])), o.headings  # no skipped levels
    assert all(i in o.labels for i in o.inputs), (o.inputs, o.labels)
    assert o.svgs_without_title == 0


async def test_one_stylesheet_with_print_rules(client):
    css = await client.get("/static/oirld.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "@media print" in css.text and "etag" in css.headers


async def test_documents_and_pages_answer_304_when_unchanged(client):
    for path, accept in [("/doc/id/iraq", "text/turtle"), ("/doc/id/iraq", "text/html"), ("/timeline", "text/html"),
                         ("/index.jsonld", "*/*")]:
        first = await client.get(path, headers={"Accept": accept})
        tag = first.headers["etag"]
        again = await client.get(path, headers={"Accept": accept, "If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
        stale = await client.get(path, headers={"Accept": accept, "If-None-Match": 'W/"0000"'})
        assert stale.status_code == 200 and stale.content == first.content
    turtle = await client.get("/doc/id/iraq", headers={"Accept": "text/turtle"})
    html = await client.get("/doc/id/iraq", headers={"Accept": "text/html"})
    assert turtle.headers["etag"] != html.headers["etag"]


async def test_every_page_links_its_data_twins_and_they_parse(client):
    import rdflib

    formats = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}
    for path in ["/index", "/timeline", "/disagreements", "/doc/id/oir", "/doc/source/001_2f6905f1a8d1b6b7"]:
        page = (await client.get(path, headers=HTML)).text
        twins = re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)">', page)
        assert {m for m, _ in twins} == set(formats), path
        for media, href in twins:
            r = await client.get(href)
            assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media, href
            assert len(rdflib.Graph().parse(data=r.content, format=formats[media])) > 0


def test_text_colours_meet_wcag_aa_contrast():
    """WCAG 2.1 contrast (1.4.3): at least 4.5:1 for body text. The pairs are the stylesheet's own variables."""
    from oirld.web.templating import STATIC_DIR

    css = (STATIC_DIR / "oirld.css").read_text()
    var = {k: v if len(v) == 7 else "#" + "".join(c * 2 for c in v[1:])  # #555 is #555555
           for k, v in re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", css)}

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    def ratio(a: str, b: str) -> float:
        hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    pairs = [(var[f], "#ffffff") for f in ("ink", "muted", "accent", "warn", "ok")]
    pairs += [(var["warn"], var["warn-bg"]), (var["ink"], var["mark"]), (var["muted"], var["soft"]), (var["accent"], var["soft"])]
    weak = [(f, b, round(ratio(f, b), 2)) for f, b in pairs if ratio(f, b) < 4.5]
    assert weak == []


async def test_evidence_page_names_what_each_claim_drawn_from_it_is_about(client, store):
    row = rows(store, "SELECT ?e WHERE { ?c prov:wasDerivedFrom ?e } LIMIT 1")[0]
    page = (await client.get(f"/doc/{row['e'].value[len(BASE):]}", headers=HTML)).text
    claims = rows(store, f"SELECT ?c ?s WHERE {{ ?c prov:wasDerivedFrom <{row['e'].value}> ; rdf:subject ?s }}")
    listed = page.split('id="claims"', 1)[1].split("</section>", 1)[0]
    for c in claims:
        item = listed.split(f'href="/doc/claim/{c["c"].value.rsplit("/", 1)[-1]}"', 1)[0].rsplit("<li", 1)[1]
        assert f'href="/doc/{c["s"].value[len(BASE):]}"' in item  # the subject, not just property: value


async def test_every_quote_is_attributed_to_its_publisher(client, store):
    page = (await client.get("/doc/id/harir-air-base", headers=HTML)).text
    quotes = re.findall(r'<blockquote class="quote".*?</blockquote>', page, re.S)
    sources = {r["src"].value: r["pub"].value for r in rows(store, "SELECT ?src ?pub WHERE { ?src <https://schema.org/publisher> ?pub }")}
    assert quotes and sources
    for q in quotes:
        src = re.search(r'href="/doc/source/([^"]+)"', q).group(1)
        publisher = sources[BASE + "source/" + src]
        assert q.split("<footer", 1)[1].index(f'href="/doc/{publisher[len(BASE):]}"') < q.split("<footer", 1)[1].index("/doc/source/")


async def test_a_page_is_rendered_once_per_version_and_kept_apart_by_format(built_client, built, root):
    from oirld.store import open_store
    from oirld.web import ServeSettings, create_app

    for cache_bytes in (64 * 1024 * 1024, 0):
        app = create_app(ServeSettings(home=str(root), cache_bytes=cache_bytes), open_store(built.path / "store"))
        async with asgi_client(app) as c:
            first = await c.get("/doc/id/iraq", headers=HTML)
            hits = app.state.cache.hits
            again = await c.get("/doc/id/iraq", headers=HTML)
            hits_again = app.state.cache.hits
            turtle = await c.get("/doc/id/iraq", headers={"Accept": "text/turtle"})
            other_host = await c.get("/sitemap.xml", headers={"Host": "localhost"})
            mine = await c.get("/sitemap.xml")
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
        assert hits_again == hits + (1 if cache_bytes else 0)
        assert turtle.headers["content-type"].startswith("text/turtle")  # not the cached HTML
        # links come from the server's address, not the Host header: the same sitemap whoever asks
        assert other_host.text == mine.text and "localhost" not in other_host.text


async def test_with_updates_enabled_pages_show_what_was_written(built, root):
    """Regression: labels were read once, so after an update a page kept the old name (the page cache is off when
    updates are on; the labels must be read again too)."""
    import pyoxigraph as ox

    from oirld.store import open_store
    from oirld.web import ServeSettings, create_app

    copy = ox.Store()
    copy.extend(open_store(built.path / "store"))
    app = create_app(ServeSettings(allow_update=True), copy)
    async with asgi_client(app) as c:
        before = (await c.get("/doc/id/harir-air-base", headers=HTML)).text
        assert "<h1>Harir Air Base</h1>" in before
        r = await c.post("/sparql", data={"update": """
            DELETE { <https://w3id.org/oirld/id/harir-air-base> <http://www.w3.org/2000/01/rdf-schema#label> ?l }
            INSERT { <https://w3id.org/oirld/id/harir-air-base> <http://www.w3.org/2000/01/rdf-schema#label> "Bashur Airfield"@en }
            WHERE { <https://w3id.org/oirld/id/harir-air-base> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"""})
        assert r.status_code == 204
        after = (await c.get("/doc/id/harir-air-base", headers=HTML)).text
    assert "<h1>Bashur Airfield</h1>" in after
