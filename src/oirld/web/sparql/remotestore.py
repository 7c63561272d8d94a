"""``oirld serve --remote``: the same site over a SPARQL server that ``oirld publish`` fed.

Why a store-shaped adapter: pages, dereferencing, search and reconciliation read the data through the few
pyoxigraph ``Store`` calls they use (``query``, ``quads_for_pattern``, ``len``, ``dump``, ``contains_named_graph``);
:class:`RemoteStore` answers those through the server's query endpoint, so every one of them works unchanged.
:class:`RemoteBackend` runs the clients' ``/sparql`` queries the same way, after the app's guard (SERVICE, LOAD,
size limits) has read them: only this server contacts the remote, never the client.

Which data: the graphs the remote's publication graph lists (``oirld publish`` writes it), sent as the query's
dataset (``default-graph-uri`` and ``named-graph-uri``), so the default graph is their union, as in ``oirld serve``,
whatever the remote's own default graph is (Virtuoso's holds its system graphs too). A client that names its own
dataset gets that instead. A newly completed publication is picked up within ``poll`` seconds.
"""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import replace
from typing import Any, Callable, Iterator

import anyio
import httpx
import pyoxigraph as ox

from ...errors import RunError
from ...partition import graph_iri
from ...publish import read_state
from ...remote import RESULTS_JSON, RemoteClient, parse_graph
from ...sparql_lexer import LexError, read
from .workers import Busy, QueryJob, QueryOutcome, TimedOut, execute_job

__all__ = ["RemoteStore", "RemoteBackend", "RemoteUnavailable"]

_RESULTS_ACCEPT = f"{RESULTS_JSON}, application/sparql-results+xml;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


class RemoteUnavailable(Exception):
    """The remote could not answer (unreachable, or an error of its own): 502 for the client, not its fault."""


class _Triples(list):
    """A graph answer, serialisable like pyoxigraph's QueryTriples."""

    def serialize(self, output: Any = None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes | None:
        return ox.serialize(self, output, format=format)


def _graph_form(query: str) -> bool:
    """Whether ``query`` is a CONSTRUCT or DESCRIBE (asked for as RDF: some servers, Virtuoso among them, would
    otherwise answer a CONSTRUCT in a results format); read with the guard's lexer, so IRIs and strings never count."""
    try:
        forms = [t.value.upper() for t in read(query).primary if t.kind == "KEYWORD" and t.value.upper() in _FORMS]
    except LexError:
        return False
    return bool(forms) and forms[0] in ("CONSTRUCT", "DESCRIBE")


def _substitute(query: str, substitutions: dict[ox.Variable, Any]) -> str:
    """pyoxigraph's ``substitutions`` as a VALUES block opening the WHERE group (same answers for a bound start)."""
    values = " ".join(f"VALUES ?{var.value} {{ {term} }}" for var, term in substitutions.items())
    match = _WHERE.search(query) or re.search(r"\{", query)
    if match is None:
        raise ValueError("cannot bind variables in a query without a group")
    return f"{query[:match.end()]} {values} {query[match.end():]}"


class RemoteStore:
    """The remote's published graphs, read like a read-only pyoxigraph Store (thread-safe)."""

    def __init__(self, client: RemoteClient, base: str, timeout: float = 30.0) -> None:
        self.client, self.base, self.timeout = client, base, timeout
        self._lock = threading.Lock()
        self._len: int | None = None
        self.version: str | None = None
        self.complete = False
        self.graphs: list[str] = []
        if not self.refresh():
            raise RunError(f"no oirld publication at {client.query_url} (no graph <{graph_iri(base, 'publication')}>)",
                           hint="publish a version there first: oirld publish --gsp URL; and check the base IRI is the build's")

    def refresh(self) -> bool:
        """Read the publication graph again; True when it names another version (or another state) than before."""
        state = read_state(self.client, self.base)
        if state.version is None:
            return False
        skip = {graph_iri(self.base, name) for name in ("description", "ontology", "publication")}
        graphs = [g for g in sorted(state.digests) if g not in skip and g not in state.pending]
        complete = state.state == "complete"
        with self._lock:
            if (state.version, complete, graphs) == (self.version, self.complete, self.graphs):
                return False
            self.version, self.complete, self.graphs, self._len = state.version, complete, graphs, None
        return True

    def description(self, path: Any) -> Any:
        """The dataset description ``oirld publish`` sent (graph/description), written to ``path`` as Turtle; None
        when there is none."""
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri(self.base, 'description')}> {{ ?s ?p ?o }} }}",
                             default_graph=[], named_graphs=[ox.NamedNode(graph_iri(self.base, "description"))])
        if not triples:
            return None
        path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE) or b"")
        return path

    def _dataset(self, kwargs: dict[str, Any]) -> dict[str, list[str]]:
        if "default_graph" in kwargs or "named_graphs" in kwargs:
            return {"default-graph-uri": [g.value for g in kwargs.get("default_graph") or [] if isinstance(g, ox.NamedNode)],
                    "named-graph-uri": [g.value for g in kwargs.get("named_graphs") or []]}
        graphs = self.graphs
        return {"default-graph-uri": graphs, "named-graph-uri": graphs}

    def query(self, query: str, **kwargs: Any) -> Any:
        if kwargs.get("substitutions"):
            query = _substitute(query, kwargs["substitutions"])
        try:
            accept = _GRAPH_ACCEPT if _graph_form(query) else _RESULTS_ACCEPT
            r = self.client.post_query(query, accept, self._dataset(kwargs), timeout=self.timeout)
        except RunError as exc:
            if "did not answer in time" in exc.what:
                raise TimedOut() from None
            if "the server answered 4" in exc.what:
                raise ValueError(exc.what) from None  # the remote refused this query: the client's to fix
            raise RemoteUnavailable(exc.what) from None
        media = (r.headers.get("content-type") or "").split(";")[0].strip().lower()
        if media in (RESULTS_JSON, "application/json", "application/sparql-results+xml"):
            fmt = ox.QueryResultsFormat.XML if "xml" in media else ox.QueryResultsFormat.JSON
            return ox.parse_query_results(r.content, format=fmt)
        return _Triples(parse_graph(r.content, media))

    def quads_for_pattern(self, subject: Any = None, predicate: Any = None, object: Any = None,
                          graph_name: Any = None) -> Iterator[ox.Quad]:
        terms = [subject, predicate, object]
        names = ["?s", "?p", "?o"]
        pattern = " ".join(str(t) if t is not None else n for t, n in zip(terms, names))
        wanted = [n for t, n in zip(terms, names) if t is None]
        head = " ".join(wanted) if wanted else "*"
        if graph_name is not None and isinstance(graph_name, ox.NamedNode):
            text, kwargs = f"SELECT {head} WHERE {{ GRAPH {graph_name} {{ {pattern} }} }}", {}
        else:
            text, kwargs = f"SELECT {head} WHERE {{ {pattern} }}", {}
        if not wanted:
            text = f"ASK {{ {pattern} }}"
            found = self.query(text, **kwargs)
            return iter([ox.Quad(subject, predicate, object, ox.DefaultGraph())] if bool(found) else [])
        out = []
        for row in self.query(text, **kwargs):
            s, p, o = (t if t is not None else row[n[1:]] for t, n in zip(terms, names))
            out.append(ox.Quad(s, p, o, ox.DefaultGraph()))
        return iter(out)

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return graph.value in self.graphs

    def __len__(self) -> int:
        if self._len is None:
            row = next(iter(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))
            self._len = int(row["n"].value)
        return self._len

    def __contains__(self, quad: object) -> bool:
        t = quad
        return bool(self.query(f"ASK {{ {t.subject} {t.predicate} {t.object} }}"))  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern()

    def dump(self, output: Any = None, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, *, from_graph: Any = None,
             prefixes: dict[str, str] | None = None) -> bytes | None:
        """A graph (or the union, in the default graph as ``oirld serve`` holds it), through CONSTRUCT; ``prefixes``
        as pyoxigraph's ``Store.dump`` takes them (Turtle and TriG use them)."""
        where = f"GRAPH {from_graph} {{ ?s ?p ?o }}" if isinstance(from_graph, ox.NamedNode) else "?s ?p ?o"
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
        names = {"prefixes": prefixes} if prefixes else {}
        if format.supports_datasets:
            return ox.serialize((ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples), output, format=format, **names)
        return ox.serialize(triples, output, format=format, **names)


