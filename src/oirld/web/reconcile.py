"""The W3C Entity Reconciliation Service API, version 0.2 (what OpenRefine speaks), at /reconcile.

Candidates are the published entities (everything with a ``skos:prefLabel``) and their names (``skos:altLabel``).
Scores compare the folded query (case, accents, quotes, dashes and a leading "the" ignored; French "ch" read as
English "sh", so Daech = Daesh) with every name: 100 for the same name, otherwise the similarity of the two strings
(0-100). A result is a ``match`` only when it scores at least 95 and no other candidate comes within 10 points:
OpenRefine then links it without asking; everything else is left for a person to choose.
"""

from __future__ import annotations

import difflib
import html
import json
from urllib.parse import parse_qsl
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from ..registry import normalize_name
from .responses import ProtocolError

__all__ = ["Candidate", "Reconciler", "reconcile_router"]

SKOS = "http://www.w3.org/2004/02/skos/core#"
ONT = "https://w3id.org/oirld/ontology#"
_CANDIDATES = f"""
SELECT ?e ?label ?alt ?type ?description WHERE {{
  ?e <{SKOS}prefLabel> ?label ; a ?type .
  OPTIONAL {{ ?e <{SKOS}altLabel> ?alt }}
  OPTIONAL {{ ?e <https://schema.org/description> ?description }}
}}"""


def fold(name: str) -> str:
    return normalize_name(name).replace("ch", "sh")


@dataclass
class Candidate:
    iri: str
    id: str
    name: str
    description: str = ""
    types: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)


class Reconciler:
    def __init__(self, store: ox.Store, base_iri: str, superclasses: dict[str, set[str]] | None = None) -> None:
        self.space = base_iri + "id/"
        self.superclasses = superclasses or {}
        self.candidates: dict[str, Candidate] = {}
        for row in store.query(_CANDIDATES):
            iri = row["e"].value
            if not iri.startswith(self.space):
                continue
            c = self.candidates.setdefault(iri, Candidate(iri, iri[len(self.space):], row["label"].value))
            c.names.add(row["label"].value)
            if row["alt"] is not None:
                c.names.add(row["alt"].value)
            if row["description"] is not None:
                c.description = row["description"].value
            if row["type"].value.startswith(ONT):
                c.types.add(row["type"].value)
        self.types = sorted({t for c in self.candidates.values() for t in c.types})

    @staticmethod
    def type_name(iri: str) -> str:
        local = iri.rsplit("#", 1)[-1]
        return "".join(" " + ch.lower() if ch.isupper() and i else ch.lower() for i, ch in enumerate(local)).strip()

    def _score(self, query: str, c: Candidate) -> float:
        q = fold(query)
        best = 0.0
        for name in c.names:
            n = fold(name)
            best = max(best, 100.0 if n == q else 100 * difflib.SequenceMatcher(None, q, n).ratio())
        return round(best, 1)

    def search(self, query: str, type_id: str | None = None, limit: int = 3) -> list[dict[str, Any]]:
        wanted = None if not type_id else (type_id if type_id.startswith("http") else ONT + type_id)
        scored = sorted(((self._score(query, c), c) for c in self.candidates.values()
                         if wanted is None or wanted in self._all_types(c)), key=lambda sc: (-sc[0], sc[1].name))
        scored = [sc for sc in scored if sc[0] >= 40][: max(1, limit)]
        out = []
        for i, (score, c) in enumerate(scored):
            runner_up = scored[1][0] if len(scored) > 1 else 0
            out.append({
                "id": c.id, "name": c.name, "score": score, "description": c.description,
                "type": [{"id": t, "name": self.type_name(t)} for t in sorted(c.types)],
                "match": i == 0 and score >= 95 and score - runner_up >= 10,
            })
        return out

    def _all_types(self, c: Candidate) -> set[str]:
        """The entity's types with all their superclasses, so a filter on 'actor' finds persons too."""
        out = set(c.types)
        for t in c.types:
            out |= self.superclasses.get(t, set())
        return out

    def suggest_entities(self, prefix: str, limit: int = 10) -> list[dict[str, str]]:
        p = fold(prefix)
        hits = [c for c in self.candidates.values() if any(fold(n).startswith(p) or f" {p}" in fold(n) for n in c.names)]
        return [{"id": c.id, "name": c.name, "description": c.description} for c in sorted(hits, key=lambda c: c.name)[:limit]]

    def suggest_types(self, prefix: str) -> list[dict[str, str]]:
        p = prefix.lower()
        return [{"id": t, "name": self.type_name(t)} for t in self.types if p in self.type_name(t) or p in t.lower()]


