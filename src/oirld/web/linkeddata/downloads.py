"""Dumps on the web, and the files crawlers look for: /dumps/, robots.txt, sitemap.xml.

Every published version stays downloadable under its version (``/dumps/<version>/oirld.ttl.gz``, the address the
DCAT description gives), and ``/dumps/latest/…`` redirects to the current one. Each listing shows size and SHA-256.

Which version is current is asked on every request, so a server that switches to a new build without a restart
lists and redirects to the new one at once; a download already running goes on from the file it opened (builds
never remove a version folder, and an open file outlives its removal).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Callable

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from ..middleware.publicurl import site_url
from ..responses import ProtocolError
from ..templating import render

__all__ = ["downloads_router"]

_MEDIA = {".gz": "application/gzip", ".ttl": "text/turtle", "SHA256SUMS": "text/plain"}


def _versions(root: Path) -> list[dict]:
    out = []
    for v in sorted((p for p in root.iterdir() if (p / "manifest.json").is_file()), reverse=True):
        manifest = json.loads((v / "manifest.json").read_text())
        out.append({"version": v.name, "triples": manifest.get("triples"), "dumps": manifest.get("dumps", [])})
    return out


def downloads_router(versions_dir: Path | None, current: str | Callable[[], str | None] | None, base_iri: str,
                     documents: Callable[[], list[str]], mappings_dir: Path | None = None) -> APIRouter:
    """``documents`` gives the paths of the documents a crawler should find (things, sources, claims), on demand;
    ``current`` the version served (a function: the one served now)."""
    router = APIRouter()
    served: Callable[[], str | None] = current if callable(current) else (lambda: current)  # type: ignore[assignment,return-value]

    def missing() -> ProtocolError:
        return ProtocolError(404, "no-dumps", "this server was started on files, not on a build")

    @router.get("/dumps/")
    async def listing(request: Request) -> Response:
        if versions_dir is None or not versions_dir.is_dir():
            raise missing()
        versions, now = _versions(versions_dir), served()
        if "application/json" in (request.headers.get("accept") or ""):
            return JSONResponse({"current": now, "versions": versions})
        return render("dumps.html", title="Dumps", versions=versions, current=now)

    @router.get("/dumps/{version}/{name}")
    async def download(version: str, name: str) -> Response:
        if versions_dir is None:
            raise missing()
        now = served()
        if version == "latest" and now:
            return RedirectResponse(f"/dumps/{now}/{name}", status_code=302)
        folder = versions_dir / version / "dumps"
        allowed = {p.name for p in folder.iterdir()} if folder.is_dir() and "/" not in version and not version.startswith(".") else set()
        if name not in allowed:
            raise ProtocolError(404, "not-found", f"no dump {version}/{name}", "see /dumps/ for what there is")
        suffix = Path(name).suffix if name != "SHA256SUMS" else "SHA256SUMS"
        return FileResponse(folder / name, media_type=_MEDIA.get(suffix, "application/octet-stream"),
                            headers={"Cache-Control": "public, max-age=31536000, immutable"})

    @router.get("/dumps/latest/")
    async def latest() -> Response:
        return RedirectResponse("/dumps/", status_code=302)

    @router.get("/mappings/{name}")
    async def mapping_file(name: str) -> Response:
        """The reviewed link file the VoID linkset names as its source (``<base>mappings/wikidata.sssom.tsv``)."""
        if mappings_dir is None or not name.endswith(".sssom.tsv") or name not in {p.name for p in mappings_dir.glob("*.sssom.tsv")}:
            raise ProtocolError(404, "not-found", f"no mapping file {name}", "the links to Wikidata: /mappings/wikidata.sssom.tsv")
        return FileResponse(mappings_dir / name, media_type="text/tab-separated-values; charset=utf-8")

    @router.get("/robots.txt")
    async def robots(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"User-agent: *\nAllow: /\nDisallow: /sparql?\nSitemap: {site_url(request, 'sitemap.xml')}\n")

    @router.get("/sitemap.xml", name="sitemap")
    async def sitemap(request: Request) -> Response:
        root = site_url(request).rstrip("/")
        pages = ["/", "/index", "/timeline", "/disagreements", "/search", "/sparql", "/dumps/", "/ontology", "/shapes"]
        urls = [root + p for p in pages + documents()]
        body = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + \
            "".join(f"  <url><loc>{html.escape(u)}</loc></url>\n" for u in urls) + "</urlset>\n"
        return Response(body, media_type="application/xml")

    return router
