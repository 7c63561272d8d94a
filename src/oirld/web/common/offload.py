"""CPU-bound work of the handlers, off the event loop and bounded.

Reconciliation batches, suggest, data extension, search and the rendering of pages and documents are pure Python
(fuzzy matching, templates, JSON-LD compaction): run on the event loop, one large batch would hold every other
request, a cheap lookup included, until it ends. They run in threads instead, at most ``size`` at once (a pool of
their own, apart from the SPARQL query workers, so neither kind starves the other). A request waits at most
``queue_wait`` seconds for a free thread, then gets 503 ``busy`` with Retry-After: the wait is bounded by time,
never by memory, as for queries. A thread cannot be stopped from outside, so each handler bounds its own work
(:mod:`oirld.web.common.limits`).
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, TypeVar

import anyio

from ..responses import ProtocolError

__all__ = ["Offload"]

T = TypeVar("T")


class Offload:
    """A small pool of threads for CPU-bound handler work; ``await offload.run(fn, *args)``."""

    def __init__(self, size: int = 2, queue_wait: float = 2.0) -> None:
        self.size = max(1, size)
        self.queue_wait = queue_wait
        self._slots = asyncio.Semaphore(self.size)
        self._threads: anyio.CapacityLimiter | None = None  # made in the server's loop, on first use

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            async with asyncio.timeout(self.queue_wait):
                await self._slots.acquire()
        except TimeoutError:
            raise ProtocolError(503, "busy", "the server is busy with other reconciliation, search or page requests",
                                "retry in a moment", {"Retry-After": "1"}) from None
        try:
            if self._threads is None:
                self._threads = anyio.CapacityLimiter(self.size)
            # not abandoned on cancellation: the slot frees when the work really ends, so threads stay bounded
            return await anyio.to_thread.run_sync(fn, *args, limiter=self._threads)
        finally:
            self._slots.release()
