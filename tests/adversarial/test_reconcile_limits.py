"""Hostile and careless requests to reconciliation and search (issue 9, items 3 and 8).

No request may stall the others: the work runs off the event loop in a bounded pool (503 ``busy`` when it is full),
every request's work is bounded by the limits of :mod:`oirld.web.common.limits` (413 naming the limit), and input that is
not text (bytes that are not UTF-8, lone surrogates, JSON nested or numbered past sense) is a 400, never a 500. Every
4xx is in the one error shape. The last tests fuzz the whole API with Hypothesis.
"""

from __future__ import annotations

import difflib
import functools
import json
import threading
from contextlib import contextmanager
from typing import Any, Iterator
from urllib.parse import quote

import httpx
import pytest
from anyio.from_thread import start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oirld.store import open_store
from oirld.web import ServeSettings, create_app
from oirld.web.reconcile import transliterate
from oirld.web.common.limits import LIMITS
from oirld.web.reconcile.reconciler import Reconciler

from ..conftest import ROOT, asgi_client

pytestmark = pytest.mark.anyio
ONTOLOGY = str(ROOT / "ontology" / "oirld.ttl")


def app_over(built, **fields: Any):
    return create_app(ServeSettings(ontology_path=ONTOLOGY, **fields), open_store(built.path / "store"))


@pytest.fixture
def client(built):
    return asgi_client(app_over(built))


def assert_error(r: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape, with this status (and code)."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    error = r.json()["error"]
    assert error["status"] == status and isinstance(error["code"], str) and isinstance(error["message"], str)
    if code is not None:
        assert error["code"] == code, error
    return error


def form(**fields: Any) -> dict[str, str]:
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}


# ------------------------------------------------------------------------------------------------ the limits


async def test_the_manifest_states_every_limit(client):
    manifest = (await client.get("/reconcile")).json()
    assert manifest["batchSize"] == LIMITS.queries_per_batch
    assert manifest["x-limits"] == LIMITS.manifest()
    assert set(manifest["x-limits"]) >= {"queries_per_batch", "text_chars", "properties_per_query", "ids_per_extend",
                                         "suggest_prefix_chars", "search_chars"}


async def test_a_batch_at_the_limit_is_answered_and_one_more_query_is_413(client):
    # property-only queries on a property nothing has: cheap, so the batch at the limit is quick to answer
    one = {"properties": [{"pid": "noSuchProperty", "v": "x"}]}
    at_limit = {f"q{i}": one for i in range(LIMITS.queries_per_batch)}
    r = await client.post("/reconcile", data=form(queries=at_limit))
    assert r.status_code == 200 and set(r.json()) == set(at_limit)
    over = dict(at_limit, extra=one)
    for send in (client.post("/reconcile", data=form(queries=over)),
                 client.post("/reconcile", json={"queries": over}),
                 client.get("/reconcile", params=form(queries=over))):
        error = assert_error(await send, 413, "too-many-queries")
        assert "queries_per_batch" in error["message"] and str(LIMITS.queries_per_batch) in error["message"]


@pytest.mark.parametrize("query, code, limit", [
    ({"query": "x" * (LIMITS.text_chars + 1)}, "text-too-long", "text_chars"),
    ({"query": "Harir", "type": ["Place"] * (LIMITS.types_per_query + 1)}, "too-many-types", "types_per_query"),
    ({"query": "Harir", "type": "P" * (LIMITS.text_chars + 1)}, "text-too-long", "text_chars"),
    ({"query": "Harir", "properties": [{"pid": "locatedIn", "v": "Erbil"}] * (LIMITS.properties_per_query + 1)},
     "too-many-properties", "properties_per_query"),
    ({"query": "Harir", "properties": [{"pid": "locatedIn", "v": ["Erbil"] * (LIMITS.values_per_property + 1)}]},
     "too-many-values", "values_per_property"),
    ({"query": "Harir", "properties": [{"pid": "p" * (LIMITS.text_chars + 1), "v": "Erbil"}]}, "text-too-long", "text_chars"),
    ({"query": "Harir", "properties": [{"pid": "locatedIn", "v": "E" * (LIMITS.text_chars + 1)}]}, "text-too-long", "text_chars"),
    ({"query": "Harir", "properties": [{"pid": "locatedIn", "v": {"id": "e" * (LIMITS.text_chars + 1)}}]},
     "text-too-long", "text_chars"),
])
async def test_each_limit_of_a_query_is_a_413_that_names_it(client, query, code, limit):
    error = assert_error(await client.post("/reconcile", data=form(queries={"q": query})), 413, code)
    assert limit in error["message"] and "x-limits" in error["hint"]


