"""The reviewed SSSOM file of Wikidata links: every exact match verified, and bad rows refused with their line."""

import pytest

from oirld.errors import DataError
from oirld.links import NO_TERM, load_links

from .conftest import ROOT

SSSOM = ROOT / "mappings" / "wikidata.sssom.tsv"
HEADER = "# mapping_set_id: https://example.org/m\nsubject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tcreator_label\tsee_also\tcomment\n"
ROW = "oirld:{key}\t{key}\tskos:exactMatch\t{obj}\t\tsemapv:ManualMappingCuration\ttester\t{see}\t{comment}\n"


def write(tmp_path, *rows):
    path = tmp_path / "links.sssom.tsv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_the_real_file_loads_and_every_link_has_its_record():
    from oirld.registry import load_registry

    reg = load_registry(ROOT / "ontology" / "registry")
    links, meta = load_links(SSSOM, set(reg.entities))
    assert meta["license"].startswith("https://creativecommons.org/")
    assert len(links) >= 20 and all(l.see_also and l.comment for l in links)
    rows = [ln for ln in SSSOM.read_text().splitlines() if ln.startswith("oirld:")]
    keys = [r.split("\t", 1)[0].removeprefix("oirld:") for r in rows]
    # every entity written by hand has a row (a link, or NoTermFound saying so); one that `oirld add` or `oirld draft`
    # added may have none until someone checks it against Wikidata
    assert {k for k, e in reg.entities.items() if e.added is None} <= set(keys) <= set(reg.entities)
    assert sum(NO_TERM in r for r in rows) == len(rows) - len(links)


def test_malformed_qid_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, ROW.format(key="iraq", obj="wd:Q79x6", see="r", comment="c"))
    with pytest.raises(DataError) as err:
        load_links(path)
    assert f"{path}:3" in str(err.value) and "not a Wikidata item" in str(err.value)


def test_one_item_for_two_entities_is_refused(tmp_path):
    path = write(tmp_path, ROW.format(key="iraq", obj="wd:Q796", see="r", comment="c"),
                 ROW.format(key="baghdad", obj="wd:Q796", see="r", comment="c"))
    with pytest.raises(DataError, match="exact match of two entities"):
        load_links(path)


def test_an_entity_mapped_twice_is_refused(tmp_path):
    path = write(tmp_path, ROW.format(key="iraq", obj="wd:Q796", see="r", comment="c"),
                 ROW.format(key="iraq", obj=NO_TERM, see="", comment="c"))
    with pytest.raises(DataError, match="mapped twice"):
        load_links(path)


def test_a_link_without_its_verification_record_is_refused(tmp_path):
    path = write(tmp_path, ROW.format(key="iraq", obj="wd:Q796", see="", comment=""))
    with pytest.raises(DataError, match="no verification record"):
        load_links(path)


def test_unknown_subject_is_refused(tmp_path):
    path = write(tmp_path, ROW.format(key="atlantis", obj=NO_TERM, see="", comment="c"))
    with pytest.raises(DataError, match="not in the registry"):
        load_links(path, {"iraq"})


def test_no_term_found_publishes_no_link(tmp_path):
    links, _ = load_links(write(tmp_path, ROW.format(key="iraq", obj=NO_TERM, see="", comment="not verified")))
    assert links == []
