"""The hostile requests of issue 9, each with the answers a hardened server gives it; used by load.py --hostile.

Every request belongs to a class (``Request.kind``) so a run says which defence failed. The classes and what
counts as the right answer:

    ssrf-service      SERVICE to loopback, written so a lexical guard may misread it      400 or 403
    ssrf-load         LOAD (or SERVICE inside an update) to loopback, same tricks         401/403 without a token; 400/403 with --token
    deep-nesting      groups, parentheses or OPTIONALs nested 1,000-10,000 deep            400 (413 if over the size limit)
    oversize-body     a POST body of --hostile-body-mb MiB to /sparql or /store           413 (401/403 where a token is needed first)
    oversize-url      a 1 MiB query in the URL                                            413, 414 or 431
    oversize-header   a 64 KiB header                                                     431 (or 400)
    bad-host          malformed, empty, missing or duplicate Host header (raw socket)     400
    non-utf8          form, SPARQL or JSON bodies that are not UTF-8 (lone surrogates too) 400
    reconcile-batch   thousands of reconciliation queries in one request                  400, 413 or 414
    reconcile-long    one reconciliation query with a 100,000-character name              400 or 413
    update-no-token   SPARQL Update and Graph Store writes without, or with a wrong, token 401 or 403

A 4xx answer must also have the one JSON error shape (``{"error": ...}``); a plain-text 400 from the HTTP layer is
counted as unexpected. Every address here is loopback: the SERVICE/LOAD targets are the server under test itself.
"""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass, field

__all__ = ["Request", "attack", "CLASSES", "raw_status"]


@dataclass(frozen=True)
class Request:
    kind: str
    expected: frozenset[int]
    method: str = "GET"
    path: str = "/sparql"
    params: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    raw: bytes | None = None  # sent as is over a socket: Host headers httpx will not send
    error_shape: bool = True  # a 4xx answer must be the JSON error shape


def _req(kind: str, expected: set[int], **kw) -> Request:
    return Request(kind, frozenset(expected), **kw)


def _sparql_body(text: str | bytes) -> dict:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return {"method": "POST", "headers": {"Content-Type": "application/sparql-query"}, "content": data}


def _update_form(text: str, token: str | None) -> dict:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    from urllib.parse import urlencode

    return {"method": "POST", "headers": headers, "content": urlencode({"update": text}).encode()}


def ssrf_service(rng: random.Random, port: int, token: str | None) -> Request:
    t = f"http://127.0.0.1:{port}/sparql"
    pattern = "{ ?s ?p ?o }"
    variants = [
        f"SELECT * WHERE {{ SERVICE <{t}> {pattern} }} LIMIT 1",
        f"PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE r:sparql {pattern} }}",
        f"PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE r:sp\\-arql {pattern} }}",
        f"PREFIX r: <http://127.0.0.1:{port}/spar> SELECT * WHERE {{ SERVICE r:\\q\\l {pattern} }}",
        f"SELECT * WHERE {{ SERV\\u0049CE <{t}> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE <http\\u003A//127.0.0.1:{port}/sparql> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE#comment\n<{t}> {pattern} }}",
        f"SELECT * WHERE {{ BIND(\"\\\" # \" AS ?x) SERVICE <{t}> {pattern} }}",
        f"SELECT * WHERE {{ BIND('''a'b''' AS ?x) SERVICE <{t}> {pattern} }}",
        f"SELECT * WHERE {{ BIND(\"<\" AS ?x) SERVICE <{t}> {pattern} BIND(\">\" AS ?y) }}",
        f"SELECT * WHERE {{ SERVICE SILENT <http://[::1]:{port}/sparql> {pattern} }}",
        f"select * where {{ sErViCe <http://localhost:{port}/sparql> {pattern} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{t}> }} SERVICE ?e {pattern} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <sparql> {pattern} }}",
    ]
    q = rng.choice(variants)
    if rng.random() < 0.5:
        return _req("ssrf-service", {400, 403}, params={"query": q})
    return _req("ssrf-service", {400, 403}, **_sparql_body(q))


