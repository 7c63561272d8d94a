"""The lines of one node in N-Triples, found without splitting the whole text.

Checking a few groups of the global part reads a few nodes of many parts (a claim's passages live in its article's
extras, a wire story's reprints in the one ``wire`` group of every story). Splitting each part into lines by
subject cost more than the validation itself; ``bytes.find`` scans a part in C at memory speed and builds nothing
but the lines asked for. Both functions rely on the N-Triples the serialisers here write: one triple per line, the
terms separated by one space, a line ending in `` .\\n``.
"""

from __future__ import annotations

__all__ = ["subject_lines", "object_lines"]


def subject_lines(data: bytes, head: bytes) -> bytes:
    """The lines of ``data`` that start with ``head`` (a subject and the space after it: ``b"<iri> "``)."""
    found = []
    needle = b"\n" + head
    start = 0 if data.startswith(head) else _after(data.find(needle))
    while start >= 0:
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end + 1
        found.append(data[start:end])
        start = _after(data.find(needle, end - 1))
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


def _after(newline: int) -> int:
    return newline + 1 if newline >= 0 else -1
