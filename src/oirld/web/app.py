"""The web app built by :func:`create_app`: the SPARQL 1.1 Protocol endpoint (``/sparql``, with the query page
for browsers), the Graph Store HTTP Protocol (``/store``), and the routers of the sibling modules: reconciliation
(``/reconcile``), dumps and crawler files (``/dumps/``, ``/robots.txt``, ``/sitemap.xml``), pages for people
(``/disagreements``, ``/search``) and dereferenceable IRIs (``/id/…`` → ``/doc/id/…``).

Clients' queries and writes never run in the server process: they go to worker processes (:mod:`.backend`), where
a timeout really stops them and a crash of the engine kills only a worker. When every worker is busy the client is
told soon (503 with Retry-After) rather than queued without bound. Every error has one JSON shape
(``{"error": {...}}``).
"""

from __future__ import annotations

import asyncio
import hashlib
from contextlib import asynccontextmanager
from pathlib import Path

from dataclasses import dataclass

import anyio
import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from .negotiation import (FORMAT_NAMES, FORMAT_PARAMETERS, GRAPH_OFFERS, HTML_OFFER, QUAD_OFFERS, RESULT_OFFERS,
                          TURTLE_OFFER, choose, format_accept, names_an_offer)
from .cache import ResultCache
from .clientheaders import ClientHeadersMiddleware
from .conditional import ConditionalGetMiddleware, HeadAsGetMiddleware
from .downloads import downloads_router
from .switch import follow_version_files as _follow_version_files
from .linkeddata import linked_data_router
from .offload import Offload
from .pages import pages_router
from .search import open_search, search_router
from .reconcile import Reconciler, reconcile_router
from .templating import STATIC_DIR
from .views import Catalog, doc_path
from .vocab import vocab_router
from .vocabmodel import Parsed, read_graph
from .rdfout import PREFIXED, context_document, graph_bytes, prefixes
from .responses import ProtocolError, error_response, with_charset
from .httplimits import LimitsMiddleware, RequestLimits, form_pairs
from .page import render_query_page
from .backend import Backend
from .remotestore import RemoteBackend
from .sparqltext import check_federation, guarded_reading, inject_using, mentions_keyword
from .workers import Busy, ProcessRunner, QueryJob, TimedOut
from .writer import WriteJob
from .publicurl import HostMiddleware, site_url

__all__ = ["ServeSettings", "create_app", "error_response", "ProtocolError"]

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_SERVICE_HINT = "federated queries reach only the endpoints the server allows (oirld serve --service-allow IRI)"


@dataclass
class ServeSettings:
    base_iri: str = "https://w3id.org/oirld/"
    dataset_version: str = "unversioned"
    #: updates (SPARQL Update, Graph Store writes): off unless a token is set or allow_update is on
    update_token: str | None = None
    allow_update: bool = False
    max_query_length: int = 100_000
    max_concurrent_queries: int = 4
    query_timeout: float = 30.0
    #: the most rows a SELECT answer holds; every SELECT response states it (OIRLD-Row-Cap, OIRLD-Truncated)
    row_cap: int = 10_000
    #: bytes of answers kept per dataset version (0: no cache); never used when updates are enabled
    cache_bytes: int = 64 * 1024 * 1024
    #: threads for CPU-bound handlers (reconciliation, search, pages), apart from the query workers, and how long a
    #: request waits for one before 503 busy (oirld.web.offload)
    max_concurrent_cpu: int = 2
    cpu_queue_wait: float = 2.0
    #: SPARQL endpoints SERVICE may call; empty: federation is off (no server-side request forgery)
    service_allowlist: tuple[str, ...] = ()
    #: the default graph is the union of all graphs (documented in the service description)
    union_default_graph: bool = True
    #: the project folder, to show a source's text on its page (checked against the published hash)
    home: str | None = None
    #: the build's versions folder (var/versions), for /dumps/; None when serving files
    versions_dir: str | None = None
    #: the ontology file, for class hierarchies (reconciliation type filters)
    ontology_path: str | None = None
    #: the shapes file, served with the ontology at /shapes
    shapes_path: str | None = None
    #: the build's VoID + DCAT description (dumps/void.ttl), served at /.well-known/void when given
    void_path: str | None = None
    #: the build's full-text index (search.sqlite beside the store); None: one is built from the store on first use
    search_path: str | None = None
    #: the address links and base IRIs are built from (never the Host header); None: the listening socket's address
    public_url: str | None = None
    #: request size limits (bytes): bodies, uploads (Graph Store PUT/POST, SPARQL Update bodies), request target, headers
    max_body_bytes: int = 1024 * 1024
    max_upload_bytes: int = 16 * 1024 * 1024
    max_url_bytes: int = 32 * 1024
    max_header_bytes: int = 16 * 1024

    @property
    def updates_enabled(self) -> bool:
        return self.allow_update or bool(self.update_token)

    @property
    def limits(self) -> RequestLimits:
        return RequestLimits(self.max_body_bytes, self.max_upload_bytes, self.max_url_bytes, self.max_header_bytes,
                             self.updates_enabled, self.update_token)


