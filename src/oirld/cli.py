"""The command line. The only module that prints or exits.

Exit codes: 0 ok; 1 the data does not conform (a mapping, seed, registry entry or shape violation); 2 the run
could not go on (bad usage, missing or unwritable folders, no build yet, a malformed query).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import Config, load_config
from .errors import NonConformingData, OirldError, RunError

__all__ = ["main", "cli"]

EXIT_OK, EXIT_NONCONFORMING, EXIT_RUN = 0, 1, 2


def _config(ctx: click.Context, **overrides: Any) -> Config:
    base: Config = ctx.obj
    return base.with_overrides(**overrides)


def _progress(quiet: bool):
    from .pipeline import STEPS

    def report(step: int, message: str) -> None:
        if not quiet:
            click.echo(f"[{step}/{STEPS}] {message}", err=True)

    return report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="oirld")
@click.option("--base-iri", default=None, help="Base IRI of minted resources (env OIRLD_BASE_IRI).")
@click.pass_context
def cli(ctx: click.Context, base_iri: str | None) -> None:
    """oirld: what the news says about the end of Operation Inherent Resolve, as linked data."""
    ctx.obj = load_config().with_overrides(base_iri=base_iri)


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Folder for built versions (env OIRLD_OUT; default var/).")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.pass_context
def build(ctx: click.Context, out: Path | None, quiet: bool) -> None:
    """Build, validate and publish a new version: store and dumps. Atomic: a failed build publishes nothing."""
    from .pipeline import build as run_build

    config = _config(ctx, out=out)
    result = run_build(config, _progress(quiet))
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    if result.unchanged:
        click.echo(f"unchanged: no input changed since {result.version}, which stays current")
    click.echo(f"{'current' if result.unchanged else 'published'} {result.version}: {result.triples} triples, {result.claims} claims, "
               f"{result.evidence} evidence passages, {result.disagreements} disagreements")
    click.echo(f"  store: {result.path / 'store'}")
    for d in result.dumps:
        click.echo(f"  dump:  {result.path / 'dumps' / d.name}  {d.size} bytes  sha256 {d.sha256}")
    click.echo(f"  description (VoID + DCAT): {result.path / 'dumps' / 'void.ttl'}")


@cli.command()
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.pass_context
def validate(ctx: click.Context, quiet: bool) -> None:
    """Compile the mappings and check the graph against the shapes, publishing nothing."""
    from .pipeline import validate_dataset

    compiled, result = validate_dataset(_config(ctx), _progress(quiet))
    for w in compiled.warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(result.report(), nl=False)
    if not result.conforms:
        ctx.exit(EXIT_NONCONFORMING)
    click.echo(f"{len(compiled.claims)} claims, {len(compiled.disagreements)} disagreements")


def _store_path(ctx: click.Context, store: Path | None) -> Path:
    if store is not None:
        return store
    from .pipeline import current_version_dir

    current = current_version_dir(_config(ctx).out)
    if current is None:
        raise RunError("no published build yet", hint="run 'oirld build' first, or give --store PATH")
    return current / "store"


@cli.command()
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "turtle", "ntriples"]), default=None,
              help="table, json or csv for SELECT and ASK (default: table); turtle or ntriples for CONSTRUCT and DESCRIBE "
                   "(default: turtle, with the dataset's prefixes; table, json and csv list their triples).")
@click.option("--store", type=click.Path(path_type=Path), default=None, help="Store folder (default: the current build's).")
@click.pass_context
def query(ctx: click.Context, sparql: str, fmt: str | None, store: Path | None) -> None:
    """Run a SPARQL query on the built store. SPARQL may be '-' to read it from standard input."""
    from .store import open_store, run_query
    from .web.results import json_term

    text = sys.stdin.read() if sparql == "-" else sparql
    outcome = run_query(open_store(_store_path(ctx, store)), text)
    if outcome.kind == "graph" and fmt in (None, "turtle", "ntriples"):
        click.echo(_graph_text(outcome.rows, fmt or "turtle", _config(ctx).base_iri), nl=False)
        return
    if fmt in ("turtle", "ntriples"):
        raise RunError(f"--format {fmt} writes the triples of a CONSTRUCT or DESCRIBE, not the answer to {outcome.kind.upper()}",
                       hint="use --format table, json or csv")
    fmt = fmt or "table"
    if outcome.kind == "ask":
        click.echo(json.dumps({"head": {}, "boolean": outcome.boolean}) if fmt == "json" else str(outcome.boolean).lower())
        return
    rows = [[_term_text(t) for t in row] for row in outcome.rows]
    if fmt == "json":
        click.echo(json.dumps({"head": {"vars": outcome.variables},
                               "results": {"bindings": [{v: json_term(t) for v, t in zip(outcome.variables, row) if t is not None}
                                                        for row in outcome.rows]}}, indent=1, ensure_ascii=False))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(outcome.variables)
        w.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        click.echo(_table(outcome.variables, rows))
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)


def _graph_text(rows: list[list[Any]], fmt: str, base: str) -> str:
    """The triples of a graph answer as Turtle (with the dataset's prefixes) or N-Triples."""
    import pyoxigraph as ox

    from .namespaces import jsonld_context

    triples = [ox.Triple(s, p, o) for s, p, o in rows]
    if fmt == "turtle":
        return (ox.serialize(triples, None, ox.RdfFormat.TURTLE, prefixes=jsonld_context(base)) or b"").decode("utf-8")
    return (ox.serialize(triples, None, ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def _term_text(t: Any) -> str:
    if t is None:
        return ""
    return str(getattr(t, "value", t))


def _table(variables: list[str], rows: list[list[str]], width: int = 60) -> str:
    cells = [[v for v in variables]] + [[c if len(c) <= width else c[: width - 1] + "…" for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(variables))] if variables else []
    line = lambda r: " | ".join(c.ljust(w) for c, w in zip(r, widths))  # noqa: E731
    sep = "-+-".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--kind", type=click.Choice(["value", "spelling", "all"]), default="all", show_default=True,
              help="Values that cannot all be true, names spelled differently, or both.")
@click.option("--store", type=click.Path(path_type=Path), default=None, help="Store folder (default: the current build's).")
@click.pass_context
def conflicts(ctx: click.Context, fmt: str, kind: str, store: Path | None) -> None:
    """List every disagreement between the sources, each side with its sources, quotes and offsets."""
    from .report import disagreements_from_store
    from .store import open_store
    from .web.views import ontology_labels

    ontology = _config(ctx).ontology_dir / "oirld.ttl"
    items = disagreements_from_store(open_store(_store_path(ctx, store)), ontology_labels(str(ontology)))
    if kind != "all":
        items = [d for d in items if d["kind"] == kind]
    if fmt == "json":
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    if not items:
        click.echo("No disagreements.")
        return
    for d in items:
        if d["kind"] == "spelling":
            click.echo(f"Sources spell the name of {d['subject_label']} differently <{d['subject']}>")
        else:
            click.echo(f"Sources disagree on {d['subject_label']}: {d['property_label']} <{d['subject']}>")
        for v in d["values"]:
            rank = "" if v["rank"] == "normal" else f" [{v['rank']}: {v.get('rank_reason') or ''}]"
            quals = "".join(f"; {k}: {val}" for k, val in v.get("qualifiers_in_words", {}).items())
            words = f" (“{'”, “'.join(v['stated_as'])}”)" if v.get("stated_as") else ""
            click.echo(f"  • {v['label']}{words}{quals}{rank}")
            for e in v["evidence"]:
                same = f" (the same wire text as {'; '.join(e['same_wire_as'])})" if e.get("same_wire_as") else ""
                click.echo(f"      {e['source_name']}{same}: “{e['exact']}”")
                click.echo(f"        passage: <{e['evidence']}> (characters {e['start']}–{e['end']} of {e.get('file') or e['source']})")
            n = v["independent_sources"]
            click.echo(f"      {n} independent source{'s' if n != 1 else ''}")
        click.echo("")
    n_value = sum(1 for d in items if d["kind"] == "value")
    click.echo(f"{n_value} value disagreement(s), {len(items) - n_value} spelling difference(s)")


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", default=None, help="Seed name (default: NNN_<first 16 hex of the file's SHA-256>, NNN the next number).")
@click.option("--url", default=None, help="The article's address.")
@click.option("--title", default=None, help="The headline.")
@click.option("--publisher", default=None, help="Who published it (a registry name, or a new entry is added).")
@click.option("--author", "authors", multiple=True, help="An author; repeat for several.")
@click.option("--date", default=None, help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY (kept at that precision).")
@click.option("--language", default=None, help="The text's language, a BCP 47 tag (e.g. en); checked against the text.")
@click.option("--force", is_flag=True, help="Replace a seed of the same name (its mapping is kept).")
@click.pass_context
def add(ctx: click.Context, path: Path, name: str | None, url: str | None, title: str | None, publisher: str | None,
        authors: tuple[str, ...], date: str | None, language: str | None, force: bool) -> None:
    """Add an article (plain text, or a saved .html page) as seeds/NAME.txt with its publication record."""
    from .adding import AddRequest, add_article

    config = _config(ctx)
    result = add_article(config, AddRequest(path, name, url, title, publisher, authors, date, language, force))
    click.echo(f"added {result.name}: seeds/{result.text_path.name} and seeds/{result.meta_path.name}"
               + (" (text extracted from the page)" if result.html else ""))
    for key in result.new_entities:
        click.echo(f"  new registry entry {key} in ontology/registry/added.yaml (unreviewed)")
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(f"next: check seeds/{result.meta_path.name}, write mappings/{result.name}.yaml (or oirld draft {result.name}), "
               "then oirld build", err=True)


@cli.command()
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def review(ctx: click.Context, name: str | None, fmt: str) -> None:
    """List what is still unreviewed, per article: drafted claims (draft: true) and added registry entries."""
    from .review import unreviewed

    items = unreviewed(_config(ctx), name)
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in items], indent=2, ensure_ascii=False))
        return
    if not items:
        click.echo(f"Nothing to review{' in ' + name if name else ''}.")
        return
    for r in items:
        title = f"{r.name} (seeds/{r.name}.txt)" if r.name else "registry entries tied to no article"
        click.echo(f"{title}: {len(r.claims)} drafted claim(s), {len(r.entities)} added registry entr{'y' if len(r.entities) == 1 else 'ies'}")
        for c in r.claims:
            how = ", ".join(x for x in (f"rule {c.rule}" if c.rule else "", f"confidence {c.confidence:g}" if c.confidence is not None else "") if x)
            click.echo(f"  {c.file}:{c.line}  {c.about} · {c.property} · {c.value or '(the quote)'}" + (f"  [{how}]" if how else ""))
            click.echo(f"      “{' '.join(c.quote.split())}”")
        for e in r.entities:
            click.echo(f"  {e.where}  {e.key}: {e.label} ({', '.join(e.types)}), added by {e.by} on {e.date}" + (f": {e.note}" if e.note else ""))
        click.echo("")
    n_claims = sum(len(r.claims) for r in items)
    n_entities = sum(len(r.entities) for r in items)
    click.echo(f"{n_claims} drafted claim(s) and {n_entities} registry entr{'y' if n_entities == 1 else 'ies'} to review. "
               "Review a claim by deleting its 'draft: true'; an entry by setting 'reviewed: true'.")


@cli.group()
def export() -> None:
    """Export the data for other publishers."""


@export.command("wikidata")
@click.option("--out", "out_file", type=click.Path(path_type=Path), default=None, help="Write the QuickStatements here (default: standard output).")
@click.option("--store", type=click.Path(path_type=Path), default=None, help="Store folder (default: the current build's).")
@click.pass_context
def export_wikidata(ctx: click.Context, out_file: Path | None, store: Path | None) -> None:
    """QuickStatements (V1) for Wikidata, each with its references, for a human to review; nothing is sent."""
    from .quickstatements import to_quickstatements, wikidata_statements
    from .store import open_store

    db = open_store(_store_path(ctx, store))
    statements = wikidata_statements(db)
    text = to_quickstatements(statements)
    ready = [st for st in statements if st.held is None]
    for st in statements:
        if st.held is not None:
            click.echo(f"held back, {st.held}: {st.item} {st.prop} {st.value} ({st.label})", err=True)
    held = len(statements) - len(ready)
    note = f"; {held} disputed held back as comments at the end" if held else ""
    if out_file:
        out_file.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(ready)} statements to {out_file}{note}; review each against Wikidata before pasting it into QuickStatements", err=True)
    else:
        click.echo(text, nl=False)
        click.echo(f"{len(ready)} statements{note}; review each against Wikidata before use", err=True)


