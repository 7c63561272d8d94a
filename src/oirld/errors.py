"""One small error tree.

Every error says what went wrong, where (``file:line`` when there is a file), and what to do next, so the CLI
can print it as is. The class decides the exit code: bad data exits 1, anything that stops the run itself exits 2.
"""

from __future__ import annotations

import errno
from pathlib import Path

__all__ = ["OirldError", "DataError", "DataProblems", "NonConformingData", "RunError", "Location", "disk_error", "raise_problems"]


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


class DataProblems(DataError):
    """Several problems found in one pass over the data; ``problems`` lists each as a DataError, so a data editor
    fixes them all in one round instead of one per build."""

    def __init__(self, problems: list[DataError], what: str = "the data") -> None:
        self.problems = problems
        listing = "\n".join(f"  {p.where}: {p.what}" + (f"\n    -> {p.hint}" if p.hint else "") for p in problems)
        super().__init__(f"{len(problems)} problem(s) in {what}:\n{listing}", problems[0].where,
                         "fix each line named above and build again")

    def __str__(self) -> str:
        return self.what


def raise_problems(problems: list[DataError], what: str) -> None:
    """Nothing for no problem, the problem itself for one, all of them (each problem's own list flattened) for more."""
    flat = [q for p in problems for q in (p.problems if isinstance(p, DataProblems) else [p])]
    if len(flat) == 1:
        raise flat[0]
    if flat:
        raise DataProblems(flat, what)


class NonConformingData(DataError):
    """The graph was built but fails the SHACL shapes; ``report`` is the readable validation report."""

    def __init__(self, what: str, report: str, where: Location | str | None = None, hint: str | None = None) -> None:
        self.report = report
        super().__init__(what, where, hint)


class RunError(OirldError):
    """The run itself could not go on (missing folder, unwritable output, store locked, bad query)."""

    exit_code = 2


# errno -> (what it means in words, what to do); pyoxigraph's RocksDB errors carry no errno, only this text
_DISK = {
    errno.ENOSPC: ("the disk is full", "free some space on that disk, or build into a folder on another disk with --out"),
    errno.EDQUOT: ("the disk quota is used up", "free some space, or build into another folder with --out"),
    errno.EROFS: ("the file system is read-only", "build into a writable folder with --out"),
    errno.EACCES: ("permission denied", "make the folder writable for this user (chmod/chown), or use another --out"),
    errno.EPERM: ("operation not permitted", "make the folder writable for this user (chmod/chown), or use another --out"),
    errno.ENOTDIR: ("a file is where a folder is expected", "move that file away, or use another --out"),
    errno.EISDIR: ("a folder is where a file is expected", "move that folder away, or use another --out"),
    errno.EEXIST: ("a file is in the way", "move it away, or use another --out"),
    errno.ENOENT: ("no such file or folder", "check the path exists (and was not removed during the build)"),
    errno.EIO: ("the disk reported an input/output error", "check the disk (dmesg), or use another --out"),
}
_DISK_TEXT = {"No space left": errno.ENOSPC, "Read-only file system": errno.EROFS, "Permission denied": errno.EACCES,
              "Disk quota exceeded": errno.EDQUOT, "Not a directory": errno.ENOTDIR, "Is a directory": errno.EISDIR}


def disk_error(exc: OSError, doing: str, fallback: str | Path, note: str = "") -> RunError:
    """An OSError met while reading or writing files, as a RunError that names the file and what to do.

    ``fallback`` is named when the error does not say which file it is about; ``note`` ends the hint (for example
    which version is still published)."""
    code = exc.errno
    if code not in _DISK:
        code = next((c for text, c in _DISK_TEXT.items() if text in str(exc)), code)
    meaning, todo = _DISK.get(code, (exc.strerror or str(exc) or type(exc).__name__, "check the folder and the disk, then try again"))
    where = exc.filename if exc.filename is not None else fallback
    detail = str(exc) if exc.errno is None and str(exc) else ""
    what = f"could not go on while {doing}: {meaning}" + (f" ({detail})" if detail and detail != meaning else "")
    return RunError(what, Location(str(where)), todo + (f"; {note}" if note else ""))
