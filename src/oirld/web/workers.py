"""Running queries where they can be stopped.

pyoxigraph has no query timeout, and a thread cannot be stopped from outside, so read-only queries run in worker
*processes*, each with the store opened read-only. A query that runs past the timeout has its worker killed (which
really stops the work and frees its memory) and replaced; the client gets a 503 that says so. When every worker is
busy, a request waits at most ``queue_wait`` seconds for one, then gets 503 with Retry-After: the queue is bounded
by time, never by memory.

Where the store cannot be shared between processes (updates enabled on an in-memory store), :class:`ThreadRunner`
runs queries in threads instead: still off the event loop and bounded, but a timed-out query finishes in the
background before its thread is free again. The README says which mode a server is in.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any, Callable

import anyio
import pyoxigraph as ox

from .results import serialize_solutions

__all__ = ["QueryJob", "QueryOutcome", "ProcessRunner", "ThreadRunner", "Busy", "TimedOut", "execute_job"]


class Busy(Exception):
    """Every worker is busy."""


class TimedOut(Exception):
    """The query ran past the timeout and was stopped."""


@dataclass(frozen=True)
class QueryJob:
    query: str
    base_iri: str
    dataset: dict[str, Any]  # keyword arguments for Store.query (graph IRIs as strings)
    result_media: list[str]  # acceptable result media types for SELECT/ASK, best first (already negotiated)
    graph_media: list[str]  # the same for CONSTRUCT/DESCRIBE
    row_cap: int = 10_000
    #: graph answers (CONSTRUCT, DESCRIBE) are sent in chunks as they are serialised, not built in memory first
    stream: bool = False


@dataclass(frozen=True)
class QueryOutcome:
    status: int  # 200, or an error status
    media_type: str
    body: bytes
    code: str = ""
    message: str = ""
    truncated: bool | None = None  # for SELECT: whether rows past the cap were left out
    #: for streamed graph answers: the body arrives through this async iterator instead of ``body``
    chunks: Any = None


def _dataset_kwargs(dataset: dict[str, Any]) -> dict[str, Any]:
    out = dict(dataset)
    if "default_graph" in out:
        out["default_graph"] = [ox.NamedNode(g) for g in out["default_graph"]]
    if "named_graphs" in out:
        out["named_graphs"] = [ox.NamedNode(g) for g in out["named_graphs"]]
    return out


class _ChunkWriter:
    """A binary file for pyoxigraph's serialiser that hands ~64 KiB chunks to ``emit`` as they fill."""

    def __init__(self, emit: Callable[[bytes], None], size: int = 64 * 1024) -> None:
        self.emit, self.size, self.buf = emit, size, bytearray()

    def write(self, data: bytes) -> int:
        self.buf += data
        if len(self.buf) >= self.size:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buf:
            self.emit(bytes(self.buf))
            self.buf.clear()


def execute_job(store: ox.Store, job: QueryJob, emit: Callable[[object], None] | None = None) -> QueryOutcome | None:
    """Run one query and serialise its answer in the first acceptable format.

    With ``emit`` and ``job.stream``, a graph answer is sent as ("head", outcome), ("chunk", bytes)..., ("end", None)
    through ``emit`` and the function returns None."""
    try:
        result = store.query(job.query, base_iri=job.base_iri, **_dataset_kwargs(job.dataset))
    except SyntaxError as exc:
        return QueryOutcome(400, "", b"", "malformed-query", f"the query does not parse: {exc}")
    except (OSError, ValueError, RuntimeError) as exc:
        return QueryOutcome(400, "", b"", "query-failed", f"the query failed: {exc}")
    graph = not isinstance(result, (ox.QuerySolutions, ox.QueryBoolean))
    media = job.graph_media if graph else job.result_media
    if not media:
        return QueryOutcome(406, "", b"", "not-acceptable", "no " + ("RDF" if graph else "result") + " format matches the Accept header")
    try:
        if isinstance(result, ox.QuerySolutions):
            body, truncated = serialize_solutions(result, media[0], job.row_cap)
            return QueryOutcome(200, media[0], body, truncated=truncated)
        fmt = ox.RdfFormat.from_media_type(media[0]) if graph else ox.QueryResultsFormat.from_media_type(media[0])
        if graph and job.stream and emit is not None:
            emit(("head", QueryOutcome(200, media[0], b"")))
            writer = _ChunkWriter(lambda b: emit(("chunk", b)))
            try:
                result.serialize(output=writer, format=fmt)
                writer.flush()
            finally:
                emit(("end", None))
            return None
        body = result.serialize(format=fmt) or b""
    except (OSError, ValueError, RuntimeError) as exc:
        return QueryOutcome(500, "", b"", "evaluation-failed", f"the query failed while running: {exc}")
    return QueryOutcome(200, media[0], body)


