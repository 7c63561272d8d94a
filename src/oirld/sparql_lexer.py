"""SPARQL text read the way the engine reads it, for the checks that must run before the engine sees it.

Oxigraph 0.5 parses SPARQL with a scannerless PEG parser, which differs from a lexer built on the grammar's
terminals (SPARQL 1.1 Query section 19.8) in ways a hostile query can use to hide a keyword from a checker:

* keywords are matched as prefixes, without a word boundary (``SERVICEex:evil{…}`` and ``trueSERVICE<…>`` both
  call a service), and ASCII-only case-insensitively (``ſERVICE`` is no keyword);
* ``<`` is an IRI or the less-than operator depending on the parse (``FILTER(?a<?b)SERVICE#>`` hides a SERVICE from
  a lexer that reads ``<?b)SERVICE#>`` as an IRI);
* an unterminated long string falls back to an empty short one; local names stop after one run of dots.

So this module does not pick one tokenisation: :func:`read` builds every tokenisation the engine could use (a graph
of positions joined by tokens, alternatives where the engine may choose) and keeps the tokens on paths that tokenize
the whole text. A check over :class:`Reading` sees whatever any reading of the text holds. Text that no path
tokenizes is refused (:class:`LexError`), never passed through. ``\\u`` escapes count only inside strings and IRIs,
as in the engine (it does not apply section 19.2 escapes elsewhere).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

__all__ = ["Token", "Reading", "LexError", "read", "KEYWORDS", "OPENERS", "CLOSERS"]

#: the engine's keywords (every ``i("…")`` in its grammar), matched ASCII-case-insensitively
KEYWORDS = frozenset("""ABS ADD ADJUST ALL AS ASC ASK AVG BASE BIND BNODE BOUND BY CEIL CLEAR COALESCE CONCAT CONSTRUCT
CONTAINS COPY COUNT CREATE DATA DATATYPE DAY DEFAULT DELETE DESC DESCRIBE DISTINCT DROP ENCODE_FOR_URI EXISTS FILTER
FLOOR FROM GRAPH GROUP GROUP_CONCAT HAVING HOURS IF IN INSERT INTO IRI LANG LANGDIR LANGMATCHES LATERAL LCASE LIMIT
LOAD MAX MD5 MIN MINUS MINUTES MONTH MOVE NAMED NOT NOW OBJECT OFFSET OPTIONAL ORDER PREDICATE PREFIX RAND REDUCED
REGEX REPLACE ROUND SAMPLE SECONDS SELECT SEPARATOR SERVICE SHA1 SHA256 SHA384 SHA512 SILENT STR STRAFTER STRBEFORE
STRDT STRENDS STRLANG STRLANGDIR STRLEN STRSTARTS STRUUID SUBJECT SUBSTR SUM TIMEZONE TO TRIPLE TZ UCASE UNDEF UNION
URI USING UUID VALUES VERSION WHERE WITH YEAR HASLANG HASLANGDIR ISBLANK ISIRI ISLITERAL ISNUMERIC ISTRIPLE ISURI
SAMETERM""".split())
#: keywords the engine matches case-sensitively
_EXACT_WORDS = ("a", "true", "false")
_LONGEST_KEYWORD = max(map(len, KEYWORDS))
_KEYWORD_PREFIXES = frozenset(k[:n] for k in KEYWORDS for n in range(1, len(k) + 1))

OPENERS = frozenset({"(", "[", "{", "<<", "<<(", "{|"})
CLOSERS = frozenset({")", "]", "}", ">>", ")>>", "|}"})

# the terminals, with the engine's character ranges (it has no names beyond U+FFFD)
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F"
         "\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD")
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_LOCAL_SPEC = re.compile(rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?")
_LOCAL_ENGINE = re.compile(rf"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*(?:\.+(?:[{_CHARS}:]|{_PLX})+)?")
_VAR = re.compile(rf"[?$][{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*")
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?")
_NUMBER = re.compile(r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+")
_ESC = r"\\(?:[tbnrf\"'\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})"
_STRINGS = (
    re.compile(rf"'''(?:(?:''|')?(?:[^'\\]|{_ESC}))*+'''"),
    re.compile(rf'"""(?:(?:""|")?(?:[^"\\]|{_ESC}))*+"""'),
    re.compile(rf"'(?:[^'\\\n\r]|{_ESC})*+'"),
    re.compile(rf'"(?:[^"\\\n\r]|{_ESC})*+"'),
)
_IRIREF = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_WORD = re.compile(r"[A-Za-z0-9_]+")
_NIL_ANON = re.compile(r"\([ \t\r\n]*\)|\[[ \t\r\n]*\]")
# punctuation, longest first where the engine might take either
_PUNCT = {
    "<": ("<<(", "<<", "<=", "<"), ">": (">>", ">=", ">"), ")": (")>>", ")"), "{": ("{|", "{"),
    "|": ("|}", "||", "|"), "&": ("&&",), "!": ("!=", "!"), "^": ("^^", "^"), "=": ("=",), ",": (",",),
    ";": (";",), ".": (".",), "*": ("*",), "/": ("/",), "+": ("+",), "-": ("-",), "~": ("~",), "}": ("}",),
    "]": ("]",), "(": ("(",), "[": ("[",), "?": ("?",),
}


class LexError(ValueError):
    """No reading of the text tokenizes it; ``line`` and ``column`` (1-based) point where every reading stops."""

    def __init__(self, text: str, offset: int) -> None:
        self.offset = offset
        self.line = text.count("\n", 0, offset) + 1
        self.column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        near = text[offset:offset + 20]
        super().__init__(f"cannot read the text at line {self.line}, column {self.column} (near {near!r})")


class Token(NamedTuple):
    """One token: ``kind`` is IRI, PNAME, VAR, BNODE, STRING, NUMBER, LANGTAG, KEYWORD, PUNCT (NIL and ANON are
    PUNCT ``()``/``[]``); ``value`` is the unescaped IRI, the keyword in upper case, or the text. A prefixed name
    keeps only where its local part starts (``split``): :meth:`Reading.pname` gives its parts, so that the many
    overlapping names of a long run of name characters cost no copies."""

    kind: str
    start: int
    end: int
    value: str
    split: int = 0


def _unescape_uchars(raw: str) -> str | None:
    """The text with its ``\\u``/``\\U`` escapes replaced, or None when one names no Unicode scalar value."""
    bad = False

    def one(m: re.Match[str]) -> str:
        nonlocal bad
        code = int(m.group(1) or m.group(2), 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            bad = True
            return ""
        return chr(code)

    out = _UCHAR.sub(one, raw)
    return None if bad else out


_FIRST_LOCAL = re.compile(rf"[{_U}:0-9]|{_PLX}")
_RUN_PREFIX = re.compile(rf"[{_CHARS}.]+")
_RUN_LOCAL = re.compile(rf"(?:[{_CHARS}.:]|{_PLX})+")
_RUN_SEGMENT = re.compile(rf"(?:[{_CHARS}:]|{_PLX})+")
_DOTS = re.compile(r"\.+")
_WS = re.compile(r"[ \t\r\n]*")
_EOL = re.compile(r"[\r\n]|\Z")
_BASE_CHAR = re.compile(f"[{_BASE}]")
_BNODE_FIRST = re.compile(rf"_:[{_U}0-9]")


class _Run:
    """The end of the longest match of a run pattern. From any start inside the last match the end is the same (the
    patterns are runs of one class of characters, or of escapes that cannot overlap), so the last match is kept:
    a text of one long run costs one scan, not one per position."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.start, self.end, self.memo = pattern, -1, -1, {}

    def at(self, text: str, p: int) -> int:
        if not self.start <= p < self.end:
            m = self.pattern.match(text, p)
            self.start, self.end, self.memo = p, (m.end() if m else p), {}
        return self.end


