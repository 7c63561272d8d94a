"""Updates in one writer process, so that a timeout really stops them and a crash cannot take the server down.

With updates enabled, SPARQL Update and Graph Store writes go to a single writer process that owns a writable
on-disk copy of the store (never the published version). Oxigraph applies each operation in a transaction, so a
writer killed at the timeout (or crashed by a hostile update) leaves the data as it was: nothing is half-written.
After each successful write the writer flushes and makes a checkpoint (RocksDB hard links, milliseconds) into a new
*generation* folder; readers reopen the newest generation read-only. A checkpoint never changes, so a reader never
sees a file disappear under it. (Measured with pyoxigraph 0.5.13: ``Store.read_only`` on the writer's own folder
sees every committed write at the time it opens, flushed or not, as RocksDB replays its log, and an open read-only
store never sees later writes; but RocksDB does not support reading a folder a live writer compacts.)

A Graph Store PUT replaces a graph: written as one update (DROP + INSERT DATA) so it, too, is all or nothing.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable

import anyio
import pyoxigraph as ox

from .workers import Busy, TimedOut, jobs

__all__ = ["WriteJob", "WriteOutcome", "Writer"]


@dataclass(frozen=True)
class WriteJob:
    """One change: ``update`` (SPARQL Update text) or a Graph Store ``put``/``post``/``delete``."""

    kind: str
    base_iri: str
    text: str = ""
    graph: str | None = None  # for the Graph Store: None is the default graph
    body: bytes = b""
    media_type: str = ""


@dataclass(frozen=True)
class WriteOutcome:
    status: int  # 204, 201 (a Graph Store write created its graph), or an error status
    code: str = ""
    message: str = ""


def _graph(job: WriteJob) -> ox.NamedNode | ox.DefaultGraph:
    return ox.NamedNode(job.graph) if job.graph is not None else ox.DefaultGraph()


def _term(term: object) -> str:
    """A term in SPARQL syntax: N-Triples, except triple terms (SPARQL 1.2 writes them ``<<( s p o )>>``)."""
    if isinstance(term, ox.Triple):
        return f"<<( {_term(term.subject)} {_term(term.predicate)} {_term(term.object)} )>>"
    return str(term)


def _replace_text(target: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple]) -> str:
    """A Graph Store PUT as one SPARQL Update, which Oxigraph applies in one transaction."""
    data = "\n".join(f"{_term(t.subject)} {_term(t.predicate)} {_term(t.object)} ." for t in triples)
    if isinstance(target, ox.NamedNode):
        return f"DROP SILENT GRAPH {target} ; CREATE SILENT GRAPH {target} ; INSERT DATA {{ GRAPH {target} {{ {data} }} }}"
    return f"DROP SILENT DEFAULT ; INSERT DATA {{ {data} }}"


def apply(store: ox.Store, job: WriteJob) -> WriteOutcome:
    """Apply one change to ``store``; every path through here is a single transaction."""
    if job.kind == "update":
        try:
            store.update(job.text, base_iri=job.base_iri)
        except SyntaxError as exc:
            return WriteOutcome(400, "malformed-update", f"the update does not parse: {exc}")
        except (OSError, ValueError, RuntimeError) as exc:
            return WriteOutcome(400, "update-failed", f"the update failed: {exc}")
        return WriteOutcome(204)
    target = _graph(job)
    existed = isinstance(target, ox.DefaultGraph) or store.contains_named_graph(target)
    if job.kind == "delete":
        if not existed:
            return WriteOutcome(404, "no-such-graph", f"there is no graph <{job.graph}>")
        store.remove_graph(target) if isinstance(target, ox.NamedNode) else store.clear_graph(target)
        return WriteOutcome(204)
    try:
        triples = list(ox.parse(job.body, format=ox.RdfFormat.from_media_type(job.media_type), base_iri=job.base_iri))
    except (SyntaxError, ValueError) as exc:
        return WriteOutcome(400, "malformed-rdf", f"the RDF does not parse: {exc}")
    if job.kind == "put":
        store.update(_replace_text(target, triples))
    elif triples:
        store.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
    elif isinstance(target, ox.NamedNode):
        store.add_graph(target)
    return WriteOutcome(204 if existed else 201)


def _writer_main(conn: Connection, isolate: bool, primary: str) -> None:
    store = None
    for checkpoint, job in jobs(conn, isolate):
        if store is None:
            store = ox.Store(primary)  # opened after isolation: RocksDB starts threads
        try:
            outcome = apply(store, job)
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:  # a bug or a full disk, not the client's
            outcome = WriteOutcome(500, "write-failed", f"the write failed (nothing was changed): {exc}")
        if outcome.status < 300:
            store.flush()
            store.backup(checkpoint)
        conn.send(outcome)


class Writer:
    """The one writer process, started on first use; writes wait their turn at most ``queue_wait`` seconds.

    ``next_generation()`` names the folder a successful write checkpoints into; ``commit(folder)`` publishes it to
    the readers. A writer that dies or runs past the timeout is killed, and the store as it then is (unchanged by
    the killed write) is checkpointed again, so no write the writer may have finished is lost to readers."""

    def __init__(self, primary: str, next_generation: Callable[[], str], commit: Callable[[str], None],
                 timeout: float = 30.0, queue_wait: float = 2.0, isolate: bool = False) -> None:
        self.primary, self.next_generation, self.commit = primary, next_generation, commit
        self.timeout, self.queue_wait, self.isolate = timeout, queue_wait, isolate
        self._ctx = mp.get_context("spawn")
        self._lock = asyncio.Lock()
        self._process: Any = None
        self._conn: Connection | None = None
        self._ready = False
        self.restarts = 0

    def _start(self) -> None:
        self._conn, child = self._ctx.Pipe()
        self._process = self._ctx.Process(target=_writer_main, args=(child, self.isolate, self.primary), daemon=True)
        self._process.start()
        child.close()
        self._ready = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
            assert self._conn is not None
            self._conn.close()
        self._process = self._conn = None

    async def stop(self) -> None:
        if self._process is not None and self._conn is not None:
            try:
                self._conn.send(None)
                self._process.join(10)
            except (OSError, BrokenPipeError):
                pass
        self.kill()

    def _checkpoint(self, folder: str) -> str:
        """After a killed writer: the store as the last commit left it (RocksDB drops the unfinished one)."""
        ox.Store.read_only(self.primary).backup(folder)
        return folder

    async def run(self, job: WriteJob) -> WriteOutcome:
        try:
            await asyncio.wait_for(self._lock.acquire(), self.queue_wait)
        except asyncio.TimeoutError:
            raise Busy() from None
        try:
            if self._process is None:
                self._start()
            assert self._conn is not None
            checkpoint = self.next_generation()
            try:
                if not self._ready:
                    if not await anyio.to_thread.run_sync(self._conn.poll, 120.0) or self._conn.recv() != "ready":
                        raise EOFError("the writer did not start")
                    self._ready = True
                deadline = time.monotonic() + self.timeout
                self._conn.send((checkpoint, job))
                if not await anyio.to_thread.run_sync(self._conn.poll, max(0.0, deadline - time.monotonic())):
                    raise TimedOut()
                outcome: WriteOutcome = await anyio.to_thread.run_sync(self._conn.recv)
            except (TimedOut, EOFError, OSError, BrokenPipeError) as exc:
                self.kill()
                self.restarts += 1
                self.commit(await anyio.to_thread.run_sync(self._checkpoint, self.next_generation()))
                if isinstance(exc, TimedOut):
                    raise
                return WriteOutcome(500, "worker-died", "the writer process died on this request (nothing was changed); it was replaced")
            except BaseException:  # cancelled: its answer would be read as the next write's, so start afresh
                self.kill()
                self.restarts += 1
                self.commit(self._checkpoint(self.next_generation()))
                raise
            if outcome.status < 300:
                self.commit(checkpoint)
            return outcome
        finally:
            self._lock.release()
