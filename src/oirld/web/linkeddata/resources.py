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
import itertools
import html as htmllib
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from ...config import ONTOLOGY_NS
from ...seeds import load_seed
from .figures import count_series, most_figures
from ..common.limits import LIMITS
from ..common.negotiation import choose_document
from ..common.inputs import query_params
from ..common.offload import Offload
from .paging import Page, add_hydra_view, link_header, page_links, page_number, paginate
from ..middleware.publicurl import site_url
from ..common.rdfout import graph_bytes
from ..responses import ProtocolError, with_charset
from ..common.hrefs import person_href
from ..svg import count_chart, covered, passage_bar
from ..templating import render
from .views import KINDS, Catalog, claim_order, claim_view, claims_of, entity_view, only, source_view, wire_view

__all__ = ["linked_data_router", "KINDS", "EXTENSIONS", "TWINS", "document_headers"]

EXTENSIONS = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
              "rdf": "application/rdf+xml", "n3": "text/n3", "html": "text/html"}
_BY_MEDIA = {v: k for k, v in EXTENSIONS.items()}
#: the data twins a page links to (footer and <link rel="alternate">)
TWINS = [(e, m) for e, m in EXTENSIONS.items() if e not in ("html", "n3")]  # N3 is Turtle here: no link of its own


def document_headers(path: str, media: str | None = None, page: Page | None = None, here: str | None = None) -> dict[str, str]:
    """The headers of a negotiated document at ``path``: ``Vary``, a ``Link`` to every format's own address (of
    the same page) and to the neighbouring pages (of ``here``, the address asked for), and, when the format is
    known, where this one lives (``Content-Location``)."""
    query = page_links(path, page)["query"] if page else ""
    links = [f'<{path}.{e}{query}>; rel="alternate"; type="{m}"' for e, m in EXTENSIONS.items()]
    if page is not None and page.paged:
        links.append(link_header(here or path, page))
    headers = {"Vary": "Accept", "Link": ", ".join(links)}
    if media is not None:
        headers["Content-Location"] = f"{path}.{_BY_MEDIA[media]}{query}"
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

