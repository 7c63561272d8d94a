"""Real SPARQL servers on loopback for the publish/remote tests: the Oxigraph server and Virtuoso Open Source.

Each starts in a temporary folder on free 127.0.0.1 ports and is stopped (by its own process id) at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

VIRTUOSO = shutil.which("virtuoso-t") or ("/usr/bin/virtuoso-t" if os.path.exists("/usr/bin/virtuoso-t") else None)
OXIGRAPH = str(Path(sys.executable).parent / "oxigraph") if (Path(sys.executable).parent / "oxigraph").exists() else shutil.which("oxigraph")


@dataclass
class Server:
    name: str
    gsp: str
    query: str
    process: subprocess.Popen
    user: str | None = None
    password: str | None = None
    log: Path | None = None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, limit: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start: {log.read_text(errors='replace')[-2000:] if log and log.exists() else ''}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=5, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server at {url} did not start in {limit:g} s")


def start_oxigraph(folder: Path, union: bool = False, wait: float = 60) -> Server:
    port = free_port()
    args = [OXIGRAPH or "oxigraph", "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"]
    if union:
        args.append("--union-default-graph")
    log = folder.parent / f"{folder.name}.log"
    process = subprocess.Popen(args, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    _wait(f"{base}/query", process, wait, log)
    return Server("oxigraph", f"{base}/store", f"{base}/query", process, log=log)


_VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 8
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
DirsAllowed = ., {d}
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}/vsp
MaxClientConnections = 8
ServerThreads = 8
EnabledDavVSP = 0
HTTPProxyEnabled = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
DefaultQuery = SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1
"""


def start_virtuoso(folder: Path) -> Server:
    """Virtuoso with a fresh database (user dba, password dba: a new database's defaults) on loopback ports only."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=folder, sql=sql, http=http), encoding="utf-8")
    log = folder / "virtuoso.log"
    process = subprocess.Popen([VIRTUOSO or "virtuoso-t", "+foreground", "+configfile", str(ini)], cwd=folder,
                               stdout=open(folder / "stdout.log", "wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http}"
    _wait(f"{base}/sparql", process, 180, folder / "stdout.log")
    return Server("virtuoso", f"{base}/sparql-graph-crud-auth", f"{base}/sparql", process, "dba", "dba", log)


@dataclass
class TwoVersions:
    """A two-article project built twice into one output folder: ``second`` drops one claim of ``changed``."""

    home: Path
    out: Path
    first: Path
    second: Path
    changed: str
    kept: str


_BUILT: dict[str, TwoVersions] = {}


def two_versions(folder: Path) -> TwoVersions:
    """Built once per test process (two builds), into ``folder`` the first time."""
    if "two" not in _BUILT:
        import yaml

        from .conftest import CURATED, ROOT, make_project
        from oirld.config import Config
        from oirld.pipeline import build

        kept, changed = CURATED[0], CURATED[1]
        home = make_project(folder / "project", seeds=(kept, changed))
        for stem in (kept, changed):
            shutil.copy(ROOT / "mappings" / f"{stem}.yaml", home / "mappings" / f"{stem}.yaml")
        config = Config(home=home, out=folder / "out")
        first = build(config).path
        mapping = home / "mappings" / f"{changed}.yaml"
        data = yaml.safe_load(mapping.read_text(encoding="utf-8"))
        data["claims"] = data["claims"][:-1]
        mapping.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        time.sleep(1.1)  # versions are named by the second they start
        second = build(config).path
        _BUILT["two"] = TwoVersions(home, folder / "out", first, second, changed, kept)
    return _BUILT["two"]
