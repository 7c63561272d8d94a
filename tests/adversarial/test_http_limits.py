"""Hostile HTTP: oversize requests, forged Host headers, padded queries against the cache, unsafe IRIs in answers,
undecodable bytes, and fuzzing of the protocol endpoints. Each class was a bug (issue 9); each test fails without
its fix. The request-line, header and Host tests also run through a real `oirld serve` (uvicorn) on loopback."""

from __future__ import annotations

import asyncio
import gc
import json
import socket
import subprocess
import sys
import types
from collections import OrderedDict

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from oirld.web import ServeSettings, create_app
from oirld.web.cache import ResultCache
from oirld.web.templating import safe_href
from oirld.web.linkeddata.views import Labels

from ..conftest import asgi_client
from ..test_server import serving

pytestmark = pytest.mark.anyio

DATA = """
<http://example.org/a> <http://example.org/p> "hello" .
<http://example.org/a> <http://example.org/link> <javascript:alert(1)> .
<http://example.org/a> <http://example.org/link> <data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==> .
<http://example.org/a> <http://example.org/link> <https://example.org/fine> .
"""
SELECT = "SELECT * WHERE { ?s ?p ?o }"
PUBLIC = "https://data.example.org/"


def small_store() -> ox.Store:
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.N_TRIPLES)
    return store


def client(base_url: str = "http://testserver", **fields) -> httpx.AsyncClient:
    return asgi_client(create_app(ServeSettings(**fields), small_store()), base_url)


def assert_error_shape(r: httpx.Response, status: int | None = None, code: str | None = None) -> dict:
    """The one JSON error shape: {"error": {"status", "code", "message", ["hint"]}}, agreeing with the status line."""
    assert r.headers["content-type"].startswith("application/json"), (r.status_code, r.headers, r.text[:200])
    error = r.json()["error"]
    assert error["status"] == r.status_code and isinstance(error["code"], str) and isinstance(error["message"], str)
    assert set(error) <= {"status", "code", "message", "hint"}
    if status is not None:
        assert r.status_code == status, r.text
    if code is not None:
        assert error["code"] == code, error
    return error


# -- 1. request bodies -----------------------------------------------------------------------------------------------

async def test_a_body_over_the_limit_is_413_before_it_is_read():
    async with client(max_body_bytes=10_000) as c:
        r = await c.post("/sparql", data={"query": SELECT + " #" + "x" * 20_000})
        assert_error_shape(r, 413, "body-too-large")
        r = await c.post("/sparql", content=b"x" * 20_000, headers={"Content-Type": "application/sparql-query"})
        assert_error_shape(r, 413, "body-too-large")
        r = await c.post("/reconcile", content=json.dumps({"q0": {"query": "x" * 20_000}}), headers={"Content-Type": "application/json"})
        assert_error_shape(r, 413, "body-too-large")
        r = await c.post("/sparql", data={"query": SELECT})  # under the limit: answered
        assert r.status_code == 200


async def test_a_body_without_length_is_cut_off_at_the_limit():
    """Chunked, no Content-Length: counted as it arrives; the server stops reading at the limit (not at the end)."""
    sent = 0

    async def chunks():
        nonlocal sent
        for _ in range(1000):
            sent += 1
            yield b"x" * 4096

    async with client(max_body_bytes=64 * 1024) as c:
        r = await c.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert_error_shape(r, 413, "body-too-large")
    assert sent < 100  # 4 MB offered, stopped after the first ~64 KiB


async def test_uploads_have_their_own_limit_only_when_updates_are_on():
    turtle = b"<http://example.org/s> <http://example.org/p> \"" + b"y" * 30_000 + b"\" ."
    async with client(max_body_bytes=10_000, max_upload_bytes=100_000, allow_update=True) as c:
        r = await c.put("/store?default", content=turtle, headers={"Content-Type": "text/turtle"})
        assert r.status_code in (201, 204), r.text
        r = await c.put("/store?default", content=turtle * 4, headers={"Content-Type": "text/turtle"})
        assert_error_shape(r, 413, "body-too-large")
        update = b"INSERT DATA { <http://example.org/s> <http://example.org/p> \"" + b"z" * 30_000 + b"\" }"
        r = await c.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
        assert r.status_code == 204, r.text
    async with client(max_body_bytes=10_000, max_upload_bytes=100_000) as c:  # read-only: the small limit
        r = await c.put("/store?default", content=turtle, headers={"Content-Type": "text/turtle"})
        assert_error_shape(r, 413, "body-too-large")
    async with client(max_body_bytes=10_000, max_upload_bytes=100_000, update_token="s3cret") as c:  # only with the token
        r = await c.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
        assert_error_shape(r, 413, "body-too-large")
        r = await c.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer wrong"})
        assert_error_shape(r, 413, "body-too-large")
        r = await c.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"})
        assert r.status_code == 204, r.text