async def test_a_name_at_the_length_limit_is_answered(client):
    r = await client.post("/reconcile", data=form(queries={"q": {"query": "Harir Air Base " + "x" * (LIMITS.text_chars - 15)}}))
    assert r.status_code == 200 and "result" in r.json()["q"]
    error = assert_error(await client.post("/reconcile", data=form(queries={"k" * (LIMITS.text_chars + 1): {"query": "x"}})),
                         413, "text-too-long")
    assert "text_chars" in error["message"]


async def test_extend_limits(client):
    props = [{"id": "endDate"}]
    r = await client.post("/reconcile", data=form(extend={"ids": ["oir"] * LIMITS.ids_per_extend, "properties": props}))
    assert r.status_code == 200 and list(r.json()["rows"]) == ["oir"]  # an id asked for many times: one row
    error = assert_error(await client.post("/reconcile", data=form(extend={"ids": ["oir"] * (LIMITS.ids_per_extend + 1),
                                                                           "properties": props})), 413, "too-many-ids")
    assert "ids_per_extend" in error["message"]
    many = [{"id": f"p{i}"} for i in range(LIMITS.properties_per_extend + 1)]
    error = assert_error(await client.get("/reconcile", params=form(extend={"ids": ["oir"], "properties": many})),
                         413, "too-many-properties")
    assert "properties_per_extend" in error["message"]
    assert_error(await client.post("/reconcile", json={"extend": {"ids": ["o" * (LIMITS.text_chars + 1)], "properties": props}}),
                 413, "text-too-long")


async def test_suggest_search_preview_and_proposals_have_limits(client):
    long_prefix = "h" * (LIMITS.suggest_prefix_chars + 1)
    for path in ("/reconcile/suggest/entity", "/reconcile/suggest/type"):
        assert (await client.get(path, params={"prefix": "h" * LIMITS.suggest_prefix_chars})).status_code == 200
        assert "suggest_prefix_chars" in assert_error(await client.get(path, params={"prefix": long_prefix}), 413,
                                                      "prefix-too-long")["message"]
    assert (await client.get("/search", params={"q": "h" * LIMITS.search_chars})).status_code == 200
    for accept in ("text/html", "application/json"):
        error = assert_error(await client.get("/search", params={"q": "h" * (LIMITS.search_chars + 1)},
                                              headers={"Accept": accept}), 413, "search-too-long")
        assert "search_chars" in error["message"]
    assert_error(await client.get("/reconcile/preview", params={"id": "i" * (LIMITS.text_chars + 1)}), 413, "text-too-long")
    assert_error(await client.get("/reconcile/propose_properties", params={"type": "t" * (LIMITS.text_chars + 1)}),
                 413, "text-too-long")


async def test_a_huge_limit_is_capped_not_refused(client):
    r = await client.post("/reconcile", data=form(queries={"q": {"query": "air base", "limit": 10**200}}))
    assert r.status_code == 200 and len(r.json()["q"]["result"]) <= LIMITS.results_per_query


def test_the_fuzzy_matcher_never_compares_more_than_its_bound(built, monkeypatch):
    """A name that expands under NFKD (U+FDFA is 18 letters) or is just long is compared on a bounded prefix:
    before, a 500-character query made difflib compare 9,000 characters against every name."""
    seen: list[tuple[int, int]] = []

    class Recording(difflib.SequenceMatcher):
        def __init__(self, isjunk=None, a="", b="", autojunk=True):
            seen.append((len(a), len(b)))
            super().__init__(isjunk, a, b, autojunk)

    monkeypatch.setattr(transliterate.difflib, "SequenceMatcher", Recording)
    reconciler = Reconciler(open_store(built.path / "store"), "https://w3id.org/oirld/")
    names = [k for c in reconciler.candidates.values() for k in c.keys]
    for query in ("\ufdfa" * LIMITS.text_chars, "Harir Air Base " * 33, "ab" * 250):
        reconciler.search(query, limit=3)
        for k in names:  # without a floor nothing is ruled out by its length: every name is compared
            transliterate.score(transliterate.keys(query), k)
    assert len(seen) >= 3 * len(names) and max(max(a, b) for a, b in seen) <= transliterate.FUZZY_CHARS


