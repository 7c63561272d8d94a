"""The build, one way: seeds + mappings -> claims with provenance -> SHACL -> store -> dumps.

Publication is atomic. A build writes everything into a staging folder under the output folder, checks it, moves
it to ``versions/<version>`` and only then points ``current`` at it (a symlink replaced in one rename). A build that
fails at any step removes its staging folder; the version ``current`` points to is never touched. A killed build
cannot clean up, so the next build removes every staging folder it finds once it holds the build lock.

What is validated is what is published: the graph is loaded into the store first, read back out of the store (with
the literals the store has put into canonical form), and that read-back graph is what the shapes check and what
the dumps are written from.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from rdflib import Graph

from . import __version__
from .claims import Claim, merge_claims
from .config import Config
from .conflicts import Disagreement, current_values, find_disagreements
from .dumps import Dump, describe_dataset
from .dumpparts import global_chunks, write_version_dumps
from .errors import DataError, Location, NonConformingData, RunError, disk_error
from .globalparts import GlobalPart, cached_reprints, global_part
from .graph import BuildInfo, Minter, dataset_graph
from .graphrecord import record_graphs
from .heap import build_scope, settle
from .links import load_links
from .buildcache import ArticleJob, ArticleResult, article_key, common_key, compile_articles, share_loaded
from .mapping import MappingProblems, compile_mapping_file, compile_mappings
from .ontology import Ontology, load_ontology
from .registry import Registry, load_registry
from .registrycache import cached_registry
from .reprints import Reprints, find_reprints
from .pageindex import write_page_index
from .searchdelta import update_index
from .seeds import Seed, load_seeds, seed_files
from .statsdelta import stats_after, stats_record
from .store import combine_digests, files_digest, store_digest, write_store_files
from .storedelta import update_store
from .unlinked import find_unlinked, summary
from .validation import ValidationResult, load_shapes, merge_results, split_shapes, validate_graph

__all__ = ["Compiled", "BuildResult", "compile_dataset", "validate_dataset", "build", "current_version_dir", "STEPS",
           "STAGING_PREFIX"]

Progress = Callable[[int, str], None]
STEPS = 8


@dataclass
class Compiled:
    seeds: list[Seed]
    ontology: Ontology
    registry: Registry
    claims: list[Claim]
    disagreements: list[Disagreement]
    graph: Graph
    info: BuildInfo
    warnings: list[str] = field(default_factory=list)
    reprints: Reprints = field(default_factory=Reprints)


@dataclass(frozen=True)
class BuildResult:
    version: str
    path: Path
    triples: int
    claims: int
    evidence: int
    disagreements: int
    dumps: tuple[Dump, ...]
    warnings: tuple[str, ...]
    report: str
    #: nothing the build reads has changed since ``version`` was published, so it was kept and nothing was built
    unchanged: bool = False


def _noop(step: int, message: str) -> None:
    pass


def _inputs(config: Config, mapping_files: list[Path], seeds: list[Seed]) -> tuple[tuple[str, str, str], ...]:
    rows = []
    for kind, paths in (
        ("ontology", [config.ontology_dir / "oirld.ttl"]),
        ("registry", sorted((config.ontology_dir / "registry").glob("*.yaml"))),
        ("shapes", sorted(config.shapes_dir.glob("*.ttl"))),
        ("mapping", mapping_files),
        ("links", [p for p in [config.mappings_dir / "wikidata.sssom.tsv"] if p.is_file()]),
        ("seed", [s.path for s in seeds] + [s.meta_path for s in seeds]),
    ):
        for p in paths:
            rel = os.path.relpath(p, config.home)
            rows.append((kind, rel, hashlib.sha256(p.read_bytes()).hexdigest()))
    return tuple(rows)


def _check_meta_entities(seeds: list[Seed], registry: Registry) -> None:
    for seed in seeds:
        for f in ("publisher", "authors"):
            for key in seed.meta[f].entities:
                if key not in registry:
                    raise DataError(f"{f} entity {key!r} is not in the registry", Location(seed.meta_path),
                                    "use a registry key from ontology/registry/")


def compile_dataset(config: Config, progress: Progress = _noop, started: dt.datetime | None = None) -> Compiled:
    started = started or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    progress(1, "reading the ontology, the registry and the seeds")
    ontology = load_ontology(config.ontology_dir / "oirld.ttl")
    registry = load_registry(config.ontology_dir / "registry", ontology.classes)
    seeds = load_seeds(config.seeds_dir)
    _check_meta_entities(seeds, registry)
    sssom = config.mappings_dir / "wikidata.sssom.tsv"
    links = load_links(sssom, set(registry.entities), "mappings/wikidata.sssom.tsv")[0] if sssom.is_file() else []
    progress(2, f"compiling the mappings of {len(seeds)} seeds")
    raw, mapping_files, warnings = compile_mappings(config.mappings_dir, seeds, ontology, registry, config.home)
    claims, disagreements, reprints, info, used = _across(config, ontology, seeds, raw, mapping_files, started, progress)
    warnings += _unlinked_warning(claims, seeds, registry)
    graph = dataset_graph(seeds, registry, claims, disagreements, info, config.base_iri, used_entities=used,
                          current=current_values(claims, reprints), links=links, reprints=reprints)
    return Compiled(seeds, ontology, registry, claims, disagreements, graph, info, warnings, reprints)


def _across(config: Config, ontology: Ontology, seeds: list[Seed], raw: list[Claim], mapping_files: list[Path],
            started: dt.datetime, progress: Progress,
            cache: Path | None = None) -> tuple[list[Claim], list[Disagreement], Reprints, BuildInfo, set[str]]:
    """The steps across articles: merged claims, disagreements, wire copy, the version, the entities in use."""
    claims = merge_claims(raw)
    disagreements = find_disagreements(claims, ontology)
    reprints = cached_reprints(seeds, cache) if cache is not None else find_reprints(seeds)
    inputs = _inputs(config, mapping_files, seeds)
    content = hashlib.sha256("".join(f"{k}{p}{h}" for k, p, h in inputs).encode() + __version__.encode()).hexdigest()
    version = f"{started.strftime('%Y%m%dT%H%M%SZ')}-{content[:8]}"
    info = BuildInfo(version=version, software_version=__version__, started=started, inputs=inputs)
    progress(3, f"{len(claims)} claims, {len(disagreements)} disagreements; writing RDF")
    used = {c.subject for c in claims}
    used |= {v.entity for c in claims for v in (c.value, *(q for _, q in c.qualifiers)) if v.kind == "entity" and v.entity}
    used |= {k for c in claims for k in c.mentions}
    used |= {k for s in seeds for f in ("publisher", "authors") for k in s.meta[f].entities}
    return claims, disagreements, reprints, info, used


def _unlinked_warning(claims: list[Claim], seeds: list[Seed], registry: Registry, named: dict | None = None) -> list[str]:
    """The audit of names the claims' quotes hold but the claims do not link (:mod:`oirld.unlinked`), as one warning;
    ``named``: the names each article's passages hold, found per article (cached with it)."""
    line = summary(find_unlinked(claims, seeds, registry, named))
    return [line] if line else []


