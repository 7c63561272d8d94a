"""The ontology at its namespace IRI (``/ontology``) and the SHACL shapes beside it (``/shapes``).

Term IRIs are hash IRIs of ``<base>ontology#``, so dereferencing ``…/ontology#Claim`` fetches ``/ontology`` and the
browser scrolls to ``id="Claim"``: every term the file defines has such an anchor. Both documents are negotiated
like the data's documents (HTML for browsers; Turtle, N-Triples, JSON-LD, RDF/XML for clients) and each format also
has its own address (``/ontology.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.html``). Turtle is the file's own bytes,
so its comments (the sources of the Wikidata property IDs) reach readers; the other formats are converted from it.

The files are read and parsed once, when the router is made; each answer's bytes are built on first use and kept,
with an ETag so revalidation is a 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from rdflib.namespace import OWL, RDF, RDFS

from ..middleware.conditional import fresh
from ..linkeddata.resources import EXTENSIONS, TWINS, document_headers
from ..common.negotiation import choose_document
from ..common.rdfout import graph_bytes
from ..responses import ProtocolError, with_charset
from ..templating import render
from .model import VANN, Linker, Mentions, Parsed, namespace_of, ontology_view, read_graph, text
from .shapes import node_shapes, shape_mentions, shapes_view

if TYPE_CHECKING:
    from ..state import AppState

__all__ = ["router", "vocab_router"]


class _Document:
    """One served file: its parse, and each format's bytes once built."""

    def __init__(self, name: str, parsed: Parsed, page: Callable[[], bytes], version: Callable[[], str]):
        self.name, self.parsed, self.page, self.version = name, parsed, page, version
        self._bodies: dict[tuple[str, str], tuple[bytes, str]] = {}

    def body(self, media: str) -> tuple[bytes, str]:
        """The answer in ``media`` and its ETag (per dataset version: the page names it)."""
        key = (self.version(), media)
        if key not in self._bodies:
            if media == "text/html":
                data = self.page()
            elif media == "text/turtle":
                data = self.parsed.turtle  # as written, comments and all
            elif media == "application/ld+json":  # compacted with the file's own prefixes
                graph = ox.Store()
                graph.extend(ox.Quad(t.subject, t.predicate, t.object) for t in self.parsed.triples)
                data = graph_bytes(graph, media, "", dict(self.parsed.prefixes))
            else:
                fmt = ox.RdfFormat.from_media_type(media)
                data = ox.serialize(self.parsed.triples, format=fmt, prefixes=self.parsed.prefixes) or b""
            digest = hashlib.sha256(f"{key[0]}\x1f{self.name}\x1f{media}\x1f".encode() + data).hexdigest()
            self._bodies = {k: v for k, v in self._bodies.items() if k[0] == key[0]}  # an old version's go
            self._bodies[key] = (data, f'"{digest[:32]}"')
        return self._bodies[key]


def vocab_router(ontology: Parsed | str | None, shapes_path: str | None, base_iri: str,
                 version: str | Callable[[], str]) -> APIRouter:
    """``ontology``: the server's one parsed copy (``create_app`` parses it once), or a file's path; ``version`` the
    dataset version the pages name (a function: the one served now, after a live switch too)."""
    router = APIRouter()
    current: Callable[[], str] = version if callable(version) else (lambda: version)  # type: ignore[assignment,return-value]
    onto = read_graph(ontology) if isinstance(ontology, str) else ontology
    shapes = read_graph(shapes_path) if shapes_path else None
    labels: dict[str, str] = {}
    ontology_ns = f"{base_iri}ontology#"
    if onto is not None:
        g = onto.graph
        labels = {str(s): text(g, s, RDFS.label) for s in set(g.subjects(RDFS.label, None))}
        # the namespace the file says it defines; the base IRI's when it says none
        node = next(g.subjects(RDF.type, OWL.Ontology), None)
        ontology_ns = (text(g, node, VANN.preferredNamespaceUri) if node is not None else "") or ontology_ns
    shape_iris = node_shapes(shapes.graph, shapes.order) if shapes else []
    linker = Linker(ontology_ns, namespace_of([str(s) for s in shape_iris], f"{base_iri}shapes#"),
                    {**(shapes.prefixes if shapes else {}), **(onto.prefixes if onto else {})}, labels,
                    served=(onto is not None, shapes is not None))
    mentions: Mentions = shape_mentions(shapes.graph, shape_iris) if shapes else {}

    def ontology_page() -> bytes:
        assert onto is not None
        view = ontology_view(onto.graph, linker, mentions)
        title = view["ontology"].label if view["ontology"] else "Ontology"
        return render("vocab.html", title=title, twins=TWINS, twin_base="/ontology", version=current(),
                      shapes_served=shapes is not None, **view).body

    def shapes_page() -> bytes:
        assert shapes is not None
        return render("shapes.html", title="Shapes", twins=TWINS, twin_base="/shapes", version=current(),
                      namespace=linker.shapes_ns, ontology_served=onto is not None,
                      **shapes_view(shapes.graph, shapes.order, linker)).body

    docs = {"ontology": _Document("ontology", onto, ontology_page, current) if onto else None,
            "shapes": _Document("shapes", shapes, shapes_page, current) if shapes else None}

    def answer(name: str, ext: str, request: Request) -> Response:
        doc = docs[name]
        if doc is None:
            raise ProtocolError(404, "not-found", f"this server publishes no {name}",
                                f"serve from a project folder that has the {name} file (ServeSettings.{name}_path)")
        if ext:
            if ext not in EXTENSIONS:
                raise ProtocolError(404, "not-found", f"no /{name}.{ext}",
                                    "the formats are " + ", ".join(f"/{name}.{e}" for e in EXTENSIONS))
            media = EXTENSIONS[ext]
        else:
            offer = choose_document(request.headers.get("accept"))
            media = offer.media_type
        body, etag = doc.body(media)
        headers = {**document_headers(f"/{name}", media), "ETag": etag}
        if fresh(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        if media == "text/html":
            return HTMLResponse(body, headers=headers)
        return Response(body, media_type=with_charset(media), headers=headers)

    for name in docs:
        _routes(router, name, answer)
    return router


def _routes(router: APIRouter, name: str, answer: Callable[[str, str, Request], Response]) -> None:
    async def negotiated(request: Request) -> Response:
        return answer(name, "", request)

    async def suffixed(ext: str, request: Request) -> Response:
        return answer(name, ext, request)

    router.add_api_route(f"/{name}", negotiated, methods=["GET", "HEAD"], name=name)
    router.add_api_route(f"/{name}.{{ext}}", suffixed, methods=["GET", "HEAD"], name=f"{name}_file")


def router(state: AppState) -> APIRouter:
    """The vocabulary routes over the app's one parsed ontology."""
    settings = state.settings
    return vocab_router(state.ontology, settings.shapes_path, settings.base_iri, lambda: settings.dataset_version)