def reconcile_router(reconciler: Reconciler) -> APIRouter:
    router = APIRouter()

    def manifest(request: Request) -> dict[str, Any]:
        root = str(request.url_for("reconcile_get"))
        return {
            "versions": ["0.2"],
            "name": "oirld: entities in the news about the end of Operation Inherent Resolve",
            "identifierSpace": reconciler.space,
            "schemaSpace": ONT,
            "defaultTypes": [{"id": t, "name": reconciler.type_name(t)} for t in reconciler.types],
            "view": {"url": reconciler.space + "{{id}}"},
            "preview": {"url": root + "/preview?id={{id}}", "width": 400, "height": 120},
            "suggest": {
                "entity": {"service_url": root, "service_path": "/suggest/entity"},
                "type": {"service_url": root, "service_path": "/suggest/type"},
            },
        }

    def answer(queries: Any) -> JSONResponse:
        if not isinstance(queries, dict):
            raise ProtocolError(400, "bad-queries", "queries must be a JSON object of queries")
        out = {}
        for key, q in queries.items():
            if not isinstance(q, dict) or not isinstance(q.get("query"), str):
                raise ProtocolError(400, "bad-queries", f"query {key!r} needs a 'query' string")
            out[key] = {"result": reconciler.search(q["query"], q.get("type"), int(q.get("limit") or 3))}
        return JSONResponse(out)

    def parse_queries(raw: str) -> Any:
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ProtocolError(400, "bad-json", f"queries is not JSON: {exc}") from None

    @router.get("/reconcile", name="reconcile_get")
    async def reconcile_get(request: Request, queries: str | None = None, callback: str | None = None):
        if queries is None:
            return JSONResponse(manifest(request))
        return answer(parse_queries(queries))

    @router.post("/reconcile")
    async def reconcile_post(request: Request):
        ctype = (request.headers.get("content-type") or "").split(";")[0].strip()
        if ctype == "application/json":
            body = await request.json()
            return answer(body.get("queries", body) if isinstance(body, dict) else body)
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
        raw = form.get("queries")
        if raw is None:
            return JSONResponse(manifest(request))
        return answer(parse_queries(str(raw)))

    @router.get("/reconcile/suggest/entity")
    async def suggest_entity(prefix: str = ""):
        return {"result": reconciler.suggest_entities(prefix)}

    @router.get("/reconcile/suggest/type")
    async def suggest_type(prefix: str = ""):
        return {"result": reconciler.suggest_types(prefix)}

    @router.get("/reconcile/preview")
    async def preview(id: str):
        c = reconciler.candidates.get(reconciler.space + id)
        if c is None:
            raise ProtocolError(404, "unknown-id", f"no entity {id!r}")
        types = ", ".join(reconciler.type_name(t) for t in sorted(c.types))
        body = (f'<html><body style="font:14px sans-serif;margin:4px"><strong><a href="{html.escape(c.iri)}" target="_blank">'
                f"{html.escape(c.name)}</a></strong> <span style=\"color:#555\">({html.escape(types)})</span>"
                f"<p>{html.escape(c.description)}</p></body></html>")
        return HTMLResponse(body)

    return router