def create_app(settings: ServeSettings, store: ox.Store, backend: "Backend | ProcessRunner | RemoteBackend | None" = None) -> FastAPI:
    """The app over ``store``. Queries (and writes) go to ``backend``, worker processes over the same store's folder
    (``oirld serve`` builds it); by default one over a private on-disk copy of ``store``, started on first use. A
    bare :class:`ProcessRunner` serves a read-only app. With updates enabled, the server's own reads (pages,
    reconciliation, Graph Store GET) follow the writer's commits instead of ``store``."""
    if isinstance(backend, ProcessRunner):
        if settings.updates_enabled:
            raise ValueError("updates need a Backend with a writer, not a bare ProcessRunner")
        backend = Backend(backend.store_path, readers=backend, federation=bool(settings.service_allowlist))
    if backend is None:
        backend = Backend.over(store, updates=settings.updates_enabled, workers=settings.max_concurrent_queries,
                               timeout=settings.query_timeout, federation=bool(settings.service_allowlist))
    if backend.view is not None:
        store = backend.view  # type: ignore[assignment]  # reads like a Store, and sees every committed write

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await backend.start()
        try:
            yield
        finally:
            await backend.stop()

    app = FastAPI(title="oirld", version=__version__, docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.backend = backend
    # the ontology, parsed once and handed to everything that reads it (class hierarchy, labels, the vocabulary pages)
    ontology = read_graph(settings.ontology_path) if settings.ontology_path else None
    reconciler = Reconciler(store, settings.base_iri, _superclasses(ontology), ontology=ontology)
    catalog = Catalog(store, settings.base_iri, ontology)
    search_index = open_search(settings.search_path, store, settings.base_iri, lambda: catalog.labels.names)
    reconciler.index = search_index
    cache = ResultCache(0 if settings.updates_enabled else settings.cache_bytes)
    app.state.cache = cache
    # innermost: tags the body before gzip, and keeps finished pages (one render per page per dataset version)
    app.add_middleware(ConditionalGetMiddleware, cache=cache)  # one budget (--cache-mb) for answers and pages
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                       allow_headers=["Content-Type", "Accept", "Authorization", "If-None-Match"],
                       expose_headers=["ETag", "Link", "Content-Location", "Retry-After"])
    app.add_middleware(ClientHeadersMiddleware, updates_enabled=settings.updates_enabled)  # sees CORS's headers
    app.add_middleware(HeadAsGetMiddleware)  # every layer inside answers a GET
    app.add_middleware(HostMiddleware, public_url=settings.public_url)
    app.add_middleware(LimitsMiddleware, limits=settings.limits)  # outermost: nothing runs for an oversize request
    slots = asyncio.Semaphore(settings.max_concurrent_queries)
    dataset_prefixes = tuple(prefixes(settings.base_iri).items())
    offload = app.state.offload = Offload(settings.max_concurrent_cpu, settings.cpu_queue_wait)
    reading_slots = anyio.CapacityLimiter(settings.max_concurrent_queries)  # the guard's reading is CPU in this process
    app.state.settings, app.state.store = settings, store

    def _switched(version: str) -> None:
        """A new version is served (a new build, or a new publication on the remote): forget what the old one said."""
        settings.dataset_version = version
        if isinstance(backend, RemoteBackend):
            if settings.void_path:
                backend.store.description(Path(settings.void_path))
            search_index.reopen(None)  # built anew from the new publication when next searched
        elif isinstance(backend, Backend):
            _follow_version_files(settings, search_index, Path(backend.location).parent)
        cache.clear()
        catalog.forget()
        reconciler.refresh()

    if hasattr(backend, "on_switch"):
        backend.on_switch.append(_switched)

    @app.exception_handler(ProtocolError)
    async def _protocol_error(request: Request, exc: ProtocolError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.hint, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """The framework's own refusals (no such route, wrong method) in the one shape too."""
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        return error_response(exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid_parameter(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', '')}" for e in exc.errors()[:5])
        return error_response(400, "bad-parameter", f"a parameter is missing or malformed ({problems})")

    async def run(fn, *args):
        if slots.locked():
            raise ProtocolError(503, "busy", "all query workers are busy", "retry in a moment", {"Retry-After": "1"})
        async with slots:
            return await anyio.to_thread.run_sync(fn, *args)

    @app.api_route("/sparql", methods=["GET", "POST", "HEAD"])
    async def sparql(request: Request) -> Response:
        params, body_kind, body_text = await _read_request(request)
        queries, updates = params.get("query", []), params.get("update", [])
        if body_kind == "query":
            queries = queries + [body_text]
        if body_kind == "update":
            updates = updates + [body_text]
        if len(queries) > 1 or len(updates) > 1:
            raise ProtocolError(400, "duplicate-parameter", "give exactly one query or one update")
        if queries and updates:
            raise ProtocolError(400, "query-and-update", "a request is either a query or an update, not both")
        if updates:
            if request.method != "POST":
                raise ProtocolError(405, "method-not-allowed", "updates must be sent with POST", headers={"Allow": "POST"})
            return await _update(request, updates[0], params)
        if not queries:
            if request.method == "POST":
                raise ProtocolError(400, "missing-query", "no 'query' or 'update' in the request")
            if _wants_html(request, params, GRAPH_OFFERS):
                return render_query_page(request, None, None)
            return _service_description(request, settings, store, backend.describe())
        if _wants_html(request, params, RESULT_OFFERS):
            return await _query_page(request, queries[0], params)
        return await _query(request, queries[0], params)

    @app.get("/context.jsonld")
    async def context() -> Response:
        """The JSON-LD context every JSON-LD document here is compacted with."""
        return Response(context_document(settings.base_iri), media_type="application/ld+json",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/.well-known/void")
    async def void(request: Request) -> Response:
        """The dataset's VoID and DCAT description (RFC 8615 well-known location, as VoID recommends)."""
        if not settings.void_path:
            raise ProtocolError(404, "no-description", "this server was started on files, not on a build, and has no dataset description")
        offer = choose(request.headers.get("accept"), GRAPH_OFFERS)
        if offer is None:
            raise ProtocolError(406, "not-acceptable", "no RDF format matches the Accept header")
        data = open(settings.void_path, "rb").read()
        if offer.format != ox.RdfFormat.TURTLE:
            g = ox.Store()
            g.load(data, ox.RdfFormat.TURTLE)
            data = graph_bytes(g, offer.media_type, settings.base_iri)
        return Response(data, media_type=with_charset(offer.media_type), headers={"Vary": "Accept"})

    async def _query_page(request: Request, query: str, params: dict[str, list[str]]) -> Response:
        """The query page with the answer as a table: queries run the same way, in JSON or N-Triples."""
        try:
            forced = {k: v for k, v in params.items() if k not in FORMAT_PARAMETERS} | {"format": ["json"]}
            response = await _query(request, query, forced, html=True)
        except ProtocolError as exc:
            return render_query_page(request, query, None, error=exc, status=exc.status)
        return await offload.run(render_query_page, request, query, response)  # a table of up to row_cap rows

    async def _query(request: Request, query: str, params: dict[str, list[str]], html: bool = False) -> Response:
        epoch, version = cache.epoch, settings.dataset_version  # an answer begun before a version switch keeps to it
        reading = await anyio.to_thread.run_sync(guarded_reading, query, "query", settings.max_query_length, limiter=reading_slots)
        problem = check_federation(reading, settings.service_allowlist, site_url(request, "sparql"))
        if problem:
            raise ProtocolError(403, "service-not-allowed", problem, _SERVICE_HINT)
        dataset = _dataset(params.get("default-graph-uri", []), params.get("named-graph-uri", []))
        accept = _accept(request, params)
        etag = '"' + hashlib.sha256(f"{version}\x1f{query}\x1f{dataset}\x1f{accept}".encode()).hexdigest()[:32] + '"'
        if not settings.updates_enabled and etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers={"ETag": etag})

        results, graphs = choose(accept, RESULT_OFFERS), choose(accept, GRAPH_OFFERS)
        if graphs is None and results is not None:
            graphs = TURTLE_OFFER  # a results format asked of a CONSTRUCT (rdflib's SPARQLStore): Turtle, as Fuseki does
        if html:
            graphs = choose("application/n-triples", GRAPH_OFFERS)
        job = QueryJob(query, site_url(request, "sparql"), dataset,
                       [results.media_type] if results else [], [graphs.media_type] if graphs else [], settings.row_cap,
                       stream=not html, prefixes=dataset_prefixes)
        key = (job.query, repr(job.dataset), tuple(job.result_media), tuple(job.graph_media), job.row_cap)
        cached = cache.get(key)
        outcome = cached or await _in_worker(backend.query(job, service=mentions_keyword(reading, "SERVICE")), "query")
        if outcome.status != 200:
            hint = None
            if outcome.status == 406:
                offers = GRAPH_OFFERS if "RDF" in outcome.message else RESULT_OFFERS
                hint = "ask for one of: " + ", ".join(o.media_type for o in offers)
            raise ProtocolError(outcome.status, outcome.code, outcome.message, hint)
        if cached is None and outcome.chunks is None:
            cache.put(key, outcome, epoch)
        data, media = outcome.body, outcome.media_type
        headers = {"Vary": "Accept", "ETag": etag, "Cache-Control": "public, max-age=60" if not settings.updates_enabled else "no-store"}
        headers["OIRLD-Cache"] = "hit" if cached is not None else "miss"
        if outcome.truncated is not None:
            headers["OIRLD-Row-Cap"] = str(settings.row_cap)
            headers["OIRLD-Truncated"] = "true" if outcome.truncated else "false"
        if outcome.chunks is not None:
            return StreamingResponse(outcome.chunks, media_type=with_charset(media), headers=headers)
        return Response(data, media_type=with_charset(media), headers=headers)

    async def _update(request: Request, update: str, params: dict[str, list[str]]) -> Response:
        _authorize(request, settings)
        reading = await anyio.to_thread.run_sync(guarded_reading, update, "update", settings.max_query_length, limiter=reading_slots)
        using = params.get("using-graph-uri", [])
        using_named = params.get("using-named-graph-uri", [])
        if using or using_named:
            if mentions_keyword(reading, "USING", "WITH"):
                raise ProtocolError(400, "dataset-conflict", "the update names its dataset (USING/WITH) and so does the request")
            written = len(update)
            try:
                update = inject_using(update, using, using_named)
            except ValueError as exc:
                raise ProtocolError(400, "malformed-graph-uri", f"using-graph-uri / using-named-graph-uri: {exc}") from None
            reading = await anyio.to_thread.run_sync(guarded_reading, update, "update",
                                                     settings.max_query_length + len(update) - written, limiter=reading_slots)
        if mentions_keyword(reading, "LOAD"):
            raise ProtocolError(403, "load-disabled", "LOAD is disabled: the server fetches nothing on a client's behalf",
                                "send the data with the Graph Store Protocol (PUT /store?graph=...) instead")
        problem = check_federation(reading, settings.service_allowlist, site_url(request, "sparql"))
        if problem:
            raise ProtocolError(403, "service-not-allowed", problem, _SERVICE_HINT)

        return await _write(WriteJob("update", site_url(request, "sparql"), text=update))

    async def _write(job: WriteJob) -> Response:
        outcome = await _in_worker(backend.write(job), "update")
        if outcome.status >= 300:  # nothing changed: a failed or killed write leaves the data as it was
            raise ProtocolError(outcome.status, outcome.code, outcome.message)
        catalog.forget()
        await anyio.to_thread.run_sync(reconciler.refresh)
        return Response(status_code=outcome.status)

    @app.api_route("/store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
    async def graph_store(request: Request) -> Response:
        graph = _gsp_target(request)
        if request.method in ("GET", "HEAD"):
            offers = GRAPH_OFFERS if graph is not None else QUAD_OFFERS + GRAPH_OFFERS
            offer = choose(request.headers.get("accept"), offers)
            if offer is None:
                raise ProtocolError(406, "not-acceptable", "no RDF format matches the Accept header")
            if isinstance(graph, ox.NamedNode) and not store.contains_named_graph(graph):
                raise ProtocolError(404, "no-such-graph", f"there is no graph <{graph.value}>")

            def dump() -> bytes:
                names = dict(dataset_prefixes) if offer.format in PREFIXED else None
                if graph is None:
                    if offer.format.supports_datasets:
                        return store.dump(format=offer.format, prefixes=names) or b""
                    return store.dump(format=offer.format, from_graph=ox.DefaultGraph(), prefixes=names) or b""
                return store.dump(format=offer.format, from_graph=graph, prefixes=names) or b""

            data = await run(dump)
            return Response(data if request.method == "GET" else b"", media_type=with_charset(offer.media_type), headers={"Vary": "Accept"})
        _authorize(request, settings)
        target = graph.value if graph is not None else None
        if request.method == "DELETE":
            return await _write(WriteJob("delete", site_url(request, request.url.path), graph=target))
        media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        try:
            fmt = ox.RdfFormat.from_media_type(media) if media else None
        except ValueError:
            fmt = None
        if fmt is None:
            raise ProtocolError(415, "unsupported-media-type", f"cannot read RDF sent as {media or 'no media type'!r}",
                                "send Turtle, N-Triples, RDF/XML or JSON-LD with its Content-Type")
        body = await request.body()
        base = site_url(request, request.url.path) + (f"?{request.url.query}" if request.url.query else "")
        return await _write(WriteJob(request.method.lower(), base, graph=target, body=body, media_type=media))

    async def _in_worker(work, what: str):
        """Await a worker's answer; a saturated pool or a timeout becomes the protocol's 503."""
        try:
            return await work
        except Busy:
            raise ProtocolError(503, "busy", f"all {what} workers are busy", "retry in a moment", {"Retry-After": "1"}) from None
        except TimedOut:
            hint = ("make the query more selective (a LIMIT, fewer OPTIONALs), or run it on a dump locally" if what == "query"
                    else "nothing was changed; split the update into smaller ones")
            raise ProtocolError(503, "timeout", f"the {what} ran longer than {settings.query_timeout:g} s and was stopped",
                                hint, {"Retry-After": "5"}) from None

    # the other services; the linked-data router last, as its /{kind}/{key} paths are the most general
    app.include_router(reconcile_router(reconciler, offload))
    app.include_router(downloads_router(Path(settings.versions_dir) if settings.versions_dir else None,
                                        lambda: settings.dataset_version if settings.versions_dir else None, settings.base_iri,
                                        lambda: sorted(doc_path(iri, settings.base_iri) or iri for iri in catalog.labels.names
                                                       if "#" not in iri and any(iri.startswith(f"{settings.base_iri}{k}/")
                                                                                 for k in ("id", "source", "claim"))),
                                        Path(settings.home) / "mappings" if settings.home else None))
    app.include_router(search_router(search_index, catalog, settings.base_iri, offload))
    app.include_router(pages_router(store, settings, catalog, reconciler, offload))
    app.include_router(vocab_router(ontology, settings.shapes_path, settings.base_iri, lambda: settings.dataset_version))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(linked_data_router(store, settings.base_iri, catalog, reconciler, settings.home, offload))
    return app


async def _read_request(request: Request) -> tuple[dict[str, list[str]], str | None, str]:
    """The protocol parameters (query string + form), and a direct POST body if any."""
    params: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        params.setdefault(k, []).append(v)
    if request.method != "POST":
        return params, None, ""
    raw_type = request.headers.get("content-type") or ""
    media = raw_type.split(";")[0].strip().lower()
    charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in raw_type.split(";")[1:] if p.strip().lower().startswith("charset=")), "utf-8")
    body = await request.body()
    if media not in ("application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"):
        raise ProtocolError(415, "unsupported-media-type", f"cannot read a POST body sent as {media or 'no media type'!r}",
                            "use application/x-www-form-urlencoded, application/sparql-query or application/sparql-update")
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(400, "not-utf8", f"the body must be UTF-8, not {charset}")
    if media == "application/x-www-form-urlencoded":
        for k, v in form_pairs(body):
            params.setdefault(k, []).append(v)
        return params, None, ""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, "not-utf8", f"the body is not valid UTF-8 (byte {exc.start})") from None
    return params, "query" if media == "application/sparql-query" else "update", text


def _dataset(default: list[str], named: list[str]) -> dict[str, object]:
    """Store.query keyword arguments for the protocol's dataset (IRIs as strings, so they travel to workers)."""
    if not default and not named:
        return {"use_default_graph_as_union": True}
    for g in default + named:
        try:
            ox.NamedNode(g)
        except ValueError as exc:
            raise ProtocolError(400, "bad-graph-iri", f"not an IRI: {exc}") from None
    return {"default_graph": list(default), "named_graphs": list(named)}


def _accept(request: Request, params: dict[str, list[str]]) -> str | None:
    """The Accept header the answer is negotiated with: the format parameters' when they name a format we know, else
    the request's Accept when it names one of ours; a format we do not know with nothing to fall back on is 400."""
    values = [v for name in FORMAT_PARAMETERS for v in params.get(name, [])]
    header = request.headers.get("accept")
    if not values:
        return header
    accept, unknown = format_accept(values)
    if accept is not None:
        return accept
    if not unknown or names_an_offer(header, RESULT_OFFERS + GRAPH_OFFERS):
        return header  # only empty values (format=), or an Accept that names a format of ours
    if all("/" in v for v in unknown):
        return unknown[0]  # a media type we do not speak: 406 names the ones we do
    raise ProtocolError(400, "unknown-format", f"unknown format {unknown[0][:100]!r}",
                        "formats: " + ", ".join(sorted(FORMAT_NAMES)) + ", or a media type in the Accept header")


def _superclasses(ontology: Parsed | None) -> dict[str, set[str]]:
    if ontology is None:
        return {}
    from rdflib.namespace import RDFS

    g = ontology.graph
    return {str(c): {str(x) for x in g.transitive_objects(c, RDFS.subClassOf)} - {str(c)} for c in set(g.subjects(RDFS.subClassOf, None))}


def _wants_html(request: Request, params: dict[str, list[str]], offers: list) -> bool:
    """A browser asking for a page: text/html preferred to every data format (ties go to data, so curl gets data)."""
    if any(params.get(name) for name in FORMAT_PARAMETERS):
        return False
    best = choose(request.headers.get("accept"), offers + [HTML_OFFER])
    return best is HTML_OFFER


def _authorize(request: Request, settings: ServeSettings) -> None:
    if settings.allow_update:
        return
    if not settings.update_token:
        raise ProtocolError(403, "updates-disabled", "this endpoint is read-only",
                            "start oirld serve with --update-token TOKEN (or --allow-update on loopback) to enable updates")
    auth = request.headers.get("authorization") or ""
    if auth != f"Bearer {settings.update_token}":
        raise ProtocolError(401, "unauthorized", "updates need 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": 'Bearer realm="oirld"'})