# -- 1. request line and headers -------------------------------------------------------------------------------------

async def test_long_targets_and_large_headers_in_process():
    async with client(max_url_bytes=4096, max_header_bytes=4096) as c:
        r = await c.get("/sparql", params={"query": SELECT + " #" + "x" * 5000})
        assert_error_shape(r, 414, "uri-too-long")
        r = await c.get("/sparql", params={"query": SELECT}, headers={"X-Big": "a" * 5000})
        assert_error_shape(r, 431, "headers-too-large")
        r = await c.get("/sparql", params={"query": SELECT}, headers={f"X-{i}": "a" for i in range(150)})
        assert_error_shape(r, 431, "headers-too-large")
        r = await c.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200


def raw_exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes to the server; the status, headers and body of its answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        try:
            s.sendall(request)
        except OSError:
            pass  # the server may answer and close before taking it all
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), None)
                if length is not None and len(body) >= length:
                    break
        except OSError:
            pass
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def json_error(status: int, headers: dict[str, str], body: bytes) -> dict:
    assert headers["content-type"].startswith("application/json"), (status, headers, body[:200])
    error = json.loads(body)["error"]
    assert error["status"] == status
    return error


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    """`oirld serve` over a small file, with a public URL, on a free loopback port."""
    folder = tmp_path_factory.mktemp("serve")
    (folder / "data.nt").write_text(DATA)
    with serving(str(folder / "data.nt"), "--public-url", PUBLIC, "--max-url-kb", "8", "--max-header-kb", "8",
                 "--max-body-kb", "64", cwd=folder) as url:
        yield url, int(url.rsplit(":", 1)[1])


