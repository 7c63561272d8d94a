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
    click.echo(f"published {result.version}: {result.triples} triples, {result.claims} claims, "
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
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--store", type=click.Path(path_type=Path), default=None, help="Store folder (default: the current build's).")
@click.pass_context
def query(ctx: click.Context, sparql: str, fmt: str, store: Path | None) -> None:
    """Run a SPARQL query on the built store. SPARQL may be '-' to read it from standard input."""
    from .store import open_store, run_query
    from .web.results import json_term

    text = sys.stdin.read() if sparql == "-" else sparql
    outcome = run_query(open_store(_store_path(ctx, store)), text)
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

    items = disagreements_from_store(open_store(_store_path(ctx, store)))
    if kind != "all":
        items = [d for d in items if d["kind"] == kind]
    if fmt == "json":
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    if not items:
        click.echo("No disagreements.")
        return
    for d in items:
        what = "spell the name of" if d["kind"] == "spelling" else f"disagree on {d['property_label']} of"
        click.echo(f"Sources {what} {d['subject_label']} <{d['subject']}>")
        for v in d["values"]:
            rank = "" if v["rank"] == "normal" else f" [{v['rank']}: {v.get('rank_reason') or ''}]"
            quals = "".join(f"; {k} {val}" for k, val in v.get("qualifiers", {}).items())
            words = f" (“{'”, “'.join(v['stated_as'])}”)" if v.get("stated_as") else ""
            click.echo(f"  • {v['label']}{words}{quals}{rank}")
            for e in v["evidence"]:
                same = f" (the same wire text as {', '.join(e['same_wire_as'])})" if e.get("same_wire_as") else ""
                click.echo(f"      {e['source_name']} [{e['start']}–{e['end']}]{same}: “{e['exact']}”")
            click.echo(f"      {v['independent_sources']} independent source(s)")
        click.echo("")
    n_value = sum(1 for d in items if d["kind"] == "value")
    click.echo(f"{n_value} value disagreement(s), {len(items) - n_value} spelling difference(s)")


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
    disputed = {r["c"].value for r in db.query(
        "SELECT DISTINCT ?c WHERE { ?d a <https://w3id.org/oirld/ontology#Disagreement> ; <https://w3id.org/oirld/ontology#involvesClaim> ?c }")}
    for st in statements:
        if st.claim in disputed:
            click.echo(f"disputed between sources, check before use: {st.item} {st.prop} {st.value} ({st.label})", err=True)
    if out_file:
        out_file.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(statements)} statements to {out_file}; review each against Wikidata before pasting it into QuickStatements", err=True)
    else:
        click.echo(text, nl=False)
        click.echo(f"{len(statements)} statements; review each against Wikidata before use", err=True)


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
@click.pass_context
def serve(ctx: click.Context, files: tuple[Path, ...], host: str, port: int, store: Path | None,
          update_token: str | None, allow_update: bool, timeout: float, workers: int | None,
          in_memory: bool, row_cap: int, cache_mb: int, service_allow: tuple[str, ...]) -> None:
    """Serve the SPARQL endpoint (/sparql) and Graph Store (/store) over the build, or over the RDF FILES given."""
    import pyoxigraph as ox
    import uvicorn

    from .store import load_files, open_store
    from .web import ServeSettings, create_app
    from .web.app import LOOPBACK

    config = _config(ctx)
    if allow_update and host not in LOOPBACK:
        raise RunError(f"--allow-update is refused on {host}: anyone who can reach it could change the data",
                       hint="listen on 127.0.0.1, or use --update-token TOKEN")
    from .web.workers import ProcessRunner

    updates = allow_update or bool(update_token)
    version, store_dir, void_file = "files", None, None
    if files:
        if updates:
            db = ox.Store()
        else:
            # an on-disk copy that worker processes can open read-only (and kill on timeout)
            import tempfile

            store_dir = Path(tempfile.mkdtemp(prefix="oirld-serve-"))
            db = ox.Store(str(store_dir))
        load_files(db, list(files))
        click.echo(f"serving {len(db)} quads from {len(files)} file(s)", err=True)
        if store_dir is not None:
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
        described = store_dir.parent / "dumps" / "void.ttl"
        void_file = described if described.is_file() else None
        db = open_store(store_dir)
        if updates:
            # the published version never changes: updates go to a copy in memory
            copy = ox.Store()
            copy.extend(db)
            db, store_dir = copy, None
            click.echo("updates enabled: they apply to an in-memory copy, not to the published version", err=True)
    settings = ServeSettings(base_iri=config.base_iri, dataset_version=version, update_token=update_token,
                             void_path=str(void_file) if void_file else None,
                             ontology_path=str(config.ontology_dir / "oirld.ttl") if (config.ontology_dir / "oirld.ttl").is_file() else None,
                             shapes_path=str(config.shapes_dir / "oirld-shapes.ttl") if (config.shapes_dir / "oirld-shapes.ttl").is_file() else None,
                             versions_dir=str(void_file.parent.parent.parent) if void_file else None,
                             home=str(config.home),
                             allow_update=allow_update, query_timeout=timeout, service_allowlist=tuple(service_allow), row_cap=row_cap,
                             cache_bytes=cache_mb * 1024 * 1024)
    runner = ProcessRunner(str(store_dir), workers, timeout, in_memory=in_memory) if store_dir is not None else None
    mode = f"{runner.size} worker processes" if runner else "worker threads (updates enabled: a timed-out query finishes in the background)"
    click.echo(f"Pages: http://{host}:{port}/   SPARQL endpoint: http://{host}:{port}/sparql   Graph Store: http://{host}:{port}/store   "
               f"({mode}, timeout {timeout:g} s)", err=True)
    uvicorn.run(create_app(settings, db, runner), host=host, port=port, log_level="warning")


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
