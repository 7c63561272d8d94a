"""Per-article compile and validation, in parallel and cached: the part of a build whose cost is per article.

An article's part of the build is a pure function of its inputs: its text and metadata, its mapping, the registry,
the ontology, the shapes, the base IRI and the oirld version. :func:`compile_articles` runs that function for every
article in a process pool (one process per core) and keeps each answer in ``<out>/cache/articles/<stem>.pickle``
under a SHA-256 of those inputs (:func:`article_key`); a rebuild runs only the articles whose key changed.

What one article yields (:class:`ArticleResult`): the claims its mapping makes (not yet merged with other
articles'), its own triples (:func:`oirld.graph.article_graph`: the source node, its field records, the passages
and their selectors) as N-Triples, already checked by the per-article shapes (:mod:`oirld.validation`), and the
few triples the global shapes need from it (the source node and the types of what it owns), and its part of each
dump, already gzipped (:mod:`oirld.dumpparts`). The N-Triples of the article's own triples is also kept as
``<out>/cache/articles/<stem>.nt``.

An entry is two files, because a rebuild after one article changed needs only the small part of the 999 others: the
small part (``<stem>.pickle``: claims, names, digest, counts, violations, the triples the global shapes need) is read
for every article, the big bytes (``<stem>.own``: the N-Triples and the dump members, nine tenths of the entry) only
when used, that is by a fresh store load or a dump that cannot copy the article's members from the previous version.
The ``.own`` file starts with the entry's key, so a small part is never paired with another entry's big bytes. The
big bytes are not kept once read (each use reads them again), and a fresh article's are dropped once cached: a
build streams them, so they are never all in memory at once (a first build held them all, 1.1 GiB at 1,000 articles).

The registry counts whole: adding an alias can change how a name in any mapping resolves, so any registry change
recompiles every article. The cache is only ever read by a build holding the build lock, and a cache file is
written whole (to a temporary name, then renamed), so a killed build leaves no half-written answer.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from . import __version__
from .claims import Claim, merge_claims
from .dumpparts import Members, members_of
from .errors import DataError, Location, RunError
from .graph import Minter, article_graph
from .heap import collector_paused, settle
from .mapping import compile_mapping_file
from .namespaces import OIRL
from .ontology import Ontology, load_ontology
from .pageindex import PageRows, article_rows
from .registry import Registry, load_registry
from .seeds import Seed, load_seed
from .store import content_digest
from .unlinked import names_in_quotes
from .validation import Violation, load_shapes, split_shapes, validate_graph

__all__ = ["ArticleJob", "ArticleResult", "Own", "article_key", "article_view_graph", "common_key", "compile_articles", "CACHE_FORMAT",
           "share_loaded"]

#: bumped when what the cache holds changes shape, so an old cache is never read
#: 3: claims carry mentions; 4: and each article's dump members; 5: big bytes in <stem>.own; 6: page index rows
CACHE_FORMAT = "6"
#: articles per validation call in a worker
BATCH = 8


@dataclass(frozen=True)
class ArticleJob:
    home: str
    stem: str
    seed_path: str
    mapping_path: str | None
    base: str
    key: str
    known: frozenset[str]
    engine: str = "turbo"


@dataclass(frozen=True)
class Own:
    """The big bytes of an article's result, kept apart in the cache (``<stem>.own``) and read only when used."""
    #: the article's own triples (N-Triples, UTF-8)
    chunk: bytes
    #: the article's gzip members of the three dumps (:mod:`oirld.dumpparts`), gzipped once, in the worker
    members: Members | None


@dataclass
class ArticleResult:
    stem: str
    key: str
    claims: list[Claim]
    mapping_used: bool
    #: the triples of the source node and the rdf:type of every node the article owns, for the global shapes
    extras: bytes
    triples: int
    violations: tuple[Violation, ...] = ()
    #: :func:`oirld.store.content_digest` of ``chunk``, kept so a rebuild need not parse every chunk again
    digest: str = ""
    problems: list[DataError] = field(default_factory=list)
    #: the seed as read (text, metadata), so the build's global steps need not read every seed again
    seed: Seed | None = None
    #: the registry names in each passage's words (:func:`oirld.unlinked.names_in_quotes`), for the build's audit
    named: dict = field(default_factory=dict)
    #: the seed itself could not be read (its problem stops the build before any mapping's)
    fatal: bool = False
    cached: bool = False
    #: the article's rows of the page index (:mod:`oirld.pageindex`: its passages and its record), made here once
    page_rows: PageRows | None = None
    #: the big bytes, or None while they wait in the cache file ``own_file`` (read on each use, not kept)
    own: Own | None = None
    own_file: str | None = None

    @property
    def chunk(self) -> bytes:
        return self._own().chunk

    @property
    def members(self) -> Members | None:
        return self._own().members

    def _own(self) -> Own:
        if self.own is not None:
            return self.own
        return _read_own(Path(self.own_file), self.key) if self.own_file else Own(b"", None)


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def common_key(home: Path, base: str, engine: str) -> str:
    """The inputs every article depends on: ontology, registry, shapes, base IRI, oirld version, SHACL engine."""
    onto = home / "ontology"
    files = [onto / "oirld.ttl", *sorted((onto / "registry").glob("*.yaml")), *sorted((home / "shapes").glob("*.ttl"))]
    return hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{base}|{engine}|{_digest(files)}".encode()).hexdigest()


