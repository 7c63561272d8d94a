"""Pages for people about the whole dataset: the home page, an index by type, a timeline and where the sources
disagree (the search is :mod:`oirld.web.search`).

Each page has a data twin at the same address with a suffix (``/timeline.ttl``, ``/index.jsonld``, …), built by a
CONSTRUCT over the store, and the page itself is negotiated: an RDF client asking for ``/timeline`` gets the twin.
The home page's twin is the dataset's VoID/DCAT description (``/.well-known/void``).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from typing import Any

import pyoxigraph as ox
import rdflib
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from ..namespaces import DCTERMS, VOID, is_thing
from ..report import disagreements_from_store
from .linkeddata import EXTENSIONS, TWINS, document_headers
from .negotiation import choose_document
from .offload import Offload
from .rdfout import graph_bytes
from .responses import ProtocolError, with_charset
from .templating import STATIC_DIR, render
from .figures import count_series, sources_list
from .svg import busy_window, count_chart, timeline_chart
from .svg.base import chrono_key, html_datetime, parse_date
from .views import OIRL, Catalog, claims_of, doc_path

__all__ = ["pages_router", "PAGE_GRAPHS"]

_P = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
      "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oirl: <https://w3id.org/oirld/ontology#> "
      "PREFIX wikibase: <http://wikiba.se/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>\n")
_DATED = "?c rdf:predicate ?tp . FILTER (?tp IN (oirl:startDate, oirl:endDate, oirl:date))"
#: the data twin of each page: what the page shows, as triples
PAGE_GRAPHS = {
    "timeline": _P + """CONSTRUCT { ?c a oirl:Claim ; rdf:subject ?s ; rdf:predicate ?tp ; rdf:object ?v ; wikibase:rank ?rank ;
                 prov:wasDerivedFrom ?e . ?v ?vp ?vo . ?s rdfs:label ?sl }
WHERE { ?c a oirl:Claim ; rdf:subject ?s ; rdf:predicate ?tp ; rdf:object ?v ; wikibase:rank ?rank ; prov:wasDerivedFrom ?e .
        FILTER (?tp IN (oirl:startDate, oirl:endDate, oirl:date)) ?v ?vp ?vo . OPTIONAL { ?s rdfs:label ?sl } }""",
    "index": _P + """CONSTRUCT { ?s a ?t ; rdfs:label ?l } WHERE { ?s a ?t ; rdfs:label ?l .
        FILTER (STRSTARTS(STR(?s), "{base}id/") || STRSTARTS(STR(?s), "{base}source/")) }""",
    "disagreements": _P + """CONSTRUCT { ?d ?dp ?do . ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?v ; wikibase:rank ?rank ;
                 prov:wasDerivedFrom ?e . ?e oa:hasSource ?src ; rdfs:label ?el . ?v rdfs:label ?vl }
