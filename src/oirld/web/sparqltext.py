"""Lexical checks on SPARQL text: find keywords outside strings, IRIs and comments.

They guard the endpoint (SERVICE only to allowed endpoints, no LOAD) and map protocol parameters onto the text
(using-graph-uri as USING clauses). Blanking keeps every position, so a match points into the original text.
"""

from __future__ import annotations

import re

__all__ = ["strip_literals", "inject_using", "mentions_keyword", "service_targets", "check_federation"]


def strip_literals(text: str) -> str:
    """The text with strings, IRIs and comments blanked out, same length, so keywords can be found by position."""
    return re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*',
                  lambda m: " " * len(m.group()), text)


def inject_using(update: str, using: list[str], using_named: list[str]) -> str:
    """The protocol's using-graph-uri / using-named-graph-uri as USING clauses before each WHERE of the update."""
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    masked = strip_literals(update)
    out, last = [], 0
    for m in re.finditer(r"\bWHERE\b", masked, re.IGNORECASE):
        out.append(update[last:m.start()])
        out.append(clause)
        last = m.start()
    out.append(update[last:])
    return "".join(out)


def mentions_keyword(text: str, *keywords: str) -> bool:
    masked = strip_literals(text)
    return any(re.search(rf"\b{k}\b", masked, re.IGNORECASE) for k in keywords)


def service_targets(text: str) -> list[str | None]:
    """The endpoint of every SERVICE clause (None for SERVICE ?variable)."""
    masked = strip_literals(text)
    out: list[str | None] = []
    for m in re.finditer(r"\bSERVICE\b(?:\s+SILENT\b)?", masked, re.IGNORECASE):
        rest = text[m.end():]  # the original text: the masked one has the IRI blanked
        iri = re.match(r"\s*<([^<>\s]*)>", rest)
        out.append(iri.group(1) if iri else None)
    return out


def check_federation(text: str, allowed: tuple[str, ...]) -> str | None:
    """Why the text's SERVICE clauses are refused, or None when every one is allowed."""
    for target in service_targets(text):
        if target is None:
            return "SERVICE with a variable endpoint is not allowed"
        if target not in allowed:
            return f"SERVICE <{target}> is not an allowed endpoint" + ("" if allowed else " (federation is off)")
    return None