@dataclass
class Incremental:
    """A build's compile: the per-article results (from the cache or fresh) and the global part."""
    seeds: list[Seed]
    ontology: Ontology
    claims: list[Claim]
    disagreements: list[Disagreement]
    info: BuildInfo
    articles: list[ArticleResult]
    global_part: GlobalPart
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""


def compile_incremental(config: Config, progress: Progress = _noop, started: dt.datetime | None = None,
                        workers: int | None = None, engine: str = "turbo") -> Incremental:
    """What :func:`compile_dataset` computes, with the per-article work done in parallel and cached
    (:mod:`oirld.buildcache`); the whole dataset is never built as one graph."""
    started = started or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    progress(1, "reading the ontology, the registry and the seeds")
    ontology = load_ontology(config.ontology_dir / "oirld.ttl")
    registry = cached_registry(config.ontology_dir / "registry", ontology.classes, config.out / "cache")
    seed_paths = seed_files(config.seeds_dir)
    sssom = config.mappings_dir / "wikidata.sssom.tsv"
    links = load_links(sssom, set(registry.entities), "mappings/wikidata.sssom.tsv")[0] if sssom.is_file() else []
    if not config.mappings_dir.is_dir():
        raise DataError("no mappings folder", Location(config.mappings_dir), "mapping scripts live in mappings/<seed>.yaml")
    mappings = {p.stem: p for p in sorted(config.mappings_dir.glob("*.yaml"))}
    known = frozenset(p.stem for p in seed_paths)
    common = common_key(config.home, config.base_iri, engine)
    jobs = [ArticleJob(str(config.home), p.stem, str(p), str(mappings[p.stem]) if p.stem in mappings else None,
                       config.base_iri, article_key(common, p, mappings.get(p.stem)), known, engine) for p in seed_paths]
    progress(2, f"compiling and validating {len(jobs)} articles (cached ones are not redone)")

    def tick(done: int, total: int, fresh: int) -> None:
        progress(2, f"{done}/{total} articles ready ({fresh} compiled now, {done - fresh} from the cache)")

    share_loaded(str(config.home), ontology, registry)
    articles = list(compile_articles(jobs, config.out / "cache" / "articles", workers, tick))
    settle()  # the articles' claims live until the build ends (oirld.heap)
    for a in articles:  # a seed that cannot be read stops the build first, as reading the seeds does
        if a.fatal:
            raise a.problems[0]
    seeds = [a.seed for a in articles if a.seed is not None]
    _check_meta_entities(seeds, registry)
    found: list[tuple[str, list[DataError]]] = []
    for stem, path in mappings.items():  # a mapping no seed is named after: compiled here, for its error
        if stem not in known:
            found.append((str(path), compile_mapping_file(path, {}, ontology, registry, config.home, set(known))[2]))
    for a in articles:
        found.append((str(mappings.get(a.stem, "")), a.problems))
    problems = [p for _, ps in sorted(found, key=lambda f: f[0]) for p in ps]
    if problems:
        raise MappingProblems(problems)
    by_path = sorted((a for a in articles if a.stem in mappings), key=lambda a: str(mappings[a.stem]))
    raw = [c for a in by_path for c in a.claims]
    used_files = [mappings[a.stem] for a in by_path if a.mapping_used]
    used_stems = {p.stem for p in used_files}  # once, not once per seed
    warnings = [f"seed {s.stem} has no mapping (mappings/{s.stem}.yaml); it contributes no claims"
                for s in seeds if s.stem not in used_stems]
    claims, disagreements, reprints, info, used = _across(config, ontology, seeds, raw, sorted(used_files), started, progress,
                                                          config.out / "cache")
    warnings += _unlinked_warning(claims, seeds, registry, {k: v for a in articles for k, v in a.named.items()})
    part = global_part(seeds, registry, claims, disagreements, current_values(claims, reprints), reprints, info,
                       config.base_iri, used, links, articles, common, config.out / "cache")
    settle()
    return Incremental(seeds, ontology, claims, disagreements, info, articles, part, warnings)


