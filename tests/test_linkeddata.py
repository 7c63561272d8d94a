"""Dereferenceable IRIs: 303 from the thing to its document, negotiation, suffixes, 404 with suggestions, and a crawl
of every IRI the dataset mints (no 404, no 500)."""

import gzip

import pytest
import rdflib


BASE = "https://w3id.org/oirld/"
pytestmark = pytest.mark.anyio


@pytest.fixture
def client(built_client):
    return built_client("http://laptop:8000")


async def test_thing_303_to_its_document_on_any_host(client):
    r = await client.get("/id/harir-air-base")
    assert r.status_code == 303 and r.headers["location"] == "/doc/id/harir-air-base" and "Accept" in r.headers["vary"]


@pytest.mark.parametrize("accept, media, fmt", [
    ("text/turtle", "text/turtle", "turtle"), ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"), ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("text/html;q=0.5, text/turtle", "text/turtle", "turtle"),
])
async def test_document_negotiation_and_self_contained_description(client, accept, media, fmt):
    r = await client.get("/doc/id/harir-air-base", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    assert 'rel="alternate"' in r.headers["link"] and "Accept" in r.headers["vary"]
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    thing = rdflib.URIRef(BASE + "id/harir-air-base")
    assert (thing, rdflib.RDFS.label, None) in g
    # the claims about it come with their evidence, and linked things come with labels
    claims = set(g.subjects(rdflib.RDF.subject, thing))
    assert claims and all((c, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None) in g for c in claims)
    for o in g.objects(thing, None):
        if isinstance(o, rdflib.URIRef) and str(o).startswith(BASE + "id/") and "#" not in str(o):
            assert (o, rdflib.RDFS.label, None) in g
    geometry = rdflib.URIRef(BASE + "id/harir-air-base#geometry")
    assert (geometry, rdflib.URIRef("http://www.opengis.net/ont/geosparql#asWKT"), None) in g  # hash parts included


async def test_suffixes_and_html(client):
    assert (await client.get("/doc/id/iraq.ttl")).headers["content-type"].startswith("text/turtle")
    page = await client.get("/doc/id/harir-air-base", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html") and "Harir Air Base" in page.text
    assert "<mark>Hareer base</mark>" in page.text  # a source's words, quoted in context
    assert (await client.get("/doc/id/iraq.xyz")).status_code == 404


async def test_unknown_iri_is_404_with_close_matches(client):
    r = await client.get("/doc/id/hareer", headers={"Accept": "application/json"})
    assert r.status_code == 404 and "/doc/id/harir-air-base" in r.json()["error"]["hint"]
    page = await client.get("/doc/id/hareer", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "/doc/id/harir-air-base" in page.text


async def test_every_minted_iri_resolves(built_client, built, root):
    """Every IRI under the base in the dump and in the dataset description answers: things with 303 and a document,
    ontology terms with an anchor on the ontology page, dumps and the link file with their bytes."""
    import re

    client = built_client("http://laptop:8000", home=str(root), ontology_path=str(root / "ontology" / "oirld.ttl"),
                          void_path=str(built.path / "dumps" / "void.ttl"), dataset_version=built.version,
                          versions_dir=str(built.path.parent))
    g = rdflib.Graph().parse(data=gzip.decompress((built.path / "dumps" / "oirld.nt.gz").read_bytes()), format="nt")
    g.parse(built.path / "dumps" / "void.ttl")
    minted = {str(t) for triple in g for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith(BASE)}
    documents = {i.split("#", 1)[0] for i in minted}
    assert len(documents) > 1000
    ontology = (await client.get("/ontology", headers={"Accept": "text/html"})).text
    anchors = set(re.findall(r'id="([^"]+)"', ontology))
    failures = []
    for iri in sorted(minted):
        term = iri.split("#", 1)[1] if iri.startswith(BASE + "ontology#") else ""
        if term and term not in anchors:  # (the bare namespace IRI is the ontology document itself)
            failures.append((iri, "no anchor"))
    for iri in sorted(documents):
        path = "/" + iri[len(BASE):]
        r = await client.get(path, headers={"Accept": "application/n-triples"})
        if r.status_code == 303:
            r = await client.get(r.headers["location"], headers={"Accept": "application/n-triples"})
        elif r.status_code == 302:  # /dumps/latest/…
            r = await client.get(r.headers["location"])
        if r.status_code == 303:  # the dataset: its description
            r = await client.get(r.headers["location"])
        if r.status_code != 200:
            failures.append((path, r.status_code))
    assert failures == []


async def test_source_page_shows_the_text_with_cited_passages_marked(built_client, root):
    c = built_client(home=str(root))
    page = await c.get("/doc/source/002_e1704b20f57f0b7c", headers={"Accept": "text/html"})
    assert page.status_code == 200 and '<div id="article"' in page.text
    assert "<mark" in page.text and 'href="/doc/evidence/' in page.text
    import re

    article = page.text.split('<div id="article"', 1)[1]
    assert "In January 2023, a raid by one of these militias killed three American soldiers" in re.sub(r"<[^>]+>", "", article)
    # without the project folder, no text is shown (the data itself never holds it)
    plain = await built_client().get("/doc/source/002_e1704b20f57f0b7c", headers={"Accept": "text/html"})
    assert '<div id="article"' not in plain.text


@pytest.mark.parametrize("path", ["/doc/id/a%20b", "/doc/id/%3Cx%3E", "/doc/id/a%20b.ttl", "/doc/claim/%7B%7D"])
async def test_a_key_that_cannot_be_an_iri_is_404_not_500(client, path):
    """Regression: a space or an angle bracket in the key made pyoxigraph refuse the IRI, and the server answered 500."""
    for accept in ("text/html", "text/turtle"):
        r = await client.get(path, headers={"Accept": accept})
        assert r.status_code == 404
    assert "error" in (await client.get(path, headers={"Accept": "text/turtle"})).json()


@pytest.mark.parametrize("path", ["/id/iraq", "/doc/id/iraq", "/doc/id/iraq.ttl", "/", "/timeline", "/index.ttl", "/search?q=Hareer",
                                  "/disagreements", "/doc/id/no-such-thing", "/robots.txt"])
async def test_head_answers_like_get_without_a_body(client, path):
    """Regression: HEAD was 405 on every route but /sparql, /store and /ontology; Linked Data clients check IRIs with it."""
    get = await client.get(path, headers={"Accept": "text/turtle"})
    head = await client.head(path, headers={"Accept": "text/turtle"})
    assert head.status_code == get.status_code != 405 and head.content == b""
    for h in ("content-type", "content-length", "etag", "location", "vary"):
        assert head.headers.get(h) == get.headers.get(h), h


@pytest.mark.parametrize("path", ["/doc/id/harir-air-base.jsonld", "/timeline.jsonld", "/disagreements.jsonld"])
async def test_json_ld_is_compacted_with_the_dataset_context_and_says_the_same(client, path):
    import json

    from rdflib.compare import isomorphic

    doc = await client.get(path)
    data = json.loads(doc.content)
    context = (await client.get("/context.jsonld")).json()["@context"]
    assert data["@context"] == context and context["oirl"] == "https://w3id.org/oirld/ontology#"
    body = json.dumps(data["@graph"])
    assert '"oirl:' in body and '"https://w3id.org/oirld/ontology#' not in body  # keys and types are short
    nt = await client.get(path.replace(".jsonld", ".nt"))
    # a page of several names its collection by the address asked (/timeline.nt in N-Triples): the same, apart from that
    same = nt.content.replace(f'{path.replace(".jsonld", ".nt")}'.encode(), path.encode())
    assert isomorphic(rdflib.Graph().parse(data=doc.content, format="json-ld"), rdflib.Graph().parse(data=same, format="nt"))


async def test_if_none_match_compares_weakly(client):
    """RFC 9110 13.1.2: If-None-Match uses weak comparison, so the tag sent without its W/ still means "unchanged"
    (regression: the pages compared the strings exactly, while /ontology compared weakly)."""
    tag = (await client.get("/doc/id/iraq", headers={"Accept": "text/turtle"})).headers["etag"]
    assert tag.startswith('W/"')
    for sent in (tag, tag.removeprefix("W/"), f'"other", {tag.removeprefix("W/")}', "*"):
        r = await client.get("/doc/id/iraq", headers={"Accept": "text/turtle", "If-None-Match": sent})
        assert r.status_code == 304, sent
    assert (await client.get("/doc/id/iraq", headers={"Accept": "text/turtle", "If-None-Match": '"other"'})).status_code == 200
