"""Bounds a query must keep before the engine's parser sees it.

The engine parses and evaluates recursively: deep nesting or a long chain of operators overflows its stack and kills
the process (a segfault, not an exception), and nested blank nodes or collections take time that grows with the
fourth power of the depth. Measured on pyoxigraph 0.5.13 in a thread with an 8 MiB stack (``bench/RESULTS.md``);
each bound sits far below the crash it prevents. The checks run over every reading of the text
(:mod:`oirld.sparql_lexer`), so text the engine could read as deeper than the check saw does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from .sparql_lexer import CLOSERS, OPENERS, Reading, Token, read

__all__ = ["QueryLimits", "QueryTooComplex", "check_limits", "DEFAULT_LIMITS"]

_UNARY = frozenset({"!", "+", "-"})
_CHAIN = frozenset({"+", "-", "*", "/", "||", "&&", "|", "^"})
_CHAIN_BREAKS = frozenset({"{", "}", ".", ";"})
_PATTERN_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "VALUES", "GRAPH", "SERVICE", "EXISTS", "SELECT"})


@dataclass(frozen=True)
class QueryLimits:
    #: characters in the query or update
    max_length: int = 100_000
    #: nesting depth of ( { [ (and << >>) counted together
    max_depth: int = 64
    #: operators in a row before one operand: ``!!!!x``, ``- - -x``
    max_unary: int = 64
    #: binary operators (+ - * / && || and path / | ^) in one group, between two of { } . ;
    max_chain: int = 1_000
    #: graph patterns in the whole text: each { and each UNION OPTIONAL MINUS FILTER BIND VALUES GRAPH SERVICE EXISTS SELECT
    max_patterns: int = 500


DEFAULT_LIMITS = QueryLimits()

_NAMES = {
    "max_length": "characters",
    "max_depth": "nesting depth of ( { [",
    "max_unary": "unary operators in a row",
    "max_chain": "operators in one chain",
    "max_patterns": "graph patterns",
}


class QueryTooComplex(ValueError):
    """The text is over one of the bounds; ``limit`` names it (a field of :class:`QueryLimits`)."""

    def __init__(self, limit: str, found: int, maximum: int) -> None:
        self.limit, self.found, self.maximum = limit, found, maximum
        super().__init__(f"the query is over the limit of {_NAMES[limit]}: it has {found}, the limit is {maximum}")


def _depth(token: Token, depth: int) -> int:
    if token.kind == "PUNCT" and token.value in OPENERS:
        return depth + 1
    if token.kind == "PUNCT" and token.value in CLOSERS:
        return max(0, depth - 1)
    return depth


def _unary(token: Token, run: int) -> int:
    return run + 1 if token.kind == "PUNCT" and token.value in _UNARY else 0


def _chain(token: Token, run: int) -> int:
    if token.kind == "PUNCT" and token.value in _CHAIN:
        return run + 1
    if token.kind == "PUNCT" and token.value in _CHAIN_BREAKS:
        return 0
    return run


def _patterns(token: Token, count: int) -> int:
    if token.kind == "PUNCT" and token.value == "{" or token.kind == "KEYWORD" and token.value in _PATTERN_WORDS:
        return count + 1
    return count


def check_limits(text: str, limits: QueryLimits = DEFAULT_LIMITS) -> Reading:
    """The readings of ``text`` when it keeps every bound; :class:`QueryTooComplex` (or
    :class:`~oirld.sparql_lexer.LexError` when nothing reads it) otherwise."""
    if len(text) > limits.max_length:
        raise QueryTooComplex("max_length", len(text), limits.max_length)
    reading = read(text)
    names = ("max_depth", "max_unary", "max_chain", "max_patterns")
    for limit, found in zip(names, reading.longest(_depth, _unary, _chain, _patterns)):
        if found > getattr(limits, limit):
            raise QueryTooComplex(limit, found, getattr(limits, limit))
    return reading
