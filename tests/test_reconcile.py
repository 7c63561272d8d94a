"""The W3C Reconciliation Service API 0.2 at /reconcile, walked as OpenRefine does: manifest, batch, preview."""

import json

import httpx
import pytest

from .conftest import ROOT

pytestmark = pytest.mark.anyio


@pytest.fixture
def client(built_client):
    return built_client(ontology_path=str(ROOT / "ontology" / "oirld.ttl"))


async def test_openrefine_flow_manifest_batch_preview(client):
    manifest = (await client.get("/reconcile")).json()
    assert manifest["versions"] == ["0.2"] and manifest["identifierSpace"] == "https://w3id.org/oirld/id/"
    assert {"url", "width", "height"} <= set(manifest["preview"])
    assert manifest["suggest"]["entity"]["service_path"] == "/suggest/entity"
    queries = {
        "q0": {"query": "Hareer base", "type": "https://w3id.org/oirld/ontology#MilitaryBase"},
        "q1": {"query": "Daesh"},
        "q2": {"query": "Mohamed Shia al-Sudani", "type": "Actor", "limit": 2},
        "q3": {"query": "Hareer"},
    }
    batch = (await client.post("/reconcile", data={"queries": json.dumps(queries)})).json()
    assert batch["q0"]["result"][0]["id"] == "harir-air-base" and batch["q0"]["result"][0]["match"] is True
    assert batch["q1"]["result"][0]["id"] == "islamic-state"  # Daesh reads as the articles' Daech
    assert batch["q2"]["result"][0]["id"] == "mohammed-shia-al-sudani" and len(batch["q2"]["result"]) <= 2
    assert batch["q3"]["result"][0]["match"] is False  # "Hareer" alone is not a sure match
    for result in batch.values():
        for r in result["result"]:
            assert {"id", "name", "score", "match", "type"} <= set(r) and 0 <= r["score"] <= 100
    preview_url = manifest["preview"]["url"].replace("{{id}}", batch["q0"]["result"][0]["id"])
    preview = await client.get(preview_url)
    assert preview.status_code == 200 and "Harir Air Base" in preview.text


async def test_json_body_get_queries_and_errors(client):
    r = await client.post("/reconcile", json={"queries": {"a": {"query": "CENTCOM"}}})
    assert r.json()["a"]["result"][0]["id"] == "centcom"
    r = await client.get("/reconcile", params={"queries": json.dumps({"a": {"query": "Pentagon"}})})
    assert r.json()["a"]["result"][0]["id"] == "us-dod"
    r = await client.get("/reconcile", params={"queries": "{not json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad-json"
    r = await client.get("/reconcile/preview", params={"id": "atlantis"})
    assert r.status_code == 404


async def test_suggest_and_cors(client):
    r = await client.get("/reconcile/suggest/entity", params={"prefix": "har"}, headers={"Origin": "https://openrefine.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "harir-air-base" in {x["id"] for x in r.json()["result"]}
    r = await client.get("/reconcile/suggest/type", params={"prefix": "base"})
    assert r.json()["result"] == [{"id": "https://w3id.org/oirld/ontology#MilitaryBase", "name": "military base"}]


def test_flow_against_a_running_server(built):
    from .test_server import serving

    with serving("--store", str(built.path / "store")) as url:
        base = f"{url}/reconcile"
        manifest = httpx.get(base).json()
        batch = httpx.post(base, data={"queries": json.dumps({"q": {"query": "Harir Air Base", "type": "Place"}})}).json()
        top = batch["q"]["result"][0]
        assert top["id"] == "harir-air-base" and top["match"] is True  # "Place" reaches bases through the ontology
        assert httpx.get(manifest["preview"]["url"].replace("{{id}}", top["id"])).status_code == 200