def test_a_megabyte_get_gets_414_json_from_the_real_server(real_server):
    _, port = real_server
    status, headers, body = raw_exchange(port, b"GET /sparql?query=" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert status == 414 and json_error(status, headers, body)["code"] == "uri-too-long"


@pytest.mark.parametrize("headers", [b"X-Big: " + b"a" * 1_000_000 + b"\r\n",  # one huge header, still arriving
                                     b"X-Big: " + b"a" * 9000 + b"\r\n",
                                     b"".join(b"X-%d: a\r\n" % i for i in range(150))])
def test_large_headers_get_431_json_from_the_real_server(real_server, headers):
    _, port = real_server
    status, head, body = raw_exchange(port, b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n")
    assert status == 431 and json_error(status, head, body)["code"] == "headers-too-large"


def test_garbage_and_oversize_bodies_get_json_from_the_real_server(real_server):
    _, port = real_server
    status, headers, body = raw_exchange(port, b"NOT HTTP AT ALL\r\n\r\n")
    assert status == 400 and json_error(status, headers, body)["code"] == "bad-request"
    status, headers, body = raw_exchange(port, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                                               b"Content-Length: 99999999\r\n\r\nASK {}")
    assert status == 413 and json_error(status, headers, body)["code"] == "body-too-large"


@pytest.mark.parametrize("chunked", [False, True])
def test_a_client_that_sends_its_whole_oversize_body_still_reads_the_413(real_server, chunked):
    """Regression: the server answered 413 and closed at once, with the body still arriving; the unread bytes made
    the kernel reset the connection, and a client uploading 8 MiB saw no answer at all (bench/load.py --hostile)."""
    url, _ = real_server
    body = b"#" + b"x" * (8 * 1024 * 1024) + b"\nASK {}"

    async def post() -> httpx.Response:  # httpx's async client writes the whole body before it reads
        async def chunks():
            for i in range(0, len(body), 65536):
                yield body[i:i + 65536]

        async with httpx.AsyncClient(timeout=60) as c:
            return await c.post(f"{url}/sparql", content=chunks() if chunked else body,
                                headers={"Content-Type": "application/sparql-query"})

    r = asyncio.run(post())
    assert r.status_code == 413 and r.json()["error"]["code"] == "body-too-large"


@pytest.mark.parametrize("host_lines, code", [
    (b"Host: evil.example\r\n", "unknown-host"),
    (b"Host: 127.0.0.1\r\nHost: evil.example\r\n", "duplicate-host"),
    (b"", "missing-host"),
    (b"Host: a b\r\n", "bad-host"),
    (b"Host: 127.0.0.1:99999\r\n", "bad-host"),
    (b"Host: [::1\r\n", "bad-host"),
])
def test_bad_host_headers_get_400_json_from_the_real_server(real_server, host_lines, code):
    _, port = real_server
    status, headers, body = raw_exchange(port, b"GET /robots.txt HTTP/1.1\r\n" + host_lines + b"Connection: close\r\n\r\n")
    assert status == 400 and json_error(status, headers, body)["code"] == code
    assert b"evil" not in body or code == "unknown-host"


def test_http_1_0_may_omit_host(real_server):
    _, port = real_server
    status, _, body = raw_exchange(port, b"GET /robots.txt HTTP/1.0\r\n\r\n")
    assert status == 200 and f"Sitemap: {PUBLIC}sitemap.xml".encode() in body


def test_a_public_url_that_is_not_http_is_refused():
    r = subprocess.run([sys.executable, "-m", "oirld", "serve", "--public-url", "javascript:alert(1)"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "public URL" in r.stderr


def test_links_from_the_real_server_name_the_public_url(real_server):
    url, port = real_server
    for host in (b"127.0.0.1", b"localhost:1", b"[::1]"):
        status, _, body = raw_exchange(port, b"GET /robots.txt HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
        assert status == 200 and f"Sitemap: {PUBLIC}sitemap.xml".encode() in body
    r = httpx.get(f"{url}/sparql", headers={"Accept": "text/turtle"})
    assert f"<{PUBLIC}sparql>".encode() in r.content and b"127.0.0.1" not in r.content


# -- 3. links from the public address, never from Host -------------------------------------------------------------

async def test_host_evil_example_is_refused_in_process():
    async with client(public_url=PUBLIC) as c:
        for path in ("/robots.txt", "/sparql", "/sitemap.xml", "/reconcile"):
            r = await c.get(path, headers={"Host": "evil.example"})
            assert_error_shape(r, 400, "unknown-host")


async def test_every_link_names_the_public_url_whatever_the_host():
    async with client("http://localhost:8123", public_url=PUBLIC) as c:
        bodies = {
            "robots": (await c.get("/robots.txt")).text,
            "sitemap": (await c.get("/sitemap.xml")).text,
            "description": (await c.get("/sparql", headers={"Accept": "text/turtle"})).text,
            "query page": (await c.get("/sparql", headers={"Accept": "text/html"})).text,
            "manifest": (await c.get("/reconcile")).text,
        }
        # relative IRIs in a query resolve against the public endpoint
        r = await c.get("/sparql", params={"query": "SELECT (<x> AS ?r) WHERE {}"}, headers={"Accept": "application/sparql-results+json"})
        assert r.json()["results"]["bindings"][0]["r"]["value"] == PUBLIC + "x"
    for name, body in bodies.items():
        assert PUBLIC in body, name
        assert "localhost" not in body and "8123" not in body, name
    async with client("http://localhost:8123", public_url=PUBLIC, allow_update=True) as c:
        r = await c.put("/store", params={"graph": "http://example.org/g"}, content=b"<s> <p> <o> .", headers={"Content-Type": "text/turtle"})
        assert r.status_code in (201, 204)
        r = await c.get("/store", params={"graph": "http://example.org/g"}, headers={"Accept": "application/n-triples"})
        assert r.text.startswith(f"<{PUBLIC}s>"), r.text


async def test_without_a_public_url_links_name_the_socket_not_the_host():
    async with client("http://testserver") as c:
        r = await c.get("/robots.txt", headers={"Host": "localhost"})
        assert "Sitemap: http://testserver/sitemap.xml" in r.text


# -- 2. the cache counts what it holds -------------------------------------------------------------------------------

def deep_size(root: object) -> int:
    """Bytes reachable from ``root`` (the objects themselves, not code, types or modules), for checking the budget."""
    seen, total, stack = set(), 0, [root]
    skip = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, skip) or obj is None:
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        stack.extend(gc.get_referents(obj))
    return total


async def test_padded_queries_keep_the_cache_within_its_budget():
    budget = 256 * 1024
    app = create_app(ServeSettings(cache_bytes=budget), small_store())
    cache: ResultCache = app.state.cache
    async with asgi_client(app) as c:
        for i in range(60):  # 60 queries of ~90,000 characters each, every answer a few hundred bytes
            padded = f"ASK {{ ?s ?p {i} }} #" + "x" * 90_000
            r = await c.post("/sparql", data={"query": padded}, headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 200, r.text
    assert len(cache._items) > 10  # the answers are cached...
    assert cache.size <= budget  # ...within the budget as counted...
    assert deep_size(cache._items) <= budget  # ...and as really held (the query text is no longer in the key)


def test_a_cache_entry_costs_at_least_what_it_holds():
    cache = ResultCache(10 * 1024 * 1024)
    container = deep_size(OrderedDict()) + 512  # the cache's own dictionary, before any entry
    for i in range(50):
        cache.put(("q" * 100_000 + str(i), "x"), types.SimpleNamespace(body=b"b" * 1000, media_type="text/plain", message="m" * i))
        assert deep_size(cache._items) <= cache.size + container


# -- 4. only http(s) IRIs become links -------------------------------------------------------------------------------

async def test_the_query_page_links_only_http_iris():
    async with client() as c:
        r = await c.get("/sparql", params={"query": "SELECT ?o WHERE { ?s <http://example.org/link> ?o }"},
                        headers={"Accept": "text/html"})
        assert r.status_code == 200
        page = r.text
        assert "javascript:alert(1)" in page and "data:text/html" in page  # shown, as text
        assert 'href="javascript:' not in page and 'href="data:text' not in page
        assert 'href="https://example.org/fine"' in page
        r = await c.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s <http://example.org/link> ?o }"},
                        headers={"Accept": "text/html"})
        assert 'href="javascript:' not in r.text and 'href="https://example.org/fine"' in r.text


@pytest.mark.parametrize("iri, safe", [
    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False), ("data:text/html,x", False), ("vbscript:x", False),
    ("//evil.example/x", False), ("https://example.org/x", True), ("HTTP://example.org/x", True), ("/doc/id/x", True),
])
def test_safe_href(iri, safe):
    assert (safe_href(iri) is not None) is safe


def test_resource_pages_link_only_http_iris():
    labels = Labels("https://w3id.org/oirld/")
    assert labels.link(ox.NamedNode("javascript:alert(1)"))["href"] is None
    assert labels.link(ox.NamedNode("https://www.wikidata.org/entity/Q1"))["href"] == "https://www.wikidata.org/entity/Q1"


# -- 5. undecodable input is 400, never 500 --------------------------------------------------------------------------

@pytest.mark.parametrize("method, path, body", [
    ("POST", "/sparql", b"query=\xff\xfe"),
    ("POST", "/sparql", b"query=%FF%FE"),
    ("POST", "/sparql", b"query=ASK%00%7B%7D"),
    ("POST", "/sparql", b"update=%C3%28"),
    ("POST", "/reconcile", b"queries=%FF"),
    ("POST", "/reconcile", b"queries=\xc3\x28"),
    ("GET", "/sparql?query=%FF", None),
    ("GET", "/sparql?query=ASK%00", None),
    ("GET", "/search?q=%C3%28", None),
    ("GET", "/reconcile?queries=%ED%A0%80", None),  # an encoded lone surrogate is not UTF-8
    ("GET", "/doc/id/%FF", None),
    ("GET", "/doc/id/a%00b", None),
    ("GET", "/dumps/%00/x", None),
    ("GET", "/store?graph=%FF", None),
])
async def test_undecodable_bytes_are_400(method, path, body):
    async with client() as c:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        r = await c.request(method, path, content=body, headers=headers)
        assert_error_shape(r, 400)


@pytest.mark.parametrize("body", ['{"\\ud800": {"query": "x"}}', '{"q0": {"query": "x"}, "\\udc00": 1}',
                                  '{"extend": {"ids": ["\\ud800"], "properties": [{"id": "ledBy"}]}}', b'{"q0": {"query": "\xff"}}'])
async def test_json_that_is_no_text_is_400(body):
    """Regression: a lone surrogate escape is valid JSON but cannot be written back as UTF-8 (it was a 500)."""
    async with client() as c:
        r = await c.post("/reconcile", content=body, headers={"Content-Type": "application/json"})
        assert_error_shape(r, 400)
        if isinstance(body, str):
            r = await c.get("/reconcile", params={"queries": body})
            assert_error_shape(r, 400)


# -- 6. fuzzing the protocol endpoints -------------------------------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8"), max_size=200)
_SPARQLISH = st.one_of(_TEXT, st.sampled_from([SELECT, "ASK {}", "CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <http://example.org/a>",
                                                "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", "CLEAR ALL",
                                                "INSERT DATA { <http://x/a> <http://x/b> 1 }", "LOAD <http://127.0.0.1:1/>",
                                                "SELECT (1/0 AS ?x) {}", "{{{{", "\"\\u0000\"", "PREFIX : <%> SELECT * {}"]))
_PARAM_NAMES = st.sampled_from(["query", "update", "default-graph-uri", "named-graph-uri", "using-graph-uri", "format",
                                "using-named-graph-uri", "graph", "default", "timeout", "x"])
_PARAMS = st.lists(st.tuples(_PARAM_NAMES, _SPARQLISH), max_size=4)
_MEDIA = st.one_of(st.sampled_from(["application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update",
                                    "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
                                    "application/sparql-query; charset=latin-1", "multipart/form-data", "", "text/html"]),
                   st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=40))
_ACCEPT = st.one_of(st.sampled_from(["*/*", "text/html", "application/sparql-results+json", "text/csv", "text/turtle",
                                     "application/ld+json;q=0.5, text/html;q=0.9", "image/png", ""]),
                    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=60))
_HOSTS = st.sampled_from([None] * 8 + ["evil.example", "127.0.0.1:80", "testserver", "", "a b", "[::1]", "x" * 300])
_EXTRA = st.one_of(st.none(), st.tuples(st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz-"), min_size=1, max_size=20),
                                        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=3000)))
