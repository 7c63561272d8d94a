"""The command line (with :mod:`.cli_serve`, the serve command): the only modules that print or exit.

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
from .config import load_config
from .cli_common import run_config, progress_reporter, store_path
from .cli_serve import serve
from .errors import NonConformingData, OirldError, RunError

__all__ = ["main", "cli"]

EXIT_OK, EXIT_NONCONFORMING, EXIT_RUN = 0, 1, 2


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

    config = run_config(ctx, out=out)
    result = run_build(config, progress_reporter(quiet))
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

    compiled, result = validate_dataset(run_config(ctx), progress_reporter(quiet))
    for w in compiled.warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(result.report(), nl=False)
    if not result.conforms:
        ctx.exit(EXIT_NONCONFORMING)
    click.echo(f"{len(compiled.claims)} claims, {len(compiled.disagreements)} disagreements")


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
    from .web.sparql.results import json_term

    text = sys.stdin.read() if sparql == "-" else sparql
    outcome = run_query(open_store(store_path(ctx, store)), text)
    if outcome.kind == "graph" and fmt in (None, "turtle", "ntriples"):
        click.echo(_graph_text(outcome.rows, fmt or "turtle", run_config(ctx).base_iri), nl=False)
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
    from .web.linkeddata.views import ontology_labels

    ontology = run_config(ctx).ontology_dir / "oirld.ttl"
    items = disagreements_from_store(open_store(store_path(ctx, store)), ontology_labels(str(ontology)))
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

    config = run_config(ctx)
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

    items = unreviewed(run_config(ctx), name)
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


@cli.command()
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def audit(ctx: click.Context, name: str | None, fmt: str) -> None:
    """List names in claims' quotes that the claim links by no subject, value, qualifier or mention."""
    from .unlinked import audit as run_audit

    found = run_audit(run_config(ctx), name)
    if fmt == "json":
        click.echo(json.dumps([u.as_dict() for u in found], indent=2, ensure_ascii=False))
        return
    for u in found:
        click.echo(f"{u.where}  {u.claim}\n    names {u.entity} ({u.label}) as “{u.words}”: “{' '.join(u.quote.split())}”")
    click.echo(f"{len(found)} unlinked name(s){' in ' + name if name else ''}. Link each the claim is about with a qualifier "
               "or 'mentions:' in the mapping; leave the incidental ones (mappings/README.md).")


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

    db = open_store(store_path(ctx, store))
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


cli.add_command(serve)


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
    out = run_config(ctx).out
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
                                 run_config(ctx).ontology_dir / "oirld.ttl", break_lock=break_lock)
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

    result = draft_article(run_config(ctx), name, force=force)
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


if __name__ == "__main__":  # `python -m oirld.cli` runs the command line, as `python -m oirld` does (__main__.py)
    main()
