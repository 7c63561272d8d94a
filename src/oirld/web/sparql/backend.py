"""Where the clients' work runs: never in the server process.

A :class:`Backend` holds the reader pool (queries, each worker cut off the network when the system allows it), a
second, smaller pool *with* network for the queries the guard saw a SERVICE clause in (only when federation is on:
an isolated worker could not reach the allowed endpoints either), and, with updates enabled, the one writer
process and the generations it commits. The server process keeps only what pages, reconciliation and Graph Store
GET read, through a :class:`StoreView` that follows the newest generation.

Without updates the readers open the published store itself. With updates the backend works on a private copy in
a temporary folder (the published version never changes; the copy goes when the server stops).

Given the build's ``current`` link (``follow``), a read-only backend switches to each newly published version
without a restart: later jobs carry the new store folder (a worker reopens when the folder differs), jobs already
running finish on the old one, and builds never remove a version folder, so nothing disappears under a reader.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Any, Callable, Iterator

import anyio
import pyoxigraph as ox

from .isolation import Isolation, probe_isolation
from .workers import ProcessRunner, QueryJob, QueryOutcome
from .writer import WriteJob, WriteOutcome, Writer

__all__ = ["Backend", "StoreView"]


class StoreView:
    """A read-only store that reopens the newest generation when a write has committed one (for the server
    process's own reads: pages, reconciliation, the Graph Store GET, the service description)."""

    def __init__(self, backend: "Backend") -> None:
        self._backend = backend
        self._lock = threading.Lock()
        self.location: str | None = None
        self._store: ox.Store | None = None

    def current(self) -> ox.Store:
        with self._lock:
            where = self._backend.location
            if where != self.location or self._store is None:
                self._store, self.location = ox.Store.read_only(where), where
            return self._store

    def __getattr__(self, name: str) -> Any:
        return getattr(self.current(), name)

    def __len__(self) -> int:
        return len(self.current())

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self.current())

    def __contains__(self, quad: object) -> bool:
        return quad in self.current()


