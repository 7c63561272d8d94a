"""The ontology at its namespace IRI (/ontology) and the shapes beside it (/shapes): pages for people with an anchor
for every term and shape, data for programs (negotiated and by suffix) that is the files' graphs, caching headers,
and 404 when no file is served. Expectations are read from the two files, so a term or shape added there is checked
without touching these tests."""

import html
from html.parser import HTMLParser

import pyoxigraph
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from oirld.web import ServeSettings, create_app
from tests.conftest import ROOT, asgi_client

ONTOLOGY = ROOT / "ontology" / "oirld.ttl"
SHAPES = ROOT / "shapes" / "oirld-shapes.ttl"
NS = "https://w3id.org/oirld/ontology#"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FORMATS = {"ttl": ("text/turtle", "turtle"), "nt": ("application/n-triples", "nt"),
           "jsonld": ("application/ld+json", "json-ld"), "rdf": ("application/rdf+xml", "xml")}
FILES = {"ontology": ONTOLOGY, "shapes": SHAPES}
pytestmark = pytest.mark.anyio

ONTO = rdflib.Graph().parse(ONTOLOGY, format="turtle")
SHAPES_G = rdflib.Graph().parse(SHAPES, format="turtle")


def canonical(nt: bytes) -> set[str]:
    data = pyoxigraph.Dataset(pyoxigraph.Quad(t.subject, t.predicate, t.object)
                              for t in pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES))
    data.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in data}


def same_graph(data: bytes, fmt: str, name: str) -> bool:
    """The answer parses with rdflib and is the file's graph."""
    g = rdflib.Graph().parse(data=data, format=fmt)
    if name == "ontology":
        return isomorphic(g, ONTO)
    # the shapes' many look-alike blank nodes make rdflib's isomorphism take seconds: compare canonical forms
    return len(g) == len(SHAPES_G) and canonical(g.serialize(format="nt", encoding="utf-8")) == canonical(
        SHAPES_G.serialize(format="nt", encoding="utf-8"))


class Page(HTMLParser):
    """The ids of a page, and for each id the links and text inside that element."""

    VOID = {"br", "meta", "link", "input", "img", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}

    def __init__(self, text: str):
        super().__init__()
        self.ids: list[str] = []
        self.links: dict[str, list[str]] = {}
        self.text: dict[str, list[str]] = {}
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._stack: list[tuple[str, str | None]] = []
        self.feed(text)

    def _open_ids(self):
        return [i for _, i in self._stack if i]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
            for i in self._open_ids():
                self.links.setdefault(i, []).append(a["href"])
        if tag not in self.VOID:
            self._stack.append((tag, a.get("id")))

    def handle_endtag(self, tag):
        while self._stack and self._stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for i in self._open_ids():
            self.text.setdefault(i, []).append(data)

    def inside(self, element_id: str) -> str:
        return " ".join(" ".join(self.text.get(element_id, [])).split())


def local(iri) -> str:
    return str(iri).split("#", 1)[1]


def ours(iri) -> bool:
    return isinstance(iri, rdflib.URIRef) and str(iri).startswith(NS)


def app(**settings):
    return create_app(ServeSettings(**settings), pyoxigraph.Store())


@pytest.fixture
def client():
    # another host than the base IRI: every link must still work
    return asgi_client(app(ontology_path=str(ONTOLOGY), shapes_path=str(SHAPES)), "http://laptop:8000")


