"""Content negotiation with q-values (RFC 9110, section 12.5.1), and the formats the endpoint speaks.

Clients name formats in more ways than Accept: SPARQLWrapper sends ``format``, ``output`` and ``results`` beside its
Accept header, each with the same short name (``rdf+xml``, ``json-ld``, ``n3``…) and, for some, the media type as a
second value; Virtuoso and Fuseki read ``format``/``output`` with their own short names, where ``xml`` and ``json``
mean SPARQL results for SELECT and an RDF syntax for CONSTRUCT. :func:`format_accept` turns any of these into an
Accept header, one short name standing for both kinds of answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..responses import ProtocolError

__all__ = ["Offer", "RESULT_OFFERS", "GRAPH_OFFERS", "QUAD_OFFERS", "HTML_OFFER", "DOCUMENT_OFFERS", "TURTLE_OFFER",
           "parse_accept", "choose", "choose_document", "FORMAT_NAMES", "FORMAT_PARAMETERS", "format_accept",
           "names_an_offer"]


@dataclass(frozen=True)
class Offer:
    media_type: str
    format: object  # ox.QueryResultsFormat or ox.RdfFormat
    charset: bool = True


RESULT_OFFERS = [
    Offer("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    Offer("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    Offer("text/csv", ox.QueryResultsFormat.CSV),
    Offer("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    Offer("application/json", ox.QueryResultsFormat.JSON),
    Offer("application/xml", ox.QueryResultsFormat.XML),
]
GRAPH_OFFERS = [
    Offer("text/turtle", ox.RdfFormat.TURTLE),
    Offer("application/n-triples", ox.RdfFormat.N_TRIPLES),
    Offer("application/ld+json", ox.RdfFormat.JSON_LD),
    Offer("application/rdf+xml", ox.RdfFormat.RDF_XML),
    Offer("application/n-quads", ox.RdfFormat.N_QUADS),
    Offer("application/trig", ox.RdfFormat.TRIG),
    Offer("text/plain", ox.RdfFormat.N_TRIPLES),
    Offer("text/n3", ox.RdfFormat.N3),
]
TURTLE_OFFER = GRAPH_OFFERS[0]
HTML_OFFER = Offer("text/html", None)
QUAD_OFFERS = [
    Offer("application/trig", ox.RdfFormat.TRIG),
    Offer("application/n-quads", ox.RdfFormat.N_QUADS),
]

#: a document's formats: the four RDF syntaxes, N3 (Turtle is N3), and plain JSON read as JSON-LD
DOCUMENT_OFFERS = [*GRAPH_OFFERS[:4], Offer("text/n3", ox.RdfFormat.N3), Offer("application/json", ox.RdfFormat.JSON_LD)]

_SPARQL_JSON, _SPARQL_XML = "application/sparql-results+json", "application/sparql-results+xml"
_TURTLE, _NT, _JSONLD, _RDFXML, _N3 = "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/n3"
#: the parameters clients name a format in (SPARQLWrapper sends all three; Virtuoso reads format, Fuseki output)
FORMAT_PARAMETERS = ("format", "output", "results")
#: short format names as clients send them (lower case), each as the media types it stands for: a SELECT/ASK
#: answer's and a CONSTRUCT/DESCRIBE answer's ("xml" is SPARQL results XML or RDF/XML, as in Virtuoso and Fuseki)
FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "json": (_SPARQL_JSON, _JSONLD), "xml": (_SPARQL_XML, _RDFXML), "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",), "sparql": (_SPARQL_XML,), "srj": (_SPARQL_JSON,), "srx": (_SPARQL_XML,),
    "turtle": (_TURTLE,), "ttl": (_TURTLE,), "text": (_TURTLE,), "n3": (_N3,),
    "ntriples": (_NT,), "n-triples": (_NT,), "nt": (_NT,),
    "jsonld": (_JSONLD,), "json-ld": (_JSONLD,), "json+ld": (_JSONLD,),
    "rdfxml": (_RDFXML,), "rdf+xml": (_RDFXML,), "rdf": (_RDFXML,), "owl": (_RDFXML,),
    "nquads": ("application/n-quads",), "n-quads": ("application/n-quads",), "nq": ("application/n-quads",),
    "trig": ("application/trig",),
}
#: media types other servers and clients use for the same formats
_MEDIA_ALIASES = {
    "application/x-json+ld": _JSONLD, "application/turtle": _TURTLE, "application/x-turtle": _TURTLE,
    "text/rdf+n3": _N3, "application/n3": _N3, "application/rdf+n3": _N3, "text/ntriples": _NT,
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """[(media range, q)], best first; a missing or empty header is '*/*'."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    out = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            if param.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(param[2:])))
                except ValueError:
                    q = 0.0
        out.append((media, q, i))
    out.sort(key=lambda m: (-m[1], -_specificity(m[0]), m[2]))
    return [(m, q) for m, q, _ in out]


