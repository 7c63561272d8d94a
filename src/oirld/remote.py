"""Talking to an existing SPARQL server: its Graph Store (SPARQL 1.1 Graph Store HTTP Protocol) and its query
endpoint (SPARQL 1.1 Protocol), nothing server-specific.

Why one client for both: ``oirld publish`` writes through the Graph Store and checks through the query endpoint,
and ``oirld serve --remote`` reads through the query endpoint; both need the same credentials, timeouts and error
words. Credentials are HTTP Basic or Digest (whichever the server asks for: Virtuoso's authenticated Graph Store
wants Digest) or a bearer token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO, Iterator

import httpx
import pyoxigraph as ox

from .errors import Location, RunError

__all__ = ["Credentials", "RemoteClient", "parse_graph", "RESULTS_JSON"]

RESULTS_JSON = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5, text/plain;q=0.1"
_TEXT_FORMATS = {"text/plain": ox.RdfFormat.N_TRIPLES, "text/rdf+n3": ox.RdfFormat.TURTLE}


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = None
    token: str | None = None

    def __repr__(self) -> str:  # never print a secret
        return f"Credentials(user={self.user!r}, password={'***' if self.password else None}, token={'***' if self.token else None})"


class _UserAuth(httpx.Auth):
    """Basic or Digest, as the server's challenge says; nothing is sent until the server asks."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if scheme not in ("basic", "digest"):
            return
        self._scheme = scheme
        if scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        flow = self._digest.auth_flow(request)
        next(flow)  # the digest flow first sends the request bare; the server's answer to that is the 401 we have
        try:
            retry = flow.send(response)
        except StopIteration:
            return
        final = yield retry
        try:
            flow.send(final)
        except StopIteration:
            pass


def _auth(credentials: Credentials) -> tuple[httpx.Auth | None, dict[str, str]]:
    if credentials.token:
        return None, {"Authorization": f"Bearer {credentials.token}"}
    if credentials.user is not None:
        return _UserAuth(credentials.user, credentials.password or ""), {}
    return None, {}


def parse_graph(body: bytes, content_type: str | None, base_iri: str | None = None) -> list[ox.Triple]:
    """The triples of an RDF answer, in the format its Content-Type names (N-Triples when it names none)."""
    media = (content_type or "application/n-triples").split(";")[0].strip().lower()
    fmt = _TEXT_FORMATS.get(media)
    if fmt is None:
        try:
            fmt = ox.RdfFormat.from_media_type(media)
        except ValueError:
            fmt = None
    if fmt is None:
        raise ValueError(f"cannot read RDF sent as {media!r}")
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt, base_iri=base_iri)]


class RemoteClient:
    """One server: ``gsp`` its Graph Store address (None: read-only use), ``query`` its query endpoint."""

    def __init__(self, query: str, gsp: str | None = None, credentials: Credentials = Credentials(),
                 timeout: float = 120.0) -> None:
        self.query_url, self.gsp_url = query, gsp
        auth, headers = _auth(credentials)
        self._http = httpx.Client(auth=auth, headers=headers, timeout=timeout, trust_env=False)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "RemoteClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, url: str, what: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._http.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise RunError(f"{what}: {url} did not answer in time", Location(url),
                           "check the server is running and not overloaded, then repeat the command") from None
        except httpx.HTTPError as exc:
            raise RunError(f"{what}: cannot reach {url} ({type(exc).__name__}: {exc})", Location(url),
                           "check the address and that the server is running") from None

    def _refused(self, response: httpx.Response, what: str) -> RunError:
        text = " ".join(response.text[:300].split())
        hint = ("give --user/--password or --token that the server accepts" if response.status_code in (401, 403)
                else "check the address is the server's Graph Store / query endpoint and the server's log")
        return RunError(f"{what}: the server answered {response.status_code}" + (f" ({text})" if text else ""),
                        Location(str(response.request.url)), hint)

    # --- the Graph Store -------------------------------------------------------------------------------------

    def _gsp(self) -> str:
        if not self.gsp_url:
            raise RunError("no Graph Store address", hint="give --gsp URL")
        return self.gsp_url

    def put_graph(self, graph: str, body: bytes | BinaryIO, media_type: str = "application/n-triples") -> None:
        """``body``: bytes, or a file streamed in chunks (read whole only when the server asks for credentials, so
        the request can be sent again)."""
        r = self._send("PUT", self._gsp(), f"sending graph <{graph}>", params={"graph": graph}, content=body,
                       headers={"Content-Type": media_type})
        if r.status_code >= 300:
            raise self._refused(r, f"sending graph <{graph}>")

    def delete_graph(self, graph: str) -> None:
        r = self._send("DELETE", self._gsp(), f"removing graph <{graph}>", params={"graph": graph})
        if r.status_code >= 300 and r.status_code != 404:
            raise self._refused(r, f"removing graph <{graph}>")

    def get_graph(self, graph: str) -> list[ox.Triple] | None:
        """The graph's triples, or None when the server has no such graph."""
        r = self._send("GET", self._gsp(), f"reading graph <{graph}>", params={"graph": graph},
                       headers={"Accept": _GRAPH_ACCEPT})
        if r.status_code == 404:
            return None
        if r.status_code >= 300:
            raise self._refused(r, f"reading graph <{graph}>")
        try:
            return parse_graph(r.content, r.headers.get("content-type"), graph)
        except (ValueError, SyntaxError) as exc:
            raise RunError(f"reading graph <{graph}>: the answer is not RDF ({exc})", Location(str(r.request.url)),
                           "check --gsp is the server's Graph Store address") from None

    # --- the query endpoint ----------------------------------------------------------------------------------

    def post_query(self, query: str, accept: str, dataset: dict[str, list[str]] | None = None,
                   timeout: float | None = None) -> httpx.Response:
        """The raw answer to ``query`` (sent as a form, so a long graph list fits); errors raise RunError."""
        form: dict[str, str | list[str]] = {"query": query}
        form.update({key: list(iris) for key, iris in (dataset or {}).items() if iris})
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        r = self._send("POST", self.query_url, "querying", data=form, headers={"Accept": accept}, **extra)
        if r.status_code >= 300:
            raise self._refused(r, "querying")
        return r

    def select(self, query: str, dataset: dict[str, list[str]] | None = None) -> ox.QuerySolutions | ox.QueryBoolean:
        r = self.post_query(query, f"{RESULTS_JSON}, application/sparql-results+xml;q=0.9", dataset)
        media = (r.headers.get("content-type") or RESULTS_JSON).split(";")[0].strip().lower()
        fmt = ox.QueryResultsFormat.XML if "xml" in media else ox.QueryResultsFormat.JSON
        try:
            return ox.parse_query_results(r.content, format=fmt)
        except (ValueError, SyntaxError) as exc:
            raise RunError(f"querying: the answer is not SPARQL results ({exc})", Location(self.query_url),
                           "check --query is the server's SPARQL query endpoint") from None

    def counts(self, graphs: list[str]) -> dict[str, int]:
        """Triples per graph, as the query endpoint sees them (graphs it does not have count 0)."""
        out = {g: 0 for g in graphs}
        for start in range(0, len(graphs), 200):
            chunk = graphs[start:start + 200]
            values = " ".join(f"<{g}>" for g in chunk)
            rows = self.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
            for row in rows:  # type: ignore[union-attr]
                out[row["g"].value] = int(row["n"].value)
        return out
