"""The server's settings: what ``oirld serve`` (or a test) decides, read by every router through the app's state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # httplimits is ASGI middleware (Starlette, FastAPI): the settings load without it
    from .middleware.httplimits import RequestLimits

__all__ = ["LOOPBACK", "ServeSettings"]

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


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
    #: request waits for one before 503 busy (oirld.web.common.offload)
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
    #: the build's page index (pages.sqlite beside the store); None: pages read their passages from the store
    pages_path: str | None = None
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
        from .middleware.httplimits import RequestLimits

        return RequestLimits(self.max_body_bytes, self.max_upload_bytes, self.max_url_bytes, self.max_header_bytes,
                             self.updates_enabled, self.update_token)
