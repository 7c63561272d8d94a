"""The limits of the reconciliation API and of search, in one place: enforced by the parsers, stated in the
reconciliation manifest (``batchSize``, and every limit under ``x-limits``) and in the README.

Their work runs in threads (:mod:`oirld.web.common.offload`), and a thread cannot be stopped from outside, so every
request's work is bounded before it starts: how many queries a batch holds, how long a name may be, how many
property constraints, values, ids and properties. Past a limit the answer is 413 in the one error shape, with a
code and a message that name the limit. A batch of ``queries_per_batch`` queries takes about 3 s of CPU here (the
measurement is in bench/RESULTS.md); the fuzzy matcher itself compares at most
:data:`oirld.web.reconcile.transliterate.FUZZY_CHARS` characters of a name, so no string costs more than that.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..responses import ProtocolError

__all__ = ["LIMITS", "Limits", "enforce", "enforce_length"]


@dataclass(frozen=True)
class Limits:
    #: queries in one reconciliation batch (the manifest's ``batchSize``)
    queries_per_batch: int = 100
    #: characters of any one string of a reconciliation request: a query, a type, a property id, a value, an id
    text_chars: int = 500
    properties_per_query: int = 20
    #: values of one property constraint (``v`` may be a list)
    values_per_property: int = 50
    types_per_query: int = 20
    #: results of one query: a larger ``limit`` is taken as this one
    results_per_query: int = 100
    ids_per_extend: int = 1000
    properties_per_extend: int = 100
    suggest_prefix_chars: int = 100
    #: characters of ``/search?q=`` (and of its ``outlet``)
    search_chars: int = 500
    #: results on one page of /search (``per_page``), and the last page it serves (``page``)
    search_per_page: int = 50
    search_page: int = 1000

    def manifest(self) -> dict[str, Any]:
        """The ``x-limits`` extension field of the reconciliation manifest."""
        return asdict(self)


LIMITS = Limits()

#: the error code of each limit, and what it counts
_KINDS = {
    "queries_per_batch": ("too-many-queries", "queries"),
    "text_chars": ("text-too-long", "characters"),
    "properties_per_query": ("too-many-properties", "property constraints"),
    "values_per_property": ("too-many-values", "values"),
    "types_per_query": ("too-many-types", "types"),
    "ids_per_extend": ("too-many-ids", "ids"),
    "properties_per_extend": ("too-many-properties", "properties"),
    "suggest_prefix_chars": ("prefix-too-long", "characters"),
    "search_chars": ("search-too-long", "characters"),
    "search_per_page": ("too-many-results", "results"),
    "search_page": ("page-too-far", "pages"),
}


def enforce(name: str, count: int, where: str) -> None:
    """413 naming the limit ``name`` (a field of :class:`Limits`) when ``count`` is over it."""
    limit = getattr(LIMITS, name)
    if count > limit:
        code, unit = _KINDS[name]
        what_next = "shorten it" if unit == "characters" else "send them in several requests"
        raise ProtocolError(413, code, f"{where} has {count} {unit}; the limit {name} is {limit}",
                            f"{what_next} (the manifest at /reconcile states every limit under x-limits)")


def enforce_length(name: str, text: str, where: str) -> str:
    """``text``, or 413 when it is longer than the limit ``name``."""
    enforce(name, len(text), where)
    return text