class Backend:
    """Readers (and, with ``updates``, one writer) over the on-disk store at ``published``, which is never written.

    ``isolation`` says whether workers leave the network (default: what :func:`probe_isolation` finds here)."""

    def __init__(self, published: str, *, updates: bool = False, workers: int | None = None, timeout: float = 30.0,
                 queue_wait: float = 2.0, in_memory: bool = False, federation: bool = False,
                 isolation: Isolation | None = None, prestart: bool = True, readers: ProcessRunner | None = None,
                 owned: str | None = None, follow: str | None = None, poll: float = 2.0) -> None:
        self.isolation = isolation or probe_isolation()
        #: the build's ``current`` link to follow (read-only backends only), how often to look, and who to tell
        self.follow = follow if not updates else None
        self.poll = poll
        self.on_switch: list[Callable[[str], None]] = []
        self._watch: asyncio.Task | None = None
        self.updates = updates
        self._owned = [owned] if owned else []
        self._generation = 0
        self.location = published
        self.writer: Writer | None = None
        if updates:
            work = tempfile.mkdtemp(prefix="oirld-serve-")
            self._owned.append(work)
            self._work = Path(work)
            primary = str(self._work / "primary")
            source = ox.Store.read_only(published)
            source.backup(primary)  # hard links where the file system allows: cheap even for a large store
            first = self._next_generation()
            source.backup(first)
            del source
            self.location = first
            self.writer = Writer(primary, self._next_generation, self._commit, timeout, queue_wait, self.isolation.available)
        self.readers = readers or ProcessRunner(self.location, workers, timeout, queue_wait, in_memory,
                                                isolate=self.isolation.available, prestart=prestart)
        self.readers.store_path = self.location
        self.federated = ProcessRunner(self.location, max(1, self.readers.size // 2), timeout, queue_wait, in_memory,
                                       isolate=False, prestart=False) if federation else None
        self.view = StoreView(self) if updates or self.follow else None
        # an app dropped without a shutdown (in-process tests) must not leave processes or folders behind
        self._finalizer = weakref.finalize(self, Backend._cleanup, self.readers, self.federated, self.writer, list(self._owned))

    @classmethod
    def over(cls, store: ox.Store, *, updates: bool = False, **options: Any) -> "Backend":
        """A backend for a store given as an object (in memory, or opened elsewhere): copied to a private folder
        first, as worker processes can only share a store through the file system. Workers start on demand."""
        folder = tempfile.mkdtemp(prefix="oirld-store-")
        try:
            copy = ox.Store(str(Path(folder) / "store"))
            copy.bulk_extend(store)
            copy.flush()
            del copy
            return cls(str(Path(folder) / "store"), updates=updates, owned=folder, prestart=False, **options)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def _next_generation(self) -> str:
        self._generation += 1
        return str(self._work / f"generation-{self._generation:06d}")

    def _commit(self, folder: str) -> None:
        """A write committed ``folder``: new jobs read it; folders no process may still read are removed."""
        self.location = folder
        self.readers.store_path = folder
        if self.federated is not None:
            self.federated.store_path = folder
        self.collect()

    def collect(self) -> None:
        if not self.updates:
            return
        keep = {self.location} | self.readers.locations()
        if self.federated is not None:
            keep |= self.federated.locations()
        if self.view is not None and self.view.location:
            keep.add(self.view.location)
        for folder in self._work.glob("generation-*"):
            if str(folder) not in keep:
                shutil.rmtree(folder, ignore_errors=True)

    def describe(self) -> str:
        """The mode, for the start-up line and the service description."""
        mode = f"{self.readers.size} query worker processes"
        if self.federated is not None:
            mode += f" (+{self.federated.size} with network, for SERVICE to allowed endpoints only)"
        if self.updates:
            mode += ", updates in one writer process on a private copy"
        return f"{mode}; {self.isolation.describe()}"

    @property
    def version(self) -> str:
        """The version folder's name (what ``current`` names when following a build)."""
        return Path(self.location).parent.name

    def _published(self) -> str | None:
        """The store folder ``current`` names now, if it is another one than the one served."""
        if self.follow is None:
            return None
        try:
            target = os.path.realpath(self.follow)
        except OSError:
            return None
        store = os.path.join(target, "store")
        return store if store != self.location and os.path.isdir(store) else None

    async def check(self) -> bool:
        """Switch to a newly published version: new jobs read it; running ones finish on the one they started on."""
        store = self._published()
        if store is None:
            return False
        ox.Store.read_only(store)  # opens (a half-copied or broken version is refused here, and the old one kept)
        self.location = store
        self.readers.store_path = store
        if self.federated is not None:
            self.federated.store_path = store
        for callback in self.on_switch:
            await anyio.to_thread.run_sync(callback, self.version)
        return True

    async def _follow(self) -> None:
        while True:
            await asyncio.sleep(self.poll)
            try:
                await self.check()
            except OSError:
                continue  # a version being written or removed: look again next time

    async def start(self) -> None:
        for pool in (self.readers, self.federated):
            if pool is not None and not pool.started:
                await pool.start()
        if self.follow is not None and self._watch is None:
            self._watch = asyncio.get_running_loop().create_task(self._follow())

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        for pool in (self.readers, self.federated):
            if pool is not None:
                await pool.stop()
        if self.writer is not None:
            await self.writer.stop()
        self._finalizer()

    async def query(self, job: QueryJob, service: bool = False) -> QueryOutcome:
        """Run a query; ``service``: the guard saw SERVICE in it (and allowed every target)."""
        await self.start()
        pool = self.federated if service and self.federated is not None else self.readers
        try:
            return await pool.run(job)
        finally:
            self.collect()

    async def write(self, job: WriteJob) -> WriteOutcome:
        if self.writer is None:
            raise RuntimeError("updates are not enabled on this backend")
        return await self.writer.run(job)

    @staticmethod
    def _cleanup(readers: ProcessRunner, federated: ProcessRunner | None, writer: Writer | None, owned: list[str]) -> None:
        readers.kill_all()
        if federated is not None:
            federated.kill_all()
        if writer is not None:
            writer.kill()
        for folder in owned:
            shutil.rmtree(folder, ignore_errors=True)
