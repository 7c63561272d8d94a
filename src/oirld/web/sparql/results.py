"""SPARQL result serialisers with a row cap.

A SELECT answer is read at most ``cap + 1`` solutions deep: evaluation stops there, so a query that would return
millions of rows costs no more than the cap. The four formats follow the W3C specifications (SPARQL 1.1 Query Results
JSON, XML, CSV and TSV); tests compare them with pyoxigraph's own serialisers on uncapped answers.
"""

from __future__ import annotations

import json
import re
from itertools import islice
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = ["serialize_solutions", "json_term", "DEFAULT_ROW_CAP"]

DEFAULT_ROW_CAP = 10_000
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def json_term(t: object) -> dict[str, object]:
    """A term as SPARQL 1.1 Query Results JSON writes it."""
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": json_term(t.subject), "predicate": json_term(t.predicate), "object": json_term(t.object)}}
    out: dict[str, object] = {"type": "literal", "value": t.value}  # type: ignore[attr-defined]
    if t.language:  # type: ignore[attr-defined]
        out["xml:lang"] = t.language  # type: ignore[attr-defined]
    elif t.datatype.value != XSD_STRING:  # type: ignore[attr-defined]
        out["datatype"] = t.datatype.value  # type: ignore[attr-defined]
    return out


def _xml_term(t: object) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
                f"<object>{_xml_term(t.object)}</object></triple>")
    attrs = ""
    if t.language:  # type: ignore[attr-defined]
        attrs = f" xml:lang={quoteattr(t.language)}"  # type: ignore[attr-defined]
    elif t.datatype.value != XSD_STRING:  # type: ignore[attr-defined]
        attrs = f" datatype={quoteattr(t.datatype.value)}"  # type: ignore[attr-defined]
    return f"<literal{attrs}>{escape(t.value)}</literal>"  # type: ignore[attr-defined]


def _csv_field(t: object) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        v = "_:" + t.value
    elif isinstance(t, ox.Triple):
        v = str(t)
    else:
        v = t.value  # type: ignore[attr-defined]
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v


_BARE = {
    "http://www.w3.org/2001/XMLSchema#integer": re.compile(r"^[+-]?\d+$"),
    "http://www.w3.org/2001/XMLSchema#decimal": re.compile(r"^[+-]?\d*\.\d+$"),
    "http://www.w3.org/2001/XMLSchema#double": re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$"),
    "http://www.w3.org/2001/XMLSchema#boolean": re.compile(r"^(true|false)$"),
}


def _tsv_field(t: object) -> str:
    """The Turtle form of the term (TSV results): numbers and booleans bare, as Turtle allows."""
    if t is None:
        return ""
    if isinstance(t, ox.Literal):
        bare = _BARE.get(t.datatype.value)
        if bare is not None and bare.match(t.value):
            return t.value
    return str(t)


def serialize_solutions(solutions: ox.QuerySolutions, media_type: str, cap: int = DEFAULT_ROW_CAP) -> tuple[bytes, bool]:
    """The first ``cap`` solutions in ``media_type``; the flag says whether more were left out."""
    variables = [v.value for v in solutions.variables]
    rows = list(islice(solutions, cap + 1))
    truncated = len(rows) > cap
    rows = rows[:cap]
    table: Iterable[list[object]] = ([sol[v] for v in variables] for sol in rows)
    if media_type in ("application/sparql-results+json", "application/json"):
        body = json.dumps({"head": {"vars": variables},
                           "results": {"bindings": [{v: json_term(t) for v, t in zip(variables, r) if t is not None} for r in table]}},
                          ensure_ascii=False, separators=(",", ":"))
        return body.encode("utf-8"), truncated
    if media_type in ("application/sparql-results+xml", "application/xml"):
        parts = ['<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for r in table:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, r) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>")
        return "".join(parts).encode("utf-8"), truncated
    if media_type == "text/csv":
        lines = [",".join(variables)] + [",".join(_csv_field(t) for t in r) for r in table]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8"), truncated
    if media_type == "text/tab-separated-values":
        lines = ["\t".join("?" + v for v in variables)] + ["\t".join(_tsv_field(t) for t in r) for r in table]
        return ("\n".join(lines) + "\n").encode("utf-8"), truncated
    raise ValueError(f"no serialiser for {media_type}")