class RemoteBackend:
    """Clients' queries, forwarded to the remote (at most ``workers`` at once; a request waits ``queue_wait`` s for
    a turn, then 503 busy); answers re-serialised here, so row caps and formats are this server's."""

    updates = False
    writer = None

    def __init__(self, store: RemoteStore, workers: int = 4, timeout: float = 30.0, queue_wait: float = 2.0,
                 poll: float = 2.0) -> None:
        self.store = self.view = store
        self.timeout, self.queue_wait, self.poll = timeout, queue_wait, poll
        self.size = workers
        self._slots = asyncio.Semaphore(workers)
        self.on_switch: list[Callable[[str], None]] = []
        self._watch: asyncio.Task | None = None

    @property
    def version(self) -> str:
        return self.store.version or "remote"

    def describe(self) -> str:
        state = "" if self.store.complete else " (its publication is incomplete: an oirld publish stopped half-way)"
        # said to clients (service description): the remote's address is not theirs to know
        return f"queries forwarded to the SPARQL server behind this one, version {self.version}{state}, at most {self.size} at once"

    async def start(self) -> None:
        if self._watch is None:
            self._watch = asyncio.get_running_loop().create_task(self._follow())

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    async def _follow(self) -> None:
        while True:
            await asyncio.sleep(self.poll)
            try:
                await self.check()
            except (RunError, ValueError, OSError, httpx.HTTPError):
                continue  # the remote is away for a moment: keep serving what was read

    async def check(self) -> bool:
        """Follow a new publication: later requests read it; the ones running finish as they started."""
        if not await anyio.to_thread.run_sync(self.store.refresh):
            return False
        for callback in self.on_switch:
            await anyio.to_thread.run_sync(callback, self.version)
        return True

    async def query(self, job: QueryJob, service: bool = False) -> QueryOutcome:
        await self.start()
        try:
            await asyncio.wait_for(self._slots.acquire(), self.queue_wait)
        except asyncio.TimeoutError:
            raise Busy() from None
        try:
            outcome = await anyio.to_thread.run_sync(execute_job, self.store, replace(job, stream=False))
        except RemoteUnavailable:
            # the cause names the remote's address, which is not the client's to know
            return QueryOutcome(502, "", b"", "remote-unavailable", "the SPARQL server behind this one could not answer")
        finally:
            self._slots.release()
        assert outcome is not None
        return outcome

    async def write(self, job: Any) -> Any:
        raise RuntimeError("updates are not available over a remote store")

    def collect(self) -> None:
        pass