_BODIES = st.one_of(st.binary(max_size=400), _SPARQLISH.map(lambda t: t.encode("utf-8", "surrogatepass")),
                    _PARAMS.map(lambda ps: "&".join(f"{k}={v}" for k, v in ps).encode("utf-8", "surrogatepass")))


def _check_answer(r: httpx.Response, method: str, accept: str) -> None:
    assert r.status_code < 500 or (r.status_code == 503 and r.json()["error"]["code"] in ("busy", "timeout")), (r.status_code, r.text[:300])
    if 400 <= r.status_code < 500 and method != "HEAD":
        if r.headers.get("content-type", "").startswith("text/html"):
            assert "html" in accept  # the query page shows its errors to browsers
        else:
            assert_error_shape(r)


@pytest.fixture(scope="module", params=[{}, {"allow_update": True}], ids=["read-only", "updates"])
def fuzz_target(request):
    """One app per mode, driven by one event loop for all examples."""
    runner = asyncio.Runner()
    app = create_app(ServeSettings(max_body_bytes=2048, max_url_bytes=1024, max_header_bytes=2048, query_timeout=5, **request.param),
                     small_store())
    yield runner, asgi_client(app)
    runner.close()


_FUZZ = hsettings(max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@_FUZZ
@given(method=st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]), params=_PARAMS, media=_MEDIA,
       accept=_ACCEPT, body=_BODIES, host=_HOSTS, auth=st.sampled_from([None, "Bearer x", "Basic Zm9vOmJhcg=="]), extra=_EXTRA)