def article_key(common: str, seed_path: Path, mapping_path: Path | None) -> str:
    meta = seed_path.with_suffix(".meta.yaml")
    files = [seed_path] + ([meta] if meta.is_file() else []) + ([mapping_path] if mapping_path else [])
    return hashlib.sha256(f"{common}|{_digest(files)}".encode()).hexdigest()


# one ontology, registry and pair of shapes graphs per worker process, keyed by project folder
_STATE: dict[str, tuple] = {}


def share_loaded(home: str, ontology: Ontology, registry: Registry) -> None:
    """The build has read the ontology and the registry already: an article compiled in this process (a rebuild
    with one changed article compiles it here, without a pool) or in a forked worker uses them, instead of reading
    them again (seconds with a large registry)."""
    _STATE.clear()
    _STATE[home] = (ontology, registry, None)


def _state(home: str):
    if home not in _STATE:
        root = Path(home)
        ontology = load_ontology(root / "ontology" / "oirld.ttl")
        registry = load_registry(root / "ontology" / "registry", ontology.classes)
        _STATE.clear()
        _STATE[home] = (ontology, registry, None)
    ontology, registry, article_shapes = _STATE[home]
    if article_shapes is None:
        article_shapes, _ = split_shapes(load_shapes(Path(home) / "shapes"))
        _STATE[home] = (ontology, registry, article_shapes)
    return _STATE[home]


def compile_article(job: ArticleJob) -> ArticleResult:
    """Compile and validate one article (runs in a worker process)."""
    return compile_batch([job])[0]


def compile_batch(jobs: list[ArticleJob]) -> list[ArticleResult]:
    """Compile several articles and validate their views in one call: the views share no focus node (each holds
    one article's own nodes), so one call finds what one call per article finds, for less overhead per call."""
    out: list[ArticleResult] = []
    union = Graph()
    owners: dict[object, ArticleResult] = {}
    engine = jobs[0].engine if jobs else "turbo"
    for job in jobs:
        result, view = _compile(job)
        out.append(result)
        if view is not None:
            for s in view.subjects():
                owners.setdefault(s, result)
            union += view
    if len(union):
        ontology, _, article_shapes = _state(jobs[0].home)
        found: dict[int, list[Violation]] = {}
        for v in validate_graph(union, article_shapes, ontology.graph, engine).violations:
            owner = owners.get(URIRef(v.focus), out[0])
            found.setdefault(id(owner), []).append(v)
        for r in out:
            r.violations = tuple(found.get(id(r), ()))
    return out


def _compile(job: ArticleJob) -> tuple[ArticleResult, Graph | None]:
    """One article's result (violations still to come) and the view the article shapes check."""
    home = Path(job.home)
    try:
        ontology, registry, _ = _state(job.home)
        seed = load_seed(Path(job.seed_path))
    except DataError as exc:
        return ArticleResult(job.stem, job.key, [], False, b"", 0, problems=[exc], fatal=True), None
    problems: list[DataError] = []
    claims: list[Claim] = []
    used = False
    if job.mapping_path:
        claims, used, errs = compile_mapping_file(Path(job.mapping_path), {seed.stem: seed}, ontology, registry, home,
                                                  set(job.known))
        problems.extend(errs)
    if problems:
        return ArticleResult(job.stem, job.key, [], used, b"", 0, problems=problems, seed=seed), None
    own = article_graph(seed, merge_claims(claims), job.base)
    chunk = own.serialize(format="nt", encoding="utf-8")
    source = Minter(job.base).source(seed.stem)
    extras = Graph()
    for t in own.triples((source, None, None)):
        extras.add(t)
    for t in own.triples((None, RDF.type, None)):
        extras.add(t)
    triples = len(own)
    rows = article_rows(own)  # before the view adds the types of what the article points to
    view = article_view_graph(own, registry, job.base)
    digest = content_digest(ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES))[1]
    return ArticleResult(job.stem, job.key, claims, used, extras.serialize(format="nt", encoding="utf-8"),
                         triples, digest=digest, seed=seed, named=names_in_quotes(claims, [seed], registry),
                         own=Own(chunk, members_of(chunk, job.base)), page_rows=rows), view


