"""The command line: output formats and exit codes (0 ok, 1 data does not conform, 2 could not run)."""

import csv
import io
import json
import subprocess
import sys

import pytest

from oirld import __version__
from oirld.cli import main

from .conftest import MINI_MAPPING

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/oirld/ontology#Claim> }"


def run(args, capsys, monkeypatch=None, home=None):
    if monkeypatch is not None and home is not None:
        monkeypatch.setenv("OIRLD_HOME", str(home))
    with pytest.raises(SystemExit) as exit_:
        main(args)
    out = capsys.readouterr()
    return exit_.value.code, out.out, out.err


def test_query_json_csv_and_table(built, capsys):
    store = str(built.path / "store")
    code, out, _ = run(["query", COUNT, "--format", "json", "--store", store], capsys)
    assert code == 0
    n = int(json.loads(out)["results"]["bindings"][0]["n"]["value"])
    assert n == built.claims
    code, out, _ = run(["query", COUNT, "--format", "csv", "--store", store], capsys)
    assert list(csv.reader(io.StringIO(out))) == [["n"], [str(n)]]
    code, out, err = run(["query", COUNT, "--store", store], capsys)
    assert out.splitlines()[0].strip() == "n" and str(n) in out and "(1 row)" in err


def test_ask_query(built, capsys):
    code, out, _ = run(["query", "ASK { ?s ?p ?o }", "--store", str(built.path / "store")], capsys)
    assert (code, out.strip()) == (0, "true")


def test_malformed_query_exits_2_with_the_parser_message(built, capsys):
    code, _, err = run(["query", "SELECT WHERE {", "--store", str(built.path / "store")], capsys)
    assert code == 2 and "does not parse" in err


def test_query_before_any_build_exits_2(project, capsys, monkeypatch):
    cfg = project(MINI_MAPPING)
    code, _, err = run(["query", COUNT], capsys, monkeypatch, cfg.home)
    assert code == 2 and "no published build yet" in err and "oirld build" in err


def test_validate_exit_codes(project, capsys, monkeypatch):
    cfg = project(MINI_MAPPING)
    code, out, _ = run(["validate", "-q"], capsys, monkeypatch, cfg.home)
    assert code == 0 and out.startswith("Conforms")
    mapping = cfg.mappings_dir / "000_7eb36323e1462389.yaml"
    mapping.write_text(mapping.read_text().replace("property: phaseOf", "property: partOf"))
    code, out, _ = run(["validate", "-q"], capsys, monkeypatch, cfg.home)
    assert code == 1 and "A phase must belong to an operation" in out


def test_build_prints_progress_and_what_it_published(project, capsys, monkeypatch):
    cfg = project(MINI_MAPPING)
    code, out, err = run(["build", "--out", str(cfg.out)], capsys, monkeypatch, cfg.home)
    assert code == 0
    assert "[1/8]" in err and "[8/8] published version" in err
    assert "published " in out and "oirld.ttl.gz" in out and "sha256" in out


def test_unwritable_output_exits_2(project, capsys, monkeypatch, tmp_path):
    cfg = project(MINI_MAPPING)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(["build", "--out", str(blocker / "out"), "-q"], capsys, monkeypatch, cfg.home)
    assert code == 2 and "cannot create the output folder" in err


def test_bad_base_iri_exits_2(project, capsys, monkeypatch):
    cfg = project(MINI_MAPPING)
    code, _, err = run(["--base-iri", "ftp://x", "validate"], capsys, monkeypatch, cfg.home)
    assert code == 2 and "base IRI" in err


def test_base_iri_setting_changes_minted_iris(project, capsys, monkeypatch):
    cfg = project(MINI_MAPPING)
    monkeypatch.setenv("OIRLD_BASE_IRI", "https://example.org/data/")
    code, _, _ = run(["build", "--out", str(cfg.out), "-q"], capsys, monkeypatch, cfg.home)
    assert code == 0
    code, out, _ = run(["query", "ASK { <https://example.org/data/id/oir> ?p ?o }", "--out" if False else "--store",
                        str(cfg.out / "current" / "store")], capsys)
    assert out.strip() == "true"
    # regression: the dataset description named the link file under the default base, whatever the setting
    void = (cfg.out / "current" / "dumps" / "void.ttl").read_text()
    import re

    assert re.findall(r"https://w3id\.org/oirld/(?!ontology#|shapes#)\S*", void) == []  # the vocabularies keep their IRIs
    assert "<https://example.org/data/mappings/wikidata.sssom.tsv>" in void


def test_seed_without_metadata_exits_1_naming_the_file(project, capsys, monkeypatch):
    cfg = project(MINI_MAPPING)
    (cfg.seeds_dir / "000_7eb36323e1462389.meta.yaml").unlink()
    code, _, err = run(["build", "--out", str(cfg.out), "-q"], capsys, monkeypatch, cfg.home)
    assert code == 1 and "000_7eb36323e1462389.txt" in err and "no metadata file" in err
    assert not (cfg.out / "current").exists()


