"""Conditional GET for every page and document: an ETag from the body, and 304 Not Modified when it matches; and
HEAD for every GET route, answered as GET without the body (RFC 9110, section 9.3.2).

One mechanism under all routers instead of a check in each: the body is hashed after the route has produced it,
so the tag changes exactly when the bytes do (a new build, another format). Responses that already carry an ETag
(the SPARQL endpoint tags by dataset version and query; static files and dumps by file) and large or streamed bodies
pass through untouched.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..cache import ResultCache

__all__ = ["ConditionalGetMiddleware", "HeadAsGetMiddleware", "fresh"]


@dataclass(frozen=True)
class _Finished:
    """A page or document as sent: status 200, its headers (ETag included) and body."""

    headers: list[tuple[bytes, bytes]]
    body: bytes


class ConditionalGetMiddleware:
    """ETag and 304 for every GET; with a ``cache``, finished pages are kept per address and Accept, so a page
    is rendered once per dataset version (the cache is off when updates are on: then the data can change)."""

    def __init__(self, app: ASGIApp, max_bytes: int = 4 * 1024 * 1024, skip: tuple[str, ...] = ("/sparql", "/store"),
                 cache: ResultCache | None = None) -> None:
        self.app, self.max_bytes, self.skip, self.cache = app, max_bytes, skip, cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"].startswith(self.skip):
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        wanted = request_headers.get("if-none-match", "")
        # everything a page can depend on (absolute links come from the configured public address, not the Host)
        key = (scope["path"], scope.get("query_string", b""), request_headers.get("accept"))
        epoch = self.cache.epoch if self.cache is not None else 0  # a page begun before a version switch is not kept
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            await _answer(send, hit.headers, hit.body, wanted)
            return
        start: dict[str, Any] | None = None
        parts: list[bytes] = []
        passing = False

        async def flush() -> None:
            assert start is not None
            await send(start)
            for body in parts:
                await send({"type": "http.response.body", "body": body, "more_body": True})

        async def wrapped(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = dict(message)
                if start["status"] != 200 or "etag" in MutableHeaders(raw=start["headers"]):
                    passing = True
                    await send(message)
                return
            parts.append(message.get("body", b""))
            if message.get("more_body", False):
                if sum(map(len, parts)) > self.max_bytes:  # too big to hold: send as it comes, untagged
                    passing = True
                    await flush()
                return
            body = b"".join(parts)
            assert start is not None
            headers = MutableHeaders(raw=list(start["headers"]))
            headers["ETag"] = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            if self.cache is not None:
                self.cache.put(key, _Finished(headers.raw, body), epoch)
            await _answer(send, headers.raw, body, wanted)

        await self.app(scope, receive, wrapped)


def fresh(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match matches ``etag`` by weak comparison (RFC 9110, section 13.1.2): ``W/"x"`` and ``"x"`` agree."""
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


async def _answer(send: Send, raw_headers: list[tuple[bytes, bytes]], body: bytes, if_none_match: str) -> None:
    headers = MutableHeaders(raw=list(raw_headers))
    if fresh(if_none_match, headers["etag"]):
        del headers["content-length"]
        await send({"type": "http.response.start", "status": 304, "headers": headers.raw})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": headers.raw})
    await send({"type": "http.response.body", "body": body})


class HeadAsGetMiddleware:
    """HEAD runs the GET route and sends its status and headers (length and ETag included) without the body, so a
    Linked Data client can check an IRI without downloading it, on every route at once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        done = False

        async def headless(message: Message) -> None:
            nonlocal done
            if message["type"] == "http.response.start":
                await send(message)
            elif not done and not message.get("more_body", False):
                done = True
                await send({"type": "http.response.body", "body": b""})

        await self.app(dict(scope, method="GET"), receive, headless)
