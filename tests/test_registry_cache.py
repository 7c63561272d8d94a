"""The registry a build keeps parsed (oirld.registrycache): read from the cache only while its files are unchanged,
equal to a fresh parse, and never hiding a broken registry's error (file and line)."""

from __future__ import annotations

import shutil

import pytest

from oirld import registrycache
from oirld.errors import DataError
from oirld.ontology import load_ontology
from oirld.registry import load_registry
from oirld.registrycache import REGISTRY_FILE, cached_registry

from .conftest import ROOT

CLASSES = load_ontology(ROOT / "ontology" / "oirld.ttl").classes


def _same(a, b) -> None:
    assert a.entities.keys() == b.entities.keys()
    for key, ent in a.entities.items():
        other = b.entities[key]
        assert (ent.label, ent.types, ent.aliases, ent.description, str(ent.where), ent.lat, ent.lon, ent.added) == \
            (other.label, other.types, other.aliases, other.description, str(other.where), other.lat, other.lon, other.added)
    assert a._by_name == b._by_name


@pytest.fixture
def folder(tmp_path):
    dest = tmp_path / "registry"
    shutil.copytree(ROOT / "ontology" / "registry", dest)
    return dest


def _parses(monkeypatch) -> list[int]:
    calls = [0]
    real = registrycache.load_registry

    def counted(*args):
        calls[0] += 1
        return real(*args)

    monkeypatch.setattr(registrycache, "load_registry", counted)
    return calls


def test_an_unchanged_registry_is_read_from_the_cache_and_equals_a_fresh_parse(folder, tmp_path, monkeypatch):
    calls = _parses(monkeypatch)
    cache = tmp_path / "cache"
    first = cached_registry(folder, CLASSES, cache)
    assert calls[0] == 1 and (cache / REGISTRY_FILE).is_file()
    again = cached_registry(folder, CLASSES, cache)
    assert calls[0] == 1, "an unchanged registry was parsed again"
    _same(again, load_registry(folder, CLASSES))
    _same(first, again)


def test_a_changed_registry_is_parsed_again(folder, tmp_path, monkeypatch):
    calls = _parses(monkeypatch)
    cache = tmp_path / "cache"
    cached_registry(folder, CLASSES, cache)
    kind = next(iter(load_registry(folder, CLASSES).entities.values())).types[0]
    path = sorted(folder.glob("*.yaml"))[-1]
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + f"\n  test-added-key:\n    label: A Thing The Test Added\n    types: [{kind}]\n", encoding="utf-8")
    got = cached_registry(folder, CLASSES, cache)
    assert calls[0] == 2
    assert got["test-added-key"].label == "A Thing The Test Added"
    _same(got, load_registry(folder, CLASSES))
    # the classes the ontology defines count too: a type the ontology drops is reported, not read from the cache
    with pytest.raises(DataError):
        cached_registry(folder, CLASSES - {kind}, cache)


def test_a_broken_registry_reports_file_and_line_every_time_and_is_not_kept(folder, tmp_path):
    cache = tmp_path / "cache"
    cached_registry(folder, CLASSES, cache)
    kept = (cache / REGISTRY_FILE).read_bytes()
    bad = folder / "zz-bad.yaml"
    bad.write_text("entities:\n  fine-key:\n    label: A\n    types: [Person]\n  Bad Key:\n    label: B\n    types: [Person]\n",
                   encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError) as err:
            cached_registry(folder, CLASSES, cache)
        assert str(err.value.where) == f"{bad}:5"
    assert (cache / REGISTRY_FILE).read_bytes() == kept
    bad.unlink()
    cached_registry(folder, CLASSES, cache)  # fixed: read again from the kept file