def test_long_names_do_not_fill_the_fold_cache():
    before = transliterate._fold_cached.cache_info().currsize
    for i in range(50):
        transliterate.fold(f"{i} " + "x" * 1000)
    assert transliterate._fold_cached.cache_info().currsize == before
    transliterate.fold("Harir Air Base, once more")
    assert transliterate._fold_cached.cache_info().currsize == before + 1


def test_pruning_by_upper_bounds_changes_no_score(built):
    """score() with a floor may skip a comparison only when the name cannot reach the floor: the scores that reach
    it are the full comparison's."""
    reconciler = Reconciler(open_store(built.path / "store"), "https://w3id.org/oirld/")
    names = [k for c in reconciler.candidates.values() for k in c.keys]
    for query in ("Harir", "Ayn al-Asad air base", "Sudani", "United States Department of Defense", "zz"):
        q = transliterate.keys(query)
        for k in names:
            full = transliterate.score(q, k)
            for floor in (20.0, 39.0, 60.0):
                pruned = transliterate.score(q, k, floor)
                assert pruned == full or (pruned == 0.0 and full < floor)


# --------------------------------------------------------------------------------------- 500 -> 400 (item 8)

SURROGATE_QUERY = b'{"q0": {"query": "\\ud800"}}'


async def test_lone_surrogates_are_400_in_every_way_of_sending(client):
    json_headers = {"Content-Type": "application/json"}
    sends = [
        client.post("/reconcile", content=SURROGATE_QUERY, headers=json_headers),
        client.post("/reconcile", content=b'{"queries": {"\\udfff": {"query": "Harir"}}}', headers=json_headers),
        client.post("/reconcile", data={"queries": SURROGATE_QUERY.decode()}),
        client.get("/reconcile", params={"queries": SURROGATE_QUERY.decode()}),
        client.post("/reconcile", data={"extend": '{"ids": ["\\ud800"], "properties": [{"id": "endDate"}]}'}),
        client.get("/reconcile", params={"extend": '{"ids": ["oir"], "properties": [{"id": "\\udc00"}]}'}),
        client.post("/reconcile", content=b'{"extend": {"ids": ["oir"], "properties": [{"id": "x", "settings": {"\\ud800": 1}}]}}',
                    headers=json_headers),
    ]
    for send in sends:
        error = assert_error(await send, 400, "bad-json")
        assert "surrogate" in error["message"]


async def test_bytes_that_are_not_utf8_are_400(client):
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    for body in (b"queries=%FF%FE", b"queries=\xff", b"extend=%C3", b"%FF=1&queries={}"):
        assert_error(await client.post("/reconcile", content=body, headers=form_type), 400, "not-utf8")
    assert_error(await client.post("/reconcile", content=b'{"q0": {"query": "\xff"}}',
                                   headers={"Content-Type": "application/json"}), 400, "not-utf8")
    for path in ("/reconcile?queries=%FF", "/reconcile?extend=%E2%82", "/reconcile/suggest/entity?prefix=%FF",
                 "/reconcile/suggest/type?prefix=%C0%80", "/reconcile/preview?id=%ED%A0%80",
                 "/reconcile/propose_properties?type=%FF", "/search?q=%FF"):
        assert_error(await client.get(path), 400, "not-utf8")


@pytest.mark.parametrize("body", [
    "[" * 100_000 + "]" * 100_000,  # past Python's recursion limit: RecursionError before
    '{"queries": ' + '{"a": ' * 5000 + "1" + "}" * 5001,
    '{"q": {"query": "Harir", "limit": 1e999}}',  # int(inf): OverflowError before
    '{"q": {"query": "Harir", "limit": NaN}}',
    '{"q": {"query": "Harir", "properties": [{"pid": "troopCount", "v": 1' + "0" * 400 + "}]}}",  # float(): OverflowError
    '{"q": {"query": "Harir", "properties": [{"pid": "troopCount", "v": -Infinity}]}}',
    '{"q": {"query": "x", "limit": 1' + "0" * 5000 + "}}",  # past Python's 4,300 digits: ValueError, not JSONDecodeError
])
async def test_json_past_sense_is_400(client, body):
    for send in (client.post("/reconcile", content=body.encode(), headers={"Content-Type": "application/json"}),
                 client.post("/reconcile", data={"queries": body})):
        assert_error(await send, 400, "bad-json")


