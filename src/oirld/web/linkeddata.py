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
import hashlib
import html as htmllib
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from ..config import ONTOLOGY_NS
from ..seeds import load_seed
from .figures import count_series
from .limits import LIMITS
from .negotiation import choose_document
from .offload import Offload
from .rdfout import graph_bytes
from .responses import ProtocolError, with_charset
from .hrefs import person_href
from .svg import count_chart, covered, passage_bar
from .templating import render
from .views import KINDS, Catalog, claim_view, claims_of, entity_view, source_view, wire_view

__all__ = ["linked_data_router", "KINDS", "EXTENSIONS", "TWINS", "document_headers"]

EXTENSIONS = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
              "rdf": "application/rdf+xml", "n3": "text/n3", "html": "text/html"}
_BY_MEDIA = {v: k for k, v in EXTENSIONS.items()}
_INVERSE_SHOWN = 200  # a mapping script is linked from hundreds of passages; the data twin has them all
#: the data twins a page links to (footer and <link rel="alternate">)
TWINS = [(e, m) for e, m in EXTENSIONS.items() if e not in ("html", "n3")]  # N3 is Turtle here: no link of its own


def document_headers(path: str, media: str | None = None) -> dict[str, str]:
    """The headers of a negotiated document at ``path``: ``Vary``, a ``Link`` to every format's own address, and,
    when the format is known, where this one lives (``Content-Location``)."""
    headers = {"Vary": "Accept", "Link": ", ".join(f'<{path}.{e}>; rel="alternate"; type="{m}"' for e, m in EXTENSIONS.items())}
    if media is not None:
        headers["Content-Location"] = f"{path}.{_BY_MEDIA[media]}"
    return headers
_KIND_LABELS = {"evidence": "Evidence: a passage of an article", "value": "A value as the sources state it",
                "disagreement": "A disagreement between sources", "current": "The latest value of a property",
                "mapping": "A mapping script", "build": "A build of the dataset", "input": "An input file of a build",
                "wire": "A wire text that several articles carry (they count as one source)"}
# the claims a resource of each kind leads to, as a SPARQL pattern over ?c and the resource {r}
_CLAIMS_OF = {"evidence": ("Claims drawn from this passage", "?c prov:wasDerivedFrom {r} ."),
              "value": ("Claims with this value", "?c rdf:object {r} ."),
              "disagreement": ("The claims that disagree", "{r} oirl:involvesClaim ?c ."),
              "current": ("The latest claim", "{r} oirl:currentClaim ?c .")}

