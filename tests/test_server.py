"""Against a real server: one uvicorn smoke test, and the W3C SPARQL 1.1 Protocol test suite (34 tests)."""

import os
import socket
from contextlib import contextmanager
from typing import Iterator
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT

SHARED = ROOT.parent / "shared"
OIRLD = [sys.executable, "-m", "oirld"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"server did not answer at {url}")


@contextmanager
def serving(*args: str, cwd: Path = ROOT) -> Iterator[str]:
    """A real `oirld serve ARGS` on a free loopback port, stopped on exit; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen([*OIRLD, "serve", *args, "--port", str(port)], stderr=subprocess.PIPE, cwd=cwd)
    try:
        wait_for(f"http://127.0.0.1:{port}/sparql", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def test_smoke_against_real_uvicorn(tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text('<http://example.org/a> <http://example.org/p> "hello" .\n')
    with serving(str(data), cwd=tmp_path) as url:
        r = httpx.get(f"{url}/sparql", params={"query": "SELECT ?o WHERE { ?s ?p ?o }"},
                      headers={"Accept": "application/sparql-results+json", "Accept-Encoding": "gzip"},
                      timeout=120)  # the first query waits for a worker process to start, slow on a loaded machine
        assert r.status_code == 200
        assert r.json()["results"]["bindings"][0]["o"]["value"] == "hello"
        r = httpx.post(f"{url}/sparql", data={"update": "CLEAR ALL"})
        assert r.status_code == 403
        # HEAD through uvicorn: the GET's headers, no body, and the connection stays usable
        with httpx.Client() as c:
            head = c.head(f"{url}/robots.txt")
            get = c.get(f"{url}/robots.txt")
            assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == get.headers["content-length"]
            assert get.text.startswith("User-agent")


def test_allow_update_is_refused_off_loopback(capsys):
    r = subprocess.run([*OIRLD, "serve", "--host", "0.0.0.0", "--allow-update"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--allow-update is refused" in r.stderr


def test_w3c_sparql11_protocol_suite():
    runner = SHARED / "tools" / "w3c_sparql_http.py"
    if not runner.is_file():
        if os.environ.get("CI"):
            pytest.fail("../shared/tools/w3c_sparql_http.py is missing; CI must have shared/ beside the clone")
        pytest.skip("../shared is not beside this checkout")
    serve = " ".join(OIRLD) + " serve {data} --allow-update --port {port}"
    r = subprocess.run(
        [sys.executable, str(runner), str(SHARED / "w3c" / "sparql" / "sparql11"), "--protocol", "--server-cmd", serve,
         "--endpoint", "http://127.0.0.1:{port}/sparql", "--gsp", "http://127.0.0.1:{port}/store?default",
         "--gsp-graph", "http://127.0.0.1:{port}/store?graph={graph}"],
        capture_output=True, text=True, timeout=600,
    )
    last = r.stdout.strip().splitlines()[-1]
    assert last == "34 passed, 0 failed, 0 skipped", r.stdout[-3000:] + r.stderr[-2000:]


def test_service_is_refused_unless_allowed_and_then_federates(tmp_path):
    """A second server on loopback stands in for a remote endpoint such as Wikidata's."""
    remote_data = tmp_path / "remote.ttl"
    remote_data.write_text('<http://www.wikidata.org/entity/Q796> <http://www.w3.org/2000/01/rdf-schema#label> "Iraq"@en .\n')
    local_data = tmp_path / "local.ttl"
    local_data.write_text('<https://w3id.org/oirld/id/iraq> <http://www.w3.org/2004/02/skos/core#exactMatch> <http://www.wikidata.org/entity/Q796> .\n')
    rport, lport = free_port(), free_port()
    remote_url = f"http://127.0.0.1:{rport}/sparql"
    remote = subprocess.Popen([*OIRLD, "serve", str(remote_data), "--port", str(rport)], stderr=subprocess.PIPE, cwd=tmp_path)
    local = subprocess.Popen([*OIRLD, "serve", str(local_data), "--port", str(lport), "--service-allow", remote_url],
                             stderr=subprocess.PIPE, cwd=tmp_path)
    closed = subprocess.Popen([*OIRLD, "serve", str(local_data), "--port", str(lport + 1 if lport < 65000 else lport - 1)],
                              stderr=subprocess.PIPE, cwd=tmp_path)
    query = ("SELECT ?label WHERE { ?x <http://www.w3.org/2004/02/skos/core#exactMatch> ?wd . "
             f"SERVICE <{remote_url}> {{ ?wd <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}")
    try:
        for port, proc in ((rport, remote), (lport, local)):
            wait_for(f"http://127.0.0.1:{port}/sparql", proc)
        r = httpx.get(f"http://127.0.0.1:{lport}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert r.status_code == 200, r.text
        assert [b["label"]["value"] for b in r.json()["results"]["bindings"]] == ["Iraq"]
        other = query.replace(remote_url, "http://127.0.0.1:9/sparql")
        r = httpx.get(f"http://127.0.0.1:{lport}/sparql", params={"query": other})
        assert r.status_code == 403 and r.json()["error"]["code"] == "service-not-allowed"
        cport = int(closed.args[closed.args.index("--port") + 1])
        wait_for(f"http://127.0.0.1:{cport}/sparql", closed)
        r = httpx.get(f"http://127.0.0.1:{cport}/sparql", params={"query": query})
        assert r.status_code == 403 and "federation is off" in r.json()["error"]["message"]
    finally:
        for proc in (remote, local, closed):
            proc.terminate()
            proc.wait(10)