def test_misdecoded_seed_exits_1_naming_file_and_line(project, capsys, monkeypatch):
    cfg = project(MINI_MAPPING)
    seed = cfg.seeds_dir / "000_7eb36323e1462389.txt"
    seed.write_text(seed.read_text().replace("After 10 years,", "After 10 yearsâ€™,"))
    code, _, err = run(["build", "--out", str(cfg.out), "-q"], capsys, monkeypatch, cfg.home)
    assert code == 1 and f"{seed}:1" in err and "mis-decoded" in err


def test_serve_reads_every_rdf_format(tmp_path):
    import pyoxigraph as ox

    from oirld.errors import RunError
    from oirld.store import load_files

    quad = ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o"),
                   ox.NamedNode("http://example.org/g"))
    files = []
    for ext, fmt in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD),
                     ("rdf", ox.RdfFormat.RDF_XML), ("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
        path = tmp_path / f"data.{ext}"
        items = [quad] if fmt.supports_datasets else [ox.Triple(quad.subject, quad.predicate, ox.Literal(ext))]
        ox.serialize(items, str(path), fmt)
        files.append(path)
    store = ox.Store()
    load_files(store, files)
    assert len(store) == 4  # a triple from each triple format, and the one quad the three dataset formats hold
    bad = tmp_path / "data.ttl.bak"
    bad.write_text("x")
    with pytest.raises(RunError, match="cannot tell the RDF format"):
        load_files(ox.Store(), [bad])


def test_export_wikidata_gives_referenced_statements_and_holds_back_disputes(built, capsys, tmp_path):
    code, out, err = run(["export", "wikidata", "--store", str(built.path / "store")], capsys)
    assert code == 0
    statements = [ln.split("\t") for ln in out.splitlines() if not ln.startswith("#")]
    comments = [ln for ln in out.splitlines() if ln.startswith("#")]
    assert statements and all(len(ln) >= 5 for ln in statements)
    for ln in statements:
        refs = dict(zip(ln[3::2], ln[4::2]))
        assert refs["S1683"].startswith('en:"') and refs.get("S854", '"http').startswith('"http')  # no address: no S854
    assert all(ln[1] in {"P580", "P582", "P585", "P276"} for ln in statements)
    # the sources disagree on when the operation ends: neither side is a statement; both are comments with the reason
    assert not [ln for ln in statements if ln[:2] == ["Q18357664", "P582"]]
    held = [c for c in comments if "Q18357664 P582" in c]
    assert {v for v in ("+2026-00-00T00:00:00Z/9", "+2025-09-00T00:00:00Z/10") if any(v in c for c in held)} == {
        "+2026-00-00T00:00:00Z/9", "+2025-09-00T00:00:00Z/10"}
    assert all("disputed between sources" in c and "\t" not in c for c in held)
    assert "held back, disputed between sources" in err and "Q18357664 P582" in err
    # the same in a file written with --out
    target = tmp_path / "qs.tsv"
    assert run(["export", "wikidata", "--store", str(built.path / "store"), "--out", str(target)], capsys)[0] == 0
    assert target.read_text(encoding="utf-8") == out


def test_query_writes_turtle_and_ntriples_for_graph_answers(built, capsys):
    import rdflib
    from rdflib.compare import isomorphic

    store = str(built.path / "store")
    construct = "CONSTRUCT WHERE { <https://w3id.org/oirld/id/iraq> ?p ?o }"
    code, turtle, _ = run(["query", construct, "--store", store], capsys)  # Turtle unless told otherwise
    assert code == 0 and "@prefix oirl: <https://w3id.org/oirld/ontology#>" in turtle and "id:iraq" in turtle
    code, nt, _ = run(["query", construct, "--format", "ntriples", "--store", store], capsys)
    assert code == 0 and nt.startswith("<https://w3id.org/oirld/id/iraq> ")
    a, b = rdflib.Graph().parse(data=turtle, format="turtle"), rdflib.Graph().parse(data=nt, format="nt")
    assert len(a) == len(b) > 3 and isomorphic(a, b)
    code, described, _ = run(["query", "DESCRIBE <https://w3id.org/oirld/id/iraq>", "--format", "turtle", "--store", store], capsys)
    assert code == 0 and len(rdflib.Graph().parse(data=described, format="turtle")) == len(a)
    code, _, err = run(["query", COUNT, "--format", "turtle", "--store", store], capsys)
    assert code == 2 and "CONSTRUCT or DESCRIBE" in err


@pytest.mark.parametrize("module", ["oirld", "oirld.cli"])
def test_python_dash_m_runs_the_command_line(module):
    """``python -m oirld.cli`` ran nothing and exited 0: cli.py had no ``__main__`` guard (regression)."""
    done = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, f"oirld, version {__version__}"), done.stderr
