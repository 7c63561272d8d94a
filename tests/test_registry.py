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


def _copy_registry(tmp_path):
    """The hand-written registry files (the live added.yaml, if any, left out: these tests write their own)."""
    import shutil

    folder = tmp_path / "registry"
    shutil.copytree(ROOT / "ontology" / "registry", folder, ignore=shutil.ignore_patterns("added.yaml"))
    return folder


def test_add_entities_appends_to_its_own_file_and_leaves_hand_written_files_alone(tmp_path):
    import datetime as dt

    from oirld.registry import NewEntry, add_entities

    folder = _copy_registry(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    classes = load_ontology(ROOT / "ontology" / "oirld.ttl").classes
    path = add_entities(folder, [NewEntry("al-monitor", "Al-Monitor", ("NewsOrganization",), ("Al Monitor",), note="publisher")],
                        classes, today=dt.date(2026, 12, 2))
    add_entities(folder, [NewEntry("jane-roe", "Jane Roe: reporter #1", ("Person",), by="oirld draft")], classes)
    assert path.name == "added.yaml" and path.read_text().startswith("# Entries added by oirld add")
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml") if p.name != "added.yaml"} == before
    reg = load_registry(folder, classes)
    assert reg.resolve("Al Monitor", HERE).key == "al-monitor"
    added = reg["al-monitor"].added
    assert added is not None and (added.by, added.date, added.reviewed, added.note) == ("oirld add", "2026-12-02", False, "publisher")
    assert reg["al-monitor"].unreviewed and reg["jane-roe"].label == "Jane Roe: reporter #1"
    assert not reg["iraq"].unreviewed
    path.write_text(path.read_text().replace("reviewed: false, note: publisher", "reviewed: true, note: publisher"))
    assert not load_registry(folder)["al-monitor"].unreviewed


@pytest.mark.parametrize("entry, message", [
    (("iraq", "Iraq the Second", ("State",)), "already in the registry"),
    (("pentagon-2", "the pentagon", ("GovernmentBody",)), "already belongs to us-dod"),
    (("new-one", "Brand New", ("Person",), ("Hareer base",)), "already belongs to harir-air-base"),
    (("Bad Key", "Bad", ("Person",)), "lower-case words"),
    (("no-type", "No type", ("Spaceship",)), "does not define"),
])
def test_add_entities_refuses_existing_keys_and_names_and_writes_nothing(tmp_path, entry, message):
    from oirld.registry import NewEntry, add_entities

    folder = _copy_registry(tmp_path)
    classes = load_ontology(ROOT / "ontology" / "oirld.ttl").classes
    ok = NewEntry("fine-entry", "Fine Entry", ("Person",))
    with pytest.raises(DataError, match=message):
        add_entities(folder, [ok, NewEntry(*entry)], classes)
    assert not (folder / "added.yaml").exists()


def test_a_bad_added_record_is_refused_with_its_line(tmp_path):
    folder = _copy_registry(tmp_path)
    (folder / "added.yaml").write_text("entities:\n  x-y:\n    label: X\n    types: [Person]\n    added: {by: me, date: '2026-12-02'}\n")
    with pytest.raises(DataError) as err:
        load_registry(folder)
    assert "added.yaml:2" in str(err.value) and "added by 'me'" in str(err.value)


def test_entity_key_is_unique_and_well_formed():
    from oirld.registry import entity_key

    assert entity_key("Hewlêr Air Base") == "hewler-air-base"
    assert entity_key("Al-Monitor", {"al-monitor"}) == "al-monitor-2"
    assert entity_key("“”") == "entity"


def test_find_takes_a_key_or_a_folded_name(registry):
    assert registry.find("harir-air-base").key == registry.find("the HAREER base").key == "harir-air-base"
    assert registry.find("Atlantis") is None
