"""`oirld draft` runs the SHACL shapes on the draft before writing it: a draft the build would refuse is refused, with
the shape's message and where to fix it, exit code 1, and nothing written (no mapping, no registry entry)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oirld.cli import main
from oirld.draft import draft_seed
from oirld.ontology import load_ontology
from oirld.registry import load_registry
from oirld.seeds import load_seed

from .drafting import draft_project, snapshot


def _draft(home: Path, capsys, monkeypatch) -> tuple[int, str]:
    monkeypatch.setenv("OIRLD_HOME", str(home))
    with pytest.raises(SystemExit) as exit_:
        main(["draft", "wire_anbar"])
    return exit_.value.code, capsys.readouterr().err


def test_a_registry_entry_no_article_used_yet_breaks_a_shape_once_the_draft_uses_it(tmp_path, capsys, monkeypatch):
    # a base also typed a region: the registry loads it and no mapping uses it, so the build passes until a claim
    # names it; the draft names it (the article's "Ain al-Assad air base") and oirsh:Region would refuse the build
    home = draft_project(tmp_path / "p", "wire_anbar")
    places = home / "ontology" / "registry" / "places.yaml"
    text = places.read_text(encoding="utf-8")
    broken = text.replace("label: Ain al-Asad Air Base\n    types: [MilitaryBase]",
                          "label: Ain al-Asad Air Base\n    types: [MilitaryBase, Region]")
    assert broken != text
    places.write_text(broken, encoding="utf-8")
    before = snapshot(home)
    code, err = _draft(home, capsys, monkeypatch)
    assert code == 1
    assert "the draft would not validate, so nothing was written" in err
    assert "A region is not a base" in err and "Ain al-Asad Air Base" in err
    assert snapshot(home) == before  # no mapping, no added.yaml
    # the line named is a drafted claim that names the base, in the mapping the draft would have written
    line = int(re.search(r"mappings/wire_anbar\.yaml:(\d+):", err).group(1))
    ontology = load_ontology(home / "ontology" / "oirld.ttl")
    registry = load_registry(home / "ontology" / "registry", ontology.classes)
    would = draft_seed(load_seed(home / "seeds" / "wire_anbar.txt"), ontology, registry, "mappings/wire_anbar.yaml")
    lines = would.text.splitlines()
    claim = [lines[line - 1]]
    for follow in lines[line:]:
        if follow.startswith("  - ") or not follow.startswith("    "):
            break
        claim.append(follow)
    assert lines[line - 1].startswith("  - ") and "al-asad-airbase" in "\n".join(claim)


def test_the_same_project_with_the_registry_as_it_is_drafts(tmp_path, capsys, monkeypatch):
    home = draft_project(tmp_path / "p", "wire_anbar")
    code, err = _draft(home, capsys, monkeypatch)
    assert code == 0, err
    assert (home / "mappings" / "wire_anbar.yaml").is_file()


def test_seed_metadata_that_breaks_a_per_article_shape_names_the_metadata_file(tmp_path, capsys, monkeypatch):
    # "EN" passes the drafter's English check (case-insensitive) but not the shape's BCP 47 pattern (lower case)
    home = draft_project(tmp_path / "p", "wire_anbar")
    meta = home / "seeds" / "wire_anbar.meta.yaml"
    text = meta.read_text(encoding="utf-8")
    assert "  value: en\n" in text
    meta.write_text(text.replace("  value: en\n", "  value: EN\n"), encoding="utf-8")
    before = snapshot(home)
    code, err = _draft(home, capsys, monkeypatch)
    assert code == 1
    assert "seeds/wire_anbar.meta.yaml: the draft would not validate" in err
    assert "one BCP 47 tag" in err and "(shape NewsArticle)" in err
    assert snapshot(home) == before
