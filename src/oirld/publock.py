"""One ``oirld publish`` at a time per server: a lock on this machine, and a claim on the server itself.

Why both: two publishes to one server interleave their graph replacements and their publication graph, and the
server ends up holding neither version while saying it holds one. The Graph Store Protocol has no lock and no
conditional write that servers honour, so the claim is made with what it does have: each publish PUTs a graph of its
own, ``graph/lock/TOKEN`` (who, where, since when), then lists every lock graph through the query endpoint. It goes
on only if its claim is the only one there; otherwise it removes its claim and stops. Of two publishes that overlap,
the later one to list always sees the earlier one's claim (each lists after its own PUT was answered), so at most one
goes on; both may stop, and then running one again succeeds.

What it protects: oirld publishes to the same server and base IRI, from any machine, given a server that shows a
completed write to every later query (Oxigraph and Virtuoso do). Not: other programs writing those graphs, or a
publish killed outright (its claim stays: the next publish names it and ``--break-lock`` removes it). The lock on this
machine (an ``flock`` per Graph Store address in the system's temporary folder) is released by the system whatever
way a process ends, so it never goes stale; it makes the second of two publishes started here stop at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
import socket
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from .errors import Location, RunError
from .partition import graph_iri
from .remote import RemoteClient

__all__ = ["Holder", "publish_lock", "lock_holders", "claim_lock", "release_lock", "LOCK_WORDS"]

#: the words of a lock graph (the publication vocabulary of :mod:`oirld.publish`)
LOCK_WORDS = "https://w3id.org/oirld/publication#"
_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Holder:
    graph: str
    host: str
    pid: str
    since: str

    def __str__(self) -> str:
        return f"started {self.since} on {self.host} (process {self.pid}), graph <{self.graph}>"


def _prefix(base: str) -> str:
    return graph_iri(base, "lock/")


def lock_holders(client: RemoteClient, base: str) -> list[Holder]:
    """Every claim on the server, oldest first."""
    w = LOCK_WORDS
    rows = client.select(f"SELECT ?g ?host ?pid ?since WHERE {{ GRAPH ?g {{ ?g <{w}host> ?host ; <{w}pid> ?pid ; "
                         f"<{w}since> ?since }} FILTER(STRSTARTS(STR(?g), \"{_prefix(base)}\")) }}")
    found = {Holder(r["g"].value, r["host"].value, r["pid"].value, r["since"].value) for r in rows}  # type: ignore[union-attr]
    return sorted(found, key=lambda h: (h.since, h.graph))


def claim_lock(client: RemoteClient, base: str) -> str:
    """Write a claim; returns its graph (whether it won is for :func:`publish_lock` to see)."""
    graph = _prefix(base) + secrets.token_hex(12)
    since = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = "".join(f"<{graph}> <{LOCK_WORDS}{p}> {o} .\n" for p, o in (
        ("host", ox.Literal(socket.gethostname())), ("pid", ox.Literal(str(os.getpid()))),
        ("since", ox.Literal(since, datatype=ox.NamedNode(_XSD + "dateTime")))))
    client.put_graph(graph, body.encode("utf-8"))
    return graph


def release_lock(client: RemoteClient, graph: str) -> None:
    client.delete_graph(graph)


@contextmanager
def _local(target: str, folder: Path | None) -> Iterator[None]:
    folder = folder or Path(tempfile.gettempdir()) / "oirld-publish-locks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (hashlib.sha256(target.encode("utf-8")).hexdigest()[:24] + ".lock")
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            who = fh.read().strip() or "another process"
            raise RunError(f"another oirld publish to {target} is running on this machine ({who})", Location(path),
                           "wait for it to finish, then run this again") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"process {os.getpid()}\n")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def publish_lock(client: RemoteClient, base: str, break_lock: bool = False, local_dir: Path | None = None,
                 progress=lambda message: None) -> Iterator[None]:
    """Hold the publish lock for ``client``'s server while the block runs; see the module docstring.
    ``break_lock``: remove every claim found first (a publish that was killed left its claim)."""
    target = client.gsp_url or client.query_url
    with _local(target, local_dir):
        if break_lock:
            for holder in lock_holders(client, base):
                release_lock(client, holder.graph)
                progress(f"removed the lock {holder}")
        mine = claim_lock(client, base)
        try:
            holders = lock_holders(client, base)
            others = [h for h in holders if h.graph != mine]
            if others or not any(h.graph == mine for h in holders):
                what = ("another oirld publish holds " + target + ": " + "; ".join(map(str, others)) if others else
                        f"the lock written to {target} does not show through its query endpoint {client.query_url}")
                raise RunError(what, Location(target),
                               "wait for it to finish, then run this again; if it is not running any more (it was "
                               "killed), run again with --break-lock" if others else
                               "check --query names the same server as --gsp")
        except BaseException:
            _release_quietly(client, mine)
            raise
        try:
            yield
        except BaseException:
            _release_quietly(client, mine)  # the error that stopped the publish is the one to report
            raise
        release_lock(client, mine)


def _release_quietly(client: RemoteClient, graph: str) -> None:
    try:
        release_lock(client, graph)
    except RunError:
        pass
