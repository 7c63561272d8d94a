"""``oirld serve``: the web app under uvicorn, over the build, over RDF files, or over a remote SPARQL server.
Part of the command line (:mod:`.cli` registers it), so it may print."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import run_config, progress_reporter, store_path
from .config import Config
from .errors import RunError

__all__ = ["serve"]


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--store", type=click.Path(path_type=Path), default=None, help="Store folder (default: the current build's; built first if there is none).")
@click.option("--update-token", default=None, help="Enable SPARQL Update and Graph Store writes for requests with 'Authorization: Bearer TOKEN'.")
@click.option("--allow-update", is_flag=True, help="Enable updates without a token (only when listening on loopback).")
@click.option("--timeout", default=30.0, show_default=True, type=float, help="Seconds a query may run before it is stopped.")
@click.option("--workers", default=None, type=int, help="Query worker processes (default: one per CPU).")
@click.option("--in-memory", is_flag=True, help="Each worker queries a private in-memory copy of the store (faster; memory and start-up time per worker).")
@click.option("--row-cap", default=10_000, show_default=True, type=int, help="Most rows a SELECT answer holds (stated in every answer).")
@click.option("--cache-mb", default=64, show_default=True, type=int, help="MiB of answers cached for this dataset version (0: none).")
@click.option("--service-allow", "service_allow", multiple=True, metavar="IRI",
              help="A SPARQL endpoint federated queries (SERVICE) may call; repeat for several. Default: none.")
@click.option("--public-url", default=None, metavar="URL",
              help="Address clients reach the server at; links are built from it, never from the Host header "
                   "(env OIRLD_PUBLIC_URL; default http://HOST:PORT/).")
@click.option("--max-body-kb", default=1024, show_default=True, type=click.IntRange(1), help="KiB a request body may have (413 beyond).")
@click.option("--max-upload-mb", default=16, show_default=True, type=click.IntRange(1),
              help="MiB a Graph Store PUT/POST or SPARQL Update body may have when updates are enabled (413 beyond).")
@click.option("--max-url-kb", default=32, show_default=True, type=click.IntRange(1, 64), help="KiB a request target may have (414 beyond).")
@click.option("--max-header-kb", default=16, show_default=True, type=click.IntRange(1, 1024), help="KiB of request headers (431 beyond).")
@click.option("--remote", "remote", default=None, metavar="QUERY_URL",
              help="Serve the data an 'oirld publish' put on this SPARQL server (its query endpoint) instead of the embedded store.")
@click.option("--remote-gsp", default=None, metavar="URL", help="That server's Graph Store address (to read its publication graph).")
@click.option("--poll", default=2.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds between looks for a newly published version (a new build, or a new publication on --remote).")
@click.pass_context
def serve(ctx: click.Context, files: tuple[Path, ...], host: str, port: int, store: Path | None,
          update_token: str | None, allow_update: bool, timeout: float, workers: int | None,
          in_memory: bool, row_cap: int, cache_mb: int, service_allow: tuple[str, ...], public_url: str | None,
          max_body_kb: int, max_upload_mb: int, max_url_kb: int, max_header_kb: int, remote: str | None,
          remote_gsp: str | None, poll: float) -> None:
    """Serve the SPARQL endpoint (/sparql) and Graph Store (/store) over the build, or over the RDF FILES given."""
    import pyoxigraph as ox
    import uvicorn

    from .store import load_files, open_store
    from .web import ServeSettings, create_app
    from .web.settings import LOOPBACK
    from .web.middleware.httplimits import limited_http_protocol

    config = run_config(ctx, public_url=public_url)
    # links name the address the server listens on unless told otherwise; a wildcard address names no host, so then
    # each request's own local address is used (still never the Host header)
    public = config.public_url or (None if host in ("0.0.0.0", "::", "") else
                                   f"http://{f'[{host}]' if ':' in host else host}:{port}/")
    if allow_update and host not in LOOPBACK:
        raise RunError(f"--allow-update is refused on {host}: anyone who can reach it could change the data",
                       hint="listen on 127.0.0.1, or use --update-token TOKEN")
    from .web.sparql.backend import Backend
    from .web.sparql.isolation import probe_isolation

    updates = allow_update or bool(update_token)
    if remote is not None:
        if files or store is not None or updates:
            raise RunError("--remote serves the remote server's data alone, read-only",
                           hint="leave out FILES, --store, --update-token and --allow-update (write to the remote with oirld publish)")
        _serve_remote(config, host, port, public, remote, remote_gsp, poll, timeout, workers, row_cap, cache_mb,
                      service_allow, max_body_kb, max_url_kb, max_header_kb)
        return
    version, store_dir, void_file, owned = "files", None, None, None
    follow = None
    if files:
        # an on-disk copy that worker processes can open read-only (and kill on timeout)
        import tempfile

        owned = tempfile.mkdtemp(prefix="oirld-files-")
        store_dir = Path(owned) / "store"
        db = ox.Store(str(store_dir))
        load_files(db, list(files))
        click.echo(f"serving {len(db)} quads from {len(files)} file(s)", err=True)
        db.flush()
        del db
        db = open_store(store_dir)
    else:
        if store is None:
            from .pipeline import build as run_build, current_version_dir

            if current_version_dir(config.out) is None:
                click.echo("no build yet: building first", err=True)
                run_build(config, progress_reporter(False))
        store_dir = store_path(ctx, store)
        version = store_dir.parent.name
        if store is None and not updates:
            follow = str(config.out / "current")  # a new build is served without a restart
        described = store_dir.parent / "dumps" / "void.ttl"
        void_file = described if described.is_file() else None
        db = open_store(store_dir)
    if updates:
        click.echo("updates enabled: they apply to a private copy of the store, kept until the server stops; "
                   "the published version never changes", err=True)
    settings = ServeSettings(base_iri=config.base_iri, dataset_version=version, update_token=update_token,
                             void_path=str(void_file) if void_file else None,
                             search_path=str(store_dir.parent / "search.sqlite") if not files else None,
                             pages_path=str(store_dir.parent / "pages.sqlite") if not files else None,
                             ontology_path=str(config.ontology_dir / "oirld.ttl") if (config.ontology_dir / "oirld.ttl").is_file() else None,
                             shapes_path=str(config.shapes_dir / "oirld-shapes.ttl") if (config.shapes_dir / "oirld-shapes.ttl").is_file() else None,
                             versions_dir=str(void_file.parent.parent.parent) if void_file else None,
                             home=str(config.home),
                             allow_update=allow_update, query_timeout=timeout, service_allowlist=tuple(service_allow), row_cap=row_cap,
                             cache_bytes=cache_mb * 1024 * 1024, public_url=public,
                             max_body_bytes=max_body_kb * 1024, max_upload_bytes=max_upload_mb * 1024 * 1024,
                             max_url_bytes=max_url_kb * 1024, max_header_bytes=max_header_kb * 1024)
    isolation = probe_isolation()
    if not isolation.available:
        click.echo(f"warning: {isolation.describe()}", err=True)
    backend = Backend(str(store_dir), updates=updates, workers=workers or None, timeout=timeout, in_memory=in_memory,
                      federation=bool(service_allow), isolation=isolation, owned=owned, follow=follow, poll=poll)
    click.echo(f"Pages: http://{host}:{port}/   SPARQL endpoint: http://{host}:{port}/sparql   Graph Store: http://{host}:{port}/store   "
               f"({backend.describe()}; timeout {timeout:g} s)", err=True)
    if public is None:
        click.echo(f"listening on {host}: links name the address each request came in on; give --public-url URL", err=True)
    uvicorn.run(create_app(settings, db, backend), host=host, port=port, log_level="warning",
                http=limited_http_protocol(settings.limits))


def _serve_remote(config: Config, host: str, port: int, public: str | None, remote: str, remote_gsp: str | None,
                  poll: float, timeout: float, workers: int | None, row_cap: int, cache_mb: int,
                  service_allow: tuple[str, ...], max_body_kb: int, max_url_kb: int, max_header_kb: int) -> None:
    import tempfile

    import uvicorn

    from .remote import RemoteClient
    from .web import ServeSettings, create_app
    from .web.middleware.httplimits import limited_http_protocol
    from .web.sparql.remotestore import RemoteBackend, RemoteStore

    client = RemoteClient(remote, remote_gsp, timeout=max(timeout, 30.0))
    db = RemoteStore(client, config.base_iri, timeout)
    folder = tempfile.mkdtemp(prefix="oirld-remote-")
    void_file = db.description(Path(folder) / "void.ttl")
    ontology, shapes = config.ontology_dir / "oirld.ttl", config.shapes_dir / "oirld-shapes.ttl"
    settings = ServeSettings(base_iri=config.base_iri, dataset_version=db.version or "remote",
                             void_path=str(void_file) if void_file else None,
                             ontology_path=str(ontology) if ontology.is_file() else None,
                             shapes_path=str(shapes) if shapes.is_file() else None, home=str(config.home),
                             query_timeout=timeout, service_allowlist=tuple(service_allow), row_cap=row_cap,
                             cache_bytes=cache_mb * 1024 * 1024, public_url=public, max_body_bytes=max_body_kb * 1024,
                             max_url_bytes=max_url_kb * 1024, max_header_bytes=max_header_kb * 1024)
    backend = RemoteBackend(db, workers or 4, timeout, poll=poll)
    if not db.complete:
        click.echo(f"warning: the publication at {remote} is incomplete (an oirld publish stopped half-way); "
                   "serving the graphs it completed; run that oirld publish again", err=True)
    click.echo(f"Pages: http://{host}:{port}/   SPARQL endpoint: http://{host}:{port}/sparql   ({backend.describe()}: "
               f"{remote}; timeout {timeout:g} s)", err=True)
    try:
        uvicorn.run(create_app(settings, db, backend), host=host, port=port, log_level="warning",  # type: ignore[arg-type]
                    http=limited_http_protocol(settings.limits))
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        client.close()
