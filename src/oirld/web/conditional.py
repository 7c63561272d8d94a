"""Conditional GET for every page and document: an ETag from the body, and 304 Not Modified when it matches; and
HEAD for every GET route, answered as GET without the body (RFC 9110, section 9.3.2).

One mechanism under all routers instead of a check in each: the body is hashed after the route has produced it,
so the tag changes exactly when the bytes do (a new build, another format). Responses that already carry an ETag
(the SPARQL endpoint tags by dataset version and query; static files and dumps by file) and large or streamed bodies
pass through untouched.
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ConditionalGetMiddleware", "HeadAsGetMiddleware"]


class ConditionalGetMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int = 4 * 1024 * 1024, skip: tuple[str, ...] = ("/sparql", "/store")) -> None:
        self.app, self.max_bytes, self.skip = app, max_bytes, skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"].startswith(self.skip):
            await self.app(scope, receive, send)
            return
        wanted = Headers(scope=scope).get("if-none-match", "")
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
            etag = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            headers = MutableHeaders(raw=start["headers"])
            headers["ETag"] = etag
            if etag in [t.strip() for t in wanted.split(",")] or wanted.strip() == "*":
                del headers["content-length"]
                await send({"type": "http.response.start", "status": 304, "headers": headers.raw})
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, wrapped)


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