async def test_a_property_id_that_is_no_iri_is_400(client):
    # pyoxigraph refused the IRI with a ValueError: a 500 before
    r = await client.post("/reconcile", data=form(queries={"q": {"query": "Harir", "properties": [{"pid": "a b", "v": "x"}]}}))
    assert "a b" in assert_error(r, 400, "bad-queries")["message"]


async def test_missing_or_malformed_parameters_are_in_the_one_shape(client):
    # FastAPI's own 422 ({"detail": [...]}) before
    assert_error(await client.get("/reconcile/preview"), 400, "missing-id")
    assert_error(await client.get("/reconcile/propose_properties", params={"limit": "many"}), 400, "bad-limit")
    assert_error(await client.get("/reconcile/propose_properties", params={"limit": "9" * 5000}), 400, "bad-limit")
    r = await client.get("/reconcile/propose_properties", params={"type": "MilitaryBase", "limit": "2"})
    assert r.status_code == 200 and len(r.json()["properties"]) <= 2


# ------------------------------------------------------------------------------------ off the event loop


def _blocking_search(monkeypatch, started: threading.Event, release: threading.Event) -> None:
    """Reconciler.search that says when it starts and then waits to be released (at most 30 s: a safety net)."""
    real = Reconciler.search

    def search(self, *args, **kwargs):
        started.set()
        release.wait(30)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Reconciler, "search", search)


async def test_a_full_pool_answers_503_busy_at_once_and_frees_when_the_work_ends(built, monkeypatch):
    import anyio

    started, release = threading.Event(), threading.Event()
    _blocking_search(monkeypatch, started, release)
    client = asgi_client(app_over(built, max_concurrent_cpu=1, cpu_queue_wait=0.05))
    async with anyio.create_task_group() as tg:
        batch: dict[str, httpx.Response] = {}

        async def send_batch() -> None:
            batch["r"] = await client.post("/reconcile", data=form(queries={"q": {"query": "Harir"}}))

        tg.start_soon(send_batch)
        assert await anyio.to_thread.run_sync(started.wait, 30)
        for send in (client.get("/reconcile/suggest/entity", params={"prefix": "har"}),
                     client.get("/search", params={"q": "Harir"}, headers={"Accept": "application/json"}),
                     client.get("/reconcile/preview", params={"id": "oir"})):
            r = await send
            assert_error(r, 503, "busy")
            assert r.headers["retry-after"] == "1"
        assert (await client.get("/reconcile")).status_code == 200  # the manifest needs no thread
        release.set()
    assert batch["r"].status_code == 200 and batch["r"].json()["q"]["result"][0]["id"] == "harir-air-base"
    assert (await client.get("/reconcile/suggest/entity", params={"prefix": "har"})).status_code == 200


@contextmanager
def uvicorn_serving(app) -> Iterator[str]:
    """The app under a real uvicorn on a free loopback port, in a thread of this process (so a test can watch it)."""
    import time

    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def test_a_max_size_batch_does_not_hold_up_a_cheap_request(built, monkeypatch):
    """A batch at the limit, of real names (the costly kind: most names are compared in full), on a real uvicorn.
    Its last query waits until three cheap requests sent after its first have been answered: that happens only if
    the batch runs off the event loop. Before, the loop ran the batch, the cheap requests waited for it, and the
    last query gave up waiting (after 20 s, a safety net, not a measure)."""
    n = LIMITS.queries_per_batch
    started, cheap_done = threading.Event(), threading.Event()
    calls: list[int] = []
    waited: list[bool] = []
    real = Reconciler.search

    def search(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            started.set()
        if len(calls) == n:
            waited.append(cheap_done.wait(20))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Reconciler, "search", search)
    names = ["Harir Air Base", "Ayn al-Asad", "Mohamed Shia al-Sudani", "Daesh", "Kataib Hezbollah", "Erbil", "Pentagon"]
    queries = {f"q{i}": {"query": f"{names[i % len(names)]} {i}"} for i in range(n)}
    result: dict[str, httpx.Response] = {}
    with uvicorn_serving(app_over(built)) as url:
        sender = threading.Thread(target=lambda: result.update(
            batch=httpx.post(f"{url}/reconcile", data=form(queries=queries), timeout=120)))
        sender.start()
        assert started.wait(30)
        cheap = [httpx.get(f"{url}/reconcile", timeout=30),
                 httpx.get(f"{url}/reconcile/suggest/entity", params={"prefix": "har"}, timeout=30),
                 httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"},
                           timeout=30)]
        cheap_done.set()
        sender.join(120)
    assert [r.status_code for r in cheap] == [200, 200, 200]
    assert waited == [True]  # the cheap requests were answered while the batch was still running
    assert result["batch"].status_code == 200 and set(result["batch"].json()) == set(queries)