#: a document's lists, paged side by side: the claims it leads to, its own triples, and the triples that link to it
CLAIMS_PER_PAGE, TRIPLES_PER_PAGE = 25, 200
_RDF_SUBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"
_RDF_OBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object"
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_LINKS_COUNTED = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p {{r}} FILTER (?p != <{_RDF_SUBJECT}>) }}"
# what a page describes beside the resource's own triples, in one query: the page's claims ({claims}) with their own
# triples and the labels of what they name; the evidence of the resource (a claim's) and of those claims ({derived}),
# with selectors; the articles of the resource's evidence (their citation); and the values the resource points to
# ({base}value/…: the number, its bounds and unit), so a client needs no second request
_DESCRIBED = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX schema: <https://schema.org/>
CONSTRUCT { ?c ?cp ?co . ?co rdfs:label ?col . ?e ?ep ?eo . ?sel ?sp ?so . ?src ?srcp ?srco . ?pub rdfs:label ?publ . ?v ?vp ?vo . } WHERE {
  { {claims} ?c ?cp ?co . OPTIONAL { ?co rdfs:label ?col } }
  UNION { {derived} ?x prov:wasDerivedFrom ?e . ?e ?ep ?eo . }
  UNION { {derived} ?x prov:wasDerivedFrom ?e . ?e oa:hasSelector ?sel . ?sel ?sp ?so . }
  UNION
  { ?r prov:wasDerivedFrom/oa:hasSource ?src . ?src ?srcp ?srco .
    FILTER (?srcp IN (rdf:type, rdfs:label, schema:headline, schema:url, schema:datePublished, schema:publisher, schema:inLanguage))
    OPTIONAL { ?src schema:publisher ?pub . ?pub rdfs:label ?publ } }
  UNION
  { ?r ?vlink ?v . FILTER (isIRI(?v) && STRSTARTS(STR(?v), ?values)) ?v ?vp ?vo }
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
    described_query = _DESCRIBED.replace("?values", str(ox.Literal(f"{base_iri}value/")))  # a literal, escaped

    def lists(iri: str, kind: str) -> tuple[list[str], list[ox.Quad], int]:
        """The document's three lists: the claims it leads to (about it, or as ``_CLAIMS_OF`` says for its kind) and
        its own triples, whole and in page order, and how many triples link to it (``links`` reads a page of them)."""
        node = ox.NamedNode(iri)
        claims = (catalog.claims_about(iri) if kind == "id"
                  else claim_order(store, iri, catalog.labels, _CLAIMS_OF.get(kind, ("", "?c rdf:subject {r} ."))[1]))
        own = sorted(store.quads_for_pattern(node, None, None, ox.DefaultGraph()), key=lambda q: (q.predicate.value, str(q.object)))
        count = next(iter(store.query(_LINKS_COUNTED.replace("{r}", str(node)))))["n"]
        return claims, own, int(count.value)

    def links(iri: str, page: Page) -> list[ox.Quad]:
        """A page of the triples that link to ``iri`` (the claims about it aside), in the store's index order: a
        place named in thousands of claims is read a page at a time, not sorted whole on every view."""
        window = page.window(2)
        linking = (q for q in store.quads_for_pattern(None, None, ox.NamedNode(iri), ox.DefaultGraph()) if q.predicate.value != _RDF_SUBJECT)
        return list(itertools.islice(linking, window.start, window.stop))

    def describe(iri: str, page: Page, claims: list[str], own: list[ox.Quad], linking: list[ox.Quad], whole: bool = False,
                 claims_too: bool = True) -> ox.Store:
        """One page of the description: its window of each list, the labels of what they name, the nodes that live
        under the resource's own IRI (``…#quote``), and the page's claims described with their evidence. ``whole``:
        all the resource's own triples (a thing's or an article's record, which a page shows in full and which does
        not grow with the corpus)."""
        out = ox.Store()
        mine = own if whole else own[page.window(1)]
        quads = [ox.Quad(q.subject, q.predicate, q.object) for q in (*mine, *linking)]
        named = {q.object for q in mine if isinstance(q.object, ox.NamedNode)}
        named |= {q.subject for q in linking if isinstance(q.subject, ox.NamedNode)}
        for term in named:
            quads.extend(ox.Quad(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(term, _LABEL, None, ox.DefaultGraph()))
            if term.value.startswith(iri + "#"):
                quads.extend(ox.Quad(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(term, None, None, ox.DefaultGraph()))
        out.extend(quads)
        shown = claims[page.window(0)] if claims_too else []  # the HTML page reads its claims itself (views.claims_of)
        query = described_query.replace("{claims}", only(shown)).replace("{derived}", only([iri, *shown]).replace("?c", "?x"))
        out.extend(ox.Quad(t.subject, t.predicate, t.object) for t in store.query(query, substitutions={ox.Variable("r"): ox.NamedNode(iri)}))
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
        number = page_number(query_params(request))
        return await offload.run(answer, kind, name, request.headers.get("accept"), number, site_url(request))

    def answer(kind: str, name: str, accept: str | None, number: int = 1, site: str = "/") -> Response:
        """The document (all of it in one of offload's threads: describing, rendering, compacting JSON-LD)."""
        stem, dot, ext = name.rpartition(".")
        key, ext = (stem, ext) if dot and ext in EXTENSIONS and not exists(f"{base_iri}{kind}/{name}") else (name, "")
        iri = f"{base_iri}{kind}/{key}"
        if kind not in KINDS or not _valid_iri(iri):  # "a b", "<x>": no IRI of ours, and pyoxigraph would refuse it
            return not_found(kind, key, "text/html" in (accept or ""))
        claims, own, linked = lists(iri, kind)
        found = bool(own)
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
        page = paginate(number, (len(claims), len(own), linked), (CLAIMS_PER_PAGE, TRIPLES_PER_PAGE, TRIPLES_PER_PAGE))
        html = media == "text/html"
        linking = links(iri, page)
        graph = describe(iri, page, claims, own, linking, whole=html and kind in ("id", "source"), claims_too=not html)
        path = f"/doc/{kind}/{key}"
        headers = document_headers(path, media, page, f"/doc/{kind}/{name}")
        if media == "text/html":
            response = html_page(iri, kind, key, graph, page, claims[page.window(0)], linking)
            response.headers.update(headers)
            return response
        if page.paged:  # the page says which part of the whole it is, and where the others are
            add_hydra_view(graph, site.rstrip("/") + f"/doc/{kind}/{name}", page, (ox.NamedNode(c) for c in claims[page.window(0)]))
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

    def html_page(iri: str, kind: str, key: str, graph: ox.Store, page: Page, shown: list[str], links: list[ox.Quad]) -> Response:
        names = catalog.labels
        pager = page_links(f"/doc/{kind}/{key}", page)
        common = {"iri": iri, "label": names.of(iri), "title": names.of(iri) + (f" (page {page.number})" if page.number > 1 else ""),
                  "twins": TWINS, "twin_base": f"/doc/{kind}/{key}", "pager": pager, "twin_query": pager["query"]}
        if kind == "id":
            pointing = [q.subject.value for q in links if q.predicate.value == _RDF_OBJECT]
            # every subject's figures read once: a subject's own, read per view, took 3 s for Iraq at 1,000 articles
            def chart() -> tuple[Any, int, int]:  # drawn once per thing: drawing took as long as the rest of the page
                every = [s for s in catalog.once("troop series", lambda: count_series(store, names, index=catalog.index)) if s["subject"]["iri"] == iri]
                series = most_figures(every)
                return count_chart(series), len(every), len(series)

            drawn, total, charted = catalog.once("troop chart " + iri, chart)
            return render("entity.html", v=entity_view(store, graph, iri, names, catalog.places, only(shown), pointing,
                                                       catalog.current_of(iri), catalog.index), counts_chart=drawn,
                          series_total=total, series_shown=charted, **common)
        if kind == "claim":
            view = claim_view(store, iri, names, catalog.index)
            if view is not None:
                return render("claim.html", v=view, **common)
        if kind == "source":
            text = _source_text(home, graph, iri)
            # the article named in VALUES: given as a substitution, the query read every passage of the corpus (1 s at
            # 1,000 articles); sorted, so the page does not depend on the engine's order of rows
            spans = [] if text is None else sorted(
                (int(r["start"].value), int(r["end"].value), r["e"].value, r["claimLabel"].value if r["claimLabel"] else "")
                for r in store.query(_EVIDENCE_OF_SOURCE.replace("WHERE {", f"WHERE {{ VALUES ?src {{ {ox.NamedNode(iri)} }}", 1)))
            lang = next((q.object.value for q in graph.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode("https://schema.org/inLanguage"), None)), None)
            return render("source.html", s=source_view(graph, iri, names), wire=wire_view(store, iri, names), lang=lang,
                          spans=len({s[2] for s in spans}), bar=passage_bar(len(text), spans) if text else None,
                          coverage=covered(len(text), spans) if text else 0.0,
                          article=None if text is None else Markup(_highlight(text, spans, base_iri)), **common)
        node = ox.NamedNode(iri)
        rows = [{"p": names.link(q.predicate), "o": names.link(q.object)}
                for q in sorted(graph.quads_for_pattern(node, None, None), key=lambda q: (q.predicate.value, str(q.object)))]
        inverse = [{"s": names.link(q.subject), "p": names.link(q.predicate)} for q in links
                   if q.subject != node and not str(q.subject.value).startswith(iri + "#")]
        title = _CLAIMS_OF.get(kind, ("", ""))[0]
        claims = claims_of(store, iri, names, only(shown), catalog.index) if title else []
        quote_of = next((e for c in claims for e in c["evidence"] if e["iri"] == iri), None)
        return render("resource.html", kind_label=_KIND_LABELS.get(kind, kind), rows=rows, inverse=inverse,
                      inverse_total=page.totals[2], rows_total=page.totals[1], claims_total=page.totals[0],
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
