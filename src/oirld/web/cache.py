"""A cache per dataset version: the published data changes only at build, so an answer (a query's, or a page's)
stays right until the server is restarted on another version. Bounded by bytes, least recently used out first. Off
when updates are enabled (the data can change under it).

The budget counts what an entry really holds: its key, its body and every other field, and the objects around them.
Keys are SHA-256 digests of what they name, so a request cannot make the cache hold more than its budget by
making its key large (a query padded to the length limit costs the same 32 bytes of key as a short one).
"""

from __future__ import annotations

import hashlib
import sys
from collections import OrderedDict
from typing import Any, Hashable

__all__ = ["ResultCache", "held_bytes"]

#: a dictionary slot and list node per entry, besides the key and the item (measured: about 100 bytes)
_ENTRY_OVERHEAD = 160


def held_bytes(item: Any) -> int:
    """Bytes ``item`` holds: its own size and that of its fields, lists, tuples and dictionaries, recursively."""
    seen: set[int] = set()
    total = 0
    stack = [item]
    while stack:
        obj = stack.pop()
        if obj is None or isinstance(obj, (bool, type)) or id(obj) in seen:
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif hasattr(obj, "__dict__"):
            stack.append(vars(obj))
        elif hasattr(obj, "__slots__"):
            stack.extend(getattr(obj, s) for s in obj.__slots__ if hasattr(obj, s))
    return total


def _digest(key: Hashable) -> bytes:
    return hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).digest()


class ResultCache:
    """Items with a ``body`` (bytes): query outcomes, or whole responses. Keys are any values with a stable
    ``repr`` (tuples of strings, bytes and numbers); only their digest is kept."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self.epoch = 0
        self._items: "OrderedDict[bytes, tuple[Any, int]]" = OrderedDict()

    def get(self, key: Hashable) -> Any | None:
        digest = _digest(key)
        entry = self._items.get(digest)
        if entry is None:
            self.misses += 1
            return None
        self._items.move_to_end(digest)
        self.hits += 1
        return entry[0]

    def clear(self) -> None:
        """Drop everything (the served version changed); answers begun before now are not kept either (``epoch``)."""
        self.epoch += 1
        self._items.clear()
        self.size = 0

    def put(self, key: Hashable, item: Any, epoch: int | None = None) -> None:
        """Keep ``item``; ``epoch``: the value of :attr:`epoch` when the work began (dropped if cleared since)."""
        if self.max_bytes <= 0 or (epoch is not None and epoch != self.epoch):
            return
        digest = _digest(key)
        cost = held_bytes(item) + sys.getsizeof(digest) + _ENTRY_OVERHEAD + 96  # 96: the (item, cost) pair
        if cost > self.max_bytes // 4:
            return
        old = self._items.pop(digest, None)
        if old is not None:
            self.size -= old[1]
        self._items[digest] = (item, cost)
        self.size += cost
        while self.size > self.max_bytes:
            _, (_, dropped) = self._items.popitem(last=False)
            self.size -= dropped
