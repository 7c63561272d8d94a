"""Limits on every request, and strict decoding of what clients send, answered in the one error shape.

Two layers enforce the same limits. :func:`limited_http_protocol` is the HTTP parser uvicorn runs for ``oirld serve``:
it stops a request whose request line or headers grow past their limit while they are still arriving (so they are
never held whole in memory) and answers 414 or 431, where uvicorn would answer a plain-text 400 or nothing at all
(its default parser has no header limit). :class:`LimitsMiddleware` checks the same limits on the ASGI scope, for any
server and for the in-process tests, and bounds request bodies: a declared ``Content-Length`` over the limit is
refused before a byte is read, and a body sent without one is counted as it arrives and refused at the limit (413).

It also refuses (400) request targets and query strings whose percent-encoded bytes are not UTF-8 or hold NUL:
what the routes read is then always text, and a malformed byte is the client's error, never the server's 500.
:func:`form_pairs` decodes form bodies under the same rule (JSON bodies are read by :func:`.inputs.parse_json`).

Where uvicorn's answers came from: its default parser (httptools, llhttp) has no limit on headers at all, and
``httptools.parse_url`` refuses a request target over 65,535 bytes, which uvicorn answers with a plain-text 400; its
other parser (h11) limits only a head that arrives in pieces (``h11_max_incomplete_event_size``, 16 KiB), so a large
head sent at once passes. Neither says 413, 414 or 431, nor in JSON.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..responses import ProtocolError, error_response

__all__ = ["RequestLimits", "LimitsMiddleware", "limited_http_protocol", "form_pairs", "MAX_HEADER_FIELDS"]

#: the most header fields a request may carry (browsers send about 20)
MAX_HEADER_FIELDS = 100
_URI_HINT = "send long queries with POST (application/x-www-form-urlencoded or application/sparql-query)"
_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class RequestLimits:
    """Bytes a request may use; :attr:`upload_bytes` applies to writes (Graph Store PUT/POST, SPARQL Update bodies)
    from a client allowed to write (updates enabled, and the token when there is one), :attr:`body_bytes` to every
    other body: a client without the token cannot make the server hold an upload's worth of bytes."""

    body_bytes: int = 1024 * 1024
    upload_bytes: int = 16 * 1024 * 1024
    url_bytes: int = 32 * 1024
    header_bytes: int = 16 * 1024
    updates_enabled: bool = False
    update_token: str | None = None

    def body_limit(self, scope: Scope, content_type: str, authorization: str = "") -> int:
        if not self.updates_enabled:
            return self.body_bytes
        if self.update_token and not hmac.compare_digest(authorization.encode(), f"Bearer {self.update_token}".encode()):
            return self.body_bytes
        path, method = scope.get("path", ""), scope.get("method", "")
        if method in ("PUT", "POST") and path == "/store":
            return self.upload_bytes
        if method == "POST" and path == "/sparql" and content_type.startswith("application/sparql-update"):
            return self.upload_bytes
        return self.body_bytes

    def describe(self) -> str:
        return (f"request bodies up to {self.body_bytes} bytes (uploads by a client allowed to write: {self.upload_bytes}), "
                f"request targets up to {self.url_bytes} bytes, headers up to {self.header_bytes} bytes in at most "
                f"{MAX_HEADER_FIELDS} fields")


def _too_long_uri(limit: int) -> tuple[int, str, str, str]:
    return 414, "uri-too-long", f"the request target is longer than {limit} bytes", _URI_HINT


def _too_large_headers(limit: int) -> tuple[int, str, str, str]:
    return (431, "headers-too-large", f"the headers are larger than {limit} bytes or more than {MAX_HEADER_FIELDS} fields",
            "send fewer or shorter headers")


def _too_large_body(limit: int) -> ProtocolError:
    return ProtocolError(413, "body-too-large", f"the request body is larger than {limit} bytes",
                         "send less at once (split a large upload into several POSTs to /store), or ask the operator "
                         "to raise the limit (oirld serve --max-body-kb, --max-upload-mb)", {"Connection": "close"})


