"""Helpers the command modules share (:mod:`.cli`, :mod:`.cli_serve`): the run's configuration, progress lines,
and the store a command reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .config import Config
from .errors import RunError

__all__ = ["run_config", "progress_reporter", "store_path"]


def run_config(ctx: click.Context, **overrides: Any) -> Config:
    """The group's configuration with this command's options on top: options win over the environment (README,
    Settings)."""
    base: Config = ctx.obj
    return base.with_overrides(**overrides)


def progress_reporter(quiet: bool):
    """The ``[step/N]`` lines on standard error, so that results alone go to standard output; nothing with ``--quiet``."""
    from .pipeline import STEPS

    def report(step: int, message: str) -> None:
        if not quiet:
            click.echo(f"[{step}/{STEPS}] {message}", err=True)

    return report


def store_path(ctx: click.Context, store: Path | None) -> Path:
    """``--store`` when given, else the current version's store: a reading command needs a build, and says so (exit 2)."""
    if store is not None:
        return store
    from .pipeline import current_version_dir

    current = current_version_dir(run_config(ctx).out)
    if current is None:
        raise RunError("no published build yet", hint="run 'oirld build' first, or give --store PATH")
    return current / "store"
