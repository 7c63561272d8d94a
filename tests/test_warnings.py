"""A shape rule of severity sh:Warning is reported but does not refuse the build; a violation still does."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from oirld.cli import main
from oirld.errors import NonConformingData
from oirld.pipeline import build, current_version_dir

from .conftest import ROOT

#: an article whose mapping names Baghdad International Airport; its registry entry loses its coordinates, which
#: breaks only oirsh:Airport's rule of severity sh:Warning
ARTICLE = "001_2f6905f1a8d1b6b7"
AIRPORT = "baghdad-international-airport"
WARNING = "An airport's location is public"


def _airport_without_coordinates(project):
    cfg = project(None, seeds=(ARTICLE,))
    shutil.copy(ROOT / "mappings" / f"{ARTICLE}.yaml", cfg.mappings_dir / f"{ARTICLE}.yaml")
    places = cfg.ontology_dir / "registry" / "places.yaml"
    doc = yaml.safe_load(places.read_text(encoding="utf-8"))
    del doc["entities"][AIRPORT]["coordinates"]
    places.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return cfg


def _exits_ok(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0


def test_a_warning_is_reported_and_the_build_still_publishes(project, monkeypatch, capsys):
    cfg = _airport_without_coordinates(project)
    monkeypatch.setenv("OIRLD_HOME", str(cfg.home))
    _exits_ok(["build", "--out", str(cfg.out), "-q"])
    published = current_version_dir(cfg.out)
    assert published is not None and (published / "store").is_dir()
    err = capsys.readouterr().err
    assert "warning: oirsh:Airport: Baghdad International Airport" in err and WARNING in err
    report = (published / "validation-report.txt").read_text(encoding="utf-8")
    assert report.startswith("Conforms:") and "1 warning(s)" in report and f"(warning): {WARNING}" in report
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    assert any(WARNING in w for w in manifest["warnings"])


def test_validate_exits_0_with_only_a_warning(project, monkeypatch, capsys):
    cfg = _airport_without_coordinates(project)
    monkeypatch.setenv("OIRLD_HOME", str(cfg.home))
    _exits_ok(["validate", "-q"])
    out = capsys.readouterr().out
    assert out.startswith("Conforms:") and WARNING in out


def test_a_violation_beside_a_warning_still_refuses(project):
    # a state that is also a person breaks oirsh:State (a violation); the airport still only warns
    cfg = _airport_without_coordinates(project)
    actors = cfg.ontology_dir / "registry" / "actors.yaml"
    doc = yaml.safe_load(actors.read_text(encoding="utf-8"))
    doc["entities"]["united-states"]["types"] = ["State", "Person"]
    actors.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(NonConformingData) as refused:
        build(cfg)
    assert current_version_dir(cfg.out) is None
    report = refused.value.report
    assert report.startswith("Does not conform:") and "and 1 warning(s)." in report
    assert "A state cannot also be a person" in report and f"(warning): {WARNING}" in report
