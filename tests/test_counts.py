"""One count of things everywhere: the dataset description's void:entities, the home page and the index agree, and
all of them count what oirld.namespaces.is_thing says a thing is (an IRI under id/, not a part of one such as a
place's geometry)."""

import re

import pyoxigraph as ox
import pytest
import rdflib

from oirld.store import open_store

pytestmark = pytest.mark.anyio
BASE = "https://w3id.org/oirld/"
HTML = {"Accept": "text/html"}
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture
def full(built_client, built, root):
    return built_client(home=str(root), ontology_path=str(root / "ontology" / "oirld.ttl"),
                        void_path=str(built.path / "dumps" / "void.ttl"), dataset_version=built.version)


async def test_home_index_and_void_give_one_count_of_things(full, built):
    store = open_store(built.path / "store")
    subjects = {q.subject.value for q in store.quads_for_pattern(None, None, None) if isinstance(q.subject, ox.NamedNode)}
    things = {s for s in subjects if s.startswith(BASE + "id/") and "#" not in s}
    articles = {q.subject.value for q in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode("https://schema.org/NewsArticle"))}
    assert any("#" in s for s in subjects if s.startswith(BASE + "id/"))  # parts exist, and are not counted
    void = rdflib.Graph().parse(built.path / "dumps" / "void.ttl")
    assert int(void.value(rdflib.URIRef(BASE + "dataset"), rdflib.URIRef("http://rdfs.org/ns/void#entities"))) == len(things)
    home = (await full.get("/", headers=HTML)).text
    assert f'<strong>{len(things)}</strong> <a href="/index">things</a>' in home
    index = (await full.get("/index", headers=HTML)).text
    counts = index.split('id="counts"', 1)[1].split("</p>", 1)[0]
    assert f"<strong>{len(things)}</strong> things" in counts and f"<strong>{len(articles)}</strong> news articles" in counts
    listed = set(re.findall(r'href="/doc/((?:id|source)/[^"]+)"', index.split('class="columns"', 1)[1]))
    assert listed and all("#" not in x for x in listed)
    assert {BASE + x for x in listed} <= things | articles
