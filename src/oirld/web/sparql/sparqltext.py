"""Checks on SPARQL text, over every way the engine could read it (:mod:`oirld.sparql_lexer`).

They guard the endpoint (SERVICE only to allowed endpoints, no LOAD) and map protocol parameters onto the text
(using-graph-uri as USING clauses). SERVICE is the engine's only way to fetch a URL from a query; LOAD the only one
from an update (FROM, FROM NAMED and USING name graphs of the store, measured: the engine fetches nothing for them).
An endpoint is what the engine would call: an IRI resolved against the BASE declarations and the request's base,
or a prefixed name expanded through the PREFIX declarations; a variable endpoint is refused.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...sparql_lexer import LexError, Reading, Token, read
from ...sparql_limits import DEFAULT_LIMITS, QueryTooComplex, check_limits
from ..responses import ProtocolError

__all__ = ["inject_using", "mentions_keyword", "service_targets", "check_federation", "resolve_iri", "guarded_reading"]

#: more possible bases (or IRIs of one prefix) than this are not worth following: refused
MAX_BASES = 64
_URI = re.compile(r"(?:([A-Za-z][A-Za-z0-9+.\-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.S)
_GRAPH_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")


def _reading(text: str | Reading) -> Reading:
    return text if isinstance(text, Reading) else read(text)


def _remove_dot_segments(path: str) -> str:
    out: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./"):
            path = path[2:]
        elif path.startswith("/./"):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../"):
            path = path[3:]
            out and out.pop()
        elif path == "/..":
            path = "/"
            out and out.pop()
        elif path in (".", ".."):
            path = ""
        else:
            cut = path.find("/", 1)
            cut = len(path) if cut < 0 else cut
            out.append(path[:cut])
            path = path[cut:]
    return "".join(out)


def resolve_iri(base: str | None, ref: str) -> str | None:
    """``ref`` resolved against ``base`` (RFC 3986 section 5.2); an absolute ``ref`` is kept as written, as the
    engine keeps it. None when ``ref`` is relative and there is no absolute base."""
    scheme, authority, path, query, fragment = _URI.fullmatch(ref).groups()
    if scheme is not None:
        return ref
    if base is None:
        return None
    b_scheme, b_authority, b_path, b_query, _ = _URI.fullmatch(base).groups()
    if b_scheme is None:
        return None
    if authority is not None:
        t_authority, t_path, t_query = authority, _remove_dot_segments(path), query
    else:
        t_authority = b_authority
        if path == "":
            t_path, t_query = b_path, query if query is not None else b_query
        else:
            if path.startswith("/"):
                t_path = _remove_dot_segments(path)
            else:
                merged = ("/" + path) if b_authority is not None and b_path == "" else b_path[:b_path.rfind("/") + 1] + path
                t_path = _remove_dot_segments(merged)
            t_query = query
    out = b_scheme + ":"
    if t_authority is not None:
        out += "//" + t_authority
    out += t_path
    if t_query is not None:
        out += "?" + t_query
    if fragment is not None:
        out += "#" + fragment
    return out


def _following(reading: Reading, token: Token, kind: str | None = None) -> list[Token]:
    return [t for t in reading.after(reading.next_of(token)) if kind is None or t.kind == kind]


def _declarations(reading: Reading, base_iri: str | None) -> tuple[set[str | None], dict[str, set[str]]]:
    """Every base and every IRI of each prefix that some reading may declare (a superset: order is ignored)."""
    bases: set[str | None] = {base_iri}
    for kw in reading.keywords("BASE"):
        for iri in _following(reading, kw, "IRI"):
            bases |= {resolve_iri(b, iri.value) for b in bases}
            if len(bases) > MAX_BASES:
                raise ValueError(f"more than {MAX_BASES} possible base IRIs")
    prefixes: dict[str, set[str]] = {}
    for kw in reading.keywords("PREFIX"):
        for name in _following(reading, kw, "PNAME"):
            if name.end != name.split:
                continue  # PREFIX takes a bare ``name:``
            for iri in _following(reading, name, "IRI"):
                known = prefixes.setdefault(reading.pname(name)[0], set())
                known.update(r for b in bases if (r := resolve_iri(b, iri.value)) is not None)
                if len(known) > MAX_BASES:
                    raise ValueError(f"more than {MAX_BASES} possible IRIs for one prefix")
    return bases, prefixes


def service_targets(text: str | Reading, base_iri: str | None = None) -> list[str | None]:
    """Every endpoint a SERVICE clause may call under some reading of the text (None for SERVICE ?variable)."""
    reading = _reading(text)
    services = reading.keywords("SERVICE")
    if not services:
        return []
    bases, prefixes = _declarations(reading, base_iri)
    out: list[str | None] = []
    for kw in services:
        heads = _following(reading, kw)
        heads += [t for s in heads if s.kind == "KEYWORD" and s.value == "SILENT" for t in _following(reading, s)]
        for t in heads:
            if t.kind == "VAR":
                out.append(None)
            elif t.kind == "IRI":
                out.extend(r for b in bases if (r := resolve_iri(b, t.value)) is not None)
            elif t.kind == "PNAME":
                prefix, local = reading.pname(t)
                out.extend(iri + local for iri in sorted(prefixes.get(prefix, ())))
    return list(dict.fromkeys(out))


def check_federation(text: str | Reading, allowed: tuple[str, ...], base_iri: str | None = None) -> str | None:
    """Why the text's SERVICE clauses are refused, or None when every endpoint it may call is allowed."""
    try:
        targets = service_targets(text, base_iri)
    except ValueError as exc:
        return f"the SERVICE endpoints cannot be told: {exc}"
    for target in targets:
        if target is None:
            return "SERVICE with a variable endpoint is not allowed"
        if target not in allowed:
            return f"SERVICE <{target}> is not an allowed endpoint" + ("" if allowed else " (federation is off)")
    return None


