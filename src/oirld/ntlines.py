"""The lines of one node in N-Triples, found without splitting the whole text by subject in Python.

Checking a few groups of the global part reads a few nodes of many parts (a claim's passages live in its article's
extras, a wire story's reprints in the one ``wire`` group of every story). Splitting each part into lines by
subject, line by line in Python, cost more than the validation itself, and so did scanning a part with
``bytes.find`` for each node (every line starts with the same long base IRI). :class:`SubjectLines` sorts a part's
lines once (in C) and finds a node's lines by bisection. Both rely on the N-Triples the serialisers here write: one
triple per line, the terms separated by one space, a line ending in `` .\\n``.
"""

from __future__ import annotations

from bisect import bisect_left

__all__ = ["SubjectLines", "object_lines"]


class SubjectLines:
    """The lines of an N-Triples text, sorted, so the lines of one subject are found by bisection."""

    def __init__(self, data: bytes) -> None:
        if data and not data.endswith(b"\n"):
            data += b"\n"
        self._lines = sorted(data.splitlines(keepends=True))

    def of(self, head: bytes) -> bytes:
        """The lines that start with ``head`` (a subject and the space after it: ``b"<iri> "``)."""
        lines, found = self._lines, []
        i = bisect_left(lines, head)
        while i < len(lines) and lines[i].startswith(head):
            found.append(lines[i])
            i += 1
        return b"".join(found)


def object_lines(data: bytes, tail: bytes) -> bytes:
    """The lines of ``data`` that end with ``tail`` (the space before a predicate, the predicate, its object and
    `` .\\n``: ``b" <p> <o> .\\n"``)."""
    found = []
    at = data.find(tail)
    while at >= 0:
        end = at + len(tail)
        found.append(data[data.rfind(b"\n", 0, at) + 1:end])
        at = data.find(tail, end)
    return b"".join(found)