# ------------------------------------------------------------------------------------------------ fuzzing


@pytest.fixture(scope="module")
def call(built):
    """A blocking call into one app over the session's build, on one event loop for every example (Hypothesis runs
    examples synchronously)."""
    client = asgi_client(app_over(built))
    with start_blocking_portal() as portal:
        def request(method: str, url: str, **kwargs: Any) -> httpx.Response:
            return portal.call(functools.partial(client.request, method, url, **kwargs))

        yield request


def check(r: httpx.Response) -> None:
    """Never a 5xx; a 4xx only in the one error shape."""
    assert r.status_code < 500, r.text[:500]
    if r.status_code >= 400:
        assert_error(r, r.status_code)


# every kind of character, lone surrogates included
TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
ANY_JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                        max_leaves=20)
VALUE = SCALARS | st.fixed_dictionaries({"id": SCALARS}, optional={"name": SCALARS}) | st.lists(SCALARS, max_size=3)
QUERY = st.fixed_dictionaries({}, optional={
    "query": TEXT | SCALARS, "type": TEXT | st.lists(TEXT, max_size=3) | SCALARS, "limit": SCALARS,
    "type_strict": SCALARS,
    "properties": st.lists(st.fixed_dictionaries({}, optional={"pid": TEXT | SCALARS, "v": VALUE}), max_size=3) | SCALARS,
})
BATCH = st.dictionaries(TEXT, QUERY | ANY_JSON, max_size=4) | ANY_JSON
EXTEND = st.fixed_dictionaries({}, optional={
    "ids": st.lists(TEXT, max_size=4) | SCALARS,
    "properties": st.lists(st.fixed_dictionaries({}, optional={"id": TEXT | SCALARS, "settings": ANY_JSON}), max_size=3) | SCALARS,
}) | ANY_JSON
FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def dumps(value: Any) -> str:
    return json.dumps(value)  # escapes lone surrogates as \\udxxx, as a careless client would send them


@FUZZ
@given(batch=BATCH, extend=EXTEND, how=st.sampled_from(["json", "form", "get"]), which=st.sampled_from(["queries", "extend"]))
def test_fuzzed_reconciliation_requests_never_5xx(call, batch, extend, how, which):
    payload = batch if which == "queries" else extend
    if how == "json":
        r = call("POST", "/reconcile", content=dumps({which: payload}).encode(), headers={"Content-Type": "application/json"})
    elif how == "form":
        r = call("POST", "/reconcile", content=f"{which}={quote(dumps(payload))}".encode(),
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        r = call("GET", f"/reconcile?{which}={quote(dumps(payload))}")
    check(r)


@FUZZ
@given(body=st.binary(max_size=200), media=st.sampled_from(["application/json", "application/x-www-form-urlencoded",
                                                             "text/plain", ""]))
def test_fuzzed_bodies_never_5xx(call, body, media):
    check(call("POST", "/reconcile", content=body, headers={"Content-Type": media} if media else {}))


@FUZZ
@given(path=st.sampled_from(["/reconcile", "/reconcile/suggest/entity", "/reconcile/suggest/type", "/reconcile/preview",
                             "/reconcile/propose_properties", "/search"]),
       params=st.lists(st.tuples(st.sampled_from(["queries", "extend", "prefix", "id", "type", "limit", "q", "callback"])
                                 | st.binary(max_size=5).map(lambda b: quote(b)),
                                 st.binary(max_size=60)), max_size=3))
def test_fuzzed_query_strings_never_5xx(call, path, params):
    query = "&".join(f"{k}={quote(v)}" for k, v in params)  # arbitrary bytes, percent-encoded
    check(call("GET", f"{path}?{query}" if query else path, headers={"Accept": "application/json"}))
