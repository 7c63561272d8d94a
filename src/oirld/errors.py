"""One small error tree.

Every error says what went wrong, where (``file:line`` when there is a file), and what to do next, so the CLI
can print it as is. The class decides the exit code: bad data exits 1, anything that stops the run itself exits 2.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["OirldError", "DataError", "NonConformingData", "RunError", "Location"]


class Location:
    """A place in a file a person can open: ``path:line`` (line is 1-based, may be unknown)."""

    def __init__(self, path: str | Path, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __repr__(self) -> str:
        return f"Location({self.path!r}, {self.line!r})"


class OirldError(Exception):
    """Base of every error oirld raises on purpose."""

    exit_code = 2

    def __init__(self, what: str, where: Location | str | None = None, hint: str | None = None) -> None:
        self.what = what
        self.where = where
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.where}: {self.what}" if self.where else self.what
        return f"{head}\n  -> {self.hint}" if self.hint else head

    def as_dict(self) -> dict[str, object]:
        return {
            "error": type(self).__name__,
            "message": self.what,
            "where": str(self.where) if self.where else None,
            "hint": self.hint,
        }


class DataError(OirldError):
    """The input (a seed, its metadata, a mapping, the registry) is wrong; fixing the data fixes it."""

    exit_code = 1


class NonConformingData(DataError):
    """The graph was built but fails the SHACL shapes; ``report`` is the readable validation report."""

    def __init__(self, what: str, report: str, where: Location | str | None = None, hint: str | None = None) -> None:
        self.report = report
        super().__init__(what, where, hint)


class RunError(OirldError):
    """The run itself could not go on (missing folder, unwritable output, store locked, bad query)."""

    exit_code = 2