class _Lexer:
    """The candidate tokens at each position of one text, with the scans shared between positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.prefix_run = _Run(_RUN_PREFIX)
        self.local_run = _Run(_RUN_LOCAL)
        self.segment_run = _Run(_RUN_SEGMENT)
        self.eol_from, self.eol = -1, -1
        self.skips: dict[int, int] = {}

    def skip(self, p: int) -> int:
        """Past whitespace and comments; a comment's end of line is kept for the other ``#`` on the same line."""
        if p in self.skips:
            return self.skips[p]
        text, start = self.text, p
        while True:
            p = _WS.match(text, p).end()
            if p < len(text) and text[p] == "#":
                if not self.eol_from <= p < self.eol:
                    self.eol_from, self.eol = p, _EOL.search(text, p).start()
                p = self.eol
            else:
                self.skips[start] = p
                return p

    def name_end(self, p: int) -> int:
        """The end of the longest run of name characters and dots from ``p``, without its trailing dots."""
        run = self.prefix_run
        end = run.at(self.text, p)
        if "trimmed" not in run.memo:
            t = end
            while t > run.start and self.text[t - 1] == ".":
                t -= 1
            run.memo["trimmed"] = t
        return run.memo["trimmed"]

    def local_ends(self, q: int) -> set[int]:
        """Where a local name from ``q`` ends: the grammar's (no trailing dot) and Oxigraph 0.5's (one run of dots)."""
        text = self.text
        if not _FIRST_LOCAL.match(text, q):
            return set()
        run = self.local_run
        run.at(text, q)
        if "spec" not in run.memo:
            run.memo["spec"] = _LOCAL_SPEC.match(text, q).end()
        seg = self.segment_run
        seg_end = seg.at(text, q)
        if "engine" not in seg.memo:
            end = seg_end
            if seg_end < len(text) and text[seg_end] == ".":
                after = _DOTS.match(text, seg_end).end()
                if _RUN_SEGMENT.match(text, after, after + 4):
                    end = _Run(_RUN_SEGMENT).at(text, after)
            seg.memo["engine"] = end
        return {run.memo["spec"], seg.memo["engine"]}

    def names(self, p: int) -> list[Token]:
        """Prefixed names and keywords that may start at ``p``: the engine tries keywords as prefixes of longer
        words."""
        text, out = self.text, []
        ns_end = p if text[p] == ":" else (self.name_end(p) if _BASE_CHAR.match(text, p) else -1)
        if 0 <= ns_end < len(text) and text[ns_end] == ":":
            split = ns_end + 1
            for end in sorted(self.local_ends(split), reverse=True):
                out.append(Token("PNAME", p, end, "", split))
            out.append(Token("PNAME", p, split, "", split))
        w = _WORD.match(text, p, min(len(text), p + _LONGEST_KEYWORD))
        if w:
            word = w.group()
            up = word.upper()
            found = []
            for n in range(1, len(up) + 1):
                piece = up[:n]
                if piece not in _KEYWORD_PREFIXES:
                    break
                if piece in KEYWORDS:
                    found.append(Token("KEYWORD", p, p + n, piece))
            found.reverse()  # the longest first
            if word[0] in "atf":
                found.extend(Token("KEYWORD", p, p + len(e), e) for e in _EXACT_WORDS if word.startswith(e))
            out.extend(found)
        return out

    def candidates(self, p: int) -> list[Token]:
        """Every token the engine might read at ``p``, the likeliest first."""
        text = self.text
        c = text[p]
        out: list[Token] = []
        if c == "<":
            m = _IRIREF.match(text, p)
            if m and (value := _unescape_uchars(m.group()[1:-1])) is not None:
                out.append(Token("IRI", p, m.end(), value))
        if c in "\"'":
            for rx in _STRINGS:
                m = rx.match(text, p)
                if m and _unescape_uchars(m.group()) is not None:
                    out.append(Token("STRING", p, m.end(), m.group()))
            return out
        if c in "?$":
            m = _VAR.match(text, p)
            if m:
                return [Token("VAR", p, m.end(), m.group()[1:])]
        if c == "_":
            if _BNODE_FIRST.match(text, p):
                end = max(p + 3, self.name_end(p + 2))
                return [Token("BNODE", p, end, text[p:end])]
            return []
        if c == "@":
            m = _LANGTAG.match(text, p)
            return [Token("LANGTAG", p, m.end(), m.group())] if m else []
        if c.isdigit() or c == ".":
            m = _NUMBER.match(text, p)
            if m:
                out.append(Token("NUMBER", p, m.end(), m.group()))
        if c in "([":
            m = _NIL_ANON.match(text, p)
            if m:
                out.append(Token("PUNCT", p, m.end(), c + ("]" if c == "[" else ")")))
        for punct in _PUNCT.get(c, ()):
            if text.startswith(punct, p):
                out.append(Token("PUNCT", p, p + len(punct), punct))
        if c == ":" or c.isalpha() or ord(c) > 0x7F:
            out.extend(self.names(p))
        return out


