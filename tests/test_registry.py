import pytest

from oirld.errors import DataError, Location
from oirld.ontology import load_ontology
from oirld.registry import load_registry, normalize_name

from .conftest import ROOT

HERE = Location("test")


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "ontology" / "registry", load_ontology(ROOT / "ontology" / "oirld.ttl").classes)


@pytest.mark.parametrize("name, key", [
    ("ISIS", "islamic-state"), ("Islamic State", "islamic-state"), ("Daech", "islamic-state"),
    ("Harir", None), ("Hareer base", "harir-air-base"), ("Harir Air Base", "harir-air-base"),
    ("Mohamed Shia al-Sudani", "mohammed-shia-al-sudani"), ("Mohammed Shia al-Sudani", "mohammed-shia-al-sudani"),
    ("Central Command", "centcom"), ("CENTCOM", "centcom"),
    ("Combined Joint Task Force — Operation Inherent Resolve", "oir"),
    ("Combined Joint Task Force – Operation Inherent Resolve", "oir"),
    ("the coalition’s mission against ISIS", "oir"),
])
def test_aliases_the_articles_use_resolve_to_one_entity(registry, name, key):
    if key is None:
        with pytest.raises(DataError):
            registry.resolve(name, HERE)
    else:
        assert registry.resolve(name, HERE).key == key


def test_normalisation_folds_case_accents_quotes_and_dashes():
    assert normalize_name("The  Coalition’s  Mission") == normalize_name("coalition's mission")
    assert normalize_name("Hewlêr") == "hewler"


def test_unknown_name_suggests_close_ones(registry):
    with pytest.raises(DataError) as err:
        registry.resolve("Hareer bse", Location("mappings/x.yaml", 7))
    assert "mappings/x.yaml:7" in str(err.value)
    assert "hareer base" in err.value.hint


def _write(tmp_path, body):
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "a.yaml").write_text(body, encoding="utf-8")
    return folder


def test_a_name_shared_by_two_entities_is_refused(tmp_path):
    folder = _write(tmp_path, "entities:\n  a:\n    label: Baghdad\n    types: [City]\n  b:\n    label: Iraq\n    types: [State]\n    aliases: [Baghdad]\n")
    with pytest.raises(DataError, match="belongs to two entities"):
        load_registry(folder)


def test_wikidata_in_the_registry_points_to_the_sssom_file(tmp_path):
    folder = _write(tmp_path, "entities:\n  a:\n    label: A\n    types: [City]\n    wikidata: {qid: Q42}\n")
    with pytest.raises(DataError) as err:
        load_registry(folder)
    assert "wikidata.sssom.tsv" in err.value.hint


def test_unknown_type_is_refused(tmp_path):
    folder = _write(tmp_path, "entities:\n  a:\n    label: A\n    types: [Cty]\n")
    with pytest.raises(DataError, match="does not define"):
        load_registry(folder, {"City", "State"})
