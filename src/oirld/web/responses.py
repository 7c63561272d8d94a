"""The one error shape every route answers with, and the media-type spelling every route uses."""

from __future__ import annotations

from fastapi.responses import JSONResponse

__all__ = ["ProtocolError", "error_response", "with_charset"]


class ProtocolError(Exception):
    """Raised by any route; the app answers it with :func:`error_response`."""

    def __init__(self, status: int, code: str, message: str, hint: str | None = None, headers: dict[str, str] | None = None):
        self.status, self.code, self.message, self.hint, self.headers = status, code, message, hint, headers or {}


def error_response(status: int, code: str, message: str, hint: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"status": status, "code": code, "message": message}}
    if hint:
        body["error"]["hint"] = hint
    return JSONResponse(body, status_code=status, headers=headers)


def with_charset(media: str) -> str:
    return media + "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else media
