"""`oirld add` and `oirld review`: a new article becomes a seed with an honest publication record; every refusal names
the file, exits 1 (the input) or 2 (the command) and writes nothing; drafted claims are published as unreviewed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from oirld.seeds import load_seed

from .conftest import MINI_MAPPING, SEED
from .test_cli import run

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
PAGE = ARTICLES / "wire-ain-al-asad.html"
TEXT = ARTICLES / "plain-article.txt"


def snapshot(home: Path) -> dict[str, bytes]:
    """Every file of the project's data folders, to prove a refusal wrote nothing."""
    return {str(p.relative_to(home)): p.read_bytes() for folder in ("seeds", "mappings", "ontology")
            for p in sorted((home / folder).rglob("*")) if p.is_file()}


def _added_entries(home: Path) -> dict:
    """The entries of the project's added.yaml (the live registry may already have some)."""
    path = home / "ontology" / "registry" / "added.yaml"
    return yaml.safe_load(path.read_text())["entities"] if path.is_file() else {}


def meta_of(home: Path, name: str) -> dict:
    return yaml.safe_load((home / "seeds" / f"{name}.meta.yaml").read_text(encoding="utf-8"))


def test_add_text_keeps_the_bytes_and_says_how_each_field_was_determined(project, capsys, monkeypatch):
    home = project(MINI_MAPPING).home
    before = set(_added_entries(home))
    code, out, err = run(["add", str(TEXT), "--url", "https://news.example.org/2025/03/11/iraq-us-timetable",
                          "--publisher", "Defense News", "--date", "2025-03", "--language", "en"], capsys, monkeypatch, home)
    assert code == 0, err
    name = f"001_{hashlib.sha256(TEXT.read_bytes()).hexdigest()[:16]}"  # the next number after 000, then the hash
    assert f"added {name}" in out
    assert (home / "seeds" / f"{name}.txt").read_bytes() == TEXT.read_bytes()
    meta = meta_of(home, name)
    how = {k: meta[k]["determined_by"] for k in ("title", "publisher", "authors", "language", "date_published", "url")}
    assert how == {"title": "stated-in-text", "publisher": "given", "authors": "stated-in-text", "language": "given",
                   "date_published": "given", "url": "given"}
    assert meta["title"]["value"] == "Iraq and US agree on timetable for coalition exit from Baghdad bases"
    assert meta["authors"]["value"] == ["Sara Example", "Karim Test"]
    assert meta["date_published"]["value"] == "2025-03"  # the precision given, no more
    assert meta["publisher"]["entity"] == "defense-news"  # known to the registry: no new entry
    added = {k: e for k, e in _added_entries(home).items() if k not in before}
    assert set(added) == {"sara-example", "karim-test"} and meta["authors"]["entities"] == ["sara-example", "karim-test"]
    assert all(e["added"]["reviewed"] is False and e["added"]["source"] == name for e in added.values())
    seed = load_seed(home / "seeds" / f"{name}.txt")
    assert [d.isoformat() for d in seed.reference] == ["2025-03-01", "2025-03-31"]
    # the build takes it as it is (no mapping yet: a warning, not an error)
    code, _, err = run(["validate", "-q"], capsys, monkeypatch, home)
    assert code == 0, err
    assert f"seed {name} has no mapping" in err


def test_add_page_reads_text_and_record_from_the_page_and_options_override(project, capsys, monkeypatch):
    home = project(MINI_MAPPING).home
    code, out, err = run(["add", str(PAGE), "--name", "005_wire", "--title", "A title given by hand"], capsys, monkeypatch, home)
    assert code == 0, err
    text = (home / "seeds" / "005_wire.txt").read_text(encoding="utf-8")
    assert "Some 4,000 U.S. troops are in Iraq." in text
    assert "Privacy" not in text and "Sport" not in text  # navigation and footer left out
    meta = meta_of(home, "005_wire")
    assert meta["title"] == {"value": "A title given by hand", "determined_by": "given",
                             "evidence": "Given when the article was added (oirld add --title)."}
    assert meta["date_published"]["value"] == "2025-01-15" and meta["date_published"]["determined_by"] == "page-metadata"
    assert 'JSON-LD NewsArticle "datePublished"' in meta["date_published"]["evidence"]
    assert meta["url"]["value"] == "https://wire.example.org/world/2025/01/15/us-troops-leave-ain-al-asad"
    assert meta["authors"]["value"] == ["Jane Roe", "Omar Said"] and meta["publisher"]["value"] == "Example Wire"
    assert hashlib.sha256(PAGE.read_bytes()).hexdigest() in meta["notes"]
    assert meta["publisher"]["entity"] in _added_entries(home) or meta["publisher"]["entity"] in out


