"""The HTTP side of oirld: the SPARQL 1.1 Protocol endpoint and the Graph Store Protocol.

The app is imported on first use, so commands that only need a helper of this package (``oirld add`` folds names
with :mod:`.reconcile.transliterate`) or the settings (:class:`.settings.ServeSettings`) do not load FastAPI; nor
do the query worker processes, which import :mod:`.sparql.workers` only. The README's layout section says which
sub-package holds what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .settings import ServeSettings

__all__ = ["create_app", "ServeSettings"]

#: where each name of ``__all__`` lives: the settings come without the app, so a command that only builds them (or a
#: test) does not pay for FastAPI
_HOMES = {"create_app": "app", "ServeSettings": "settings"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