@dataclass
class Reading:
    """Every tokenisation of one text: ``edges[p]`` are the tokens at position ``p`` that some complete reading
    uses, each with the position of the next token. ``primary`` is one complete reading (the likeliest)."""

    text: str
    start: int
    edges: dict[int, list[tuple[Token, int]]] = field(default_factory=dict)

    def tokens(self):
        """Every token of every complete reading (each once)."""
        for pairs in self.edges.values():
            for token, _ in pairs:
                yield token

    def after(self, p: int) -> list[Token]:
        return [t for t, _ in self.edges.get(p, [])]

    def next_of(self, token: Token) -> int:
        return _Lexer(self.text).skip(token.end)

    def pname(self, token: Token) -> tuple[str, str]:
        """A prefixed name's prefix and local part (escapes removed, as the engine removes them)."""
        return self.text[token.start:token.split - 1], self.text[token.split:token.end].replace("\\", "")

    def keywords(self, *names: str) -> list[Token]:
        wanted = {n.upper() for n in names}
        return sorted((t for t in self.tokens() if t.kind == "KEYWORD" and t.value.upper() in wanted), key=lambda t: t.start)

    @property
    def primary(self) -> list[Token]:
        out, p = [], self.start
        while p in self.edges and self.edges[p]:
            token, p = self.edges[p][0]
            out.append(token)
        return out

    def longest(self, *weights: Callable[[Token, int], int]) -> list[int]:
        """For each weight, the largest running total of ``weight(token, total_before)`` along any complete reading
        (a DAG, so one pass in position order is exact when the weight grows with the total before)."""
        k = len(weights)
        best: dict[int, list[int]] = {self.start: [0] * k}
        top = [0] * k
        for p in sorted(self.edges):
            here = best.get(p)
            if here is None:
                continue
            for token, q in self.edges[p]:
                there = best.setdefault(q, [-1] * k)
                for i in range(k):
                    total = weights[i](token, here[i])
                    if total > top[i]:
                        top[i] = total
                    if total > there[i]:
                        there[i] = total
        return top


def read(text: str) -> Reading:
    """All readings of ``text``; :class:`LexError` when none tokenizes all of it."""
    n = len(text)
    lexer = _Lexer(text)
    start = lexer.skip(0)
    raw: dict[int, list[tuple[Token, int]]] = {}
    marked = bytearray(n + 1)
    marked[start] = 1
    p = start
    while p < n:
        if marked[p]:
            pairs = []
            for token in lexer.candidates(p):
                q = lexer.skip(token.end)
                pairs.append((token, q))
                marked[q] = 1
            raw[p] = pairs
        p = marked.find(1, p + 1)
        if p < 0:
            break
    alive = bytearray(n + 1)
    alive[n] = marked[n]
    for p in sorted(raw, reverse=True):
        if any(alive[q] for _, q in raw[p]):
            alive[p] = 1
    if not alive[start]:
        raise LexError(text, max(p for p in range(n + 1) if marked[p] and not alive[p]))
    reading = Reading(text, start)
    for p, pairs in raw.items():
        if alive[p]:
            reading.edges[p] = [(t, q) for t, q in pairs if alive[q]]
    return reading
