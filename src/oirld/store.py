"""The embedded store: pyoxigraph on disk.

A build writes a new store in its own version folder and never touches the published one; readers open the
published store read-only, so any number of them (queries, a server's workers) can share it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from .errors import RunError
from .sparql_lexer import LexError
from .sparql_limits import QueryTooComplex, check_limits

__all__ = ["write_store", "write_store_files", "content_digest", "combine_digests", "files_digest", "store_digest", "export_ntriples", "open_store", "run_query", "load_files", "Answer"]


def write_store(path: Path, ntriples: bytes) -> None:
    store = ox.Store(str(path))
    try:
        store.bulk_load(input=ntriples, format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        store.optimize()
    finally:
        del store


def write_store_files(path: Path, files: list[Path]) -> None:
    """A new store from N-Triples files, streamed from disk (the whole dataset is never in memory at once)."""
    store = ox.Store(str(path))
    try:
        for f in files:
            store.bulk_load(path=str(f), format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        store.optimize()
    finally:
        del store


def content_digest(triples) -> tuple[int, str]:
    """(count, digest) of a set of pyoxigraph triples or quads, independent of their order: the sum of each
    triple's hash. Two equal digests mean the same triples, so what was validated can be compared with what the
    store holds without holding either in memory."""
    total, n = 0, 0
    for t in triples:
        text = f"{t.subject} {t.predicate} {t.object}".encode("utf-8")
        total = (total + int.from_bytes(hashlib.blake2b(text, digest_size=16).digest(), "big")) % (1 << 128)
        n += 1
    return n, f"{total:032x}"


def files_digest(files: list[Path]) -> tuple[int, str]:
    """:func:`content_digest` of N-Triples files, parsed as written (no literal is put into canonical form)."""
    return combine_digests([content_digest(ox.parse(path=str(f), format=ox.RdfFormat.N_TRIPLES)) for f in files])


def combine_digests(parts: list[tuple[int, str]]) -> tuple[int, str]:
    """The digest of the union of disjoint sets of triples, from theirs."""
    return sum(n for n, _ in parts), f"{sum(int(d, 16) for _, d in parts) % (1 << 128):032x}"


def store_digest(path: Path) -> tuple[int, str]:
    """:func:`content_digest` of a store's default graph, as the store gives its triples back."""
    store = ox.Store.read_only(str(path))
    return content_digest(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def load_files(store: ox.Store, files: list[Path]) -> None:
    """Load RDF files into ``store`` by their extension (.ttl .nt .nq .trig .jsonld .rdf .xml .owl)."""
    for f in files:
        suffix = f.suffix.lstrip(".").lower()
        fmt = ox.RdfFormat.RDF_XML if suffix == "owl" else ox.RdfFormat.from_extension(suffix)
        if fmt is None:
            raise RunError(f"cannot tell the RDF format of {f} from its extension",
                           hint="name it .ttl, .nt, .nq, .trig, .jsonld, .rdf or .owl")
        try:
            store.bulk_load(path=str(f), format=fmt, base_iri=f.resolve().as_uri())
        except (ValueError, SyntaxError, OSError) as exc:
            raise RunError(f"cannot load {f}: {exc}", hint="check the file is valid in the format its extension says") from None


def export_ntriples(path: Path) -> bytes:
    """The default graph as the store holds it (canonical literals included): what gets validated and dumped."""
    store = open_store(path)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return data if isinstance(data, bytes) else b""


def open_store(path: Path) -> ox.Store:
    if not path.is_dir():
        raise RunError(f"no store at {path}", hint="run 'oirld build' first, or give --store PATH")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise RunError(f"cannot open the store at {path}: {exc}") from None


class Answer:
    """A query's answer: ``kind`` is select, ask or graph; rows are lists of pyoxigraph terms (or None)."""

    def __init__(self, kind: str, variables: list[str], rows: list[list[object]], boolean: bool | None = None,
                 triples: list[object] | None = None) -> None:
        self.kind, self.variables, self.rows, self.boolean, self.triples = kind, variables, rows, boolean, triples or []


def run_query(store: ox.Store, sparql: str) -> Answer:
    """The answer to ``sparql``; a query over the bounds of :mod:`oirld.sparql_limits` is refused before the engine,
    whose parser would crash the process on it."""
    try:
        check_limits(sparql)
    except QueryTooComplex as exc:
        raise RunError(str(exc), hint="split the query or flatten its nesting (the limits are in the README)") from None
    except LexError as exc:
        raise RunError(f"the query does not parse: {exc}", hint="check the SPARQL syntax") from None
    try:
        result = store.query(sparql)
    except SyntaxError as exc:
        raise RunError(f"the query does not parse: {exc}", hint="check the SPARQL syntax") from None
    except (OSError, ValueError) as exc:
        raise RunError(f"the query failed: {exc}") from None
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[sol[v] for v in variables] for sol in result]
        return Answer("select", variables, rows)
    if isinstance(result, ox.QueryBoolean):
        return Answer("ask", [], [], boolean=bool(result))
    return Answer("graph", ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in result])
