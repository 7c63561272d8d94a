"""A result cache per dataset version: the published data changes only at build, so an answer stays right until
the server is restarted on another version. Bounded by bytes, least recently used out first. Off when updates are
enabled (the data can change under it)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Hashable

from .workers import QueryOutcome

__all__ = ["ResultCache"]


class ResultCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self._items: "OrderedDict[Hashable, QueryOutcome]" = OrderedDict()

    def get(self, key: Hashable) -> QueryOutcome | None:
        item = self._items.get(key)
        if item is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return item

    def put(self, key: Hashable, outcome: QueryOutcome) -> None:
        cost = len(outcome.body) + 256
        if self.max_bytes <= 0 or cost > self.max_bytes // 4:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= len(old.body) + 256
        self._items[key] = outcome
        self.size += cost
        while self.size > self.max_bytes:
            _, dropped = self._items.popitem(last=False)
            self.size -= len(dropped.body) + 256
