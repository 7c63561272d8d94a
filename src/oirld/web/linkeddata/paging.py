"""Pages of long lists: a document or page shows one page of its items, says how many there are, and links to the
first, previous, next and last pages, in HTML, in HTTP (``Link`` with the registered relations of RFC 8288) and in
RDF, with Hydra's partial collection views (README, "Pages of long lists", says why Hydra and not LDP paging).

A page is chosen with ``?page=N`` (1 is the first, and the address without the parameter). Without pages, a page
about a thing that a thousand articles mention lists every claim with every passage, takes seconds and grows with
the corpus; with them the first page costs about the same at any size, and stays small enough for the page cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import pyoxigraph as ox

from ..responses import ProtocolError

__all__ = ["Page", "page_number", "paginate", "page_links", "link_header", "add_hydra_view", "PAGE_PARAM", "HYDRA"]

PAGE_PARAM = "page"
HYDRA = "http://www.w3.org/ns/hydra/core#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
_MAX_PAGE = 10**9  # far beyond any list here; keeps the offset arithmetic small


@dataclass(frozen=True)
class Page:
    """Page ``number`` (from 1) of lists paged in step: list i shows items ``[(number-1)*sizes[i], number*sizes[i])``.
    One list for most pages; a document pages its claims and the links to it side by side."""

    number: int
    totals: tuple[int, ...]
    sizes: tuple[int, ...]

    @property
    def last(self) -> int:
        return max([1] + [-(-t // s) for t, s in zip(self.totals, self.sizes)])

    def window(self, i: int = 0) -> slice:
        return slice((self.number - 1) * self.sizes[i], self.number * self.sizes[i])

    @property
    def paged(self) -> bool:
        return self.last > 1


def page_number(params: Mapping[str, list[str]]) -> int:
    """The page asked for: absent is 1; anything but one whole number from 1 is refused with 400."""
    values = params.get(PAGE_PARAM, [])
    if not values:
        return 1
    if len(values) > 1:
        raise ProtocolError(400, "bad-parameter", "give 'page' once")
    raw = values[0]
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10 or not 1 <= int(raw) <= _MAX_PAGE:
        raise ProtocolError(400, "bad-parameter", f"page must be a whole number from 1, not {raw[:40]!r}", "page=1 is the first")
    return int(raw)


def paginate(number: int, totals: Iterable[int], sizes: Iterable[int]) -> Page:
    """The page, or 404 when it lies past the last (an empty list still has its page 1)."""
    page = Page(number, tuple(totals), tuple(sizes))
    if number > page.last:
        raise ProtocolError(404, "not-found", f"no page {number}: there {'is' if page.last == 1 else 'are'} {page.last}",
                            f"page={page.last} is the last")
    return page


def _href(path: str, number: int) -> str:
    return path if number == 1 else f"{path}?{PAGE_PARAM}={number}"


def page_links(path: str, page: Page) -> dict[str, Any]:
    """What a template needs for its pager: the page, the counts, and the addresses of its neighbours."""
    return {"number": page.number, "last": page.last, "totals": page.totals, "paged": page.paged,
            "first": _href(path, 1), "last_href": _href(path, page.last),
            "prev": _href(path, page.number - 1) if page.number > 1 else None,
            "next": _href(path, page.number + 1) if page.number < page.last else None,
            "query": f"?{PAGE_PARAM}={page.number}" if page.number > 1 else ""}


def link_header(path: str, page: Page) -> str:
    """``Link`` relations to the neighbouring pages (none when there is one page)."""
    if not page.paged:
        return ""
    rels = [("first", 1), ("last", page.last)]
    if page.number > 1:
        rels.append(("prev", page.number - 1))
    if page.number < page.last:
        rels.append(("next", page.number + 1))
    return ", ".join(f'<{_href(path, n)}>; rel="{rel}"' for rel, n in rels)


def add_hydra_view(graph: ox.Store, collection: str, page: Page, members: Iterable[ox.NamedNode] = ()) -> None:
    """State, in ``graph``, that it holds one page of ``collection`` (the document without a page parameter, as an
    absolute address): the collection's size (the first list's), the view this page is, its neighbours, and which
    members it holds."""
    h = {k: ox.NamedNode(HYDRA + k) for k in ("Collection", "PartialCollectionView", "totalItems", "view", "first",
                                                "previous", "next", "last", "member")}
    coll = ox.NamedNode(collection)
    view = ox.NamedNode(_href(collection, page.number))
    quads = [ox.Quad(coll, _RDF_TYPE, h["Collection"]),
             ox.Quad(coll, h["totalItems"], ox.Literal(str(page.totals[0]), datatype=_INTEGER)),
             ox.Quad(coll, h["view"], view), ox.Quad(view, _RDF_TYPE, h["PartialCollectionView"]),
             ox.Quad(view, h["first"], ox.NamedNode(_href(collection, 1))),
             ox.Quad(view, h["last"], ox.NamedNode(_href(collection, page.last)))]
    if page.number > 1:
        quads.append(ox.Quad(view, h["previous"], ox.NamedNode(_href(collection, page.number - 1))))
    if page.number < page.last:
        quads.append(ox.Quad(view, h["next"], ox.NamedNode(_href(collection, page.number + 1))))
    quads.extend(ox.Quad(coll, h["member"], m) for m in members)
    graph.extend(quads)
