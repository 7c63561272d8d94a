"""/dumps/ (every version, latest, sizes and checksums), robots.txt and sitemap.xml."""

import hashlib

import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def client(built, built_client):
    return built_client(dataset_version=built.version, versions_dir=str(built.path.parent))


async def test_dumps_listing_download_and_latest(client, built):
    listing = (await client.get("/dumps/", headers={"Accept": "application/json"})).json()
    assert listing["current"] == built.version
    current = next(v for v in listing["versions"] if v["version"] == built.version)
    for d in current["dumps"]:
        r = await client.get(f"/dumps/{built.version}/{d['name']}")
        assert r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == d["sha256"]
    r = await client.get("/dumps/latest/oirld.ttl.gz")
    assert r.status_code == 302 and r.headers["location"] == f"/dumps/{built.version}/oirld.ttl.gz"
    page = await client.get("/dumps/", headers={"Accept": "text/html"})
    assert "SHA-256" in page.text and "/dumps/latest/" in page.text
    assert (await client.get(f"/dumps/{built.version}/../manifest.json")).status_code == 404
    assert (await client.get(f"/dumps/{built.version}/nope.gz")).status_code == 404


async def test_robots_and_sitemap(client, built):
    robots = (await client.get("/robots.txt")).text
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = (await client.get("/sitemap.xml")).text
    assert "<loc>http://testserver/doc/id/harir-air-base</loc>" in sitemap
    # the articles and every claim too, and the pages for people
    assert "<loc>http://testserver/doc/source/001_2f6905f1a8d1b6b7</loc>" in sitemap and "<loc>http://testserver/timeline</loc>" in sitemap
    from oirld.store import open_store

    claims = open_store(built.path / "store").query("SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/oirld/ontology#Claim> }")
    assert sitemap.count("<loc>http://testserver/doc/claim/") == int(next(iter(claims))["n"].value) > 0
