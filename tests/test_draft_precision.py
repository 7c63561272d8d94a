"""Misreadings of real-style text, each at the grammar behind it (issue 10, precision): unknown beats wrong."""

from __future__ import annotations

from pathlib import Path

import yaml

from oirld.draft import draft_seed
from oirld.draft.names import NameIndex
from oirld.seeds import load_seed

from .conftest import SEED, make_project


def _draft(tmp_path: Path, world, body: str, corpus=None) -> list[dict]:
    home = make_project(tmp_path / "p", seeds=())
    (home / "seeds" / "x.txt").write_text("A headline\n\n" + body + "\n", encoding="utf-8")
    (home / "seeds" / "x.meta.yaml").write_text(
        "title: {value: T, determined_by: stated-in-text, evidence: first line}\npublisher: {value: null, determined_by: unknown}\n"
        "authors: {value: null, determined_by: unknown}\nlanguage: {value: en, determined_by: given, evidence: test}\n"
        "date_published: {value: '2025-01-15', determined_by: given, evidence: test}\nurl: {value: null, determined_by: unknown}\n",
        encoding="utf-8")
    draft = draft_seed(load_seed(home / "seeds" / "x.txt"), *world, "mappings/x.yaml", corpus)
    return yaml.safe_load(draft.text).get("claims") or []


def test_an_organisation_after_a_rank_word_is_no_person_with_that_title(tmp_path, world):
    claims = _draft(tmp_path, world, "A senior Kataib Hezbollah commander said the group would keep its weapons for now. "
                                     "A senior Harakat al-Nujaba official told reporters the truce would hold.")
    assert not any(c["property"] == "jobTitle" for c in claims), claims
    assert not any(c["about"].startswith(("kataib", "harakat")) for c in claims), claims


def test_a_qualifying_word_in_an_organisations_name_is_no_job_title(tmp_path, world):
    claims = _draft(tmp_path, world, "Seven soldiers were wounded in the attack, according to the Security Media Cell. "
                                     "The National Operations Command said the road was reopened on Monday.")
    assert not any(c["property"] == "jobTitle" for c in claims), claims


def test_a_title_with_its_head_still_reads(tmp_path, world):
    claims = _draft(tmp_path, world, "Defense Minister Thabit al-Abbasi said the army was ready to secure the bases.")
    assert {(c["about"], c["value"]) for c in claims if c["property"] == "jobTitle"} == {("thabit-al-abbasi", "Defense Minister")}


def test_a_state_ending_a_longer_name_is_not_the_speaker(tmp_path, world):
    claims = _draft(tmp_path, world, "The Islamic Resistance in Iraq says its fighters struck a base in Syria with drones. "
                                     "Iraq says the coalition will leave by September 2025.")
    said = [c for c in claims if c["property"] == "said"]
    assert not any("its fighters" in c["value"] for c in said), said
    assert any("coalition will leave" in c["value"] for c in said)  # the state alone still speaks


def test_an_unnamed_official_of_another_article_is_someone_else(tmp_path, world, curated):
    corpus = [c for c in curated.claims if any(e.anchor.source == SEED for e in c.evidence)]
    assert any(c.subject == "us-defense-official" for c in corpus)  # the curated article quotes its own official
    claims = _draft(tmp_path, world, "A senior U.S. defense official said the troops would leave Ain al-Asad by September.",
                    corpus)
    said = [c for c in claims if c["property"] == "said"]
    assert said and all(c["about"] != "us-defense-official" for c in said), said


def test_a_placeless_description_is_no_registry_place(world):
    index = NameIndex(world[1])
    assert index.lookup("the border") is None and index.lookup("the region") is None
    assert index.lookup("the Iraqi-Syrian border") is not None  # a description naming its place still resolves
    assert index.lookup("the coalition") is not None  # and standing actors keep their descriptions


def test_a_body_named_by_its_kind_still_speaks(tmp_path, world):
    """With "Security" no title, "the Security Media Cell" is a body by its last word, and what it said is read."""
    claims = _draft(tmp_path, world, "Two rockets struck near Baghdad airport late on Friday, the Security Media Cell said.")
    assert {c["about"] for c in claims if c["property"] == "said"} == {"security-media-cell"}


def test_the_subject_of_a_main_clause_does_not_make_the_move_of_a_subordinate_one(tmp_path, world):
    claims = _draft(tmp_path, world, "The Iraqi army took over Ain al-Asad air base on Tuesday after U.S. forces "
                                     "relocated to Harir air base in the Kurdistan region.")
    doers = {c["value"] for c in claims if c["property"] == "carriedOutBy"}
    assert "U.S. forces" in doers and not any("army" in d for d in doers), claims


def test_a_place_in_a_province_named_like_a_city_is_not_in_the_city(tmp_path, world):
    claims = _draft(tmp_path, world, "The coalition will keep advisers at Harir base in Erbil province until September 2026.")
    assert not any(c["property"] == "locatedIn" and c["value"].lower() == "erbil" for c in claims), claims
    claims = _draft(tmp_path / "city", world, "The coalition will keep advisers at Harir base in Erbil until September 2026.")
    assert any(c["property"] == "locatedIn" and c["value"].lower() == "erbil" for c in claims), claims


def test_when_it_was_said_is_no_part_of_what_was_said(tmp_path, world):
    claims = _draft(tmp_path, world, "Abu Fadak al-Mohammedawi, chief of staff of the Popular Mobilization Forces, said last "
                                     "week that the factions would not attack while talks were underway.")
    said = [c["value"] for c in claims if c["property"] == "said"]
    assert said == ["the factions would not attack while talks were underway"], said


def test_a_body_every_state_has_keeps_its_owner(tmp_path, world):
    """"Iraq's Foreign Ministry" and "Iran's Foreign Ministry" are two bodies, not one "Foreign Ministry"."""
    claims = _draft(tmp_path, world, "Iraq's Foreign Ministry said the attack served only those who want chaos in Iraq. "
                                     "Iran's Foreign Ministry said the decision was welcome and long overdue.")
    speakers = [c["about"] for c in claims if c["property"] == "said"]
    assert len(speakers) == 2 and len(set(speakers)) == 2 and all("iraq" in k or "iran" in k for k in speakers), speakers