def test_a_page_without_metadata_falls_back_to_the_address_and_the_words(project, capsys, monkeypatch, tmp_path):
    home = project(MINI_MAPPING).home
    body = " ".join(["The coalition said its forces would leave the base by September and hand it to the Iraqi army."] * 8)
    page = tmp_path / "bare.html"
    page.write_text(f"<html><body><article><p>{body}</p><p>{body}</p></article></body></html>", encoding="utf-8")
    code, _, err = run(["add", str(page), "--name", "bare", "--url", "https://example.org/2024/10/02/coalition-to-leave-the-base"],
                       capsys, monkeypatch, home)
    assert code == 0, err
    meta = meta_of(home, "bare")
    assert meta["title"]["determined_by"] == "inferred" and meta["title"]["value"] == "Coalition to leave the base"
    assert meta["date_published"] == {"value": "2024-10-02", "determined_by": "inferred",
                                      "evidence": "The address has the date (/2024/10/02/); the day of publication is otherwise unconfirmed."}
    assert meta["language"]["determined_by"] == "inferred" and meta["language"]["value"] == "en"
    assert meta["publisher"]["determined_by"] == "unknown" and meta["publisher"]["value"] is None
    assert meta["authors"] == {"value": [], "determined_by": "unknown", "evidence": "Not given, and not found in the page's metadata or in the text."}


FRENCH = ("Les États-Unis et l'Irak ont annoncé vendredi la fin de la mission de la coalition internationale contre le "
          "groupe État islamique en Irak. Selon le communiqué, les troupes de la coalition quitteront les bases de Bagdad "
          "et d'Aïn al-Assad d'ici septembre 2025, et resteront au Kurdistan jusqu'en septembre 2026. Le ministre a "
          "déclaré que cette décision est le fruit de longues négociations avec les partenaires de la coalition.\n")


@pytest.mark.parametrize("case, content, args, code, message", [
    ("undecodable", b"Headline here\nThe troops \xe9 left.\n", [], 1, "not valid UTF-8"),
    ("misdecoded", "Headline here\nThe troopsâ€™ base was handed over.\n".encode(), [], 1, "looks mis-decoded"),
    ("empty", b"  \n\n", [], 1, "the article is empty"),
    ("no-body.html", b"<html><head><title>Index</title></head><body><nav><a href='/'>Home</a></nav><p>Subscribe.</p></body></html>",
     [], 1, "no article body"),
    ("language", FRENCH.encode(), ["--language", "en"], 1, "not in the language declared"),
    ("bad-bytes.html", b'<html><head><meta charset="utf-8"></head><body><article><p>'
     + b" ".join([b"The coalition \xff\xfe said its forces would leave the base by September."] * 10) + b"</p></article></body></html>",
     [], 1, "cannot decode"),
    ("bad-date", TEXT.read_bytes(), ["--date", "2025-02-30"], 2, "--date '2025-02-30' is not a date"),
    ("bad-date-form", TEXT.read_bytes(), ["--date", "27/09/2024"], 2, "is not a date"),
    ("bad-name", TEXT.read_bytes(), ["--name", "../escape"], 2, "not a usable seed name"),
    ("bad-url", TEXT.read_bytes(), ["--url", "not a url"], 2, "not an http(s) address"),
    ("existing", TEXT.read_bytes(), ["--name", SEED], 2, "exists already"),
    ("duplicate", None, [], 2, "already a seed"),
])
def test_refusals_name_the_file_exit_1_or_2_and_write_nothing(project, capsys, monkeypatch, tmp_path, case, content, args, code, message):
    home = project(MINI_MAPPING).home
    if content is None:  # a copy of a seed the project has
        path = tmp_path / "copy.txt"
        path.write_bytes((home / "seeds" / f"{SEED}.txt").read_bytes())
    else:
        path = tmp_path / (case if case.endswith(".html") else f"{case}.txt")
        path.write_bytes(content)
    before = snapshot(home)
    got, _, err = run(["add", str(path), *args], capsys, monkeypatch, home)
    assert got == code, err
    assert message in err
    assert str(path) in err or f"seeds/{SEED}" in err
    assert snapshot(home) == before


