"""Pages for people about the whole dataset: the home page, an index by type, a timeline and where the sources
disagree (the search is :mod:`oirld.web.linkeddata.search`).

Each page has a data twin at the same address with a suffix (``/timeline.ttl``, ``/index.jsonld``, …), built by a
CONSTRUCT over the store, and the page itself is negotiated: an RDF client asking for ``/timeline`` gets the twin.
The home page's twin is the dataset's VoID/DCAT description (``/.well-known/void``).
"""

from __future__ import annotations

import functools
from typing import Any

import pyoxigraph as ox
import rdflib
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from markupsafe import Markup

from ...citation import citations
from ...namespaces import DCTERMS, VOID, is_thing
from ...report import disagreements_from_store
from ..common.inputs import query_params
from .resources import EXTENSIONS, TWINS, document_headers
from ..common.negotiation import choose_document
from ..common.offload import Offload
from .paging import Page, add_hydra_view, page_links, page_number, paginate
from ..middleware.publicurl import site_url
from ..common.rdfout import graph_bytes
from ..responses import ProtocolError, with_charset
from ..templating import ENV, STATIC_DIR, render
from .figures import count_series, most_figures, sources_list
from ..svg import busy_window, count_chart, timeline_chart
from ..svg.base import chrono_key, html_datetime, parse_date
from .views import OIRL, PASSAGES_SHOWN, Catalog, claims_of, doc_path, only

__all__ = ["pages_router", "PAGE_GRAPHS"]

_P = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
      "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oirl: <https://w3id.org/oirld/ontology#> "
      "PREFIX wikibase: <http://wikiba.se/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>\n")
_DATED = "?c rdf:predicate ?tp . FILTER (?tp IN (oirl:startDate, oirl:endDate, oirl:date))"
#: the data twin of each page: what the page shows, as triples
PAGE_GRAPHS = {
    "timeline": _P + """CONSTRUCT { ?c a oirl:Claim ; rdf:subject ?s ; rdf:predicate ?tp ; rdf:object ?v ; wikibase:rank ?rank ;
                 prov:wasDerivedFrom ?e . ?v ?vp ?vo . ?s rdfs:label ?sl }
WHERE { {window} ?c a oirl:Claim ; rdf:subject ?s ; rdf:predicate ?tp ; rdf:object ?v ; wikibase:rank ?rank ; prov:wasDerivedFrom ?e .
        FILTER (?tp IN (oirl:startDate, oirl:endDate, oirl:date)) ?v ?vp ?vo . OPTIONAL { ?s rdfs:label ?sl } }""",
    "index": _P + """CONSTRUCT { ?s a ?t ; rdfs:label ?l } WHERE { {window} ?s a ?t ; rdfs:label ?l .
        FILTER (STRSTARTS(STR(?s), "{base}id/") || STRSTARTS(STR(?s), "{base}source/")) }""",
    "sources": _P + """PREFIX schema: <https://schema.org/>
CONSTRUCT { ?src a schema:NewsArticle ; schema:headline ?h ; schema:publisher ?pub ; schema:datePublished ?date ;
            oirl:publishedNotBefore ?nb ; schema:url ?url . ?pub rdfs:label ?pl }
WHERE { {window} ?src a schema:NewsArticle . OPTIONAL { ?src schema:headline ?h } OPTIONAL { ?src schema:datePublished ?date }
        OPTIONAL { ?src oirl:publishedNotBefore ?nb } OPTIONAL { ?src schema:url ?url }
        OPTIONAL { ?src schema:publisher ?pub OPTIONAL { ?pub rdfs:label ?pl } } }""",
    "disagreements": _P + """CONSTRUCT { ?d ?dp ?do . ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?v ; wikibase:rank ?rank ;
                 prov:wasDerivedFrom ?e . ?e oa:hasSource ?src ; rdfs:label ?el . ?v rdfs:label ?vl }
WHERE { {window} ?d a oirl:Disagreement .
        # the disagreement's own triples apart from its claims': joined, each claim's rows came once per triple of it
        { ?d ?dp ?do } UNION { ?d oirl:involvesClaim ?c . ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?v ;
        wikibase:rank ?rank ; prov:wasDerivedFrom ?e . ?e oa:hasSource ?src . OPTIONAL { ?e rdfs:label ?el }
        OPTIONAL { ?v rdfs:label ?vl } } }""",
}
_TIMES = _P + """SELECT ?c ?s ?tp ?earliest ?latest WHERE { ?c a oirl:Claim ; rdf:subject ?s ; rdf:object ?v . """ + _DATED + """
  OPTIONAL { ?v oirl:earliest ?earliest } OPTIONAL { ?v oirl:latest ?latest } }"""
