"""The server's public address, and the Host header checked against it.

Links and IRIs the server writes (the query page, the service description, robots.txt, sitemap.xml, the
reconciliation manifest, the base IRI queries and uploads are parsed with) are built from one configured address
(``oirld serve --public-url``), never from the request's Host: a Host header is the client's to choose, and a link
built from it lets anyone make the server hand out links to their own site (from a cached page, to everyone). Without
a configured address the server uses the address of the socket the request arrived on (what ``--host``/``--port``
give), which the client cannot choose either.

A request whose Host is malformed, repeated, missing (HTTP/1.1 requires one, RFC 9112 section 3.2) or names another
site gets 400 in the one error shape, as a server that only answers for its own name should.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from ..responses import error_response

__all__ = ["HostMiddleware", "LOOPBACK_NAMES", "check_public_url", "site_url", "public_base"]

#: names every server answers to besides its public one (a deployer checking it from the machine itself)
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_SCOPE_KEY = "oirld.public_url"
# host = IP-literal / IPv4 / reg-name (letters, digits, dots, dashes, underscores), then an optional port
_HOST = re.compile(r"^(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::(?P<port>[0-9]{1,5}))?$")


def check_public_url(url: str) -> str:
    """``url`` as the server's public address (http(s), a host, no query or fragment), ending in ``/``; ValueError
    says what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"public URL {url!r} must be an http(s) URL with a host, like https://data.example.org/")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"public URL {url!r} must not have a query, a fragment or credentials")
    try:
        parts.port
    except ValueError:
        raise ValueError(f"public URL {url!r} has an invalid port") from None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{path}"


def _socket_base(scope: Scope) -> str:
    """The address of the socket the request arrived on (not the Host header)."""
    scheme = scope.get("scheme") or "http"
    host, port = scope.get("server") or ("127.0.0.1", None)
    host = str(host)
    if ":" in host:
        host = f"[{host}]"
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{host}{'' if port in (None, default) else f':{port}'}/"


def public_base(scope: Scope, configured: str | None = None) -> str:
    """The public address for this request: set by :class:`HostMiddleware`, else ``configured``, else the socket's."""
    return scope.get(_SCOPE_KEY) or configured or _socket_base(scope)


def site_url(request: Request, path: str = "") -> str:
    """The absolute URL of ``path`` (relative to the site root) at the public address."""
    return public_base(request.scope) + path.lstrip("/")


def _host_name(value: str) -> str | None:
    """The host part of a Host header, lower case; None when the value is not a valid ``host[:port]``."""
    m = _HOST.match(value)
    if m is None or (m["port"] is not None and int(m["port"]) > 65535):
        return None
    if m["ip6"] is not None:
        try:
            return str(ipaddress.IPv6Address(m["ip6"]))
        except ValueError:
            return None
    name = m["name"].lower().rstrip(".")
    if not name or ".." in name or name.startswith(("-", ".")):
        return None
    return name


class HostMiddleware:
    """Answers only for the public address's host and loopback names; records the public address in the scope."""

    def __init__(self, app: ASGIApp, public_url: str | None = None) -> None:
        self.app = app
        self.public_url = check_public_url(public_url) if public_url else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        base = self.public_url or _socket_base(scope)
        allowed = {urlsplit(base).hostname or "", *LOOPBACK_NAMES}
        hosts = [v for k, v in scope.get("headers", []) if k.lower() == b"host"]
        problem = None
        if len(hosts) > 1:
            problem = ("duplicate-host", "the request has more than one Host header")
        elif not hosts:
            if scope.get("http_version", "1.1") not in ("1.0", "0.9"):
                problem = ("missing-host", "an HTTP/1.1 request needs a Host header")
        else:
            try:
                name = _host_name(hosts[0].decode("ascii"))
            except UnicodeDecodeError:
                name = None
            if name is None:
                problem = ("bad-host", "the Host header is not a valid host[:port]")
            elif name not in allowed:
                problem = ("unknown-host", f"this server does not answer for the host {name!r}")
        if problem:
            response = error_response(400, *problem, f"send Host: {urlsplit(base).netloc} (the server's public address is {base})")
            await response(scope, receive, send)
            return
        scope[_SCOPE_KEY] = base
        await self.app(scope, receive, send)