@cli.command()
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
    from .web.app import LOOPBACK
    from .web.httplimits import limited_http_protocol

    config = _config(ctx, public_url=public_url)
    # links name the address the server listens on unless told otherwise; a wildcard address names no host, so then
    # each request's own local address is used (still never the Host header)
    public = config.public_url or (None if host in ("0.0.0.0", "::", "") else
                                   f"http://{f'[{host}]' if ':' in host else host}:{port}/")
    if allow_update and host not in LOOPBACK:
        raise RunError(f"--allow-update is refused on {host}: anyone who can reach it could change the data",
                       hint="listen on 127.0.0.1, or use --update-token TOKEN")
    from .web.backend import Backend
    from .web.isolation import probe_isolation

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
                run_build(config, _progress(False))
        store_dir = _store_path(ctx, store)
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
    from .web.httplimits import limited_http_protocol
    from .web.remotestore import RemoteBackend, RemoteStore

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


@cli.command()
@click.option("--gsp", required=True, metavar="URL", help="The server's SPARQL 1.1 Graph Store address (e.g. http://127.0.0.1:7878/store).")
@click.option("--query", "query_url", default=None, metavar="URL",
              help="Its query endpoint, to check what arrived (default: --gsp with /store replaced by /query).")
@click.option("--user", default=None, help="User name for HTTP Basic or Digest authentication (with --password).")
@click.option("--password", default=None, help="Password for --user.")
@click.option("--token", default=None, help="Send 'Authorization: Bearer TOKEN' instead of a user and password.")
@click.option("--version", "version", default=None, metavar="VERSION", help="The version to publish (default: the current one).")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.option("--break-lock", is_flag=True, help="Remove the lock a publish that was killed left on the server, then publish.")
@click.pass_context
def publish(ctx: click.Context, gsp: str, query_url: str | None, user: str | None, password: str | None,
            token: str | None, version: str | None, quiet: bool, break_lock: bool) -> None:
    """Publish a built version to an existing SPARQL server, one named graph per source; sends only what changed."""
    from .publish import publish_version
    from .remote import Credentials, RemoteClient

    if token and (user or password):
        raise RunError("give either --user/--password or --token, not both")
    if password is not None and user is None:
        raise RunError("--password needs --user")
    if query_url is None:
        if not gsp.rstrip("/").endswith("/store"):
            raise RunError(f"cannot tell the query endpoint from {gsp}", hint="give --query URL")
        query_url = gsp.rstrip("/")[: -len("store")] + "query"
    out = _config(ctx).out
    if version is None:
        from .pipeline import current_version_dir

        folder = current_version_dir(out)
        if folder is None:
            raise RunError(f"no published build in {out}", hint="run 'oirld build' first, or give --version VERSION")
    else:
        folder = out / "versions" / version
        if "/" in version or not (folder / "store").is_dir():
            raise RunError(f"no version {version} in {out / 'versions'}", hint="give a folder name listed there")
    with RemoteClient(query_url, gsp, Credentials(user, password, token)) as client:
        report = publish_version(folder, client, (lambda m: None) if quiet else (lambda m: click.echo(m, err=True)),
                                 _config(ctx).ontology_dir / "oirld.ttl", break_lock=break_lock)
    was = f" (was {report.previous})" if report.previous and report.previous != report.version else ""
    click.echo(f"published {report.version}{was} to {gsp}: {len(report.sent)} graph(s) sent ({report.sent_bytes} bytes), "
               f"{len(report.removed)} removed, {len(report.unchanged)} unchanged")
    click.echo(f"counted through {query_url}:")
    for g, n in sorted(report.counts.items()):
        click.echo(f"  {n:>8}  <{g}>")
    click.echo(f"  {sum(report.counts.values()):>8}  in all")