def test_force_replaces_a_seed_and_keeps_its_mapping(project, capsys, monkeypatch):
    home = project(MINI_MAPPING).home
    run(["add", str(TEXT), "--name", "006_x", "--language", "en"], capsys, monkeypatch, home)
    (home / "mappings" / "006_x.yaml").write_text("source: 006_x\nclaims: []\n")
    code, _, err = run(["add", str(PAGE), "--name", "006_x", "--force"], capsys, monkeypatch, home)
    assert code == 0, err
    assert "Some 4,000" in (home / "seeds" / "006_x.txt").read_text() and (home / "mappings" / "006_x.yaml").is_file()
    assert "mappings/006_x.yaml was kept" in err


def test_review_lists_drafted_claims_and_added_entries_per_article(project, capsys, monkeypatch):
    home = project(MINI_MAPPING).home
    code, out, _ = run(["review"], capsys, monkeypatch, home)
    assert code == 0 and SEED not in out
    added = home / "ontology" / "registry" / "added.yaml"
    if added.is_file():  # entries of articles this project lacks: set aside, so the listing below is this article's
        added.unlink()
    run(["add", str(PAGE), "--name", "005_wire"], capsys, monkeypatch, home)
    mapping = home / "mappings" / "005_wire.yaml"
    mapping.write_text((ARTICLES / "wire-ain-al-asad.mapping.yaml").read_text().replace("NAME", "005_wire"))
    code, out, _ = run(["review"], capsys, monkeypatch, home)
    assert code == 0
    assert "005_wire (seeds/005_wire.txt): 2 drafted claim(s), 3 added registry entries" in out
    assert "mappings/005_wire.yaml:4  United States · troopCount · Some 4,000 U.S. troops  [rule troops-in-place, confidence 0.9]" in out
    assert "Ain al-Asad · locatedIn" not in out  # a reviewed line
    assert "ontology/registry/added.yaml:5  example-wire: Example Wire (NewsOrganization)" in out
    code, out, _ = run(["review", "005_wire", "--format", "json"], capsys, monkeypatch, home)
    [item] = json.loads(out)
    assert item["name"] == "005_wire" and [c["rule"] for c in item["claims"]] == ["troops-in-place", "event-start"]
    code, _, err = run(["review", "nope"], capsys, monkeypatch, home)
    assert code == 2 and "no seed named 'nope'" in err
    # the review: delete draft: true, mark the entries reviewed
    mapping.write_text(mapping.read_text().replace("    draft: true\n", ""))
    added.write_text(added.read_text().replace("reviewed: false", "reviewed: true"))
    code, out, _ = run(["review"], capsys, monkeypatch, home)
    assert (code, out.strip()) == (0, "Nothing to review.")
    assert run(["review", "005_wire"], capsys, monkeypatch, home)[:2] == (0, "Nothing to review in 005_wire.\n")


