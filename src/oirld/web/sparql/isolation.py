"""Keeping the query engine off the network: the second line of defence behind the SERVICE/LOAD guard.

The guard reads the query text; if it ever reads it differently from the engine's parser, a SERVICE or LOAD could
reach any address the server can. So each worker process that runs the engine first moves into its own, empty
network namespace (Linux ``unshare``): no interface but a loopback that is down, so every connection fails, to any
address, whatever the query says. As root ``CLONE_NEWNET`` alone works; without privileges it needs a new user
namespace too (``CLONE_NEWUSER``), which the kernel allows only to a single-threaded process -- hence it is the
first thing a freshly spawned worker does, before it opens the store (RocksDB starts threads).

Where neither works (not Linux, user namespaces disabled, a container that forbids ``unshare``), the server says so
at start and in its service description, and the guard is the only defence.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing as mp
import os
import sys
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Isolation", "isolate_network", "probe_isolation"]

_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000


@dataclass(frozen=True)
class Isolation:
    """Whether workers can be cut off the network, and how (or why not)."""

    available: bool
    detail: str

    def describe(self) -> str:
        """One line for the start-up message, the service description and the README."""
        if self.available:
            return f"network isolation: on ({self.detail})"
        return f"network isolation: UNAVAILABLE ({self.detail}); only the query guard stops SERVICE and LOAD"


def isolate_network() -> str:
    """Move this (single-threaded) process into an empty network namespace; how it was done, or OSError."""
    if not sys.platform.startswith("linux"):
        raise OSError(f"network namespaces need Linux, not {sys.platform}")
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    tried = []
    for flags, how in ((_CLONE_NEWNET, "network namespace"), (_CLONE_NEWUSER | _CLONE_NEWNET, "user + network namespace")):
        if libc.unshare(flags) == 0:
            return how
        tried.append(f"{how}: {os.strerror(ctypes.get_errno())}")
    raise OSError("unshare failed (" + "; ".join(tried) + ")")


def _probe_main(conn) -> None:  # pragma: no cover - runs in the probe process
    try:
        conn.send(Isolation(True, isolate_network()))
    except OSError as exc:
        conn.send(Isolation(False, str(exc)))


@lru_cache(maxsize=1)
def probe_isolation() -> Isolation:
    """Try isolation once in a throw-away process spawned like a worker (the answer holds for every worker)."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_probe_main, args=(child,), daemon=True)
    try:
        process.start()
        child.close()
        if not parent.poll(30):
            return Isolation(False, "the probe process did not answer")
        return parent.recv()
    except (OSError, EOFError) as exc:
        return Isolation(False, f"the probe process failed: {exc}")
    finally:
        process.kill()
        process.join(5)
        parent.close()