def validate_dataset(config: Config, progress: Progress = _noop) -> tuple[Compiled, ValidationResult]:
    """Compile and validate without publishing (``oirld validate``)."""
    try:
        compiled = compile_dataset(config, progress)
        progress(4, "validating with SHACL")
        shapes = load_shapes(config.shapes_dir)
    except OSError as exc:
        raise disk_error(exc, "reading the inputs", config.home) from None
    result = validate_graph(compiled.graph, shapes, compiled.ontology.graph)
    return compiled, result


@contextmanager
def _lock(out: Path) -> Iterator[None]:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunError(f"another build is writing to {out}", hint="wait for it to finish, or use another --out") from None
        yield


def current_version_dir(out: Path) -> Path | None:
    link = out / "current"
    return link.resolve() if link.exists() else None


def build(config: Config, progress: Progress = _noop, workers: int | None = None) -> BuildResult:
    """Build and publish a version. Any OSError (full disk, read-only or unwritable folder, a file where a folder
    should be) becomes a RunError naming the file; the version ``current`` points to is left as it was."""
    out = config.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunError(f"cannot create the output folder {out}: {exc.strerror or exc}", hint="choose a writable --out") from None
    doing = ["taking the build lock"]

    def step(n: int, message: str) -> None:
        doing[0] = message
        progress(n, message)

    try:
        with _lock(out), build_scope():
            doing[0] = "removing stale staging folders"
            _remove_stale(out, step)
            doing[0] = "reading the inputs"
            fingerprint = input_fingerprint(config)
            kept = _unchanged(out, fingerprint)
            if kept is not None:
                step(STEPS, f"nothing changed since {kept.version}: it stays the current version")
                return kept
            compiled = compile_incremental(config, step, workers=workers)
            compiled.fingerprint = fingerprint
            staging = out / f"{STAGING_PREFIX}{compiled.info.version}"
            shutil.rmtree(staging, ignore_errors=True)
            try:
                return _publish(config, compiled, staging, step)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except OSError as exc:
        try:
            current = current_version_dir(out)
        except OSError:
            current = None
        note = f"nothing was published; {current.name} is still the current version" if current else "nothing was published"
        raise disk_error(exc, doing[0], out, note) from None


