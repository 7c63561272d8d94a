"""Running queries where they can be stopped, and where a crash or a forged request cannot hurt the server.

pyoxigraph has no query timeout, and a thread cannot be stopped from outside, so queries run in worker
*processes*, each with the store opened read-only. A query that runs past the timeout has its worker killed (which
really stops the work and frees its memory) and replaced; the client gets a 503 that says so. A query that crashes
the engine (deep nesting overflows its parser's stack) kills only its worker: the client gets 500 ``worker-died``
and the worker is replaced. When every worker is busy, a request waits at most ``queue_wait`` seconds for one, then
gets 503 with Retry-After: the queue is bounded by time, never by memory. Workers may first leave the network
(:mod:`.isolation`), so SERVICE and LOAD reach nothing even if the guard missed them.
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

from .isolation import isolate_network
from .results import serialize_solutions

__all__ = ["QueryJob", "QueryOutcome", "ProcessRunner", "Busy", "TimedOut", "execute_job", "died", "jobs"]


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
    #: prefixes for graph answers in syntaxes that abbreviate (Turtle, N3, RDF/XML, TriG)
    prefixes: tuple[tuple[str, str], ...] = ()


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
                _write_graph(result, writer, fmt, job.prefixes)
                writer.flush()
            finally:
                emit(("end", None))
            return None
        body = _write_graph(result, None, fmt, job.prefixes) if graph else result.serialize(format=fmt) or b""
    except (OSError, ValueError, RuntimeError) as exc:
        return QueryOutcome(500, "", b"", "evaluation-failed", f"the query failed while running: {exc}")
    return QueryOutcome(200, media[0], body)


def _write_graph(result: Any, output: Any, fmt: ox.RdfFormat, prefixes: tuple[tuple[str, str], ...]) -> bytes:
    """A CONSTRUCT/DESCRIBE answer, written as its triples come, with the prefixes where the syntax has them."""
    if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N3, ox.RdfFormat.RDF_XML, ox.RdfFormat.TRIG):
        return ox.serialize(result, output, fmt, prefixes=dict(prefixes)) or b""
    return result.serialize(output=output, format=fmt) or b""


def _open(location: str, in_memory: bool) -> ox.Store:
    store = ox.Store.read_only(location)
    if in_memory:
        # a private in-memory copy: 3-9x faster queries than the on-disk store, for memory (and load time per worker)
        memory = ox.Store()
        memory.load(store.dump(format=ox.RdfFormat.N_QUADS) or b"", ox.RdfFormat.N_QUADS)
        store = memory
    return store


def jobs(conn: Connection, isolate: bool):
    """A worker's start and its stream of jobs: leave the network first (while the process has one thread; a
    failure ends the worker, which never runs unisolated), say it is ready, then yield each job until told to stop."""
    if isolate:
        isolate_network()
    conn.send("ready")
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        yield message


def _worker_main(conn: Connection, isolate: bool, in_memory: bool = False) -> None:
    location, store = None, None
    for where, job in jobs(conn, isolate):
        if where != location:  # a new generation of the store was committed: read that one
            store, location = None, None
            store, location = _open(where, in_memory), where
        outcome = execute_job(store, job, conn.send)
        if outcome is not None:
            conn.send(outcome)


class _Worker:
    def __init__(self, ctx: Any, target: Callable[..., None], *args: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=target, args=(child, *args), daemon=True)
        self.process.start()
        child.close()
        #: the store folder this worker last opened (its generation stays on disk while it may be read)
        self.location: str | None = None
        self.ready = False

    async def started(self, limit: float = 120.0) -> None:
        """Wait for the worker's start-up (imports, isolation), which the query's timeout does not count."""
        if not self.ready:
            if not await anyio.to_thread.run_sync(self.conn.poll, limit) or self.conn.recv() != "ready":
                raise EOFError("the worker did not start")
            self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def died() -> QueryOutcome:
    return QueryOutcome(500, "", b"", "worker-died", "the worker process died (the engine crashed on this request); it was replaced")


class ProcessRunner:
    """A pool of query worker processes over an on-disk store opened read-only.

    ``store_path`` may change while the pool runs (a writer committed a new generation): each job carries the folder
    to read, and a worker reopens when it differs from the one it has. With ``isolate`` every worker enters an empty
    network namespace first. Without ``prestart`` workers are spawned on demand, up to ``workers``."""

    def __init__(self, store_path: str, workers: int | None = None, timeout: float = 30.0, queue_wait: float = 2.0,
                 in_memory: bool = False, isolate: bool = False, prestart: bool = True) -> None:
        self.store_path = store_path
        self.in_memory = in_memory
        self.isolate = isolate
        self.prestart = prestart
        self.size = workers or max(1, os.cpu_count() or 1)
        self.timeout = timeout
        self.queue_wait = queue_wait
        self._ctx = mp.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self.restarts = 0

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, _worker_main, self.isolate, self.in_memory)
        self._all.append(worker)
        return worker

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size if self.prestart else 0):
            self._idle.put_nowait(self._spawn())

    @property
    def started(self) -> bool:
        return self._idle is not None

    def locations(self) -> set[str]:
        """The store folders some worker may still be reading."""
        return {w.location for w in self._all if w.location}

    async def stop(self) -> None:
        for w in self._all:
            try:
                w.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            w.kill()
        self._all.clear()
        self._idle = None

    def kill_all(self) -> None:
        """Without an event loop (the app was dropped without a shutdown): end every worker now."""
        for w in self._all:
            w.kill()
        self._all.clear()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        if worker in self._all:
            self._all.remove(worker)
        self.restarts += 1
        if self.prestart:
            assert self._idle is not None
            self._idle.put_nowait(self._spawn())

    async def _acquire(self) -> _Worker:
        assert self._idle is not None, "start() first"
        if self._idle.empty() and len(self._all) < self.size:
            return self._spawn()
        try:
            return await asyncio.wait_for(self._idle.get(), self.queue_wait)
        except asyncio.TimeoutError:
            raise Busy() from None

    async def _receive(self, worker: _Worker, deadline: float) -> Any:
        ready = await anyio.to_thread.run_sync(worker.conn.poll, max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimedOut()
        return await anyio.to_thread.run_sync(worker.conn.recv)

    async def run(self, job: QueryJob) -> QueryOutcome:
        worker = await self._acquire()
        try:
            await worker.started()
            deadline = time.monotonic() + self.timeout
            worker.location = self.store_path
            worker.conn.send((self.store_path, job))
            message = await self._receive(worker, deadline)
        except (TimedOut, EOFError, OSError, BrokenPipeError) as exc:
            self._replace(worker)
            if isinstance(exc, TimedOut):
                raise
            return died()
        except BaseException:  # cancelled (the client went away): the worker's state is unknown
            self._replace(worker)
            raise
        if isinstance(message, tuple) and message[0] == "head":
            return replace(message[1], chunks=self._stream(worker, deadline))
        self._release(worker)
        return message

    def _release(self, worker: _Worker) -> None:
        assert self._idle is not None
        self._idle.put_nowait(worker)

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
                self._release(worker)
            else:
                self._replace(worker)
