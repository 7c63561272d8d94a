"""Pages for people beyond the query page: where the sources disagree, and a label search with aliases."""

from __future__ import annotations

import html

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..report import disagreements_from_store

__all__ = ["pages_router"]

_HEAD = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
         '<link rel="icon" href="data:,"><title>{title} · oirld</title><style>body{{font:16px/1.5 system-ui,sans-serif;max-width:72rem;'
         'margin:0 auto;padding:0 1rem}}.sides{{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}}'
         '.side{{border:1px solid #ccc;padding:.5rem 1rem}}blockquote{{margin:.25rem 0;color:#333}}.note{{color:#555}}'
         '@media print{{form{{display:none}}}}</style></head><body><p><a href="/sparql">oirld</a> · <a href="/search">search</a> · '
         '<a href="/disagreements">disagreements</a> · <a href="/dumps/">dumps</a></p>')


def _doc(iri: str, base: str) -> str:
    return "/doc/" + iri[len(base):] if iri.startswith(base) else iri


def pages_router(store: ox.Store, base_iri: str, reconciler: object) -> APIRouter:
    router = APIRouter()
    esc = html.escape

    @router.get("/disagreements")
    async def disagreements(request: Request) -> Response:
        items = await anyio.to_thread.run_sync(disagreements_from_store, store)
        if "application/json" in (request.headers.get("accept") or ""):
            return JSONResponse(items)
        parts = [_HEAD.format(title="Where the sources disagree"), "<h1>Where the sources disagree</h1>",
                 f'<p class="note">{sum(d["kind"] == "value" for d in items)} disagreements on values and '
                 f'{sum(d["kind"] == "spelling" for d in items)} on spelling. Every side is kept; none is chosen. '
                 "The rule is in the README (“When do two claims disagree?”).</p>"]
        for d in items:
            what = "spell the name of" if d["kind"] == "spelling" else f"disagree on the {esc(d['property_label'])} of"
            parts.append(f'<section><h2>Sources {what} <a href="{esc(_doc(d["subject"], base_iri))}">{esc(d["subject_label"])}</a></h2><div class="sides">')
            for v in d["values"]:
                quals = "".join(f"<li>{esc(k)}: {esc(str(x))}</li>" for k, x in v["qualifiers"].items())
                quotes = "".join(f'<blockquote>“{esc(e["exact"])}”<br><span class="note">{esc(e["source_name"])}, '
                                 f'characters {e["start"]}–{e["end"]}</span></blockquote>' for e in v["evidence"])
                rank = "" if v["rank"] == "normal" else f'<p class="note">{esc(v["rank"])}: {esc(v.get("rank_reason") or "")}</p>'
                parts.append(f'<div class="side"><h3><a href="{esc(_doc(v["claim"], base_iri))}">{esc(v["label"])}</a></h3>'
                             f"{rank}<ul>{quals}</ul>{quotes}</div>")
            parts.append("</div></section>")
        parts.append("</body></html>")
        return HTMLResponse("".join(parts))

    @router.get("/search")
    async def search(request: Request, q: str = "") -> Response:
        results = reconciler.search(q, limit=10) if q.strip() else []  # type: ignore[attr-defined]
        if "application/json" in (request.headers.get("accept") or ""):
            return JSONResponse({"query": q, "results": results})
        rows = "".join(f'<li><a href="/doc/id/{esc(r["id"])}">{esc(r["name"])}</a> '
                       f'<span class="note">({esc(", ".join(t["name"] for t in r["type"]))}; score {r["score"]:g})</span>'
                       f'<br><span class="note">{esc(r["description"])}</span></li>' for r in results)
        body = (_HEAD.format(title="Search") + "<h1>Search by name</h1>"
                '<form method="get" action="/search" role="search"><label for="q">Name or alias</label> '
                f'<input id="q" name="q" value="{esc(q)}" autofocus> <button type="submit">Search</button></form>'
                + (f"<ol id=\"results\">{rows}</ol>" if rows else (f"<p>No match for “{esc(q)}”.</p>" if q else ""))
                + "</body></html>")
        return HTMLResponse(body)

    return router