def _worker_main(store_path: str, conn: Connection, in_memory: bool = False) -> None:
    store = ox.Store.read_only(store_path)
    if in_memory:
        # a private in-memory copy: 3-9x faster queries than the on-disk store, for memory (and load time per worker)
        memory = ox.Store()
        for graph_format in (ox.RdfFormat.N_QUADS,):
            memory.load(store.dump(format=graph_format) or b"", graph_format)
        store = memory
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        outcome = execute_job(store, job, conn.send)
        if outcome is not None:
            conn.send(outcome)


class _Worker:
    def __init__(self, ctx: Any, store_path: str, in_memory: bool = False) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(store_path, child, in_memory), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class ProcessRunner:
    """A fixed pool of worker processes over an on-disk store opened read-only."""

    def __init__(self, store_path: str, workers: int | None = None, timeout: float = 30.0, queue_wait: float = 2.0,
                 in_memory: bool = False) -> None:
        self.store_path = store_path
        self.in_memory = in_memory
        self.size = workers or max(1, os.cpu_count() or 1)
        self.timeout = timeout
        self.queue_wait = queue_wait
        self._ctx = mp.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self.restarts = 0

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            w = _Worker(self._ctx, self.store_path, self.in_memory)
            self._all.append(w)
            self._idle.put_nowait(w)

    async def stop(self) -> None:
        for w in self._all:
            try:
                w.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            w.kill()
        self._all.clear()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        if worker in self._all:
            self._all.remove(worker)
        fresh = _Worker(self._ctx, self.store_path, self.in_memory)
        self._all.append(fresh)
        assert self._idle is not None
        self._idle.put_nowait(fresh)
        self.restarts += 1

    async def _receive(self, worker: _Worker, deadline: float) -> Any:
        ready = await anyio.to_thread.run_sync(worker.conn.poll, max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimedOut()
        return await anyio.to_thread.run_sync(worker.conn.recv)

    async def run(self, job: QueryJob) -> QueryOutcome:
        assert self._idle is not None, "start() first"
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_wait)
        except asyncio.TimeoutError:
            raise Busy() from None
        deadline = time.monotonic() + self.timeout
        try:
            worker.conn.send(job)
            message = await self._receive(worker, deadline)
        except (TimedOut, EOFError, OSError, BrokenPipeError) as exc:
            self._replace(worker)
            if isinstance(exc, TimedOut):
                raise
            return QueryOutcome(500, "", b"", "worker-died", "the query's worker process died; it was replaced")
        if isinstance(message, tuple) and message[0] == "head":
            return replace(message[1], chunks=self._stream(worker, deadline))
        self._idle.put_nowait(worker)
        return message

    async def _stream(self, worker: _Worker, deadline: float):
        """The chunks of a streamed answer; the worker goes back to the pool at the end, or is replaced if the
        answer runs past the timeout (the response then ends early: its headers are already sent)."""
        finished = False
        try:
            while True:
                kind, data = await self._receive(worker, deadline)
                if kind == "end":
                    finished = True
                    return
                yield data
        except (TimedOut, EOFError, OSError, BrokenPipeError):
            return
        finally:
            if finished:
                assert self._idle is not None
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)


class ThreadRunner:
    """Queries in threads over a shared (possibly writable, in-memory) store."""

    def __init__(self, store: ox.Store, workers: int = 4, timeout: float = 30.0, queue_wait: float = 2.0) -> None:
        self.store = store
        self.timeout = timeout
        self.queue_wait = queue_wait
        self._slots = asyncio.Semaphore(workers)
        self.size = workers

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            await asyncio.wait_for(self._slots.acquire(), self.queue_wait)
        except asyncio.TimeoutError:
            raise Busy() from None
        loop = asyncio.get_running_loop()

        def work() -> Any:
            try:
                return fn(*args)
            finally:
                # the slot frees when the work really ends, even if the client was answered at the timeout
                loop.call_soon_threadsafe(self._slots.release)

        try:
            with anyio.fail_after(self.timeout):
                return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        except TimeoutError:
            raise TimedOut() from None

    async def run(self, job: QueryJob) -> QueryOutcome:
        return await self.call(execute_job, self.store, job)