WHERE { ?d a oirl:Disagreement ; ?dp ?do ; oirl:involvesClaim ?c . ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?v ;
        wikibase:rank ?rank ; prov:wasDerivedFrom ?e . ?e oa:hasSource ?src . OPTIONAL { ?e rdfs:label ?el }
        OPTIONAL { ?v rdfs:label ?vl } }""",
}
_TIMES = _P + """SELECT ?c ?earliest ?latest WHERE { ?c a oirl:Claim ; rdf:object ?v . """ + _DATED + """
  OPTIONAL { ?v oirl:earliest ?earliest } OPTIONAL { ?v oirl:latest ?latest } }"""
_COUNTS = _P + """SELECT
  (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?n) AS ?names) (COUNT(DISTINCT ?e) AS ?evidence)
  (COUNT(DISTINCT ?src) AS ?sources) (COUNT(DISTINCT ?d) AS ?disagreements) WHERE {
  { ?c a oirl:Claim } UNION { ?n rdf:predicate oirl:writtenAs } UNION { ?e a oirl:Evidence } UNION { ?src a <https://schema.org/NewsArticle> }
  UNION { ?d a oirl:Disagreement } }"""
_PHASES = _P + "SELECT ?x WHERE { { ?x a oirl:Phase } UNION { ?x a oirl:MilitaryOperation } }"


def pages_router(store: ox.Store, settings: Any, catalog: Catalog, reconciler: Any, offload: Offload | None = None) -> APIRouter:
    """The pages; each is built in ``offload``'s threads (a pool of its own when none is given)."""
    router = APIRouter()
    offload = offload or Offload()
    base = settings.base_iri

    def twin(name: str, media: str) -> Response:
        query = PAGE_GRAPHS[name].replace("{base}", base)
        data = ox.Store()
        data.extend(ox.Quad(t.subject, t.predicate, t.object) for t in store.query(query))
        body = graph_bytes(data, media, base)
        return Response(body, media_type=with_charset(media), headers=document_headers(f"/{name}"))

    async def page(request: Request, name: str, html: Any) -> Response:
        """The page, or its data twin when the client prefers RDF."""
        offer = choose_document(request.headers.get("accept"), page_first=True)  # "*/*" gets HTML
        if offer.media_type != "text/html":
            return await offload.run(twin, name, offer.media_type)
        response = await offload.run(html)
        response.headers.update(document_headers(f"/{name}"))
        return response

    def add_twin_route(name: str) -> None:
        async def page_twin(ext: str) -> Response:
            if ext not in EXTENSIONS:
                raise ProtocolError(404, "not-found", f"no page /{name}.{ext}", "suffixes: " + ", ".join(EXTENSIONS))
            if ext == "html":
                return await offload.run(html_pages[name])
            return await offload.run(twin, name, EXTENSIONS[ext])

        router.add_api_route(f"/{name}.{{ext}}", page_twin, methods=["GET"], name=f"{name}-twin")

    def common(title: str, name: str | None = None) -> dict[str, Any]:
        return {"title": title, "twins": TWINS if name else None, "twin_base": f"/{name}"}

    # -- home ---------------------------------------------------------------------------------------------------
    @functools.cache
    def about_dataset() -> tuple[dict[str, Any], dict[str, int]]:
        """What the home page says, read once: neither the build's description nor the store changes under a server."""
        about: dict[str, Any] = {}
        if settings.void_path:
            g = rdflib.Graph().parse(settings.void_path, format="turtle")
            ds = rdflib.URIRef(base + "dataset")
            for key, pred in [("title", DCTERMS.title), ("description", DCTERMS.description), ("citation", DCTERMS.bibliographicCitation),
                              ("license", DCTERMS.license), ("rights", DCTERMS.rights), ("issued", DCTERMS.issued),
                              ("triples", VOID.triples), ("entities", VOID.entities)]:
                value = g.value(ds, pred)
                about[key] = str(value) if value is not None else None
        row = next(iter(store.query(_COUNTS)))
        return about, {k: int(row[k].value) for k in ("claims", "names", "evidence", "sources", "disagreements")}

    def home_html() -> Response:
        about, counts = about_dataset()
        return render("home.html", about=about, counts=counts, version=settings.dataset_version, base=base,
                      sources=sources_list(store, catalog.labels),
                      title=about.get("title") or "oirld", twins=[("ttl", "text/turtle")], twin_base="/.well-known/void")

    @router.get("/")
    async def home(request: Request) -> Response:
        if choose_document(request.headers.get("accept"), page_first=True).media_type != "text/html":
            return Response(status_code=303, headers={"Location": "/.well-known/void", "Vary": "Accept"})  # the data twin
        response = await offload.run(home_html)
        response.headers["Vary"] = "Accept"
        return response

    @router.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        """Browsers ask for it on every site; a 404 fills logs and consoles."""
        return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/vnd.microsoft.icon",
                            headers={"Cache-Control": "public, max-age=86400"})

    # -- index ----------------------------------------------------------------------------------------------------
    def index_html() -> Response:
        labels = catalog.labels
        by_type: dict[str, dict[str, Any]] = {}
        articles: set[str] = set()
        for t in store.query(PAGE_GRAPHS["index"].replace("{base}", base)):
            if "#" in t.subject.value:  # a thing's parts (a geometry, a field record) are not things (namespaces.is_thing)
                continue
            if t.object.value == "https://schema.org/NewsArticle":
                articles.add(t.subject.value)
            if t.predicate.value.endswith("#type") and (t.object.value.startswith(OIRL) or t.object.value == "https://schema.org/NewsArticle"):
                group = by_type.setdefault(t.object.value, {"type": labels.link(t.object), "items": {}})
                group["items"][t.subject.value] = labels.link(t.subject)
        groups = sorted(({"type": g["type"], "items": sorted(g["items"].values(), key=lambda i: i["label"].lower())}
                         for g in by_type.values()), key=lambda g: g["type"]["label"].lower())
        listed = {i["iri"] for g in groups for i in g["items"]}
        return render("index.html", groups=groups, things=sum(is_thing(i, base) for i in listed), articles=len(articles & listed),
                      **common("Index", "index"))

    @router.get("/index")
    async def index(request: Request) -> Response:
        return await page(request, "index", index_html)

    # -- timeline -------------------------------------------------------------------------------------------------
    def timeline_html() -> Response:
        labels = catalog.labels
        claims = {c["iri"]: c for c in claims_of(store, None, labels, _DATED)}
        when: dict[str, tuple[Any, Any]] = {}
        for row in store.query(_TIMES):
            when[row["c"].value] = tuple(parse_date(row[k].value if row[k] else None) for k in ("earliest", "latest"))
        entries = [dict(c, earliest=when.get(iri, (None, None))[0], latest=when.get(iri, (None, None))[1]) for iri, c in claims.items()]
        for e in entries:
            e["ends"] = e["property"]["iri"] == OIRL + "endDate"
            e["sort"] = chrono_key(e["earliest"], e["latest"], e["ends"])
            e["datetime"] = html_datetime(e["earliest"], e["latest"])
        entries.sort(key=lambda e: (e["sort"], e["subject"]["label"]))
        phases = []
        for row in store.query(_PHASES):
            x = row["x"].value
            slots: OrderedDict[str, list[dict[str, Any]]] = OrderedDict((OIRL + p, []) for p in ("startDate", "endDate"))
            for e in entries:
                if e["subject"]["iri"] == x and e["property"]["iri"] in slots:
                    slots[e["property"]["iri"]].append(e)
            start, end = slots[OIRL + "startDate"], slots[OIRL + "endDate"]
            # a phase stands where it starts; with no start stated, where it ends (and before what starts then)
            phases.append({"thing": labels.link(row["x"]), "start": start, "end": end,
                           "sort": min((e["sort"] for e in start or end), default=chrono_key(None, None))})
        phases.sort(key=lambda p: (p["sort"], p["thing"]["label"]))
        series = count_series(store, labels)
        window = busy_window(entries)
        return render("timeline.html", entries=entries, phases=phases, chart=timeline_chart(entries), series=series, window=window,
                      closer=timeline_chart(entries, "timeline-closer", window=window) if window else None,
                      counts_chart=count_chart(series), **common("Timeline", "timeline"))

    @router.get("/timeline")
    async def timeline(request: Request) -> Response:
        return await page(request, "timeline", timeline_html)

    # -- disagreements --------------------------------------------------------------------------------------------
    def disagreements_html() -> Response:
        items = disagreements_from_store(store, catalog.labels.names)
        for d in items:
            d["subject_href"] = doc_path(d["subject"], base)
            for v in d["values"]:
                v["href"] = doc_path(v["claim"], base)
                for e in v["evidence"]:  # the passage, marked in the article's page
                    page = doc_path(e["source"], base)
                    e["passage_href"] = f"{page}#{e['anchor']}" if page else None
        return render("disagreements.html", items=items, values=sum(d["kind"] == "value" for d in items),
                      spellings=sum(d["kind"] == "spelling" for d in items), **common("Where the sources disagree", "disagreements"))

    @router.get("/disagreements")
    async def disagreements(request: Request) -> Response:
        if "application/json" in (request.headers.get("accept") or ""):
            return JSONResponse(await offload.run(disagreements_from_store, store, catalog.labels.names))
        return await page(request, "disagreements", disagreements_html)

    html_pages = {"timeline": timeline_html, "index": index_html, "disagreements": disagreements_html}
    for name in PAGE_GRAPHS:
        add_twin_route(name)
    return router
