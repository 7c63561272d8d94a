"""The web app built by :func:`create_app`, which only wires: it builds the one application state
(:mod:`.state`), wraps the app in its middleware, and includes the router each concern builds from that state:
the SPARQL protocol (:mod:`.sparql`), reconciliation (:mod:`.reconcile`), dumps, search and the pages about the
dataset (:mod:`.linkeddata`), the vocabulary (:mod:`.vocab`), and last the dereferenceable IRIs (``/id/…`` →
``/doc/id/…``), whose paths are the most general. Every error has one JSON shape (``{"error": {...}}``).
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from .linkeddata import routes as linkeddata
from .middleware.clientheaders import ClientHeadersMiddleware
from .middleware.conditional import ConditionalGetMiddleware, HeadAsGetMiddleware
from .middleware.httplimits import LimitsMiddleware
from .middleware.publicurl import HostMiddleware
from .reconcile import routes as reconcile
from .responses import ProtocolError, error_response
from .settings import ServeSettings
from .sparql import protocol as sparql
from .sparql.backend import Backend
from .sparql.remotestore import RemoteBackend
from .sparql.workers import ProcessRunner
from .state import build_state
from .templating import STATIC_DIR
from .vocab import routes as vocab

__all__ = ["ServeSettings", "create_app", "error_response", "ProtocolError"]


def create_app(settings: ServeSettings, store: ox.Store, backend: "Backend | ProcessRunner | RemoteBackend | None" = None) -> FastAPI:
    """The app over ``store``. Queries (and writes) go to ``backend``, worker processes over the same store's folder
    (``oirld serve`` builds it); by default one over a private on-disk copy of ``store``, started on first use. A
    bare :class:`ProcessRunner` serves a read-only app. With updates enabled, the server's own reads (pages,
    reconciliation, Graph Store GET) follow the writer's commits instead of ``store``."""
    state = build_state(settings, store, backend)
    backend = state.backend

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await backend.start()
        try:
            yield
        finally:
            await backend.stop()

    app = FastAPI(title="oirld", version=__version__, docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.backend, app.state.cache, app.state.offload = backend, state.cache, state.offload
    app.state.settings, app.state.store = settings, state.store
    # innermost: tags the body before gzip, and keeps finished pages (one render per page per dataset version)
    app.add_middleware(ConditionalGetMiddleware, cache=state.cache)  # one budget (--cache-mb) for answers and pages
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                       allow_headers=["Content-Type", "Accept", "Authorization", "If-None-Match"],
                       expose_headers=["ETag", "Link", "Content-Location", "Retry-After"])
    app.add_middleware(ClientHeadersMiddleware, updates_enabled=settings.updates_enabled)  # sees CORS's headers
    app.add_middleware(HeadAsGetMiddleware)  # every layer inside answers a GET
    app.add_middleware(HostMiddleware, public_url=settings.public_url)
    app.add_middleware(LimitsMiddleware, limits=settings.limits)  # outermost: nothing runs for an oversize request
    if hasattr(backend, "on_switch"):
        backend.on_switch.append(state.switched)

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

    # the protocol first, then the other services; the linked-data router last, as its /{kind}/{key} paths are the
    # most general
    app.include_router(sparql.router(state))
    app.include_router(reconcile.router(state))
    app.include_router(linkeddata.router(state))  # dumps and crawler files, search, the pages about the dataset
    app.include_router(vocab.router(state))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(linkeddata.resources_router(state))
    return app
