"""Helpers the command modules share (:mod:`.cli`, :mod:`.cli_serve`): the run's configuration, progress lines,
and the store a command reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .config import Config
from .errors import RunError

__all__ = ["_config", "_progress", "_store_path"]


def _config(ctx: click.Context, **overrides: Any) -> Config:
    base: Config = ctx.obj
    return base.with_overrides(**overrides)


def _progress(quiet: bool):
    from .pipeline import STEPS

    def report(step: int, message: str) -> None:
        if not quiet:
            click.echo(f"[{step}/{STEPS}] {message}", err=True)

    return report


def _store_path(ctx: click.Context, store: Path | None) -> Path:
    if store is not None:
        return store
    from .pipeline import current_version_dir

    current = current_version_dir(_config(ctx).out)
    if current is None:
        raise RunError("no published build yet", hint="run 'oirld build' first, or give --store PATH")
    return current / "store"