def test_fuzz_sparql_endpoint(fuzz_target, method, params, media, accept, body, host, auth, extra):
    runner, c = fuzz_target
    headers = {"Accept": accept, "Content-Type": media}
    if extra and extra[0] not in ("host", "content-length", "transfer-encoding"):
        headers[extra[0]] = extra[1]
    if host is not None:
        headers["Host"] = host
    if auth:
        headers["Authorization"] = auth
    query = [(k, v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")) for k, v in params]
    r = runner.run(c.request(method, "/sparql", params=query, content=body if method in ("POST", "PUT", "PATCH") else None, headers=headers))
    _check_answer(r, method, accept)


@_FUZZ
@given(method=st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE"]), target=st.one_of(
           st.just([("default", "")]), _TEXT.map(lambda g: [("graph", g)]), st.just([("graph", "http://example.org/g")]),
           st.just([]), st.just([("default", ""), ("graph", "http://example.org/g")]), _PARAMS),
       media=_MEDIA, accept=_ACCEPT, body=_BODIES)
def test_fuzz_graph_store(fuzz_target, method, target, media, accept, body):
    runner, c = fuzz_target
    target = [(k, v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")) for k, v in target]
    r = runner.run(c.request(method, "/store", params=target, content=body if method in ("POST", "PUT") else None,
                             headers={"Accept": accept, "Content-Type": media}))
    _check_answer(r, method, accept)