def _specificity(media: str) -> int:
    if media == "*/*":
        return 0
    return 1 if media.endswith("/*") else 2


def _matches(media_range: str, media_type: str) -> bool:
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):
        return media_type.startswith(media_range[:-1])
    return media_range == media_type


def choose(accept: str | None, offers: list[Offer]) -> Offer | None:
    """The offer the client prefers most; ties go to the server's order. None means 406."""
    ranges = parse_accept(accept)
    best: tuple[float, int, int, Offer] | None = None
    for rank, offer in enumerate(offers):
        # the most specific range that matches this offer decides its q
        matching = [(q, _specificity(r)) for r, q in ranges if _matches(r, offer.media_type)]
        if not matching:
            continue
        q, spec = max(matching, key=lambda m: (m[1], m[0]))
        if q <= 0:
            continue
        key = (q, spec, -rank, offer)
        if best is None or key[:3] > best[:3]:
            best = key
    return best[3] if best else None


def choose_document(accept: str | None, page_first: bool = False) -> Offer:
    """HTML or one of the RDF formats, for a document about a resource or a page.

    A client that names text/html is a browser and gets the page; any other client gets data, Turtle first, even when
    it also accepts */*. ``page_first`` is for pages made for people (the timeline, the index), where */* gets HTML.
    ``application/json`` gets JSON-LD (the offer returned is JSON-LD's own).
    """
    data = DOCUMENT_OFFERS
    offer = choose(accept, [HTML_OFFER, *data] if page_first or "text/html" in (accept or "") else [*data, HTML_OFFER])
    if offer is None:
        raise ProtocolError(406, "not-acceptable", "no format matches the Accept header",
                            "ask for " + ", ".join(o.media_type for o in [HTML_OFFER, *data]))
    if offer.media_type == "application/json":
        return GRAPH_OFFERS[2]
    return offer


def _known_media(value: str) -> str | None:
    media = value.split(";")[0].strip().lower()
    media = _MEDIA_ALIASES.get(media, media)
    return media if any(o.media_type == media for o in (*RESULT_OFFERS, *GRAPH_OFFERS, *QUAD_OFFERS)) else None


def format_accept(values: list[str]) -> tuple[str | None, list[str]]:
    """An Accept header standing for the format parameter ``values`` (short names or media types; None when there
    are none we know), and the values we do not know."""
    known: list[str] = []
    unknown: list[str] = []
    for value in values:
        v = value.strip()
        if not v:
            continue  # SPARQLWrapper sends an empty second value when its Accept is */*
        media = FORMAT_NAMES.get(v.lower()) or ((m,) if (m := _known_media(v)) else None)
        if media is None:
            unknown.append(v)
        else:
            known += [m for m in media if m not in known]
    return (", ".join(known) if known else None), unknown


def names_an_offer(accept: str | None, offers: list[Offer]) -> bool:
    """The Accept header names (not only ``*/*``) a type one of ``offers`` is, with q above 0."""
    return any(q > 0 and r != "*/*" and any(_matches(r, o.media_type) for o in offers) for r, q in parse_accept(accept)
               if accept and accept.strip())
