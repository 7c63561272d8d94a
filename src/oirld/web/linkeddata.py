"""Dereferenceable IRIs (Cool URIs for the Semantic Web, the 303 pattern).

A thing's IRI, ``<base>id/iraq`` (and likewise ``claim/…``, ``evidence/…``, ``source/…``), answers 303 See Other
to the document about it, ``/doc/id/iraq``, so the thing and the page about it never share an IRI. The document is
negotiated (HTML for browsers; Turtle, N-Triples, JSON-LD, RDF/XML for clients), and each format also has its own
address: ``/doc/id/iraq.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.html``. Paths are read relative to this server,
so the same links work when it runs on another host than the base IRI (a laptop, a test).

A description holds the resource's own triples, the claims about it with their evidence and selectors, and the
labels of everything it links to, so a client can render it without more requests.
"""

from __future__ import annotations

import difflib
import html as htmllib
from typing import Any

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .negotiation import GRAPH_OFFERS, HTML_OFFER, choose
from .responses import ProtocolError, with_charset

__all__ = ["linked_data_router", "KINDS", "EXTENSIONS"]

KINDS = ("id", "claim", "evidence", "value", "source", "disagreement", "current", "mapping", "build")
EXTENSIONS = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
              "rdf": "application/rdf+xml", "html": "text/html"}
_BY_MEDIA = {v: k for k, v in EXTENSIONS.items()}