def ssrf_load(rng: random.Random, port: int, token: str | None) -> Request:
    t = f"http://127.0.0.1:{port}/sparql"
    variants = [
        f"LOAD <{t}>",
        f"LOAD SILENT <{t}> INTO GRAPH <urn:x>",
        f"LO\\u0041D <{t}>",
        f"PREFIX r: <http://127.0.0.1:{port}/> LOAD r:sp\\-arql",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{t}> {{ ?s ?p ?o }} }}",
        f"INSERT DATA {{ <urn:a> <urn:b> \"LOAD\" }} ; LOAD <http://[::1]:{port}/sparql>",
    ]
    return _req("ssrf-load", {400, 403} if token else {401, 403}, **_update_form(rng.choice(variants), token))


def deep_nesting(rng: random.Random, port: int, token: str | None) -> Request:
    n = rng.choice([1000, 3000, 10000])
    variants = [
        "SELECT * WHERE " + "{" * n + "}" * n,
        "ASK { FILTER(" + "(" * n + "1" + ")" * n + ") }",
        "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { " * n + "}" * n + "}",
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * n + "true) }",
        "SELECT * WHERE { ?s " + "(" * n + "<urn:p>" + ")" * n + " ?o }",
    ]
    return _req("deep-nesting", {400, 413}, **_sparql_body(rng.choice(variants)))


def oversize_body(rng: random.Random, port: int, token: str | None, mib: float = 8) -> Request:
    pad = b"#" + b"x" * int(mib * 1024 * 1024) + b"\n"
    which = rng.randrange(3)
    if which == 0:
        return _req("oversize-body", {413}, **_sparql_body(pad + b"SELECT * WHERE { ?s ?p ?o } LIMIT 1"))
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    expected = {413} if token else {401, 403, 413}
    if which == 1:
        body = b"update=" + pad.replace(b"#", b"%23").replace(b"\n", b"%0A") + b"INSERT+DATA+%7B%7D"
        return _req("oversize-body", expected, method="POST", content=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded", **auth})
    return _req("oversize-body", expected, method="PUT", path="/store", params={"graph": "urn:oversize"},
                headers={"Content-Type": "text/turtle", **auth}, content=pad + b"<urn:a> <urn:b> <urn:c> .\n")


def _raw_get(path: str, params: dict[str, str], port: int) -> bytes:
    """A GET written out by hand: httpx refuses to send a URL over 64 KiB."""
    from urllib.parse import urlencode

    return f"GET {path}?{urlencode(params)} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()


def oversize_url(rng: random.Random, port: int, token: str | None) -> Request:
    q = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1024 * 1024)
    return _req("oversize-url", {413, 414, 431}, raw=_raw_get("/sparql", {"query": q}, port))


def oversize_header(rng: random.Random, port: int, token: str | None) -> Request:
    return _req("oversize-header", {400, 431}, params={"query": "ASK {}"}, headers={"X-Pad": "x" * (64 * 1024)})


def bad_host(rng: random.Random, port: int, token: str | None) -> Request:
    path = rng.choice(["/sparql", "/robots.txt", "/sitemap.xml", "/reconcile"])
    host_lines = rng.choice([
        [],                                                    # missing (HTTP/1.1 requires one)
        ["Host: "],                                            # empty
        [f"Host: 127.0.0.1:{port}", "Host: evil.example"],     # duplicate
        ["Host: evil example/../x"],                           # spaces and a path
        ["Host: 127.0.0.1:99999999"],                          # port out of range
        ["Host: <script>x</script>"],
        ['Host: a"b'],
        ["Host: [::1"],                                        # unclosed IPv6 literal
    ])
    head = "\r\n".join([f"GET {path} HTTP/1.1", *host_lines, "Connection: close", "", ""])
    return _req("bad-host", {400}, raw=head.encode("latin-1"))