# the resource's own evidence (a claim's), with its selectors and the article's citation, and the values it points
# to ({base}value/…: the number, its bounds and unit), so a client needs no second request
_DESCRIBE = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX schema: <https://schema.org/>
CONSTRUCT {
  ?r ?p ?o . ?o rdfs:label ?ol .
  ?c ?cp ?co . ?co rdfs:label ?col .
  ?e ?ep ?eo . ?sel ?sp ?so .
  ?src ?srcp ?srco . ?pub rdfs:label ?publ .
  ?v ?vp ?vo .
  ?in ?ip ?r . ?in rdfs:label ?inl .
} WHERE {
  { ?r prov:wasDerivedFrom ?e . ?e ?ep ?eo . OPTIONAL { ?e oa:hasSelector ?sel . ?sel ?sp ?so } }
  UNION
  { ?r prov:wasDerivedFrom/oa:hasSource ?src . ?src ?srcp ?srco .
    FILTER (?srcp IN (rdf:type, rdfs:label, schema:headline, schema:url, schema:datePublished, schema:publisher, schema:inLanguage))
    OPTIONAL { ?src schema:publisher ?pub . ?pub rdfs:label ?publ } }
  UNION
  { ?r ?vlink ?v . FILTER (isIRI(?v) && STRSTARTS(STR(?v), ?values)) ?v ?vp ?vo }
  UNION
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


def linked_data_router(store: ox.Store, base_iri: str, catalog: Catalog, reconciler: Any = None, home: Any = None,
                       offload: Offload | None = None) -> APIRouter:
    """The documents; each is described and rendered in ``offload``'s threads (a pool of its own when none is given)."""
    router = APIRouter()
    offload = offload or Offload()
    describe_query = _DESCRIBE.replace("?values", str(ox.Literal(f"{base_iri}value/")))  # a literal, escaped

    def describe(iri: str) -> ox.Store:
        out = ox.Store()
        res = store.query(describe_query, substitutions={ox.Variable("r"): ox.NamedNode(iri)})
        out.extend(ox.Quad(t.subject, t.predicate, t.object) for t in res)
        return out

    def exists(iri: str) -> bool:
        return _valid_iri(iri) and any(True for _ in store.quads_for_pattern(ox.NamedNode(iri), None, None))

    def not_found(kind: str, key: str, want_html: bool) -> Response:
        prefix = f"{base_iri}{kind}/"
        names = {k[len(prefix):]: v for k, v in catalog.labels.names.items() if k.startswith(prefix)}
        if kind == "id" and reconciler is not None:
            # names and aliases, folded as reconciliation folds them ("hareer" finds Harir Air Base)
            close = [r["id"] for r in reconciler.search(key[:LIMITS.search_chars].replace("-", " "), limit=5) if r["id"] in names]
        else:
            close = difflib.get_close_matches(key[:LIMITS.search_chars], list(names), n=5, cutoff=0.5)
        if want_html:
            return render("notfound.html", status=404, title="Not found", kind=kind, key=key,
                          close=[{"href": f"/doc/{kind}/{k}", "label": names[k]} for k in close])
        raise ProtocolError(404, "not-found", f"no resource {prefix}{key}",
                            "close matches: " + ", ".join(f"/doc/{kind}/{k}" for k in close) if close else None)

    @router.get("/dataset", name="dataset")
    @router.get("/dataset/{part:path}")
    @router.get("/catalog")
    async def dataset(request: Request) -> Response:
        """The dataset's IRI (and its subsets', such as the Wikidata linkset, and the catalogue's): its page is the home
        page, its data the VoID/DCAT description."""
        html = "text/html" in (request.headers.get("accept") or "")
        return RedirectResponse("/" if html else "/.well-known/void", status_code=303, headers={"Vary": "Accept"})

    @router.get("/doc/{kind}/{name:path}", name="document")
    async def document(kind: str, name: str, request: Request) -> Response:
        return await offload.run(answer, kind, name, request.headers.get("accept"))

    def answer(kind: str, name: str, accept: str | None) -> Response:
        """The document (all of it in one of offload's threads: describing, rendering, compacting JSON-LD)."""
        stem, dot, ext = name.rpartition(".")
        key, ext = (stem, ext) if dot and ext in EXTENSIONS and not exists(f"{base_iri}{kind}/{name}") else (name, "")
        iri = f"{base_iri}{kind}/{key}"
        if kind not in KINDS or not _valid_iri(iri):  # "a b", "<x>": no IRI of ours, and pyoxigraph would refuse it
            return not_found(kind, key, "text/html" in (accept or ""))
        graph = describe(iri)
        found = any(True for _ in graph.quads_for_pattern(ox.NamedNode(iri), None, None))
        if ext:
            media = EXTENSIONS[ext]
        else:
            try:
                offer = choose_document(accept)
            except ProtocolError:
                if not found:
                    return not_found(kind, key, False)
                raise
            media = offer.media_type
        if not found:
            return not_found(kind, key, media == "text/html")
        headers = document_headers(f"/doc/{kind}/{key}", media)
        if media == "text/html":
            page = html_page(iri, kind, key, graph)
            page.headers.update(headers)
            return page
        return Response(graph_bytes(graph, media, base_iri), media_type=with_charset(media), headers=headers)

    # after /doc/…, which this pattern would otherwise swallow
    @router.get("/{kind}/{key:path}", name="thing")
    async def thing(kind: str, key: str, request: Request) -> Response:
        if kind not in KINDS:  # name the path asked for, whole: "/reconcile/suggest/property", not "/reconcile/"
            path = request.url.path
            raise ProtocolError(404, "not-found", f"no such path {path[:200]}{'…' if len(path) > 200 else ''}",
                                "what this server answers is listed on its home page (/), the reconciliation "
                                "service's paths in its manifest (/reconcile)")
        return RedirectResponse(f"/doc/{kind}/{key}", status_code=303, headers={"Vary": "Accept"})

    def html_page(iri: str, kind: str, key: str, graph: ox.Store) -> Response:
        names = catalog.labels
        common = {"iri": iri, "label": names.of(iri), "title": names.of(iri), "twins": TWINS, "twin_base": f"/doc/{kind}/{key}"}
        if kind == "id":
            series = count_series(store, names, subject=iri)
            return render("entity.html", v=entity_view(store, graph, iri, names, catalog.places),
                          counts_chart=count_chart(series), **common)
        if kind == "claim":
            view = claim_view(store, iri, names)
            if view is not None:
                return render("claim.html", v=view, **common)
        if kind == "source":
            text = _source_text(home, graph, iri)
            spans = [] if text is None else [(int(r["start"].value), int(r["end"].value), r["e"].value, r["claimLabel"].value if r["claimLabel"] else "")
                                             for r in store.query(_EVIDENCE_OF_SOURCE, substitutions={ox.Variable("src"): ox.NamedNode(iri)})]
            lang = next((q.object.value for q in graph.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode("https://schema.org/inLanguage"), None)), None)
            return render("source.html", s=source_view(graph, iri, names), wire=wire_view(store, iri, names), lang=lang,
                          spans=len({s[2] for s in spans}), bar=passage_bar(len(text), spans) if text else None,
                          coverage=covered(len(text), spans) if text else 0.0,
                          article=None if text is None else Markup(_highlight(text, spans, base_iri)), **common)
        node = ox.NamedNode(iri)
        rows = [{"p": names.link(q.predicate), "o": names.link(q.object)}
                for q in sorted(graph.quads_for_pattern(node, None, None), key=lambda q: (q.predicate.value, str(q.object)))]
        inverse = [{"s": names.link(q.subject), "p": names.link(q.predicate)} for q in graph.quads_for_pattern(None, None, node)
                   if q.subject != node and not str(q.subject.value).startswith(iri + "#")]
        title, pattern = _CLAIMS_OF.get(kind, ("", ""))
        claims = claims_of(store, iri, names, pattern) if pattern else []
        quote_of = next((e for c in claims for e in c["evidence"] if e["iri"] == iri), None)
        return render("resource.html", kind_label=_KIND_LABELS.get(kind, kind), rows=rows, inverse=inverse[:_INVERSE_SHOWN],
                      inverse_total=len(inverse),
                      claims=claims, claims_title=title, quote_of=quote_of, **common)

    return router


