"""A cache per dataset version: the published data changes only at build, so an answer (a query's, or a page's)
stays right until the server is restarted on another version. Bounded by bytes, least recently used out first. Off
when updates are enabled (the data can change under it)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Hashable

__all__ = ["ResultCache"]

_OVERHEAD = 256  # bytes counted per entry besides its body


class ResultCache:
    """Items with a ``body`` (bytes): query outcomes, or whole responses."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self._items: "OrderedDict[Hashable, Any]" = OrderedDict()

    def get(self, key: Hashable) -> Any | None:
        item = self._items.get(key)
        if item is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return item

    def put(self, key: Hashable, item: Any) -> None:
        cost = len(item.body) + _OVERHEAD
        if self.max_bytes <= 0 or cost > self.max_bytes // 4:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= len(old.body) + _OVERHEAD
        self._items[key] = item
        self.size += cost
        while self.size > self.max_bytes:
            _, dropped = self._items.popitem(last=False)
            self.size -= len(dropped.body) + _OVERHEAD
