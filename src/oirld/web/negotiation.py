"""Content negotiation with q-values (RFC 9110, section 12.5.1), and the formats the endpoint speaks."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .responses import ProtocolError

__all__ = ["Offer", "RESULT_OFFERS", "GRAPH_OFFERS", "QUAD_OFFERS", "HTML_OFFER", "parse_accept", "choose",
           "choose_document", "FORMAT_NAMES"]


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
]
HTML_OFFER = Offer("text/html", None)
QUAD_OFFERS = [
    Offer("application/trig", ox.RdfFormat.TRIG),
    Offer("application/n-quads", ox.RdfFormat.N_QUADS),
]

#: the ``format`` parameter, for browsers and links that cannot set Accept
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "nquads": "application/n-quads", "trig": "application/trig",
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
    """HTML or one of the four RDF formats, for a document about a resource or a page.

    A client that names text/html is a browser and gets the page; any other client gets data, Turtle first, even when
    it also accepts */*. ``page_first`` is for pages made for people (the timeline, the index), where */* gets HTML.
    """
    data = GRAPH_OFFERS[:4]
    offer = choose(accept, [HTML_OFFER, *data] if page_first or "text/html" in (accept or "") else [*data, HTML_OFFER])
    if offer is None:
        raise ProtocolError(406, "not-acceptable", "no format matches the Accept header",
                            "ask for " + ", ".join(o.media_type for o in [HTML_OFFER, *data]))
    return offer
