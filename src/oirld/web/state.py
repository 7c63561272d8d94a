"""One application state, built once per app and handed to every router: the settings, the store and the workers
over it, the parsed ontology, the catalog of labels, the reconciler, the search index, the answer cache and the
threads for CPU work. Routers read what they need from it; none builds its own copy (the ontology is parsed once)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .cache import ResultCache
from .common.offload import Offload
from .linkeddata.search import open_search
from .linkeddata.views import Catalog
from .reconcile.reconciler import Reconciler
from .settings import ServeSettings
from .sparql.backend import Backend
from .sparql.remotestore import RemoteBackend
from .sparql.workers import ProcessRunner
from .switch import follow_version_files, page_index
from .vocab.model import Parsed, read_graph

__all__ = ["AppState", "build_state"]


@dataclass
class AppState:
    settings: ServeSettings
    #: what the server's own reads go to: the store, or with updates enabled the writer's view of it
    store: ox.Store
    backend: Backend | RemoteBackend
    #: the ontology, parsed once and handed to everything that reads it (class hierarchy, labels, vocabulary pages)
    ontology: Parsed | None
    reconciler: Reconciler
    catalog: Catalog
    search_index: Any
    #: one budget (--cache-mb) for answers and pages, per dataset version
    cache: ResultCache
    offload: Offload

    def switched(self, version: str) -> None:
        """A new version is served (a new build, or a new publication on the remote): forget what the old one said."""
        settings, backend = self.settings, self.backend
        settings.dataset_version = version
        if isinstance(backend, RemoteBackend):
            if settings.void_path:
                backend.store.description(Path(settings.void_path))
            self.search_index.reopen(None)  # built anew from the new publication when next searched
        elif isinstance(backend, Backend):
            follow_version_files(settings, self.search_index, Path(backend.location).parent, self.catalog)
        self.cache.clear()
        self.catalog.forget()
        self.reconciler.refresh()


def build_state(settings: ServeSettings, store: ox.Store, backend: Backend | ProcessRunner | RemoteBackend | None = None) -> AppState:
    """The state over ``store`` (see :func:`oirld.web.app.create_app` for ``backend``)."""
    if isinstance(backend, ProcessRunner):
        if settings.updates_enabled:
            raise ValueError("updates need a Backend with a writer, not a bare ProcessRunner")
        backend = Backend(backend.store_path, readers=backend, federation=bool(settings.service_allowlist))
    if backend is None:
        backend = Backend.over(store, updates=settings.updates_enabled, workers=settings.max_concurrent_queries,
                               timeout=settings.query_timeout, federation=bool(settings.service_allowlist))
    if backend.view is not None:
        store = backend.view  # type: ignore[assignment]  # reads like a Store, and sees every committed write

    # the ontology, parsed once and handed to everything that reads it (class hierarchy, labels, the vocabulary pages)
    ontology = read_graph(settings.ontology_path) if settings.ontology_path else None
    reconciler = Reconciler(store, settings.base_iri, _superclasses(ontology), ontology=ontology)
    catalog = Catalog(store, settings.base_iri, ontology, page_index(settings))
    search_index = open_search(settings.search_path, store, settings.base_iri, lambda: catalog.labels.names)
    reconciler.index = search_index
    cache = ResultCache(0 if settings.updates_enabled else settings.cache_bytes)
    offload = Offload(settings.max_concurrent_cpu, settings.cpu_queue_wait)
    return AppState(settings, store, backend, ontology, reconciler, catalog, search_index, cache, offload)


def _superclasses(ontology: Parsed | None) -> dict[str, set[str]]:
    if ontology is None:
        return {}
    from rdflib.namespace import RDFS

    g = ontology.graph
    return {str(c): {str(x) for x in g.transitive_objects(c, RDFS.subClassOf)} - {str(c)} for c in set(g.subjects(RDFS.subClassOf, None))}