def _gsp_target(request: Request) -> ox.NamedNode | None:
    qp = request.query_params
    if "graph" in qp and "default" in qp:
        raise ProtocolError(400, "bad-graph-parameter", "give either ?default or ?graph=IRI")
    if "graph" in qp:
        try:
            return ox.NamedNode(qp["graph"])
        except ValueError:
            raise ProtocolError(400, "bad-graph-iri", f"not an IRI: {qp['graph']!r}") from None
    if "default" in qp:
        return None
    raise ProtocolError(400, "bad-graph-parameter", "name the graph: ?default or ?graph=IRI")


def _service_description(request: Request, settings: ServeSettings, store: ox.Store, execution: str) -> Response:
    endpoint = site_url(request, "sparql")
    accept = request.headers.get("accept") or ""
    offer = choose(accept or "text/turtle", GRAPH_OFFERS)
    if offer is None:
        raise ProtocolError(406, "not-acceptable", "no RDF format matches the Accept header")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    fmt = "http://www.w3.org/ns/formats/"
    lines = [
        f"@prefix sd: <{sd}> .", "@prefix void: <http://rdfs.org/ns/void#> .", "@prefix dcterms: <http://purl.org/dc/terms/> .",
        f"<{endpoint}#service> a sd:Service ;",
        f"    sd:endpoint <{endpoint}> ;",
        "    sd:supportedLanguage sd:SPARQL11Query" + (" , sd:SPARQL11Update" if settings.updates_enabled else "") + " ;",
        "    sd:feature sd:UnionDefaultGraph ;",
        "    sd:resultFormat " + " , ".join(f"<{fmt}{n}>" for n in (
            "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads", "TriG", "N3")) + " ;",
        "    dcterms:description \"The default graph is the union of all graphs of the store.\"@en ,",
        f"        \"Limits: {settings.limits.describe()}; queries up to {settings.max_query_length} characters; SELECT "
        f"answers up to {settings.row_cap} rows; {settings.query_timeout:g} s per query.\"@en ;",
        f"    <http://www.w3.org/2000/01/rdf-schema#comment> {ox.Literal('How queries run: ' + execution, language='en')} ;",
        f"    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; void:triples {len(store)} ] ;",
        f"        void:inDataset <{settings.base_iri}dataset> ] .",
    ]
    if settings.void_path:
        void = site_url(request, ".well-known/void")
        lines += [f"<{endpoint}#service> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{void}> .",
                  f"<{settings.base_iri}dataset> void:sparqlEndpoint <{endpoint}> ;",
                  f"    <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{void}> ."]
    graph = ox.Store()
    graph.load("\n".join(lines).encode(), ox.RdfFormat.TURTLE)
    names = {"sd": sd, "formats": fmt, "void": "http://rdfs.org/ns/void#", "dcterms": "http://purl.org/dc/terms/",
             "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
    data = graph_bytes(graph, offer.media_type, settings.base_iri, names)
    return Response(data, media_type=with_charset(offer.media_type), headers={"Vary": "Accept"})