# the phases' start and end claims, light: what the table on the timeline's first page shows of each
_PHASE_DATES = _P + """SELECT ?x ?c ?tp ?v ?rank ?reason ?d WHERE { { ?x a oirl:Phase } UNION { ?x a oirl:MilitaryOperation }
  ?c rdf:subject ?x ; rdf:predicate ?tp ; rdf:object ?v ; wikibase:rank ?rank . FILTER (?tp IN (oirl:startDate, oirl:endDate))
  OPTIONAL { ?c oirl:rankReason ?reason } OPTIONAL { ?d oirl:involvesClaim ?c } }"""
_DISAGREEMENT_ORDER = _P + """SELECT ?d ?kind ?p ?sl WHERE { ?d a oirl:Disagreement ; oirl:disagreementKind ?kind ;
  oirl:onSubject ?s ; oirl:onProperty ?p . OPTIONAL { ?s rdfs:label ?sl } }"""
#: items on a page of the timeline, the disagreements, the index (a thing under each of its types) and the sources;
#: the articles the home page lists, newest first. The timeline's 25 are a thing's page's 25 claims: with 50, its
#: first page cost 57 ms of CPU at 1,000 articles, too near 100 ms on a busy machine
ENTRIES_PER_PAGE, DISAGREEMENTS_PER_PAGE, INDEX_PER_PAGE, SOURCES_PER_PAGE, LATEST_SOURCES = 25, 10, 500, 100, 20
#: the variable each page's data twin picks its window with
#: the timeline's troop numbers: the subjects and places with the most figures (twelve, as a thing's page draws, were
#: 570 of the 700 kB of its first page); each thing's page draws its own
TROOP_PANELS = 6
_WINDOW_VAR = {"disagreements": "?d", "index": "?s", "sources": "?src"}
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
    # the order of a paged page's items, read once per dataset version (each time when updates may change it)
    read_once: Any = (lambda f: f) if getattr(settings, "updates_enabled", False) else functools.cache

    def window(name: str, number: int) -> tuple[Page | None, list[str]]:
        """The page of a paged page's items, and the IRIs on it (the index is not paged: None)."""
        if name == "timeline":
            items = [e[0] for e in timeline_order()]
            page = paginate(number, [len(items)], [ENTRIES_PER_PAGE])
        elif name == "disagreements":
            items = disagreement_order()
            page = paginate(number, [len(items)], [DISAGREEMENTS_PER_PAGE])
        elif name == "index":
            items = [i["iri"] for _, i in index_entries()[0]]
            page = paginate(number, [len(items)], [INDEX_PER_PAGE])
            return page, list(dict.fromkeys(items[page.window()]))  # a thing of two types is one member
        else:
            items = [s["iri"] for s in all_sources()]
            page = paginate(number, [len(items)], [SOURCES_PER_PAGE])
        return page, items[page.window()]

    def twin(name: str, media: str, number: int = 1, site: str = "/", path: str | None = None) -> Response:
        page, shown = window(name, number)
        var = _WINDOW_VAR.get(name, "?c")
        query = PAGE_GRAPHS[name].replace("{base}", base).replace("{window}", only(shown).replace("?c", var) if page else "")
        data = ox.Store()
        data.extend(ox.Quad(t.subject, t.predicate, t.object) for t in store.query(query))
        here = path or f"/{name}"
        if page is not None and page.paged:
            add_hydra_view(data, site.rstrip("/") + here, page, (ox.NamedNode(i) for i in shown))
        body = graph_bytes(data, media, base)
        return Response(body, media_type=with_charset(media), headers=document_headers(f"/{name}", media, page, here))

    async def page(request: Request, name: str, html: Any) -> Response:
        """The page, or its data twin when the client prefers RDF."""
        number = page_number(query_params(request))
        offer = choose_document(request.headers.get("accept"), page_first=True)  # "*/*" gets HTML
        if offer.media_type != "text/html":
            return await offload.run(twin, name, offer.media_type, number, site_url(request))
        return await offload.run(html, number)

    def add_twin_route(name: str) -> None:
        async def page_twin(ext: str, request: Request) -> Response:
            if ext not in EXTENSIONS:
                raise ProtocolError(404, "not-found", f"no page /{name}.{ext}", "suffixes: " + ", ".join(EXTENSIONS))
            number = page_number(query_params(request))
            if ext == "html":
                return await offload.run(html_pages[name], number)
            return await offload.run(twin, name, EXTENSIONS[ext], number, site_url(request), f"/{name}.{ext}")

        router.add_api_route(f"/{name}.{{ext}}", page_twin, methods=["GET"], name=f"{name}-twin")

    def paged_html(name: str, template: str, page: Page | None, **fields: Any) -> Response:
        """A page rendered with its pager, and the headers of its negotiated document."""
        pager = page_links(f"/{name}", page) if page else None
        response = render(template, pager=pager, twin_query=pager["query"] if pager else "", **fields)
        response.headers.update(document_headers(f"/{name}", None, page))
        return response

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

    @read_once
    def all_sources() -> list[dict[str, Any]]:
        """Every article, oldest first, read once (the home page read them all on every view: 0.1-0.4 s at 1,000)."""
        return sources_list(store, catalog.labels)

    def home_html() -> Response:
        about, counts = about_dataset()
        every = all_sources()
        latest = sorted(every, key=lambda s: (s["date"] is not None, s["date"] or ""), reverse=True)[:LATEST_SOURCES]
        return render("home.html", about=about, counts=counts, version=settings.dataset_version, base=base,
                      sources=latest, sources_total=len(every),
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
    @read_once
    def index_entries() -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], int, int]:
        """Every (type, thing) the index lists, in its order, with how many things and articles: read once (1.2 s
        at 1,000 articles), so a page of it picks its window from memory."""
        labels = catalog.labels
        by_type: dict[str, dict[str, Any]] = {}
        articles: set[str] = set()
        for t in store.query(PAGE_GRAPHS["index"].replace("{base}", base).replace("{window}", "")):
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
        entries = [(g["type"], i) for g in groups for i in g["items"]]
        return entries, sum(is_thing(i, base) for i in listed), len(articles & listed)

    def index_html(number: int = 1) -> Response:
        page, _ = window("index", number)
        assert page is not None
        entries, things, articles = index_entries()
        groups: dict[str, dict[str, Any]] = {}
        for t, i in entries[page.window()]:
            groups.setdefault(t["iri"], {"type": t, "items": []})["items"].append(i)
        # every type in the contents, with its count and the page it starts on
        types: dict[str, dict[str, Any]] = {}
        for n, (t, _) in enumerate(entries):
            types.setdefault(t["iri"], {"type": t, "count": 0, "page": n // INDEX_PER_PAGE + 1})["count"] += 1
        for k, t in enumerate(types.values(), 1):
            t["anchor"] = f"t-{k}"
            here = "" if t["page"] == page.number else "/index" if t["page"] == 1 else f"/index?page={t['page']}"
            t["href"] = f"{here}#t-{k}"
        for g in groups.values():
            g["anchor"], g["count"] = types[g["type"]["iri"]]["anchor"], types[g["type"]["iri"]]["count"]
        return paged_html("index", "index.html", page, groups=list(groups.values()), types=list(types.values()),
                          things=things, articles=articles, **common("Index" + (f" (page {number})" if number > 1 else ""), "index"))

    @router.get("/index")
    async def index(request: Request) -> Response:
        return await page(request, "index", index_html)

    # -- sources --------------------------------------------------------------------------------------------------
    def sources_html(number: int = 1) -> Response:
        page, _ = window("sources", number)
        assert page is not None
        return paged_html("sources", "sources.html", page, sources=all_sources()[page.window()],
                          **common("The sources" + (f" (page {number})" if number > 1 else ""), "sources"))

    @router.get("/sources")
    async def sources(request: Request) -> Response:
        return await page(request, "sources", sources_html)

    # -- timeline -------------------------------------------------------------------------------------------------
    @read_once
    def timeline_order() -> list[tuple[str, Any, Any, str, Any]]:
        """Every dated claim as (IRI, earliest, latest, subject's label, chronological key), in the timeline's order,
        the key carried for the phase table and the pictures to sort by; read once (the
        store does not change under a server that caches, and with updates on it is a few thousand rows)."""
        labels = catalog.labels
        rows: dict[str, tuple[Any, ...]] = {}
        for row in store.query(_TIMES):
            earliest, latest = (parse_date(row[k].value if row[k] else None) for k in ("earliest", "latest"))
            # a year before the days in it; an open interval ("by 2026") at its known end; what ends before what starts
            key = chrono_key(earliest, latest, row["tp"].value == OIRL + "endDate")
            rows[row["c"].value] = (row["c"].value, earliest, latest, labels.link(row["s"])["label"], key)
        return sorted(rows.values(), key=lambda e: (e[4], e[3], e[0]))

    @read_once
    def troop_series() -> list[dict[str, Any]]:
        """Every troop figure, for the chart on the timeline's first page (read once, like the order)."""
        return catalog.once("troop series", lambda: count_series(store, catalog.labels, index=catalog.index))  # shared with the things' pages

    def timeline_html(number: int = 1) -> Response:
        labels = catalog.labels
        page, shown = window("timeline", number)
        when = {e[0]: e for e in timeline_order()}
        claims = {c["iri"]: c for c in claims_of(store, None, labels, only(shown), catalog.index, quoted=PASSAGES_SHOWN)}
        entries = [dict(claims[iri], earliest=when[iri][1], latest=when[iri][2], chrono=when[iri][4]) for iri in shown if iri in claims]
        for e in entries:
            e["ends"] = e["property"]["iri"] == OIRL + "endDate"
            e["datetime"] = html_datetime(e["earliest"], e["latest"])
        # the picture draws what this page lists; the troop numbers, on the first page, draw every figure
        every = troop_series() if number == 1 else []
        series = most_figures(every, TROOP_PANELS)
        span = busy_window(entries)
        # the troop numbers are drawn once per dataset version: drawing them took longer than the rest of the page
        counts = catalog.once("troop chart", lambda: count_chart(series) if series else None) if number == 1 else None
        # and their table likewise: a thousand rows, rendered on each view, were a fifth of the page's time
        table = catalog.once("troop table", lambda: Markup(ENV.get_template("_figures_table.html").render(series=series))) if counts else None
        return paged_html("timeline", "timeline.html", page, entries=entries, phases=phases_table() if number == 1 else [],
                          chart=timeline_chart(entries), series=series, series_total=len(every), window=span,
                          closer=timeline_chart(entries, "timeline-closer", window=span) if span else None,
                          counts_chart=counts, figures_table=table,
                          **common("Timeline" + (f" (page {number})" if number > 1 else ""), "timeline"))

    def phases_table() -> list[dict[str, Any]]:
        """The operation and its phases with the dates the sources give, on the first page: one light query, not the
        passages behind each date."""
        labels = catalog.labels
        when = {e[0]: e for e in timeline_order()}
        phases: dict[str, dict[str, Any]] = {}
        for row in store.query(_PHASE_DATES):
            x = phases.setdefault(row["x"].value, {"thing": labels.link(row["x"]), "start": {}, "end": {}})
            c = row["c"].value
            ends = row["tp"].value != OIRL + "startDate"
            slot = x["end" if ends else "start"]
            e = slot.setdefault(c, {"href": doc_path(c, base), "value": labels.link(row["v"]), "rank": row["rank"].value.rsplit("#", 1)[-1].replace("Rank", "").lower(),
                                    "rank_reason": row["reason"].value if row["reason"] else None, "disagreements": [],
                                    "sort": when[c][4] if c in when else chrono_key(None, None, ends)})
            if row["d"] is not None:
                e["disagreements"].append(row["d"].value)
        out = []
        for x in phases.values():
            start, end = (sorted(x[k].values(), key=lambda e: (e["sort"], e["value"]["label"])) for k in ("start", "end"))
            # a phase stands where it starts; with no start stated, where it ends (and before what starts then)
            out.append({"thing": x["thing"], "start": start, "end": end,
                        "sort": min((e["sort"] for e in start or end), default=chrono_key(None, None))})
        return sorted(out, key=lambda p: (p["sort"], p["thing"]["label"]))

    @router.get("/timeline")
    async def timeline(request: Request) -> Response:
        return await page(request, "timeline", timeline_html)

    # -- disagreements --------------------------------------------------------------------------------------------
    @read_once
    def disagreement_kinds() -> dict[str, str]:
        """Every disagreement's IRI and kind, in the page's order: values before spellings, then by subject and property."""
        keys: dict[str, tuple[str, str, str, str]] = {}
        for row in store.query(_DISAGREEMENT_ORDER):
            d, label = row["d"].value, row["sl"].value if row["sl"] else row["d"].value
            key = (row["kind"].value, label, row["p"].value, d)
            keys[d] = min(keys.get(d, key), key)
        return {d: keys[d][0] for d in sorted(keys, key=keys.__getitem__)}

    @read_once
    def cited() -> dict[str, Any]:
        """Every article as a passage cites it, read once like the order: a page of disagreements cites hundreds."""
        return citations(store)

    def disagreement_order() -> list[str]:
        return list(disagreement_kinds())

    def disagreements_html(number: int = 1) -> Response:
        page, shown = window("disagreements", number)
        items = disagreements_from_store(store, catalog.labels.names, only=shown, cited=cited(), index=catalog.index,
                                         quoted=PASSAGES_SHOWN)
        for d in items:
            d["subject_href"], d["href"] = doc_path(d["subject"], base), doc_path(d["id"], base)
            d["passages"] = sum(v["passages"] for v in d["values"])
            for v in d["values"]:
                v["href"] = doc_path(v["claim"], base)
                for e in v["evidence"]:  # the passage, marked in the article's page
                    target = doc_path(e["source"], base)
                    e["passage_href"] = f"{target}#{e['anchor']}" if target else None
        return paged_html("disagreements", "disagreements.html", page, items=items, counts=disagreement_counts(),
                          **common("Where the sources disagree" + (f" (page {number})" if number > 1 else ""), "disagreements"))

    def disagreement_counts() -> dict[str, int]:
        counts = {"value": 0, "spelling": 0}
        for kind in disagreement_kinds().values():
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    @router.get("/disagreements")
    async def disagreements(request: Request) -> Response:
        if "application/json" in (request.headers.get("accept") or ""):
            number = page_number(query_params(request))

            def as_json() -> Response:
                page, shown = window("disagreements", number)
                assert page is not None
                return JSONResponse(disagreements_from_store(store, catalog.labels.names, only=shown, cited=cited(), index=catalog.index), headers=document_headers("/disagreements", None, page))

            return await offload.run(as_json)
        return await page(request, "disagreements", disagreements_html)

    html_pages = {"timeline": timeline_html, "index": index_html, "disagreements": disagreements_html, "sources": sources_html}
    for name in PAGE_GRAPHS:
        add_twin_route(name)
    return router