def _valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def _source_text(home: Any, graph: ox.Store, iri: str) -> str | None:
    """The article's published text, read from the project's seeds/ and checked against the hash the data holds."""
    if home is None:
        return None
    name = next(graph.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(ONTOLOGY_NS + "fileName"), None), None)
    digest = next(graph.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(ONTOLOGY_NS + "textSha256"), None), None)
    if name is None or digest is None:
        return None
    path = Path(home) / name.object.value
    if not path.is_file():
        return None
    text = load_seed(path).text
    return text if hashlib.sha256(text.encode("utf-8")).hexdigest() == digest.object.value else None


def _highlight(text: str, spans: list[tuple[int, int, str, str]], base: str) -> str:
    """The text with every cited passage marked and linked to its evidence; overlapping passages nest by segment.
    Each passage's start carries an anchor (``#ev-<key>``), so a claim's page can link to its words in the text."""
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    starts: dict[int, list[str]] = {}
    for s, _, ev, _ in sorted(set(spans)):
        key = ev.rsplit("/", 1)[-1]
        if key not in {k for keys in starts.values() for k in keys}:
            starts.setdefault(s, []).append(key)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        out.extend(f'<span id="ev-{htmllib.escape(k)}"></span>' for k in starts.get(a, []))
        covering = [(s, e, ev, label) for s, e, ev, label in spans if s <= a and b <= e]
        chunk = htmllib.escape(text[a:b])
        if not covering:
            out.append(chunk)
            continue
        s, e, ev, _ = min(covering, key=lambda c: c[1] - c[0])  # the narrowest passage links
        titles = "; ".join(sorted({label for *_, label in covering if label}))
        href = person_href(ev, base)
        if href is None:
            out.append(f'<mark title="{htmllib.escape(titles)}">{chunk}</mark>')
            continue
        out.append(f'<mark title="{htmllib.escape(titles)}"><a href="{htmllib.escape(href)}">{chunk}</a></mark>')
    return "".join(out)
