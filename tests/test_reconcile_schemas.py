"""/reconcile checked against JSON Schemas of the W3C Entity Reconciliation Service API 0.2.

The schemas in tests/reconciliation_schemas/ were written here from the specification's text
(https://reconciliation-api.github.io/specs/0.2/); see the README there. First the schemas themselves are
checked (valid draft-07, every $ref resolves, each one rejects a clearly wrong document), then the real
service's responses over the real build are validated against them, as OpenRefine would receive them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote

import pytest
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from .conftest import ROOT

SCHEMA_DIR = Path(__file__).resolve().parent / "reconciliation_schemas"
BASE = "https://w3id.org/oirld/test-schemas/reconciliation-0.2/"
SPEC = "W3C Entity Reconciliation Service API 0.2, https://reconciliation-api.github.io/specs/0.2/ §"


def _load() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.json"))}


SCHEMAS = _load()
REGISTRY: Registry = Registry().with_resources((s["$id"], DRAFT7.create_resource(s)) for s in SCHEMAS.values())


def validator(name: str) -> Draft7Validator:
    return Draft7Validator(SCHEMAS[name], registry=REGISTRY)


def errors(name: str, document: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in validator(name).iter_errors(document)]


def assert_valid(name: str, document: Any) -> None:
    problems = errors(name, document)
    assert not problems, f"{name}.json rejects the document:\n" + "\n".join(problems[:20])


# ---------------------------------------------------------------------------------------------- the schemas


def test_the_expected_schemas_are_there():
    assert set(SCHEMAS) == {
        "definitions", "type", "manifest", "reconciliation-query-batch", "reconciliation-result-batch",
        "suggest-entities-response", "suggest-types-response", "suggest-properties-response",
        "data-extension-query", "data-extension-response", "property-proposal-response",
    }


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_draft7_and_names_its_source(name):
    schema = SCHEMAS[name]
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == f"{BASE}{name}.json"
    assert SPEC in schema["$comment"]  # the section of the specification it encodes


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_ref_resolves(name):
    """References are only followed when a document reaches them, so a broken one could hide: resolve all now."""
    resolver = REGISTRY.resolver(base_uri=SCHEMAS[name]["$id"])
    for ref in _refs(SCHEMAS[name]):
        resolver.lookup(ref)


MANIFEST = {
    "versions": ["0.1", "0.2"], "name": "Example", "identifierSpace": "https://example.org/id/",
    "schemaSpace": "https://example.org/ontology#",
    "defaultTypes": [{"id": "Place", "name": "place", "broader": [{"id": "Thing", "name": "thing"}]}],
    "view": {"url": "https://example.org/id/{{id}}"},
    "preview": {"url": "https://example.org/preview?id={{id}}", "width": 400, "height": 120},
    "suggest": {"entity": {"service_url": "https://example.org", "service_path": "/suggest",
                           "flyout_service_path": "/flyout/${id}"}},
    "extend": {"propose_properties": {"service_url": "https://example.org", "service_path": "/properties"},
               "property_settings": [
                   {"name": "limit", "label": "Limit", "type": "number", "default": 0},
                   {"name": "content", "label": "Content", "type": "select", "default": "id",
                    "choices": [{"value": "id", "name": "ID"}, {"value": "literal", "name": "Literal"}]}]},
    "batchSize": 10,
    "authentication": {"type": "apiKey", "name": "api_key", "in": "query"},
}
QUERIES = {"q0": {"query": "Harir", "type": "Place", "limit": 2, "type_strict": "should"},
           "q1": {"properties": [{"pid": "country", "v": ["Iraq", {"id": "iraq"}]}], "type": ["Place", "Actor"]}}
CANDIDATE = {"id": "harir-air-base", "name": "Harir Air Base", "score": 97.5, "description": "", "match": True,
             "type": [{"id": "MilitaryBase", "name": "military base"}, "Place"],
             "features": [{"id": "name", "value": 0.9}, {"id": "exact", "value": False}]}
EXTENSION = {"meta": [{"id": "country", "name": "country", "type": {"id": "Country"},
                       "service": "https://example.org/reconcile"}],
             "rows": {"harir-air-base": {"country": [{"id": "iraq", "name": "Iraq"}, {"str": "Iraq"}, {"int": 3},
                                                     {"float": 3.5}, {"date": "2026-09-30T00:00:00Z"}, {}]}}}


def _without(document: dict, *path: Any) -> dict:
    copy = json.loads(json.dumps(document))
    node = copy
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return copy


def _with(document: dict, value: Any, *path: Any) -> dict:
    copy = json.loads(json.dumps(document))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copy


GOOD = [
    ("manifest", MANIFEST),
    ("manifest", {"versions": ["0.2"], "name": "Minimal", "identifierSpace": "urn:x:", "schemaSpace": "urn:y:"}),
    ("reconciliation-query-batch", QUERIES),
    ("reconciliation-result-batch", {"q0": {"result": [CANDIDATE]}, "q1": {"result": []}}),
    ("suggest-entities-response", {"result": [{"id": "iraq", "name": "Iraq", "notable": ["Place", {"id": "Country"}]}]}),
    ("suggest-types-response", {"result": [{"id": "Place", "name": "place", "description": "a place"}]}),
    ("suggest-properties-response", {"result": [{"id": "country", "name": "country"}]}),
    ("data-extension-query", {"ids": ["harir-air-base"], "properties": [{"id": "country", "settings": {"limit": 1}}]}),
    ("data-extension-response", EXTENSION),
    ("property-proposal-response", {"type": "Place", "limit": 5, "properties": [{"id": "country", "name": "country"}]}),
    ("type", {"id": "Place", "name": "place"}),
]

BAD = {
    "manifest without versions": ("manifest", _without(MANIFEST, "versions")),
    "manifest not declaring 0.2": ("manifest", _with(MANIFEST, ["0.1"], "versions")),
    "manifest without schemaSpace": ("manifest", _without(MANIFEST, "schemaSpace")),
    "identifierSpace not a URI": ("manifest", _with(MANIFEST, "oirld ids", "identifierSpace")),
    "preview without width": ("manifest", _without(MANIFEST, "preview", "width")),
    "preview height as text": ("manifest", _with(MANIFEST, "120", "preview", "height")),
    "preview url without {{id}}": ("manifest", _with(MANIFEST, "https://example.org/preview", "preview", "url")),
    "view url without {{id}}": ("manifest", _with(MANIFEST, {"url": "https://example.org/id/"}, "view")),
    "suggest without service_path": ("manifest", _without(MANIFEST, "suggest", "entity", "service_path")),
    "flyout path without ${id}": ("manifest", _with(MANIFEST, "/flyout", "suggest", "entity", "flyout_service_path")),
    "duplicate default types": ("manifest", _with(MANIFEST, [{"id": "A", "name": "a"}] * 2, "defaultTypes")),
    "default type without name": ("manifest", _with(MANIFEST, [{"id": "A"}], "defaultTypes")),
    "select setting without choices": ("manifest", _without(MANIFEST, "extend", "property_settings", 1, "choices")),
    "checkbox setting with a text default": ("manifest", _with(
        MANIFEST, [{"name": "x", "label": "X", "type": "checkbox", "default": "yes"}], "extend", "property_settings")),
    "unknown setting type": ("manifest", _with(MANIFEST, "slider", "extend", "property_settings", 0, "type")),
    "apiKey scheme without name": ("manifest", _with(MANIFEST, {"type": "apiKey", "in": "query"}, "authentication")),
    "security scheme of no type": ("manifest", _with(MANIFEST, {"foo": "bar"}, "authentication")),
    "query neither query nor properties": ("reconciliation-query-batch", {"q": {"type": "Place"}}),
    "query with empty properties only": ("reconciliation-query-batch", {"q": {"properties": []}}),
    "query with an empty query string": ("reconciliation-query-batch", {"q": {"query": ""}}),
    "query with an unknown key": ("reconciliation-query-batch", {"q": {"query": "x", "lang": "en"}}),
    "query with limit 0": ("reconciliation-query-batch", {"q": {"query": "x", "limit": 0}}),
    "query with a bad type_strict": ("reconciliation-query-batch", {"q": {"query": "x", "type_strict": "some"}}),
    "property constraint without v": ("reconciliation-query-batch", {"q": {"properties": [{"pid": "p"}]}}),
    "result batch entry without result": ("reconciliation-result-batch", {"q0": {"candidates": []}}),
    "result that is not an array": ("reconciliation-result-batch", {"q0": {"result": CANDIDATE}}),
    "candidate without score": ("reconciliation-result-batch", {"q0": {"result": [_without(CANDIDATE, "score")]}}),
    "candidate without name": ("reconciliation-result-batch", {"q0": {"result": [_without(CANDIDATE, "name")]}}),
    "candidate with an empty id": ("reconciliation-result-batch", {"q0": {"result": [_with(CANDIDATE, "", "id")]}}),
    "score as text": ("reconciliation-result-batch", {"q0": {"result": [_with(CANDIDATE, "97", "score")]}}),
    "match as text": ("reconciliation-result-batch", {"q0": {"result": [_with(CANDIDATE, "yes", "match")]}}),
    "type object without id": ("reconciliation-result-batch", {"q0": {"result": [_with(CANDIDATE, [{"name": "x"}], "type")]}}),
    "feature with a text value": ("reconciliation-result-batch", {"q0": {"result": [
        _with(CANDIDATE, [{"id": "f", "value": "high"}], "features")]}}),
    "entity suggestion without name": ("suggest-entities-response", {"result": [{"id": "iraq"}]}),
    "entity suggest without result": ("suggest-entities-response", {"results": []}),
    "type suggestion without name": ("suggest-types-response", {"result": [{"id": "Place"}]}),
    "broader type without id": ("suggest-types-response", {"result": [{"id": "A", "name": "a", "broader": [{"name": "b"}]}]}),
    "property suggestion without name": ("suggest-properties-response", {"result": [{"id": "p"}]}),
    "extension query without ids": ("data-extension-query", {"properties": [{"id": "p"}]}),
    "extension property without id": ("data-extension-query", {"ids": ["a"], "properties": [{"name": "p"}]}),
    "extension response without meta": ("data-extension-response", _without(EXTENSION, "meta")),
    "meta without name": ("data-extension-response", _with(EXTENSION, [{"id": "country"}], "meta")),
    "meta service not http(s)": ("data-extension-response", _with(EXTENSION, "ftp://x", "meta", 0, "service")),
    "cell with an extra key": ("data-extension-response", _with(EXTENSION, [{"str": "Iraq", "lang": "en"}],
                                                                "rows", "harir-air-base", "country")),
    "cell mixing two kinds": ("data-extension-response", _with(EXTENSION, [{"str": "3", "int": 3}],
                                                               "rows", "harir-air-base", "country")),
    "int cell holding a fraction": ("data-extension-response", _with(EXTENSION, [{"int": 1.5}],
                                                                     "rows", "harir-air-base", "country")),
    "date cell without a time": ("data-extension-response", _with(EXTENSION, [{"date": "2026-09-30"}],
                                                                  "rows", "harir-air-base", "country")),
    "bare string cell": ("data-extension-response", _with(EXTENSION, ["Iraq"], "rows", "harir-air-base", "country")),
    "cells not in an array": ("data-extension-response", _with(EXTENSION, {"str": "Iraq"},
                                                               "rows", "harir-air-base", "country")),
    "type with an empty name": ("type", {"id": "Place", "name": ""}),
    "broader given as one type": ("type", {"id": "Base", "name": "base", "broader": {"id": "Place", "name": "place"}}),
    "proposal without properties": ("property-proposal-response", {"type": "Place"}),
    "proposal without the type": ("property-proposal-response", {"properties": []}),
    "proposed property without name": ("property-proposal-response", {"type": "Place", "properties": [{"id": "p"}]}),
}


@pytest.mark.parametrize(("name", "document"), GOOD, ids=[g[0] for g in GOOD])
def test_schema_accepts_a_well_formed_document(name, document):
    assert_valid(name, document)


@pytest.mark.parametrize("case", sorted(BAD))
def test_schema_rejects_a_clearly_wrong_document(case):
    name, document = BAD[case]
    assert errors(name, document), f"{name} accepts a document with a {case}"


def test_every_schema_rejects_something():
    """No schema may accept everything: each one is the target of at least one rejection case above."""
    rejecting = {name for name, _ in BAD.values()}
    assert rejecting >= set(SCHEMAS) - {"definitions"}  # definitions.json only holds building blocks
    assert all(errors(name, []) for name in set(SCHEMAS) - {"definitions"})  # and none takes a bare array


# ------------------------------------------------------------------------------------- the real service


@pytest.fixture
def client(built_client):
    return built_client(ontology_path=str(ROOT / "ontology" / "oirld.ttl"))


async def _manifest(client) -> dict[str, Any]:
    r = await client.get("/reconcile")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    return r.json()


def _service(metadata: dict[str, str]) -> str:
    return metadata["service_url"] + metadata["service_path"]


@pytest.mark.anyio
async def test_manifest_is_valid(client):
    manifest = await _manifest(client)
    assert_valid("manifest", manifest)
    posted = await client.post("/reconcile", data={})  # a POST without queries also answers with the manifest
    assert posted.status_code == 200 and posted.json() == manifest


BATCH = {
    "exact": {"query": "Harir Air Base"},
    "typed-iri": {"query": "Hareer base", "type": "https://w3id.org/oirld/ontology#MilitaryBase"},
    "typed-short": {"query": "Mohamed Shia al-Sudani", "type": "Actor", "limit": 2},
    "superclass": {"query": "Harir Air Base", "type": "Place", "type_strict": "should"},
    "with-property": {"query": "CENTCOM", "properties": [{"pid": "https://schema.org/name", "v": "CENTCOM"}]},
    "fuzzy": {"query": "Daesh", "limit": 5},
    "nothing": {"query": "zzzzqqqq xxxx"},
}


def _check_batch(batch: dict[str, Any], queries: dict[str, Any]) -> None:
    assert_valid("reconciliation-result-batch", batch)
    assert set(batch) == set(queries)  # one result per query key (§4.2)
    for key, answer in batch.items():
        scores = [c["score"] for c in answer["result"]]
        assert scores == sorted(scores, reverse=True), f"{key}: candidates should come by decreasing score"
        if "limit" in queries[key]:
            assert len(scores) <= queries[key]["limit"]


@pytest.mark.anyio
@pytest.mark.parametrize("how", ["form", "json", "get"])
async def test_batch_results_are_valid(client, how):
    assert_valid("reconciliation-query-batch", BATCH)  # the request itself is a well-formed 0.2 batch
    if how == "form":
        r = await client.post("/reconcile", data={"queries": json.dumps(BATCH)})
    elif how == "json":
        r = await client.post("/reconcile", json={"queries": BATCH})
    else:
        r = await client.get("/reconcile", params={"queries": json.dumps(BATCH)})
    assert r.status_code == 200, r.text
    batch = r.json()
    _check_batch(batch, BATCH)
    assert batch["exact"]["result"][0]["id"] == "harir-air-base"
    assert batch["nothing"]["result"] == [] or all(c["match"] is False for c in batch["nothing"]["result"])


# Well-formed 0.2 queries the service once failed on (the schema accepts them): §4.1 lets `type` be several types
# and lets a query give only `properties` ("at least one of query or properties must be supplied").
WELL_FORMED = {
    "type-list": {"query": "Harir Air Base", "type": ["https://w3id.org/oirld/ontology#MilitaryBase", "Place"]},
    "properties-only": {"properties": [{"pid": "https://w3id.org/oirld/ontology#locatedIn", "v": {"id": "erbil"}}]},
    "properties-and-query": {"query": "Air Base", "type": "Place", "properties": [
        {"pid": "locatedIn", "v": ["Anbar", {"id": "erbil", "name": "Erbil"}]}, {"pid": "phaseNumber", "v": 2},
        {"pid": "https://schema.org/name", "v": True}]},
}


@pytest.mark.anyio
@pytest.mark.parametrize("key", sorted(WELL_FORMED))
async def test_every_well_formed_query_gets_a_valid_result(client, key):
    queries = {key: WELL_FORMED[key]}
    assert_valid("reconciliation-query-batch", queries)
    r = await client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert r.status_code == 200, r.text
    _check_batch(r.json(), queries)
    assert r.json()[key]["result"], "answered, and with candidates: each of these names something in the data"


@pytest.mark.anyio
async def test_suggest_responses_are_valid(client):
    manifest = await _manifest(client)
    suggest = manifest.get("suggest", {})
    assert "entity" in suggest and "type" in suggest  # what this service advertises today
    for prefix in ("har", "Daesh", "", "zzzzqqqq"):
        r = await client.get(_service(suggest["entity"]), params={"prefix": prefix})
        assert r.status_code == 200, r.text
        assert_valid("suggest-entities-response", r.json())
    r = await client.get(_service(suggest["entity"]), params={"prefix": "har"})
    assert "harir-air-base" in {e["id"] for e in r.json()["result"]}
    for prefix in ("base", "", "ACTOR", "zzzzqqqq"):
        r = await client.get(_service(suggest["type"]), params={"prefix": prefix})
        assert r.status_code == 200, r.text
        assert_valid("suggest-types-response", r.json())
    if "property" in suggest:
        r = await client.get(_service(suggest["property"]), params={"prefix": "n"})
        assert r.status_code == 200, r.text
        assert_valid("suggest-properties-response", r.json())


@pytest.mark.anyio
async def test_preview_and_view_templates_resolve(client):
    """§5.2: the preview URL of an entity is an HTML page; §2.1: the view template gives the entity's URI."""
    manifest = await _manifest(client)
    entity = "harir-air-base"
    r = await client.get(manifest["preview"]["url"].replace("{{id}}", quote(entity, safe="")))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    # the base IRI is not served by this test server, so the view is this server's page (README: links for people)
    view = manifest["view"]["url"].replace("{{id}}", entity)
    assert view.endswith("/doc/id/" + entity)
    r = await client.get(view, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")


def _setting_variants(settings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No settings, then each choice of each select setting and the default of every other setting (§7.1)."""
    variants: list[dict[str, Any]] = [{}]
    for setting in settings:
        if setting["type"] == "select":
            variants += [{setting["name"]: choice["value"]} for choice in setting["choices"]]
        elif "default" in setting:
            variants.append({setting["name"]: setting["default"]})
    return variants


@pytest.mark.anyio
async def test_data_extension_responses_are_valid(client):
    manifest = await _manifest(client)
    if "extend" not in manifest:
        pytest.skip("the /reconcile manifest does not advertise data extension (no 'extend' key) yet")
    extend = manifest["extend"]
    # the entities: every one the entity suggest service lists for some initial letter, so most of the dataset
    ids: list[str] = []
    for letter in "abcdefghijklmnopqrstuvwxyz":
        r = await client.get(_service(manifest["suggest"]["entity"]), params={"prefix": letter})
        ids += [e["id"] for e in r.json()["result"] if e["id"] not in ids]
    assert len(ids) > 20

    type_ids = [t["id"] for t in manifest.get("defaultTypes", [])] or ["https://w3id.org/oirld/ontology#Place"]
    proposed: list[dict[str, Any]] = []
    if "propose_properties" in extend:
        for type_id in type_ids:
            r = await client.get(_service(extend["propose_properties"]), params={"type": type_id})
            assert r.status_code == 200, r.text
            assert_valid("property-proposal-response", r.json())
            assert r.json()["type"] == type_id  # §7.2: the type identifier supplied in the query
            proposed += [p for p in r.json()["properties"] if p["id"] not in {q["id"] for q in proposed}]
        r = await client.get(_service(extend["propose_properties"]), params={"type": type_ids[0], "limit": 1})
        assert r.status_code == 200, r.text
        assert_valid("property-proposal-response", r.json())  # limit is a SHOULD (§7.2): only the shape is checked
    if not proposed:
        pytest.skip("the service proposes no properties to fetch, so there is no extension to ask for")

    requested = [p["id"] for p in proposed]
    cell_kinds: set[str] = set()
    for settings in _setting_variants(extend.get("property_settings", [])):
        query = {"ids": ids + ["no-such-entity"], "properties": [{"id": pid, "settings": settings} for pid in requested]}
        assert_valid("data-extension-query", query)
        answers = []
        r = await client.post("/reconcile", data={"extend": json.dumps(query)})  # §7.3: MUST
        assert r.status_code == 200, f"{settings}: {r.text}"
        answers.append(r.json())
        if not settings:
            r = await client.get("/reconcile", params={"extend": json.dumps(query)})  # §7.3: SHOULD
            if r.status_code == 200:
                answers.append(r.json())
        for answer in answers:
            problems = errors("data-extension-response", answer)
            assert not problems, f"data-extension-response rejects the answer with settings {settings}:\n" + "\n".join(
                problems[:20])
            assert {m["id"] for m in answer["meta"]} == set(requested)  # §7.4: the properties asked for
            assert set(ids) <= set(answer["rows"]) <= set(query["ids"])  # §7.4: a row per entity asked for
            for row in answer["rows"].values():
                assert set(row) <= set(requested)
                cell_kinds |= {next(iter(cell), "empty") for cells in row.values() for cell in cells}
    assert cell_kinds - {"empty"}, "no value fetched at all"