def article_view_graph(own: Graph, registry: Registry, base: str) -> Graph:
    """The view the article shapes check: the article's own triples (``own``, extended in place) and the types of
    what they point to, as the whole graph has them (entities from the registry, mapping scripts)."""
    for o in set(own.objects()):
        if isinstance(o, URIRef) and str(o).startswith(f"{base}id/"):
            key = str(o)[len(f"{base}id/"):]
            if key in registry:
                for t in registry[key].types:
                    own.add((o, RDF.type, OIRL[t]))
        elif isinstance(o, URIRef) and str(o).startswith(f"{base}mapping/"):
            own.add((o, RDF.type, OIRL.MappingScript))
    return own


def _cache_path(cache: Path, stem: str) -> Path:
    return cache / f"{stem}.pickle"


def _read_cached(cache: Path, job: ArticleJob) -> ArticleResult | None:
    """The small part of the job's entry when its key matches and its big bytes are there (read later, if used)."""
    path = _cache_path(cache, job.stem)
    try:
        with open(path, "rb") as fh:
            result = pickle.load(fh)
        with open(_own_path(cache, job.stem), "rb") as fh:
            header = fh.readline()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if not isinstance(result, ArticleResult) or result.key != job.key or header != _header(job.key):
        return None
    result.cached = True
    result.own_file = str(_own_path(cache, job.stem))
    return result


def _own_path(cache: Path, stem: str) -> Path:
    return cache / f"{stem}.own"


def _header(key: str) -> bytes:
    return f"oirld-own {CACHE_FORMAT} {key}\n".encode()


def _read_own(path: Path, key: str) -> Own:
    """An entry's big bytes. Its header was checked when the small part was read, under the same build lock, so a
    failure here is a cache damaged during the build: that build stops and says so."""
    try:
        with open(path, "rb") as fh:
            if fh.readline() != _header(key):
                raise ValueError("another entry's key")
            own = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError) as exc:
        raise RunError(f"the build cache changed or broke while it was read ({exc})", Location(path),
                       "remove the cache folder and build again") from None
    if not isinstance(own, Own):
        raise RunError("the build cache holds something else than an article's triples", Location(path),
                       "remove the cache folder and build again")
    return own


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _write_cached(cache: Path, result: ArticleResult) -> None:
    """The big bytes first, the small part last: the small part names the key its big bytes must carry, so a build
    killed in between leaves an entry that does not match (and is computed again), never a mixed one."""
    own = result._own()
    _write_atomic(_own_path(cache, result.stem), _header(result.key) + pickle.dumps(own, protocol=pickle.HIGHEST_PROTOCOL))
    _write_atomic(cache / f"{result.stem}.nt", own.chunk)
    small = replace(result, own=None, own_file=None, cached=False)
    _write_atomic(_cache_path(cache, result.stem), pickle.dumps(small, protocol=pickle.HIGHEST_PROTOCOL))


def compile_articles(jobs: list[ArticleJob], cache: Path, workers: int | None = None,
                     progress: Callable[[int, int, int], None] = lambda done, total, fresh: None) -> Iterator[ArticleResult]:
    """Every job's result, in the order of ``jobs``: from the cache when its key matches, else computed in the pool
    and cached. A result with problems is not cached (the next build tries again)."""
    cache.mkdir(parents=True, exist_ok=True)
    results: dict[str, ArticleResult] = {}
    todo = []
    with collector_paused():
        for job in jobs:
            hit = _read_cached(cache, job)
            if hit is not None:
                results[job.stem] = hit
            else:
                todo.append(job)
    settle()  # what was read lives until the build ends: no collection walks it again (oirld.heap)
    done = len(results)
    progress(done, len(jobs), 0)
    workers = workers or os.cpu_count() or 1
    # batches of up to BATCH articles, at least one per worker, so each validation call carries several articles
    size = max(1, min(BATCH, -(-len(todo) // workers)))
    batches = [todo[i:i + size] for i in range(0, len(todo), size)]
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 and len(batches) > 1 else None
    fresh = pool.map(compile_batch, batches) if pool is not None else map(compile_batch, batches)
    n = 0
    try:
        for batch in fresh:
            for result in batch:
                if not result.problems:
                    _write_cached(cache, result)
                    result = replace(result, own=None, own_file=str(_own_path(cache, result.stem)))
                results[result.stem] = result
                done += 1
                n += 1
            progress(done, len(jobs), n)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    stems = {job.stem for job in jobs}
    for stale in [*cache.glob("*.pickle"), *cache.glob("*.nt"), *cache.glob("*.own")]:  # articles that are gone
        if stale.name.rsplit(".", 1)[0] not in stems:
            stale.unlink(missing_ok=True)
    for job in jobs:
        yield results[job.stem]
