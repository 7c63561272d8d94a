"""/search: full-text search over what the sources say (:mod:`oirld.search`), as a page and as JSON.

``q`` the words (every one must occur; nothing typed is query syntax), ``kind`` (repeatable: entity, claim, quote,
article), ``outlet``, ``from`` / ``to`` (publication dates, YYYY, YYYY-MM or YYYY-MM-DD), ``page`` (from 1) and
``per_page``. JSON for ``Accept: application/json`` or ``format=json``. The work runs in the offload pool and within
the limits of :mod:`oirld.web.common.limits`; a bad parameter is a 400 in the one error shape, never a failed query.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ...search import KINDS, SearchIndex, SearchPage
from ..common.inputs import first, query_params
from ..common.limits import enforce, enforce_length
from ..common.offload import Offload
from ..responses import ProtocolError
from ..templating import render
from .views import Catalog, doc_path

__all__ = ["LazyIndex", "open_search", "search_router", "SEARCH_HINT"]

SEARCH_HINT = "/search?q=withdrawal&kind=quote&outlet=SOFX&from=2024-01&to=2025&page=1"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PER_PAGE = 10


def _param_date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    if not _DATE.match(value):
        raise ProtocolError(400, "bad-date", f"{name}={value[:40]!r} is not a date", "YYYY, YYYY-MM or YYYY-MM-DD: " + SEARCH_HINT)
    return value


def _param_int(value: str | None, name: str, default: int) -> int:
    if value is None or not value.strip():
        return default
    if not value.strip().isdigit() or int(value) < 1:
        raise ProtocolError(400, "bad-parameter", f"{name}={value[:40]!r} is not a whole number from 1", SEARCH_HINT)
    return int(value)


class LazyIndex:
    """The build's index file when there is one; else an index built from the store on first use (a server started
    on RDF files): without the articles' texts, which only a build has. Built once, under a lock."""

    def __init__(self, path: str | None, store: Any, base: str, labels: Callable[[], Mapping[str, str]]) -> None:
        self._path, self._store, self._base, self._labels = path, store, base, labels
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()

    def get(self) -> SearchIndex:
        with self._lock:
            if self._index is None:
                if self._path and Path(self._path).is_file():
                    self._index = SearchIndex(self._path)
                else:
                    self._index = SearchIndex.from_store(self._store, self._base, self._labels())
            return self._index

    def reopen(self, path: str | None) -> None:
        """Another version's index from now on (a live switch); searches running keep the index they started on."""
        with self._lock:
            self._path, self._index = path, None

    def search(self, *args: Any, **kwargs: Any) -> SearchPage:
        return self.get().search(*args, **kwargs)

    def outlets(self) -> list[str]:
        return self.get().outlets()


def open_search(path: str | None, store: Any, base: str, labels: Callable[[], Mapping[str, str]]) -> LazyIndex:
    """The index a server searches (``path``, the build's file, or one built from ``store`` on first use)."""
    return LazyIndex(path, store, base, labels)


def search_router(index: LazyIndex, catalog: Catalog, base: str, offload: Offload | None = None) -> APIRouter:
    """The /search route over ``index``."""
    router = APIRouter()
    offload = offload or Offload()

    def href(result: dict[str, Any]) -> str | None:
        link = result["link"]
        page, _, anchor = link.partition("#")
        path = doc_path(page, base)
        return f"{path}#{anchor}" if path and anchor else path

    def answer(q: str, kinds: list[str], outlet: str | None, date_from: str | None, date_to: str | None, page: int,
               per_page: int, as_json: bool) -> Response:
        idx = index
        found = idx.search(q, kinds, outlet, date_from, date_to, limit=per_page, offset=(page - 1) * per_page)
        for r in found.results:
            r["href"] = href(r)
            if r["kind"] == "entity" and r["iri"].startswith(base + "id/"):
                r["id"] = r["iri"][len(base) + 3:]
        params = {"q": q, "kind": kinds, "outlet": outlet or "", "from": date_from or "", "to": date_to or ""}

        def page_url(n: int) -> str:
            return "/search?" + urlencode({k: v for k, v in {**params, "page": n, "per_page": per_page}.items() if v}, doseq=True)

        pages = max(1, -(-found.total // per_page))
        nav = {"page": page, "per_page": per_page, "pages": pages,
               "next": page_url(page + 1) if page < pages else None, "previous": page_url(page - 1) if page > 1 else None}
        if as_json:
            return JSONResponse({"query": q, "filters": {"kind": kinds, "outlet": outlet, "from": date_from, "to": date_to},
                                 "total": found.total, **nav, "results": found.results})
        return render("search.html", q=q, kinds=kinds, all_kinds=KINDS, outlet=outlet or "", outlets=idx.outlets(),
                      date_from=date_from or "", date_to=date_to or "", found=found, nav=nav,
                      title=f"Search: {q}" if q else "Search")

    @router.get("/search")
    async def search(request: Request) -> Response:
        params = query_params(request)
        q = enforce_length("search_chars", first(params, "q") or "", "the search")
        kinds = [k for k in params.get("kind", []) if k]
        enforce("types_per_query", len(kinds), "the kinds of the search")
        for k in kinds:
            if k not in KINDS:
                raise ProtocolError(400, "bad-kind", f"kind={k[:40]!r} is not one of {', '.join(KINDS)}", SEARCH_HINT)
        outlet = enforce_length("search_chars", first(params, "outlet") or "", "the outlet") or None
        date_from, date_to = _param_date(first(params, "from"), "from"), _param_date(first(params, "to"), "to")
        page = _param_int(first(params, "page"), "page", 1)
        per_page = _param_int(first(params, "per_page"), "per_page", PER_PAGE)
        enforce("search_per_page", per_page, "per_page")
        enforce("search_page", page, "page")
        as_json = first(params, "format") == "json" or "application/json" in (request.headers.get("accept") or "")
        return await offload.run(answer, q, kinds, outlet, date_from, date_to, page, per_page, as_json)

    return router

