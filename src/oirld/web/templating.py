"""One Jinja2 environment for every page, so all pages share the layout (templates/base.html) and its stylesheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

__all__ = ["ENV", "render", "safe_href", "term_html", "STATIC_DIR"]

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
_ABSENT = object()


def _field(t: Any, name: str) -> Any:
    """``t.name`` as a template reads it: the attribute, else the item, else absent (Jinja's undefined)."""
    try:
        return getattr(t, name)
    except AttributeError:
        pass
    try:
        return t[name]
    except (TypeError, LookupError):
        return _ABSENT


def term_html(t: Any) -> Markup:
    """A term as a page shows it: a link to its page, text in its language, or its label. What the ``term`` macro
    wrote, written here because a page calls it for every label and link it shows (a thousand times on a page of
    the timeline) and a macro call cost more than the rest of the term."""
    href, label = _field(t, "href"), _field(t, "label")
    text = Markup("") if label is _ABSENT else escape(label)
    if href is not _ABSENT and href:
        return Markup('<a href="%s">%s</a>') % (href, text)
    lang = _field(t, "lang")
    if lang is not _ABSENT and lang and lang != "en":
        return Markup('<span lang="%s">%s</span>') % (lang, text)
    return text


ENV.globals["term_html"] = term_html


def render(template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    return HTMLResponse(ENV.get_template(template).render(**context), status_code=status, headers=headers)