def _decode(raw: bytes, what: str) -> str:
    """``raw`` (already percent-decoded) as text: UTF-8 without NUL, else 400."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, "not-utf8", f"the {what} is not valid UTF-8 (byte {exc.start})",
                            "percent-encode UTF-8 text") from None
    if "\x00" in text:
        raise ProtocolError(400, "nul-character", f"the {what} holds a NUL character")
    return text


def form_pairs(raw: bytes, what: str = "form body") -> list[tuple[str, str]]:
    """The name/value pairs of an ``application/x-www-form-urlencoded`` body or a query string, decoded strictly:
    bytes that are not UTF-8 (raw or percent-encoded) and NUL characters are a 400, never a silent replacement."""
    pairs = []
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        pairs.append((_decode(unquote_to_bytes(name.replace(b"+", b" ")), what),
                      _decode(unquote_to_bytes(value.replace(b"+", b" ")), what)))
    return pairs


def _scope_problem(scope: Scope, limits: RequestLimits) -> ProtocolError | None:
    raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    query = scope.get("query_string", b"")
    if len(raw_path) + len(query) + (1 if query else 0) > limits.url_bytes:
        return ProtocolError(*_too_long_uri(limits.url_bytes))
    headers = scope.get("headers", [])
    if len(headers) > MAX_HEADER_FIELDS or sum(len(k) + len(v) + 4 for k, v in headers) > limits.header_bytes:
        return ProtocolError(*_too_large_headers(limits.header_bytes))
    try:
        path = unquote_to_bytes(raw_path)
        _decode(path, "request path")
        if _CONTROL.search(path):
            return ProtocolError(400, "control-character", "the request path holds a control character")
        form_pairs(query, "query string")
    except ProtocolError as exc:
        return exc
    return None


class LimitsMiddleware:
    """The limits of :class:`RequestLimits` on every request (outermost: nothing runs for a refused request)."""

    def __init__(self, app: ASGIApp, limits: RequestLimits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = _scope_problem(scope, self.limits)
        content_type = content_length = authorization = ""
        for k, v in scope.get("headers", []):
            if k.lower() == b"content-type":
                content_type = v.decode("latin-1").strip().lower()
            elif k.lower() == b"content-length":
                content_length = v.decode("latin-1").strip()
            elif k.lower() == b"authorization":
                authorization = v.decode("latin-1").strip()
        limit = self.limits.body_limit(scope, content_type, authorization)
        if problem is None and content_length:
            if not content_length.isdigit():
                problem = ProtocolError(400, "bad-content-length", "Content-Length is not a number")
            elif int(content_length) > limit:
                problem = _too_large_body(limit)
        if problem is not None:
            await _refuse(problem, scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large_body(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except ProtocolError as exc:  # the body limit, raised where no route's handler could answer it
            if started:
                raise
            await _refuse(exc, scope, receive, send)


async def _refuse(problem: ProtocolError, scope: Scope, receive: Receive, send: Send) -> None:
    response = error_response(problem.status, problem.code, problem.message, problem.hint, {"Connection": "close"} | problem.headers)
    await response(scope, receive, send)


def limited_http_protocol(limits: RequestLimits) -> type:
    """uvicorn's httptools protocol with the request line and headers bounded while they arrive, and every refusal
    (those, and requests that are not HTTP at all) answered as JSON in the one error shape."""
    import httptools  # noqa: F401 (uvicorn[standard] installs it; this parser is the one the limits are written for)
    from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

    head_limit = limits.url_bytes + limits.header_bytes + 1024

    class LimitedHttpToolsProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._refusal: tuple[int, str, str, str] | None = None
            self._in_head, self._head_bytes, self._url_bytes, self._header_bytes, self._fields = True, 0, 0, 0, 0
            self._message_complete, self._lingering = True, False

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.transport = _LingeringTransport(transport, self)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._in_head, self._head_bytes, self._url_bytes, self._header_bytes, self._fields = True, 0, 0, 0, 0
            self._message_complete = False

        def on_message_complete(self) -> None:
            self._message_complete = True
            super().on_message_complete()

        def on_url(self, url: bytes) -> None:
            self._url_bytes += len(url)
            if self._url_bytes > limits.url_bytes:
                self._refusal = _too_long_uri(limits.url_bytes)
                raise OverflowError("request target too long")  # the parser stops and reports it
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._fields += 1
            self._header_bytes += len(name) + len(value) + 4
            if self._fields > MAX_HEADER_FIELDS or self._header_bytes > limits.header_bytes:
                self._refusal = _too_large_headers(limits.header_bytes)
                raise OverflowError("headers too large")
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._in_head = False
            super().on_headers_complete()

        def data_received(self, data: bytes) -> None:
            if self._lingering:
                self.transport.dropped()  # the rest of a refused body: read and dropped (see _LingeringTransport)
                return
            if self.parser is None:
                return
            if self._in_head:
                self._head_bytes += len(data)
            super().data_received(data)
            # one header still arriving is buffered by the parser before on_header sees it: bound it here
            if self._in_head and self._head_bytes > head_limit and not self.transport.is_closing():
                self._refusal = self._refusal or _too_large_headers(limits.header_bytes)
                self.send_400_response("")

        def send_400_response(self, msg: str) -> None:
            status, code, message, *hint = self._refusal or (400, "bad-request", "the request is not valid HTTP/1.1", None)
            body = error_response(status, code, message, hint[0] if hint else None).body
            content = [STATUS_LINE[status]]
            for name, value in self.server_state.default_headers:
                content.extend([name, b": ", value, b"\r\n"])
            content.extend([b"content-type: application/json\r\ncontent-length: ", str(len(body)).encode(),
                            b"\r\nconnection: close\r\n\r\n", body])
            self.transport.write(b"".join(content))
            self.transport.close()

    return LimitedHttpToolsProtocol


#: how long a connection closed with a request body still arriving keeps reading (and dropping) it: in all, and
#: since the last bytes came (nginx's lingering_time and lingering_timeout, at lower values)
LINGER_SECONDS, LINGER_IDLE_SECONDS = 10.0, 2.0


class _LingeringTransport:
    """The connection's transport, whose ``close`` lingers when the request's body has not all arrived.

    Closing a socket with unread bytes in it makes the kernel reset the connection, and a client still sending its
    body (httpx's async client writes it whole before it reads) then loses the 413 written just before. So the
    answer is sent, the write side shut (FIN), and what still arrives is read and dropped until the client closes,
    goes quiet, or the time runs out; then the socket closes. The same lingering close as nginx's."""

    def __init__(self, transport: Any, protocol: Any) -> None:
        self._transport, self._protocol = transport, protocol
        self._deadline: float | None = None
        self._timer: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)

    def is_closing(self) -> bool:
        return self._deadline is not None or self._transport.is_closing()

    def close(self) -> None:
        transport, protocol = self._transport, self._protocol
        if (self._deadline is not None or protocol._message_complete or transport.is_closing()
                or not transport.can_write_eof()):
            transport.close()
            return
        protocol._lingering = True
        loop = protocol.loop
        self._deadline = loop.time() + LINGER_SECONDS
        transport.write_eof()
        transport.resume_reading()
        self._arm()

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        loop = self._protocol.loop
        wait = max(0.0, min(LINGER_IDLE_SECONDS, (self._deadline or 0.0) - loop.time()))
        self._timer = loop.call_later(wait, self._transport.close)

    def dropped(self) -> None:
        """Bytes arrived while lingering: the client is still sending, so wait again (up to the deadline)."""
        self._arm()
