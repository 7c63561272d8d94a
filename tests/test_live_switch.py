"""A server following the build's ``current`` link switches every part at once (in process, two real builds): the
pages and SPARQL, the dumps (listing and /dumps/latest/), the VoID/DCAT description with its byte sizes, the search
index, the service description and the vocabulary pages; a download begun before the switch ends on the old file."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import anyio
import pytest

from oirld.search import SearchIndex
from oirld.store import open_store
from oirld.web import ServeSettings, create_app
from oirld.web.sparql.backend import Backend

from .conftest import ROOT, asgi_client
from .test_publish import versions  # noqa: F401 (the two builds, made once per module)

OIRL = "https://w3id.org/oirld/ontology#"


def _point(out: Path, version: str) -> None:
    """What a build does to publish: a new link, renamed over ``current`` in one step."""
    tmp = out / ".current.tmp"
    os.symlink(Path("versions") / version, tmp)
    os.replace(tmp, out / "current")


def _served(out: Path, first: str) -> tuple:
    folder = out / "versions" / first
    settings = ServeSettings(dataset_version=first, void_path=str(folder / "dumps" / "void.ttl"),
                             search_path=str(folder / "search.sqlite"), versions_dir=str(out / "versions"),
                             ontology_path=str(ROOT / "ontology" / "oirld.ttl"), home=str(ROOT))
    backend = Backend(str(folder / "store"), workers=1, prestart=False, follow=str(out / "current"))
    return create_app(settings, open_store(folder / "store"), backend), backend


async def _begin_download(app, path: str, first_chunk: anyio.Event, resume: anyio.Event, messages: list) -> None:
    """One GET straight through the ASGI app that stops after its first chunk of body until ``resume``."""
    asked = []

    async def receive() -> dict:
        if not asked:
            asked.append(1)
            return {"type": "http.request", "body": b"", "more_body": False}
        await anyio.sleep(3600)  # the client never goes away
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and message.get("more_body") and not first_chunk.is_set():
            first_chunk.set()
            await resume.wait()

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}
    await app(scope, receive, send)


def _a_word_the_change_removed(first: Path, second: Path) -> str:
    """A word whose claims the two versions' search indexes count differently (the second dropped a claim)."""
    query = f"SELECT ?l WHERE {{ ?c a <{OIRL}Claim> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    gone = {r["l"].value for r in open_store(first / "store").query(query)} - \
           {r["l"].value for r in open_store(second / "store").query(query)}
    a, b = SearchIndex(first / "search.sqlite"), SearchIndex(second / "search.sqlite")
    for word in sorted({w for label in gone for w in re.findall(r"[A-Za-z]{4,}", label)}):
        if a.search(word, ["claim"]).total != b.search(word, ["claim"]).total:
            return word
    raise AssertionError("the second build changed no claim the search finds")


@pytest.mark.anyio
async def test_every_part_of_a_running_server_follows_a_new_build(versions, tmp_path):
    out = tmp_path / "out"
    for v in (versions.first, versions.second):
        shutil.copytree(v, out / "versions" / v.name)
    first, second = (out / "versions" / v.name for v in (versions.first, versions.second))
    _point(out, first.name)
    word = _a_word_the_change_removed(first, second)
    counts = {v: SearchIndex(v / "search.sqlite").search(word, ["claim"]).total for v in (first, second)}
    dump = max((first / "dumps").glob("*.gz"), key=lambda p: p.stat().st_size)
    old_bytes = dump.read_bytes()
    assert len(old_bytes) > 64 * 1024  # more than one chunk: the download is caught half-way
    app, backend = _served(out, first.name)

    async def look(c) -> dict:
        listing = (await c.get("/dumps/", headers={"Accept": "application/json"})).json()
        latest = await c.get(f"/dumps/latest/{dump.name}")
        void = (await c.get("/.well-known/void", headers={"Accept": "text/turtle"})).text
        sd = (await c.get("/sparql", headers={"Accept": "text/turtle"})).text
        found = (await c.get("/search", params={"q": word, "kind": "claim", "format": "json"})).json()
        return {"current": listing["current"], "latest": latest.headers.get("location"), "void": void,
                "triples": re.search(r"void:triples (\d+)", sd).group(1), "found": found["total"],
                "home": (await c.get("/", headers={"Accept": "text/html"})).text,
                "ontology": (await c.get("/ontology", headers={"Accept": "text/html"})).text}

    try:
        async with asgi_client(app) as c:
            before = await look(c)
            assert before["current"] == first.name and before["latest"] == f"/dumps/{first.name}/{dump.name}"
            assert first.name in before["void"] and before["triples"] == str(len(open_store(first / "store")))
            assert before["found"] == counts[first]
            assert first.name in before["ontology"] and first.name in before["home"]

            first_chunk, resume, messages = anyio.Event(), anyio.Event(), []
            async with anyio.create_task_group() as tg:
                tg.start_soon(_begin_download, app, f"/dumps/{first.name}/{dump.name}", first_chunk, resume, messages)
                with anyio.fail_after(60):
                    await first_chunk.wait()
                _point(out, second.name)  # a new build is published
                assert await backend.check() is True
                dump.unlink()  # even the old file going does not cut the running download short
                after = await look(c)
                resume.set()
            body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
            assert messages[0]["status"] == 200 and body == old_bytes

            assert after["current"] == second.name and after["latest"] == f"/dumps/{second.name}/{dump.name}"
            assert second.name in after["void"] and first.name not in after["void"]
            size = (second / "dumps" / dump.name).stat().st_size
            assert re.search(rf"dcat:byteSize {size}\b|byteSize> {size}\b|\"{size}\"\^\^", after["void"])  # the new dumps' sizes
            assert after["triples"] == str(len(open_store(second / "store")))
            assert after["found"] == counts[second] != counts[first]
            assert second.name in after["ontology"] and first.name not in after["ontology"]
            assert second.name in after["home"]
            r = await c.get(f"/dumps/{first.name}/SHA256SUMS")  # the old version stays downloadable by its name
            assert r.status_code == 200 and r.content == (first / "dumps" / "SHA256SUMS").read_bytes()
    finally:
        await backend.stop()
