"""Headers every client can rely on, set in one place for every route: ``Cache-Control`` on pages and documents,
and ``Access-Control-Expose-Headers`` naming each ``OIRLD-*`` header an answer carries.

Browsers hide response headers from scripts on other sites unless the server exposes them by name; a fixed list
would fall behind as routes add headers, so the names are read from each answer. Pages and documents change only
with a new build (read-only) or a write (updates on): caches may keep them a few minutes in the first case, and must
ask again (their ETag makes that a cheap 304) in the second. Routes that set their own Cache-Control keep it.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ClientHeadersMiddleware", "PAGE_MAX_AGE"]

#: seconds a shared cache may keep a page or document of a read-only server
PAGE_MAX_AGE = 300
_PREFIX = b"oirld-"


def _canonical(name: str) -> str:
    """``oirld-row-cap`` as the code writes it: ``OIRLD-Row-Cap``."""
    return "OIRLD-" + "-".join(p.capitalize() for p in name.split("-")[1:])


class ClientHeadersMiddleware:
    def __init__(self, app: ASGIApp, updates_enabled: bool = False) -> None:
        self.app = app
        self.cache_control = "no-cache" if updates_enabled else f"public, max-age={PAGE_MAX_AGE}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cross_site = "origin" in Headers(scope=scope)
        readable = scope["method"] in ("GET", "HEAD")

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if readable and message["status"] in (200, 304) and "cache-control" not in headers:
                    headers["Cache-Control"] = self.cache_control
                if cross_site:
                    ours = sorted({_canonical(k.decode("latin-1")) for k, _ in headers.raw if k.lower().startswith(_PREFIX)})
                    if ours:
                        exposed = [h.strip() for h in headers.get("access-control-expose-headers", "").split(",") if h.strip()]
                        known = {h.lower() for h in exposed}
                        headers["Access-Control-Expose-Headers"] = ", ".join(exposed + [h for h in ours if h.lower() not in known])
            await send(message)

        await self.app(scope, receive, wrapped)
