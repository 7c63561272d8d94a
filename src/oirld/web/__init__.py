"""The HTTP side of oirld: the SPARQL 1.1 Protocol endpoint and the Graph Store Protocol.

The app is imported on first use, so commands that only need a helper of this package (``oirld add`` folds names
with :mod:`.reconcile.transliterate`) do not load FastAPI; nor do the
query worker processes, which import :mod:`.sparql.workers` only. The README's layout section says which
sub-package holds what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import ServeSettings, create_app

__all__ = ["create_app", "ServeSettings"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