GAZA = """  - about: gaza-war
    property: startDate
    value: last October
    quote: Since the war started in Gaza last October
"""
CLAIMS_OF = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX oirl: <https://w3id.org/oirld/ontology#>
SELECT ?c ?unreviewed WHERE {{ ?c rdf:subject <https://w3id.org/oirld/id/{s}> ; rdf:predicate oirl:{p} .
  BIND (EXISTS {{ ?c a oirl:UnreviewedClaim }} AS ?unreviewed) }}"""


@pytest.mark.anyio
async def test_end_to_end_a_drafted_article_is_published_unreviewed_disputed_and_kept_from_wikidata(project, capsys, monkeypatch):
    from oirld.pipeline import current_version_dir
    from oirld.store import open_store
    from oirld.web import ServeSettings, create_app

    from .conftest import asgi_client

    config = project(MINI_MAPPING + GAZA)
    home = config.home
    # the page says 2025-01-15; the option wins, and puts its troop figure at the same time as seed 000's
    code, _, err = run(["add", str(PAGE), "--name", "005_wire", "--date", "2024-09-27", "--language", "en"], capsys, monkeypatch, home)
    assert code == 0, err
    mapping = home / "mappings" / "005_wire.yaml"
    mapping.write_text((ARTICLES / "wire-ain-al-asad.mapping.yaml").read_text().replace("NAME", "005_wire"))
    monkeypatch.setenv("OIRLD_OUT", str(config.out))
    code, out, err = run(["build", "-q"], capsys, monkeypatch, home)
    assert code == 0, err  # conforms
    db = open_store(current_version_dir(config.out) / "store")
    manifest = json.loads((current_version_dir(config.out) / "manifest.json").read_text())
    assert manifest["drafted"] == [
        {"mapping": "mappings/005_wire.yaml", "line": 4, "rule": "troops-in-place", "confidence": 0.9},
        {"mapping": "mappings/005_wire.yaml", "line": 12, "rule": "event-start", "confidence": 0.8}]
    assert manifest["unreviewed_claims"] >= 1

    troops = {r["c"].value: r["unreviewed"].value == "true" for r in db.query(CLAIMS_OF.format(s="united-states", p="troopCount"))}
    drafted = [c for c, unreviewed in troops.items() if unreviewed]
    assert len(troops) == 2 and len(drafted) == 1  # seed 000's 2,500 (reviewed) and the page's 4,000 (drafted)
    gaza = {r["c"].value: r["unreviewed"].value == "true" for r in db.query(CLAIMS_OF.format(s="gaza-war", p="startDate"))}
    assert list(gaza.values()) == [False]  # one claim, reviewed in 000, drafted in 005: reviewed

    # it takes part in disagreements like any other claim
    code, out, _ = run(["conflicts", "--format", "json", "--kind", "value"], capsys, monkeypatch, home)
    disputes = [d for d in json.loads(out) if d["property"].endswith("#troopCount")]
    assert disputes and drafted[0] in {v["claim"] for v in disputes[0]["values"]}

    # visibly unreviewed on its page, and the reviewed one not
    async with asgi_client(create_app(ServeSettings(home=str(home)), db)) as client:
        page = (await client.get("/doc/claim/" + drafted[0].rsplit("/", 1)[-1], headers={"Accept": "text/html"})).text
        assert "machine-read, not reviewed" in page and "by rule troops-in-place, confidence 0.9" in page
        other = next(c for c in troops if c not in drafted)
        page = (await client.get("/doc/claim/" + other.rsplit("/", 1)[-1], headers={"Accept": "text/html"})).text
        own, others = page.split("What else the sources say", 1)
        assert "machine-read" not in own and "machine-read, not reviewed" in others  # the drafted side, badged
        entity = (await client.get("/doc/id/united-states", headers={"Accept": "text/html"})).text
        assert "machine-read, not reviewed" in entity and "Some 4,000 U.S. troops" in entity

    # out of the QuickStatements: the drafted passage gives no line, the reviewed passage of the same claim does
    code, out, _ = run(["export", "wikidata"], capsys, monkeypatch, home)
    assert "Q122962941\tP580\t+2023-10-00T00:00:00Z/10" in out and "wire.example.org" not in out

    # the review: delete draft: true; the next build publishes the claims as reviewed and exports the passage
    mapping.write_text(mapping.read_text().replace("    draft: true\n", ""))
    assert run(["build", "-q"], capsys, monkeypatch, home)[0] == 0
    db = open_store(current_version_dir(config.out) / "store")
    assert not any(r["unreviewed"].value == "true" for r in db.query(CLAIMS_OF.format(s="united-states", p="troopCount")))
    code, out, _ = run(["export", "wikidata"], capsys, monkeypatch, home)
    assert "Q122962941\tP580\t+2023-10-00T00:00:00Z/10\tS854\t\"https://wire.example.org/" in out


def test_a_legacy_page_without_a_charset_is_read_as_windows_1252(project, capsys, monkeypatch, tmp_path):
    home = project(MINI_MAPPING).home
    body = " ".join(["U.S. troops left Aïn al-Asad, the Pentagon’s spokesman said on Tuesday, and Iraqi forces took it over."] * 8)
    page = tmp_path / "legacy.html"
    page.write_bytes(f"<html><body><article><p>{body}</p></article></body></html>".encode("cp1252"))
    code, _, err = run(["add", str(page), "--name", "legacy", "--language", "en"], capsys, monkeypatch, home)
    assert code == 0, err
    assert "Aïn al-Asad, the Pentagon’s spokesman" in (home / "seeds" / "legacy.txt").read_text(encoding="utf-8")