def mentions_keyword(text: str | Reading, *keywords: str) -> bool:
    """Whether any reading of the text uses one of the keywords (outside strings, IRIs, names and comments)."""
    return bool(_reading(text).keywords(*keywords))


def inject_using(update: str, using: list[str], using_named: list[str]) -> str:
    """The protocol's using-graph-uri / using-named-graph-uri as USING clauses before each WHERE of the update.

    The IRIs come from the request, so each must be one IRI (ValueError otherwise): ``>`` in one would end the
    clause and let the parameter write SPARQL of its own."""
    for g in using + using_named:
        if not _GRAPH_IRI.fullmatch(g):
            raise ValueError(f"not an IRI: {g!r}")
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    out, last = [], 0
    for token in read(update).primary:
        if token.kind == "KEYWORD" and token.value == "WHERE":
            out.append(update[last:token.start])
            out.append(clause)
            last = token.start
    out.append(update[last:])
    return "".join(out)


def guarded_reading(text: str, kind: str, max_length: int) -> Reading:
    """The readings of a query or update (``kind``) within the bounds of :mod:`oirld.sparql_limits`, or the
    ProtocolError that refuses it: 413 over the length, 400 over another bound or when nothing reads it."""
    try:
        return check_limits(text, replace(DEFAULT_LIMITS, max_length=max_length))
    except QueryTooComplex as exc:
        if exc.limit == "max_length":
            raise ProtocolError(413, f"{kind}-too-long", f"the {kind} has {exc.found} characters; the limit is {exc.maximum}") from None
        raise ProtocolError(400, f"{kind}-too-complex", str(exc).replace("query", kind, 1),
                            f"the {_LIMIT_HINT[exc.limit]} limit is {exc.maximum}; split the {kind} or flatten it") from None
    except LexError as exc:
        raise ProtocolError(400, f"malformed-{kind}", f"the {kind} does not parse: {exc}") from None


_LIMIT_HINT = {"max_depth": "nesting depth", "max_unary": "unary operator", "max_chain": "operator chain",
               "max_patterns": "graph pattern"}