_DESCRIBE = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#>
CONSTRUCT {
  ?r ?p ?o . ?o rdfs:label ?ol .
  ?c ?cp ?co . ?co rdfs:label ?col .
  ?e ?ep ?eo . ?sel ?sp ?so .
  ?in ?ip ?r . ?in rdfs:label ?inl .
} WHERE {
  { ?r ?p ?o . OPTIONAL { ?o rdfs:label ?ol } }
  UNION
  { ?r ?p ?h . ?h ?cp ?co . FILTER (isIRI(?h) && STRSTARTS(STR(?h), CONCAT(STR(?r), "#"))) BIND (?h AS ?c) }
  UNION
  { ?c rdf:subject ?r ; ?cp ?co . OPTIONAL { ?co rdfs:label ?col } }
  UNION
  { ?c rdf:subject ?r ; prov:wasDerivedFrom ?e . ?e ?ep ?eo . OPTIONAL { ?e oa:hasSelector ?sel . ?sel ?sp ?so } }
  UNION
  { ?in ?ip ?r . FILTER (?ip != rdf:subject && ?ip != rdf:object) OPTIONAL { ?in rdfs:label ?inl } }
}
"""


_EVIDENCE_OF_SOURCE = """
PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?src ?e ?start ?end ?claim ?claimLabel WHERE {
  ?e oa:hasSource ?src ; oa:hasSelector/oa:start ?start ; oa:hasSelector/oa:end ?end .
  OPTIONAL { ?claim prov:wasDerivedFrom ?e ; rdfs:label ?claimLabel }
}"""


def linked_data_router(store: ox.Store, base_iri: str, reconciler: Any = None, home: Any = None) -> APIRouter:
    router = APIRouter()
    labels: dict[str, str] = {}

    def all_labels() -> dict[str, str]:
        if not labels:
            for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None):
                if isinstance(q.subject, ox.NamedNode):
                    labels.setdefault(q.subject.value, q.object.value)
        return labels

    def describe(iri: str) -> ox.Store:
        out = ox.Store()
        res = store.query(_DESCRIBE, substitutions={ox.Variable("r"): ox.NamedNode(iri)})
        out.extend(ox.Quad(t.subject, t.predicate, t.object) for t in res)
        return out

    def not_found(kind: str, key: str, want_html: bool) -> Response:
        prefix = f"{base_iri}{kind}/"
        names = {k[len(prefix):]: v for k, v in all_labels().items() if k.startswith(prefix)}
        if kind == "id" and reconciler is not None:
            # names and aliases, folded as reconciliation folds them ("hareer" finds Harir Air Base)
            close = [r["id"] for r in reconciler.search(key.replace("-", " "), limit=5) if r["id"] in names]
        else:
            close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.5)
        if want_html:
            items = "".join(f'<li><a href="/doc/{kind}/{htmllib.escape(k)}">{htmllib.escape(names[k])}</a></li>' for k in close)
            body = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found · oirld</title></head><body>'
                    f"<h1>No {htmllib.escape(kind)} “{htmllib.escape(key)}”</h1>"
                    + (f"<p>Did you mean:</p><ul>{items}</ul>" if items else "<p>Nothing close either.</p>") + "</body></html>")
            return HTMLResponse(body, status_code=404)
        raise ProtocolError(404, "not-found", f"no resource {prefix}{key}",
                            "close matches: " + ", ".join(f"/doc/{kind}/{k}" for k in close) if close else None)

    @router.get("/{kind}/{key}", name="thing")
    async def thing(kind: str, key: str, request: Request) -> Response:
        if kind not in KINDS:
            raise ProtocolError(404, "not-found", f"no such path /{kind}/")
        return RedirectResponse(f"/doc/{kind}/{key}", status_code=303, headers={"Vary": "Accept"})

    @router.get("/doc/{kind}/{name}", name="document")
    async def document(kind: str, name: str, request: Request) -> Response:
        stem, dot, ext = name.rpartition(".")
        key, ext = (stem, ext) if dot and ext in EXTENSIONS else (name, "")
        if kind not in KINDS:
            return not_found(kind, key, False)
        iri = f"{base_iri}{kind}/{key}"
        graph = await anyio.to_thread.run_sync(describe, iri)
        exists = any(True for _ in graph.quads_for_pattern(ox.NamedNode(iri), None, None))
        if ext:
            media = EXTENSIONS[ext]
        else:
            offer = choose(request.headers.get("accept"), [HTML_OFFER, *GRAPH_OFFERS[:4]]) if "text/html" in (request.headers.get("accept") or "") \
                else choose(request.headers.get("accept"), [*GRAPH_OFFERS[:4], HTML_OFFER])
            if offer is None and not exists:
                return not_found(kind, key, False)
            if offer is None:
                raise ProtocolError(406, "not-acceptable", "no format matches the Accept header",
                                    "ask for text/html, text/turtle, application/n-triples, application/ld+json or application/rdf+xml")
            media = offer.media_type
        if not exists:
            return not_found(kind, key, media == "text/html")
        links = ", ".join(f'</doc/{kind}/{key}.{e}>; rel="alternate"; type="{m}"' for e, m in EXTENSIONS.items())
        headers = {"Vary": "Accept", "Link": links, "Content-Location": f"/doc/{kind}/{key}.{_BY_MEDIA[media]}"}
        if media == "text/html":
            text = _source_text(home, graph, iri) if kind == "source" else None
            spans = [] if text is None else [
                (int(r["start"].value), int(r["end"].value), r["e"].value, r["claimLabel"].value if r["claimLabel"] else "")
                for r in store.query(_EVIDENCE_OF_SOURCE, substitutions={ox.Variable("src"): ox.NamedNode(iri)})]
            return HTMLResponse(_page(iri, kind, key, graph, all_labels(), text, spans), headers=headers)
        fmt = ox.RdfFormat.from_media_type(media)
        data = graph.dump(format=fmt, from_graph=ox.DefaultGraph()) or b""
        return Response(data, media_type=with_charset(media), headers=headers)

    return router


def _local(iri: str, base: str) -> str | None:
    for kind in KINDS:
        if iri.startswith(f"{base}{kind}/"):
            return f"/doc/{kind}/{iri[len(base) + len(kind) + 1:]}"
    return None


def _source_text(home: Any, graph: ox.Store, iri: str) -> str | None:
    """The article's published text, read from the project's seeds/ and checked against the hash the data holds."""
    import hashlib
    from pathlib import Path

    if home is None:
        return None
    ont = "https://w3id.org/oirld/ontology#"
    name = next(graph.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(ont + "fileName"), None), None)
    digest = next(graph.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(ont + "textSha256"), None), None)
    if name is None or digest is None:
        return None
    from ..seeds import load_seed

    path = Path(home) / name.object.value
    if not path.is_file():
        return None
    text = load_seed(path).text
    return text if hashlib.sha256(text.encode("utf-8")).hexdigest() == digest.object.value else None


def _highlight(text: str, spans: list[tuple[int, int, str, str]], base: str) -> str:
    """The text with every cited passage marked and linked to its evidence; overlapping passages nest by segment."""
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [(s, e, ev, label) for s, e, ev, label in spans if s <= a and b <= e]
        chunk = htmllib.escape(text[a:b])
        if not covering:
            out.append(chunk)
            continue
        s, e, ev, _ = min(covering, key=lambda c: c[1] - c[0])  # the narrowest passage links
        titles = "; ".join(sorted({label for *_, label in covering if label}))
        out.append(f'<mark title="{htmllib.escape(titles)}"><a href="{htmllib.escape(_local(ev, base) or ev)}">{chunk}</a></mark>')
    return "".join(out)


def _page(iri: str, kind: str, key: str, graph: ox.Store, labels: dict[str, str], text: str | None = None,
          spans: list[tuple[int, int, str, str]] | None = None) -> str:
    """A plain page: the label, what the data says of the resource, and the claims with the sources' words."""
    base = iri[: -(len(kind) + len(key) + 1)]
    esc = htmllib.escape
    label = labels.get(iri, key)

    def term(t: Any) -> str:
        if isinstance(t, ox.NamedNode):
            text = labels.get(t.value, t.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
            href = _local(t.value, base) or t.value
            return f'<a href="{esc(href)}">{esc(text)}</a>'
        return esc(getattr(t, "value", str(t)))

    node = ox.NamedNode(iri)
    rows = "".join(f"<tr><th scope=\"row\">{term(q.predicate)}</th><td>{term(q.object)}</td></tr>"
                   for q in sorted(graph.quads_for_pattern(node, None, None), key=lambda q: (q.predicate.value, str(q.object))))
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    claims = [q.subject for q in graph.quads_for_pattern(None, ox.NamedNode(rdf + "subject"), node)]
    items = []
    for c in sorted(claims, key=lambda c: c.value):
        pred = next(graph.quads_for_pattern(c, ox.NamedNode(rdf + "predicate"), None)).object
        obj = next(graph.quads_for_pattern(c, ox.NamedNode(rdf + "object"), None)).object
        quotes = []
        for ev in graph.quads_for_pattern(c, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), None):
            src = next(graph.quads_for_pattern(ev.object, ox.NamedNode("http://www.w3.org/ns/oa#hasSource"), None), None)
            exact = [q.object.value for sel in graph.quads_for_pattern(ev.object, ox.NamedNode("http://www.w3.org/ns/oa#hasSelector"), None)
                     for q in graph.quads_for_pattern(sel.object, ox.NamedNode("http://www.w3.org/ns/oa#exact"), None)]
            if src and exact:
                quotes.append(f"<li>“{esc(exact[0])}” — {term(src.object)}</li>")
        items.append(f'<li><a href="{esc(_local(c.value, base) or c.value)}">{term(pred)}</a>: {term(obj)}<ul>{"".join(quotes)}</ul></li>')
    alternates = " ".join(f'<a href="/doc/{kind}/{esc(key)}.{e}">{e}</a>' for e in EXTENSIONS if e != "html")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
            f"<title>{esc(label)} · oirld</title>"
            f'<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem}}'
            f"mark{{background:#fff3b0}}table{{border-collapse:collapse}}th,td{{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}}</style>"
            f"</head><body><header><p><a href=\"/sparql\">oirld</a></p><h1>{esc(label)}</h1><p><code>{esc(iri)}</code> · data: {alternates}</p></header>"
            f"<main><h2>Description</h2><table>{rows}</table>"
            + (f"<h2>Claims, with the sources' words</h2><ul>{''.join(items)}</ul>" if items else "")
            + (f'<h2>The article, with every passage the claims cite marked</h2><p class="note">Quoted from the '
               f'publisher for audit; the text remains theirs.</p><div id="article" style="white-space:pre-wrap;'
               f'border:1px solid #ccc;padding:1rem">{_highlight(text, spans or [], base)}</div>' if text is not None else "")
            + "</main></body></html>")
