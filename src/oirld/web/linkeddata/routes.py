"""The routers of this package, built from the app's state: :func:`router` (dumps and crawler files, search, the
pages about the whole dataset) and :func:`resources_router` (dereferenceable IRIs and their documents), which the
app includes last, as its ``/{kind}/{key}`` paths are the most general."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter

from .downloads import downloads_router
from .pages import pages_router
from .resources import linked_data_router
from .search import search_router
from .views import doc_path

if TYPE_CHECKING:
    from ..state import AppState

__all__ = ["resources_router", "router"]


def router(state: AppState) -> APIRouter:
    settings, catalog, offload = state.settings, state.catalog, state.offload
    router = APIRouter()
    router.include_router(downloads_router(Path(settings.versions_dir) if settings.versions_dir else None,
                                           lambda: settings.dataset_version if settings.versions_dir else None, settings.base_iri,
                                           lambda: sorted(doc_path(iri, settings.base_iri) or iri for iri in catalog.labels.names
                                                          if "#" not in iri and any(iri.startswith(f"{settings.base_iri}{k}/")
                                                                                    for k in ("id", "source", "claim"))),
                                           Path(settings.home) / "mappings" if settings.home else None))
    router.include_router(search_router(state.search_index, catalog, settings.base_iri, offload))
    router.include_router(pages_router(state.store, settings, catalog, state.reconciler, offload))
    return router


def resources_router(state: AppState) -> APIRouter:
    settings = state.settings
    return linked_data_router(state.store, settings.base_iri, state.catalog, state.reconciler, settings.home, state.offload)
