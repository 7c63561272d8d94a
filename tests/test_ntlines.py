"""Finding a node's lines in N-Triples by bisection of its sorted lines (:mod:`oirld.ntlines`) gives the lines a split of the
whole text by subject gives, whatever the node's place (first line, last line without its newline) and whatever
the literals hold (a subject's text inside a literal, an IRI that is a prefix of another)."""

from __future__ import annotations

from collections import defaultdict

from oirld.ntlines import SubjectLines, object_lines

P, Q = "http://x/p", "http://x/q"
LINES = [
    b'<http://x/a> <http://x/p> <http://x/b> .\n',
    b'<http://x/ab> <http://x/p> <http://x/a> .\n',
    b'<http://x/b> <http://x/q> "<http://x/a> <http://x/p> <http://x/b> ." .\n',
    b'<http://x/a> <http://x/q> "two\\nlines" .\n',
    b'_:b0 <http://x/p> <http://x/a> .\n',
    b'<http://x/c> <http://x/p> <http://x/ab> .\n',
    b'<http://x/b> <http://x/p> <http://x/a> .\n',
]


def _by_subject(data: bytes) -> dict[bytes, bytes]:
    index: dict[bytes, list[bytes]] = defaultdict(list)
    for line in data.splitlines(keepends=True):
        index[line.split(b" ", 1)[0]].append(line)
    return {k: b"".join(v) for k, v in index.items()}


def test_subject_lines_are_the_lines_a_split_by_subject_gives() -> None:
    for rotation in range(len(LINES)):
        lines = LINES[rotation:] + LINES[:rotation]
        for data in (b"".join(lines), b"".join(lines).rstrip(b"\n")):
            index, lines = _by_subject(data), SubjectLines(data)
            for node in ("http://x/a", "http://x/ab", "http://x/b", "http://x/c", "http://x/d"):
                head = f"<{node}>".encode()
                found = lines.of(head + b" ")
                assert found.endswith(b"\n") or not found
                assert sorted(found.splitlines()) == sorted(index.get(head, b"").splitlines())


def test_object_lines_are_the_lines_of_a_predicate_and_object() -> None:
    for rotation in range(len(LINES)):
        data = b"".join(LINES[rotation:] + LINES[:rotation])
        for p in (P, Q):
            for o in ("http://x/a", "http://x/b", "http://x/ab"):
                want = b"".join(line for line in data.splitlines(keepends=True)
                                if line.endswith(f" <{p}> <{o}> .\n".encode()))
                assert object_lines(data, f" <{p}> <{o}> .\n".encode()) == want
