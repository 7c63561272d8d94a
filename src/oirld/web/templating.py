"""One Jinja2 environment for every page, so all pages share the layout (templates/base.html) and its stylesheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

__all__ = ["ENV", "render", "safe_href", "STATIC_DIR"]

ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"]))
STATIC_DIR = Path(__file__).parent / "static"
_SAFE_SCHEMES = ("http://", "https://")


def safe_href(target: str | None) -> str | None:
    """``target`` if a link to it is safe to click: a path on this site or an http(s) IRI. Anything else (an IRI
    in the data with a ``javascript:`` or ``data:`` scheme, say) is None, and pages show it as text."""
    if not target:
        return None
    if target.startswith("/") and not target.startswith("//"):
        return target
    return target if target.lower().startswith(_SAFE_SCHEMES) and not any(c in target for c in "\x00\t\n\r") else None


ENV.filters["safe_href"] = safe_href


def render(template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    return HTMLResponse(ENV.get_template(template).render(**context), status_code=status, headers=headers)