async def page(client, path: str) -> Page:
    r = await client.get(path, headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    return Page(r.text)


async def test_browser_gets_the_reference_with_terms_definitions_and_shapes(client):
    p = await page(client, "/ontology")
    claim = rdflib.URIRef(NS + "Claim")
    assert "Claim" in p.ids and "troopCount" in p.ids and "PersonCount" in p.ids and "QuantityKinds" in p.ids
    assert " ".join(str(ONTO.value(claim, SKOS.definition)).split()) in p.inside("Claim")
    assert str(ONTO.value(claim, rdflib.RDFS.label)) in p.inside("Claim")
    assert "/shapes#Claim" in p.links["Claim"]  # constrained by its shape
    # alignments to other vocabularies (Wikidata property IRIs among them) are absolute links on the term
    for s, o in ONTO.subject_objects(SKOS.closeMatch):
        assert str(o) in p.links[local(s)], (s, o)
    for s, o in ONTO.subject_objects(rdflib.RDFS.subPropertyOf):
        assert (f"/ontology#{local(o)}" if ours(o) else str(o)) in p.links[local(s)], (s, o)
    # our terms are linked on this server, never to the base IRI's host
    assert not [h for h in p.hrefs if h.startswith(NS)]
    # the footer and <link rel=alternate> name the data twins
    alternates = {a["href"] for tag, a in p.tags if tag == "link" and a.get("rel") == "alternate"}
    assert alternates == {f"/ontology.{ext}" for ext in FORMATS}
    assert {f"/ontology.{ext}" for ext in FORMATS} <= set(p.hrefs)
    assert [t for t, _ in p.tags].count("h1") == 1 and "contents" in p.ids


async def test_every_term_iri_of_the_ontology_lands_on_its_definition(client):
    p = await page(client, "/ontology")
    terms = {s for s in ONTO.subjects() if ours(s)}
    named = {c for c in ONTO.subjects(RDF.type, rdflib.OWL.Class) if isinstance(c, rdflib.URIRef)}  # not unions
    assert terms >= named and len(terms) > 100
    assert sorted(local(t) for t in terms if local(t) not in p.ids) == []
    assert len(p.ids) == len(set(p.ids)), "an id is used twice"
    # each term's section is a h3 with its definition, and it lands on an element of its own
    for t in terms:
        definition = ONTO.value(t, SKOS.definition)
        assert definition is None or " ".join(str(definition).split()) in p.inside(local(t)), t


async def test_constrained_by_names_every_shape_that_targets_or_constrains_a_term(client):
    p = await page(client, "/ontology")
    expected = set()
    for shape in SHAPES_G.subjects(RDF.type, SH.NodeShape):
        expected |= {(c, shape) for c in SHAPES_G.objects(shape, SH.targetClass) if ours(c)}
        for ps in SHAPES_G.objects(shape, SH.property):
            expected |= {(path, shape) for path in SHAPES_G.objects(ps, SH.path) if ours(path)}
            expected |= {(c, shape) for c in SHAPES_G.objects(ps, SH["class"]) if ours(c)}
    assert len(expected) > 50
    missing = [(local(t), local(s)) for t, s in expected if f"/shapes#{local(s)}" not in p.links.get(local(t), [])]
    assert missing == []


async def test_shapes_page_lists_every_shape_with_targets_constraints_and_queries(client):
    p = await page(client, "/shapes")
    shapes = set(SHAPES_G.subjects(RDF.type, SH.NodeShape))
    assert len(shapes) > 40 and sorted(local(s) for s in shapes if local(s) not in p.ids) == []
    assert len(p.ids) == len(set(p.ids))
    assert "nothing that fails them is ever published" in " ".join(" ".join(p.text.get("main", [])).split()).lower()
    for s in shapes:
        section = p.inside(local(s))
        for c in SHAPES_G.objects(s, SH.targetClass):
            assert (f"/ontology#{local(c)}" if ours(c) else str(c)) in p.links[local(s)]
        for ps in SHAPES_G.objects(s, SH.property):
            message = SHAPES_G.value(ps, SH.message)
            assert message is None or " ".join(str(message).split()) in section, (s, message)
            path = SHAPES_G.value(ps, SH.path)
            if isinstance(path, rdflib.URIRef):
                assert (f"/ontology#{local(path)}" if ours(path) else str(path)) in p.links[local(s)]
            for members in SHAPES_G.objects(ps, SH["in"]):
                for m in Collection(SHAPES_G, members):
                    if isinstance(m, rdflib.Literal):
                        assert str(m) in section
                    else:
                        assert (f"/ontology#{local(m)}" if ours(m) else str(m)) in p.links[local(s)]
        for check in SHAPES_G.objects(s, SH.sparql):
            assert " ".join(str(SHAPES_G.value(check, SH.message)).split()) in section
            assert " ".join(str(SHAPES_G.value(check, SH.select)).split()) in section  # the query, in <details>
    assert sum(1 for t, _ in p.tags if t == "details") == len(list(SHAPES_G.objects(None, SH.sparql)))


async def test_every_local_link_of_both_pages_lands_on_an_anchor(client):
    pages = {name: await page(client, f"/{name}") for name in ("ontology", "shapes")}
    broken = [(name, h) for name, p in pages.items() for h in p.hrefs
              for target in [h.split("#", 1)[0].lstrip("/")] if "#" in h and target in pages
              and h.split("#", 1)[1] not in pages[target].ids]
    assert broken == []


@pytest.mark.parametrize("name", ["ontology", "shapes"])
async def test_turtle_is_the_file_itself(client, name):
    r = await client.get(f"/{name}", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == "text/turtle"
    assert r.content == FILES[name].read_bytes()  # comments included (the sources of the Wikidata P-IDs)
    assert same_graph(r.content, "turtle", name)


@pytest.mark.parametrize("name", ["ontology", "shapes"])
@pytest.mark.parametrize("ext", list(FORMATS))
async def test_each_suffix_is_its_format_and_the_same_graph(client, name, ext):
    media, fmt = FORMATS[ext]
    r = await client.get(f"/{name}.{ext}")
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    assert r.headers["content-location"] == f"/{name}.{ext}"
    assert same_graph(r.content, fmt, name)
    by_accept = await client.get(f"/{name}", headers={"Accept": media})
    assert by_accept.content == r.content and by_accept.headers["content-location"] == f"/{name}.{ext}"


async def test_html_suffix(client):
    for name in ("ontology", "shapes"):
        r = await client.get(f"/{name}.html", headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html") and "<h1>" in r.text
    assert (await client.get("/ontology.xyz")).status_code == 404


@pytest.mark.parametrize("accept, media", [
    ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
    ("application/rdf+xml;q=0.9, application/n-triples", "application/n-triples"),
    ("application/n-triples;q=0.3, application/rdf+xml;q=0.7, text/turtle;q=0.1", "application/rdf+xml"),
    ("text/html;q=0.5, text/turtle", "text/turtle"),
    ("application/ld+json;q=0.2, text/html", "text/html"),
    ("*/*", "text/turtle"),
    ("", "text/turtle"),
    ("image/png, application/*;q=0.5", "application/n-triples"),
])
async def test_q_values_pick_the_format(client, accept, media):
    r = await client.get("/ontology", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media


async def test_406_when_nothing_acceptable(client):
    r = await client.get("/ontology", headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.json()["error"]["code"] == "not-acceptable"
    assert (await client.get("/shapes", headers={"Accept": "image/png"})).status_code == 406


@pytest.mark.parametrize("path", ["/ontology", "/shapes.jsonld"])
async def test_vary_link_etag_and_304(client, path):
    name = path[1:].split(".")[0]
    r = await client.get(path, headers={"Accept": "text/turtle"})
    assert "Accept" in r.headers["vary"] and r.headers["etag"].startswith('"')
    links = r.headers["link"]
    assert all(f'</{name}.{ext}>; rel="alternate"; type="{media}"' in links for ext, (media, _) in FORMATS.items())
    again = await client.get(path, headers={"Accept": "text/turtle", "If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == r.headers["etag"]
    weak = await client.get(path, headers={"Accept": "text/turtle", "If-None-Match": f'"other", W/{r.headers["etag"]}'})
    assert weak.status_code == 304
    stale = await client.get(path, headers={"Accept": "text/turtle", "If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.content == r.content
    other_format = await client.get(f"/{name}", headers={"Accept": BROWSER})
    assert other_format.headers["etag"] != r.headers["etag"] or path.endswith(".jsonld")


async def test_head(client):
    r = await client.head("/ontology.ttl")
    assert r.status_code == 200 and r.headers["etag"]


async def test_404_json_when_no_file_is_served():
    c = asgi_client(app())
    for path in ("/ontology", "/ontology.ttl", "/shapes"):
        r = await c.get(path, headers={"Accept": BROWSER})
        assert r.status_code == 404 and r.json()["error"]["code"] == "not-found", path
    only_ontology = asgi_client(app(ontology_path=str(ONTOLOGY)))
    assert (await only_ontology.get("/shapes")).status_code == 404
    p = Page((await only_ontology.get("/ontology", headers={"Accept": BROWSER})).text)
    assert "Claim" in p.ids and not [h for h in p.hrefs if h.startswith("/shapes")]
    # without the ontology here, the shapes page links its terms at their IRIs
    only_shapes = asgi_client(app(shapes_path=str(SHAPES)))
    p = Page((await only_shapes.get("/shapes", headers={"Accept": BROWSER})).text)
    assert NS + "Claim" in p.links["Claim"] and not [h for h in p.hrefs if h.startswith("/ontology#")]


def test_page_text_is_escaped():
    # a definition with markup characters would be printed as text (Jinja autoescape through Link.__html__ too)
    from oirld.web.vocab.model import Link

    assert html.escape("<b>") in Link("/x", "<b>", '"q"').__html__()


async def test_a_union_domain_is_shown_as_its_members(client):
    """Regression: a domain written as owl:unionOf showed as a blank node id, and its classes did not list the
    property under "Properties with this domain"."""
    unions = [(p, d) for p, d in ONTO.subject_objects(rdflib.RDFS.domain) if isinstance(d, rdflib.BNode)]
    assert unions
    p = await page(client, "/ontology")
    for prop, d in unions:
        members = list(Collection(ONTO, ONTO.value(d, rdflib.OWL.unionOf)))
        assert all(f"/ontology#{local(m)}" in p.links[local(prop)] for m in members)
        assert str(d) not in p.inside(local(prop))
        for m in members:
            assert f"/ontology#{local(prop)}" in p.links[local(m)]
