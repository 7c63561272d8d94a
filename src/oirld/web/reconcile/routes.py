"""The routes of /reconcile: the manifest, reconciliation queries, data extension, suggest and preview, over the
app's one :class:`.reconciler.Reconciler` and its :class:`.extension.Extender`. Each does its work off the event
loop, within the limits of :mod:`oirld.web.common.limits`, reading its input strictly (module docstring of
:mod:`.reconciler`)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from ...config import ONTOLOGY_NS as ONT
from ..common.hrefs import absolute_href
from ..common.inputs import first, form_params, parse_json, query_params
from ..common.limits import LIMITS, enforce, enforce_length
from ..common.offload import Offload
from ..middleware.publicurl import site_url
from ..responses import ProtocolError
from .extension import extend_manifest
from .reconciler import QUERY_HINT, Key, Reconciler, bounded_text, parse_query

if TYPE_CHECKING:
    from ..state import AppState

__all__ = ["reconcile_router", "router"]


def router(state: AppState) -> APIRouter:
    return reconcile_router(state.reconciler, state.offload)


def reconcile_router(reconciler: Reconciler, offload: Offload | None = None) -> APIRouter:
    """The routes of /reconcile; their work runs in ``offload`` (a pool of its own when none is given)."""
    router = APIRouter()
    extender = reconciler.extender
    offload = offload or Offload()

    def manifest(request: Request) -> dict[str, Any]:
        root = site_url(request, "reconcile")
        return {
            "versions": ["0.2"],
            "name": "oirld: entities in the news about the end of Operation Inherent Resolve",
            "identifierSpace": reconciler.space,
            "schemaSpace": ONT,
            "defaultTypes": [{"id": t, "name": reconciler.type_name(t)} for t in reconciler.types],
            "view": {"url": absolute_href(reconciler.space + "{{id}}", reconciler.base, site_url(request))},
            "preview": {"url": root + "/preview?id={{id}}", "width": 400, "height": 120},
            "suggest": {
                "entity": {"service_url": root, "service_path": "/suggest/entity"},
                "type": {"service_url": root, "service_path": "/suggest/type"},
            },
            "extend": extend_manifest(root),
            "batchSize": LIMITS.queries_per_batch,
            "x-limits": LIMITS.manifest(),  # an extension field: every limit of oirld.web.common.limits
        }

    # -- the work, in offload's threads --------------------------------------------------------------------
    def answer(queries: Any) -> JSONResponse:
        if isinstance(queries, str):  # a JSON body may carry the batch as a JSON string, as a form does
            queries = parse_json(queries, "queries", QUERY_HINT)
        if not isinstance(queries, dict):
            raise ProtocolError(400, "bad-queries", "queries must be a JSON object of queries", QUERY_HINT)
        enforce("queries_per_batch", len(queries), "the batch")
        parsed = {key: parse_query(bounded_text(key, "a query key"), q, reconciler.space) for key, q in queries.items()}
        memo: dict[str, dict[str, set[Key]]] = {}  # one store scan per property per batch
        return JSONResponse({key: {"result": reconciler.search(query, types, limit, constraints, features=True, memo=memo)}
                             for key, (query, types, limit, constraints) in parsed.items()})

    def answer_extend(raw: Any) -> JSONResponse:
        return JSONResponse(extender.answer(raw))

    def answer_body(media: str, body: bytes) -> JSONResponse | None:
        """The answer to a POST body, or None when it asks for nothing (the manifest then)."""
        if media == "application/json":
            data = parse_json(body, "the body", QUERY_HINT)
            if isinstance(data, dict) and ("extend" in data or "ids" in data):
                return answer_extend(data.get("extend", data))
            return answer(data.get("queries", data) if isinstance(data, dict) else data)
        form = form_params(body)
        if "extend" in form:
            return answer_extend(first(form, "extend"))
        raw = first(form, "queries")
        return None if raw is None else answer(parse_json(raw, "queries", QUERY_HINT))

    def preview_page(eid: str, public: str) -> HTMLResponse:
        c = reconciler.candidates.get(reconciler.space + eid)
        if c is None:
            raise ProtocolError(404, "unknown-id", f"no entity {eid!r}")
        types = ", ".join(reconciler.type_name(t) for t in sorted(c.types))
        link = absolute_href(c.iri, reconciler.base, public) or "#"  # this server's page unless it serves the IRI
        body = (f'<html><body style="font:14px sans-serif;margin:4px"><strong><a href="{html.escape(link)}" target="_blank">'
                f"{html.escape(c.name)}</a></strong> <span style=\"color:#555\">({html.escape(types)})</span>"
                f"<p>{html.escape(c.description)}</p></body></html>")
        return HTMLResponse(body)

    # -- the routes -----------------------------------------------------------------------------------------
    @router.get("/reconcile", name="reconcile_get")
    async def reconcile_get(request: Request):
        params = query_params(request)  # the JSONP "callback" is accepted and not acted on
        extend, queries = first(params, "extend"), first(params, "queries")
        if extend is not None:
            return await offload.run(answer_extend, extend)
        if queries is None:
            return JSONResponse(manifest(request))
        return await offload.run(answer, queries)

    @router.post("/reconcile")
    async def reconcile_post(request: Request):
        media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        response = await offload.run(answer_body, media, await request.body())
        return response if response is not None else JSONResponse(manifest(request))

    @router.get("/reconcile/propose_properties")
    async def propose_properties(request: Request):
        params = query_params(request)
        type_id = bounded_text(first(params, "type") or "", "the type")
        raw_limit = first(params, "limit") or ""
        try:
            limit = int(raw_limit) if raw_limit.strip() else None
        except ValueError:
            raise ProtocolError(400, "bad-limit", f"limit {raw_limit[:40]!r} is not a whole number") from None
        return JSONResponse(await offload.run(extender.propose, type_id, limit))

    @router.get("/reconcile/suggest/entity")
    async def suggest_entity(request: Request):
        prefix = enforce_length("suggest_prefix_chars", first(query_params(request), "prefix") or "", "the prefix")
        return {"result": await offload.run(reconciler.suggest_entities, prefix)}

    @router.get("/reconcile/suggest/type")
    async def suggest_type(request: Request):
        prefix = enforce_length("suggest_prefix_chars", first(query_params(request), "prefix") or "", "the prefix")
        return {"result": await offload.run(reconciler.suggest_types, prefix)}

    @router.get("/reconcile/preview")
    async def preview(request: Request):
        eid = first(query_params(request), "id")
        if eid is None:
            raise ProtocolError(400, "missing-id", "preview needs an id", "/reconcile/preview?id=harir-air-base")
        return await offload.run(preview_page, bounded_text(eid, "the id"), site_url(request))

    return router
