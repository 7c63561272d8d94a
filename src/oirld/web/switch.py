"""What a server reads from the version folder it serves, pointed at the new folder on a live switch.

Why a module of its own: the store is followed by :class:`~oirld.web.sparql.backend.Backend` (new queries open the new
folder, running ones finish on the old), but the files beside it, the dataset description (``dumps/void.ttl``, with
the dumps' byte sizes and dates), the search index (``search.sqlite``) and the page index (``pages.sqlite``), are
opened by the app; this moves them
with the store, so every part of the server names the same version. The dumps themselves are served per version
(:mod:`oirld.web.linkeddata.downloads` asks which is current on each request), and no file of the old version is removed: a
download or a search already running ends on what it opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..pageindex import PageIndex

__all__ = ["follow_version_files", "page_index"]


def page_index(settings: Any) -> PageIndex | None:
    """The page index ``settings`` name, when its file is there and the store cannot change under it (with updates
    enabled the pages must read what the writer committed, so they read the store)."""
    path = settings.pages_path
    if path is None or settings.updates_enabled or not Path(path).is_file():
        return None
    return PageIndex(path)


def follow_version_files(settings: Any, search_index: Any, version_dir: Path, catalog: Any = None) -> None:
    """Point ``settings`` (a :class:`~oirld.web.settings.ServeSettings`), ``search_index`` and ``catalog``'s page
    index at ``version_dir``'s files. A file the new version lacks is not served from the old one: the description
    goes, the search index is built anew, and without a page index the pages read the store."""
    void = version_dir / "dumps" / "void.ttl"
    if settings.void_path is not None or void.is_file():
        settings.void_path = str(void) if void.is_file() else None
    if settings.search_path is not None:
        settings.search_path = str(version_dir / "search.sqlite")
        search_index.reopen(settings.search_path)
    if settings.pages_path is not None or (version_dir / "pages.sqlite").is_file():
        settings.pages_path = str(version_dir / "pages.sqlite")
    if catalog is not None:
        catalog.index = page_index(settings)