def non_utf8(rng: random.Random, port: int, token: str | None) -> Request:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    variants = [
        dict(method="POST", headers=form, content=b"query=ASK%20%7B%7D%FF%FE"),
        dict(method="POST", headers=form, content=b"query=ASK {\xff\xfe}"),
        dict(method="POST", headers={"Content-Type": "application/sparql-query"}, content=b"ASK { ?s ?p \"\xff\" }"),
        dict(method="POST", path="/reconcile", headers={"Content-Type": "application/json"},
             content=b'{"q0": {"query": "\\ud800"}}'),
        dict(method="POST", path="/reconcile", headers={"Content-Type": "application/json"},
             content=b'{"q0": {"query": "\xff\xfe"}}'),
        dict(method="POST", path="/reconcile", headers=form, content=b"queries=%7B%22q0%22%3A%7B%22query%22%3A%22%FF%22%7D%7D"),
    ]
    return _req("non-utf8", {400}, **rng.choice(variants))


def reconcile_batch(rng: random.Random, port: int, token: str | None) -> Request:
    n = rng.choice([2000, 10000])
    queries = {f"q{i}": {"query": rng.choice(["Harir", "Iraq", "coalition", "Baghdad"]), "limit": 3} for i in range(n)}
    if rng.random() < 0.5:
        return _req("reconcile-batch", {400, 413}, method="POST", path="/reconcile",
                    headers={"Content-Type": "application/json"}, content=json.dumps({"queries": queries}).encode())
    return _req("reconcile-batch", {400, 413, 414},
                raw=_raw_get("/reconcile", {"queries": json.dumps(dict(list(queries.items())[:2000]))}, port))


def reconcile_long(rng: random.Random, port: int, token: str | None) -> Request:
    name = rng.choice(["Harir Air Base ", "a", "ع"]) * rng.choice([10_000, 100_000])
    name = name[:100_000]
    body = json.dumps({"queries": {"q0": {"query": name}}}).encode()
    return _req("reconcile-long", {400, 413}, method="POST", path="/reconcile",
                headers={"Content-Type": "application/json"}, content=body)


def update_no_token(rng: random.Random, port: int, token: str | None) -> Request:
    wrong = {"Authorization": "Bearer wrong-" + str(rng.randrange(10**6))} if rng.random() < 0.5 else {}
    variants = [
        dict(method="POST", headers={"Content-Type": "application/sparql-update", **wrong},
             content=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
        dict(method="POST", headers={"Content-Type": "application/x-www-form-urlencoded", **wrong},
             content=b"update=DELETE+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D"),
        dict(method="PUT", path="/store", params={"default": ""}, headers={"Content-Type": "text/turtle", **wrong},
             content=b"<urn:a> <urn:b> <urn:c> ."),
        dict(method="POST", path="/store", params={"graph": "urn:g"}, headers={"Content-Type": "application/n-triples", **wrong},
             content=b"<urn:a> <urn:b> <urn:c> .\n"),
        dict(method="DELETE", path="/store", params={"default": ""}, headers=wrong),
    ]
    return _req("update-no-token", {401, 403}, **rng.choice(variants))


CLASSES = {
    "ssrf-service": ssrf_service, "ssrf-load": ssrf_load, "deep-nesting": deep_nesting,
    "oversize-body": oversize_body, "oversize-url": oversize_url, "oversize-header": oversize_header,
    "bad-host": bad_host, "non-utf8": non_utf8, "reconcile-batch": reconcile_batch,
    "reconcile-long": reconcile_long, "update-no-token": update_no_token,
}


def attack(rng: random.Random, port: int, token: str | None, body_mib: float, only: list[str] | None = None) -> Request:
    """One hostile request of a class drawn uniformly (from ``only`` when given)."""
    kind = rng.choice(only or list(CLASSES))
    if kind == "oversize-body":
        return oversize_body(rng, port, token, body_mib)
    return CLASSES[kind](rng, port, token)


async def raw_status(host: str, port: int, data: bytes, timeout: float) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are and read the answer's status, headers and (start of the) body; status 0 when the
    connection closes without an answer."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        try:
            writer.write(data)
            await writer.drain()
        except ConnectionError:
            pass  # a server may answer (414, 431) and close before reading all of a huge request
        raw = b""
        while len(raw) < 65536:
            try:
                chunk = await asyncio.wait_for(reader.read(65536), timeout)
            except ConnectionError:
                break
            if not chunk:
                break
            raw += chunk
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) < 2 or not parts[1].isdigit():
        return 0, {}, b""
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(parts[1]), headers, body
