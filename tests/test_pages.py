"""The disagreements page and the label search (aliases and spellings find the entity)."""

import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def client(built_client):
    return built_client()


async def test_disagreements_side_by_side_with_quotes(client):
    page = await client.get("/disagreements")
    assert page.status_code == 200 and "7 disagreements on values and 2 on spelling" in page.text
    assert "“In January 2023, a raid by one of these militias killed three American soldiers”" in page.text
    assert page.text.count('class="side"') >= 18
    data = (await client.get("/disagreements", headers={"Accept": "application/json"})).json()
    assert len(data) == 9


@pytest.mark.parametrize("query, key", [("Hareer", "harir-air-base"), ("Daesh", "islamic-state"),
                                        ("Mohamed Shia al-Sudani", "mohammed-shia-al-sudani"), ("Pentagon", "us-dod")])
async def test_search_by_name_or_alias(client, query, key):
    page = await client.get("/search", params={"q": query})
    assert f'href="/doc/id/{key}"' in page.text.split('<ol id="results">', 1)[1].split("</li>", 1)[0]
    data = (await client.get("/search", params={"q": query}, headers={"Accept": "application/json"})).json()
    assert data["results"][0]["id"] == key


@pytest.fixture
def full(built_client, built, root):
    """The app as `oirld serve` builds it: with the build's description, the ontology and the project folder."""
    return built_client(home=str(root), ontology_path=str(root / "ontology" / "oirld.ttl"),
                        void_path=str(built.path / "dumps" / "void.ttl"), dataset_version=built.version)


def _select(built, query):
    from oirld.store import open_store

    return list(open_store(built.path / "store").query(query))


async def test_home_page_says_what_how_big_which_licence_how_to_cite(full, built):
    import rdflib

    page = (await full.get("/", headers={"Accept": "text/html"})).text
    void = rdflib.Graph().parse(built.path / "dumps" / "void.ttl")
    ds = rdflib.URIRef("https://w3id.org/oirld/dataset")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    assert str(void.value(ds, dct.bibliographicCitation)) in page
    assert f'href="{void.value(ds, dct.license)}" rel="license"' in page
    assert f"<strong>{void.value(ds, rdflib.URIRef('http://rdfs.org/ns/void#triples'))}</strong> triples" in page
    claims = _select(built, "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/oirld/ontology#Claim> }")[0]["n"].value
    assert f"<strong>{claims}</strong> claims" in page and built.version in page
    for link in ("/sparql", "/dumps/", "/.well-known/void", "/index", "/timeline", "/disagreements", "/ontology"):
        assert f'href="{link}"' in page
    rdf = await full.get("/", headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert rdf.status_code == 303 and rdf.headers["location"] == "/.well-known/void"
    dataset = await full.get("/dataset", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert (ds, rdflib.RDF.type, rdflib.URIRef("http://rdfs.org/ns/void#Dataset")) in rdflib.Graph().parse(data=dataset.content, format="turtle")


async def test_index_lists_every_thing_under_its_types(full, built):
    page = (await full.get("/index", headers={"Accept": "text/html"})).text
    things = _select(built, """SELECT DISTINCT ?s WHERE { ?s a ?t . FILTER (STRSTARTS(STR(?s), "https://w3id.org/oirld/id/") && !CONTAINS(STR(?s), "#")) }""")
    assert len(things) > 50
    for row in things:
        assert f'href="/doc/id/{row["s"].value.rsplit("/", 1)[-1]}"' in page
    assert 'href="/ontology#MilitaryBase"' in page


async def test_timeline_has_every_dated_claim_in_order_with_disputes(full, built):
    import re

    page, events, url = "", "", "/timeline"
    while url:  # every page of it, following "next"
        r = await full.get(url, headers={"Accept": "text/html"})
        page = page or r.text
        events += r.text.split('id="events"', 1)[1].split("</ol>", 1)[0]
        url = (re.findall(r'<([^>]+)>; rel="next"', r.headers.get("link", "")) or [None])[0]
    dated = _select(built, """PREFIX oirl: <https://w3id.org/oirld/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?c WHERE { ?c rdf:predicate ?p . FILTER (?p IN (oirl:startDate, oirl:endDate, oirl:date)) }""")
    for row in dated:
        assert f'href="/doc/claim/{row["c"].value.rsplit("/", 1)[-1]}"' in events
    when = re.findall(r'<time datetime="([^"]*)"', events)
    # at the precision the words give ("2023", "2023-01", "2024-09-27"): in order of the first day each allows
    starts = [w + "-01-01"[len(w) - 4:] if len(w) < 10 else w for w in when]
    assert len(when) == len(dated) and starts == sorted(starts) and all(when)
    disputed = _select(built, """PREFIX oirl: <https://w3id.org/oirld/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT DISTINCT ?c WHERE { ?d oirl:involvesClaim ?c . ?c rdf:predicate ?p . FILTER (?p IN (oirl:startDate, oirl:endDate, oirl:date)) }""")
    assert disputed and events.count('<li class="disputed">') == len(disputed)
    phases = page.split('id="phases"', 1)[1].split("</table>", 1)[0]
    assert 'href="/doc/id/oir-phase-1"' in phases and 'href="/doc/id/oir"' in phases


async def test_page_twins_hold_what_the_page_shows(full, built):
    import rdflib

    rdf = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    oirl = rdflib.Namespace("https://w3id.org/oirld/ontology#")
    timeline = rdflib.Graph().parse(data=(await full.get("/timeline", headers={"Accept": "text/turtle"})).content, format="turtle")
    preds = set(timeline.objects(None, rdf.predicate))
    assert preds and preds <= {oirl.startDate, oirl.endDate, oirl.date}
    dis = rdflib.Graph().parse(data=(await full.get("/disagreements.jsonld")).content, format="json-ld")
    assert len(set(dis.subjects(rdf.type, oirl.Disagreement))) == 9
    assert (await full.get("/timeline.xyz")).status_code == 404
    assert (await full.get("/timeline", headers={"Accept": "image/png"})).status_code == 406