def input_fingerprint(config: Config) -> str:
    """A SHA-256 over every file a build reads (names and bytes), the base IRI and the oirld version."""
    h = hashlib.sha256(f"{__version__}|{config.base_iri}".encode())
    folders = [(config.ontology_dir, "oirld.ttl"), (config.ontology_dir / "registry", "*.yaml"), (config.shapes_dir, "*.ttl"),
               (config.mappings_dir, "*.yaml"), (config.mappings_dir, "wikidata.sssom.tsv"), (config.seeds_dir, "*.txt"),
               (config.seeds_dir, "*.meta.yaml")]
    for folder, pattern in folders:
        for p in sorted(folder.glob(pattern)) if folder.is_dir() else []:
            h.update(f"{p.relative_to(config.home) if p.is_relative_to(config.home) else p}\0".encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def _unchanged(out: Path, fingerprint: str) -> BuildResult | None:
    """The current version, when it was built from exactly these inputs and is whole; else None."""
    current = current_version_dir(out)
    if current is None:
        return None
    try:
        manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
        report = (current / "validation-report.txt").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if manifest.get("input_fingerprint") != fingerprint or not (current / "store").is_dir():
        return None
    dumps = tuple(Dump(**d) for d in manifest["dumps"])
    if not all((current / "dumps" / d.name).is_file() for d in dumps):
        return None
    return BuildResult(manifest["version"], current, manifest["triples"], manifest["claims"], manifest["evidence"],
                       manifest["disagreements"], dumps, tuple(manifest.get("warnings", [])), report, unchanged=True)


#: Folders a build writes into before publishing; one left behind is from a build that was killed.
STAGING_PREFIX = ".staging-"


def _remove_stale(out: Path, progress: Progress) -> None:
    """Called under the build lock, so no live build owns a staging folder in ``out``: each one there was left by a
    build that was killed (a build that fails removes its own)."""
    for leftover in sorted(out.glob(STAGING_PREFIX + "*")):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
        progress(1, f"removed {leftover.name}, left behind by a build that was stopped")
    tmp_link = out / ".current.tmp"
    if tmp_link.is_symlink():
        tmp_link.unlink()


def _write_page_index(compiled: Incremental, staging: Path) -> int:
    """``pages.sqlite`` from the articles' rows (made by their workers, cached with them), so a rebuild only writes."""
    for a in compiled.articles:
        if a.page_rows is None:
            raise RunError(f"the cached result of {a.stem} has no page index rows", hint="remove the cache folder and build again")
    return write_page_index(staging / "pages.sqlite", (a.page_rows for a in compiled.articles))


def _publish(config: Config, compiled: Incremental, staging: Path, progress: Progress) -> BuildResult:
    out = config.out
    version = compiled.info.version
    staging.mkdir(parents=True)
    global_bytes = compiled.global_part.nt
    global_triples = compiled.global_part.triples
    expected = global_triples + sum(a.triples for a in compiled.articles)
    previous = current_version_dir(out)
    if previous is not None:
        progress(4, f"the store: starting from a checkpoint of {previous.name}'s")
    delta = update_store(previous, staging / "store", config.base_iri, global_bytes,
                         compiled.articles) if previous is not None else None
    updated = delta is not None
    if updated:
        progress(4, f"the store: {previous.name}'s, with what changed removed and added")
    else:
        progress(4, "loading the embedded store")
        parts = staging / "parts"
        parts.mkdir()
        global_nt = parts / "global.nt"
        global_nt.write_bytes(global_bytes)
        articles_nt = parts / "articles.nt"
        with open(articles_nt, "wb") as fh:
            for a in compiled.articles:
                fh.write(a.chunk)
        write_store_files(staging / "store", [global_nt, articles_nt])
    progress(5, f"validating {expected} triples with SHACL (articles checked one by one, then the global part's "
                f"changed groups: {compiled.global_part.fresh} of {len(compiled.global_part.groups)})")
    shapes = load_shapes(config.shapes_dir)
    _, global_shapes = split_shapes(shapes)
    whole = compiled.global_part.validate(global_shapes, compiled.ontology.graph, "turbo")
    result = merge_results([whole, *(ValidationResult.of(a.violations, a.triples) for a in compiled.articles)],
                           expected)
    report = result.report()
    (staging / "validation-report.txt").write_text(report, encoding="utf-8")
    if not result.conforms:
        raise NonConformingData(f"the data does not conform to the shapes ({len(result.violations) - len(result.warnings)} violations); nothing was published",
                                report, hint="read the report above, fix the mapping or registry entry it names, and build again")
    # what was validated is what is published: the store must give back exactly the triples written to it (a
    # literal the store put into another form, or one written twice, would show here)
    # (an updated store was checked as it was updated: oirld.storedelta)
    if not updated:
        written = combine_digests([files_digest([global_nt])] + [(a.triples, a.digest) for a in compiled.articles])
        held = store_digest(staging / "store")
        shutil.rmtree(parts)
        if written != held or written[0] != expected:
            raise RunError(f"the store holds {held[0]} triples that differ from the {expected} the build validated",
                           hint="report this as a bug in oirld: a literal not in canonical form, or a triple written twice")
    stats = stats_after(delta, staging / "store", config.base_iri)
    progress(6, "writing dumps")
    chunks = global_chunks(compiled.global_part.groups, global_bytes)
    dumps = write_version_dumps(staging, config.base_iri, chunks, global_triples, compiled.articles, previous,
                                stats_record(stats))
    record_graphs(staging, config.base_iri, chunks, compiled.articles, previous, config.out / "cache")  # for oirld publish
    source = Minter(config.base_iri).source
    index_rows = update_index(staging / "search.sqlite", delta, staging / "store", config.base_iri, compiled.ontology.graph,
                              {str(source(s.stem)): s.text for s in compiled.seeds},
                              {str(source(a.stem)): a.key for a in compiled.articles})
    passages = _write_page_index(compiled, staging)
    m = Minter(config.base_iri)
    description = describe_dataset(config.base_iri, version, compiled.info.started.strftime("%Y-%m-%dT%H:%M:%SZ"), stats,
                                   dumps, m.build(version), [m.source(s.stem) for s in compiled.seeds], compiled.info.software_version,
                                   synthetic=any(s.synthetic for s in compiled.seeds))
    check = validate_graph(description, shapes, compiled.ontology.graph)
    if not check.conforms:
        raise NonConformingData("the dataset description does not conform to the shapes", check.report())
    (staging / "dumps" / "void.ttl").write_bytes(description.serialize(format="turtle", encoding="utf-8"))
    published_triples = stats.triples
    evidence = {e.id for c in compiled.claims for e in c.evidence}
    manifest = {
        "version": version, "software_version": compiled.info.software_version, "base_iri": config.base_iri,
        "started": compiled.info.started.isoformat(), "triples": published_triples, "claims": len(compiled.claims),
        "claims_excluding_names": sum(1 for c in compiled.claims if c.prop != "writtenAs"),
        "evidence": len(evidence), "disagreements": len(compiled.disagreements),
        "search_index": {"file": "search.sqlite", "rows": index_rows},  # full-text search (oirld.search)
        "page_index": {"file": "pages.sqlite", "passages": passages},  # what pages read by key (oirld.pageindex)
        "unreviewed_claims": sum(1 for c in compiled.claims if c.unreviewed),
        # the mapping lines a machine drafted and no person has reviewed yet (draft: true)
        "drafted": [{"mapping": f, "line": n, "rule": r or None, "confidence": x} for f, n, r, x in
                    sorted({(e.mapping_file, e.line, e.rule or "", e.confidence) for c in compiled.claims for e in c.evidence if e.draft},
                           key=lambda t: (t[0], t[1]))],
        "dumps": [d.__dict__ for d in dumps],
        "warnings": list(compiled.warnings) + list(result.warning_lines()),
        # every file the build reads, with the base IRI and the oirld version: an equal fingerprint means a rebuild
        # would publish the same data, so it is skipped
        "input_fingerprint": compiled.fingerprint,
        "inputs": [{"kind": k, "path": p, "sha256": h} for k, p, h in compiled.info.inputs],
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    progress(7, "publishing")
    versions = out / "versions"
    versions.mkdir(exist_ok=True)
    final = versions / version
    if final.exists():
        raise RunError(f"version {version} exists already", hint="build again in a second")
    os.replace(staging, final)
    tmp_link = out / ".current.tmp"
    try:
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        os.symlink(Path("versions") / version, tmp_link)
        os.replace(tmp_link, out / "current")
    except BaseException:
        # not published after all: take the version back out so only what 'current' names is left
        shutil.rmtree(final, ignore_errors=True)
        with suppress(OSError):
            tmp_link.unlink()
        raise
    progress(8, f"published version {version}")
    return BuildResult(version, final, published_triples, len(compiled.claims), len(evidence), len(compiled.disagreements),
                       tuple(dumps), tuple(compiled.warnings) + result.warning_lines(), report)