@cli.command()
@click.argument("name")
@click.option("--force", is_flag=True, help="Replace an existing mappings/NAME.yaml.")
@click.pass_context
def draft(ctx: click.Context, name: str, force: bool) -> None:
    """Draft mappings/NAME.yaml from seeds/NAME.txt: rule-read claims marked draft, for a person to review."""
    from .draft import draft_article

    result = draft_article(_config(ctx), name, force=force)
    click.echo(f"drafted {result.path}: {result.claims} claims (draft: true), {result.commented} suggestions in comments")
    if result.new_entities:
        click.echo(f"  new registry entries in {result.registry_file}: {', '.join(result.new_entities)}")
    click.echo("  review the claims (delete 'draft: true' from each one checked), then run 'oirld build'")


def main(argv: list[str] | None = None) -> None:
    try:
        # without standalone mode, click returns ctx.exit()'s code instead of raising it
        code = cli.main(args=argv, prog_name="oirld", standalone_mode=False)
        if isinstance(code, int) and code != EXIT_OK:
            sys.exit(code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_RUN)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_RUN)
    except NonConformingData as exc:
        click.echo(exc.report, err=True, nl=False)
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OirldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing was published", err=True)
        sys.exit(EXIT_RUN)
    sys.exit(EXIT_OK)
