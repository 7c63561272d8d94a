"""What a server reads from the version folder it serves, pointed at the new folder on a live switch.

Why a module of its own: the store is followed by :class:`~oirld.web.sparql.backend.Backend` (new queries open the new
folder, running ones finish on the old), but the files beside it, the dataset description (``dumps/void.ttl``, with
the dumps' byte sizes and dates) and the search index (``search.sqlite``), are opened by the app; this moves them
with the store, so every part of the server names the same version. The dumps themselves are served per version
(:mod:`oirld.web.linkeddata.downloads` asks which is current on each request), and no file of the old version is removed: a
download or a search already running ends on what it opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["follow_version_files"]


def follow_version_files(settings: Any, search_index: Any, version_dir: Path) -> None:
    """Point ``settings`` (a :class:`~oirld.web.settings.ServeSettings`) and ``search_index`` at ``version_dir``'s files.
    A file the new version lacks is not served from the old one: the description goes, the index is built anew."""
    void = version_dir / "dumps" / "void.ttl"
    if settings.void_path is not None or void.is_file():
        settings.void_path = str(void) if void.is_file() else None
    if settings.search_path is not None:
        settings.search_path = str(version_dir / "search.sqlite")
        search_index.reopen(settings.search_path)
