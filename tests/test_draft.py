"""`oirld draft`: each extraction rule on sentences written for it, then the command end to end on test articles
(tests/fixtures/draft/: wire copy with a dateline, a Kurdish outlet's spellings, an article about something else)."""

from __future__ import annotations

import pytest
import yaml

from oirld.cli import main
from oirld.config import Config
from oirld.draft import draft_seed
from oirld.draft.text import split_sentences
from oirld.pipeline import build

from .drafting import FIXTURES, draft_project, draft_text, of, write_seed


# --- sentences ---------------------------------------------------------------------------------------------------

def test_sentences_keep_abbreviations_and_drop_the_dateline():
    text = "WASHINGTON (AP) — U.S. troops left Jan. 5 from the base. Gen. Smith said so.\nNext paragraph."
    got = [s.text for s in split_sentences(text)]
    assert got == ["U.S. troops left Jan. 5 from the base.", "Gen. Smith said so.", "Next paragraph."]
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


# --- who said what, titles -----------------------------------------------------------------------------------------

def test_direct_quote_with_a_new_speaker_and_title(tmp_path, world):
    draft, claims, compiled = draft_text(tmp_path, world, "“We are ready to hand over the base,” said Yahya Rasool, "
                                         "a spokesman for the Iraqi armed forces.")
    said = of(compiled, "said")
    assert [(c.subject, c.value.text) for c in said] == [("yahya-rasool", "We are ready to hand over the base,")]
    assert dict(said[0].qualifiers)["statementKind"].entity == "DirectQuote"
    assert [c.value.text for c in of(compiled, "jobTitle")] == ["spokesman for the Iraqi armed forces"]
    assert [(e.key, e.types, e.aliases) for e in draft.new_entities] == [("yahya-rasool", ("Person",), ("Rasool",))]
    assert all(c["draft"] is True and 0 < c["confidence"] <= 1 and c["rule"] for c in claims)


def test_paraphrase_and_a_pronoun_take_the_speaker_before(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Sean Parnell said the mission in Iraq would change next year.\n"
                                "He added that Iraq would take over the remaining bases.")
    said = of(compiled, "said")
    assert [(c.subject, c.value.text) for c in said] == [
        ("sean-parnell", "the mission in Iraq would change next year"),
        ("sean-parnell", "Iraq would take over the remaining bases")]
    assert {dict(c.qualifiers)["statementKind"].entity for c in said} == {"Paraphrase"}


def test_a_quotation_nobody_named_said_is_a_suggestion(tmp_path, world):
    draft, claims, _ = draft_text(tmp_path, world, "“It is time to go home,” an official said. "
                                  "Sean Parnell said the bases would close soon in Iraq.")
    assert [c["about"] for c in claims if c["property"] == "said"] == ["Sean Parnell"]
    assert "# suggestion" in draft.text and "It is time to go home" in draft.text


def test_title_before_a_name_spelled_another_way(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "Iraqi Prime Minister Mohamed Shia al-Soudani met the delegation.")
    assert [(c.subject, c.value.text) for c in of(compiled, "jobTitle")] == [
        ("mohammed-shia-al-sudani", "Iraqi Prime Minister")]
    assert draft.new_entities == []


# --- troops ----------------------------------------------------------------------------------------------------------

def test_troop_count_with_approximation_place_and_time(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Fewer than 2,000 U.S. troops are in Syria.")
    (c,) = of(compiled, "troopCount")
    q = dict(c.qualifiers)
    assert (c.subject, c.value.quantity.approximation, c.value.quantity.amount) == ("united-states", "less-than", 2000)
    assert q["location"].entity == "syria" and str(q["asOf"].time.earliest) == "2024-09-27"


def test_a_past_troop_count_with_no_time_is_not_claimed(tmp_path, world):
    draft, claims, _ = draft_text(tmp_path, world, "Some 5,000 U.S. troops were in Iraq.")
    assert claims == [] and "no time it holds for" in draft.text


def test_peak_troop_count(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "At the height of the war, more than 160,000 American troops were in Iraq.")
    assert [(c.subject, c.value.quantity.approximation) for c in of(compiled, "peakTroopCount")] == [
        ("united-states", "more-than")]
    assert of(compiled, "troopCount") == []


# --- attacks, mission, actors, places ------------------------------------------------------------------------------

def test_attack_with_casualties_place_and_date(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "A drone attack on a base in Jordan killed three U.S. soldiers on Sunday.",
                                    date="2024-01-30")
    (killed,) = of(compiled, "killedCount")
    assert killed.value.quantity.amount == 3 and dict(killed.qualifiers)["victim"].entity == "united-states"
    assert [e.types for e in draft.new_entities] == [("Attack",)]
    assert {c.subject for c in compiled} == {draft.new_entities[0].key}
    assert [str(c.value.time.earliest) for c in of(compiled, "date")] == ["2024-01-28"]
    assert [c.value.entity for c in of(compiled, "location")] == ["jordan"]


def test_killed_in_an_attack_nobody_named_is_a_suggestion(tmp_path, world):
    draft, claims, _ = draft_text(tmp_path, world, "Two soldiers were killed in the attack.")
    assert claims == [] and "# suggestion" in draft.text


def test_mission_end_and_start(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Operation Inherent Resolve will end by September 2026.\n"
                                "The U.S.-led coalition was formed in 2014 to fight Da'ish.")
    assert [(c.subject, str(c.value.time.latest)) for c in of(compiled, "endDate")] == [("oir", "2026-09-30")]
    assert [(c.subject, c.value.time.earliest.year) for c in of(compiled, "startDate")] == [("coalition", 2014)]
    assert [(c.subject, c.value.entity) for c in of(compiled, "ledBy")] == [("coalition", "united-states")]
    assert [(c.subject, c.value.entity) for c in of(compiled, "opponent")] == [("coalition", "islamic-state")]


def test_backed_by_and_located_in(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Iran-backed militias fired rockets at Ain al-Assad air base in Anbar.")
    assert [(c.subject, c.value.entity) for c in of(compiled, "backedBy")] == [("iran-backed-militias", "iran")]
    assert [(c.subject, c.value.entity) for c in of(compiled, "locatedIn")] == [("al-asad-airbase", "anbar")]


def test_descriptions_name_no_person_or_event(tmp_path, world):
    _, claims, _ = draft_text(tmp_path, world, "The official said the agreement was signed after long talks in the capital.")
    assert claims == []


def test_another_language_is_refused(tmp_path, world):
    from oirld.errors import DataError

    with pytest.raises(DataError, match="English only"):
        draft_seed(write_seed(tmp_path, "Le retrait des troupes américaines.", lang="fr"), *world, "mappings/t.yaml")


def test_drafting_is_deterministic(tmp_path, world):
    text = (FIXTURES / "wire_anbar.txt").read_text(encoding="utf-8")
    a = draft_text(tmp_path / "a", world, text, date="2025-01-15") if (tmp_path / "a").mkdir() is None else None
    b = draft_text(tmp_path / "b", world, text, date="2025-01-15") if (tmp_path / "b").mkdir() is None else None
    assert a[0].text == b[0].text and a[0].new_entities == b[0].new_entities


# --- the command -------------------------------------------------------------------------------------------------

def _run(args, capsys, monkeypatch, home):
    monkeypatch.setenv("OIRLD_HOME", str(home))
    with pytest.raises(SystemExit) as exit_:
        main(args)
    out = capsys.readouterr()
    return exit_.value.code, out.out, out.err


def test_draft_then_build_conforms_with_no_hand_edits(tmp_path, capsys, monkeypatch):
    home = draft_project(tmp_path / "p", "wire_anbar", "kurdish_outlet")
    for name in ("wire_anbar", "kurdish_outlet"):
        code, out, err = _run(["draft", name], capsys, monkeypatch, home)
        assert code == 0, err
        assert "drafted" in out
    added = yaml.safe_load((home / "ontology" / "registry" / "added.yaml").read_text(encoding="utf-8"))["entities"]
    assert {"yahya-rasool", "karwan-aziz"} <= set(added)
    assert all(e["added"]["by"] == "oirld draft" and e["added"]["reviewed"] is False for e in added.values())
    assert added["yahya-rasool"]["added"]["source"] == "wire_anbar"  # oirld review lists it under its article
    for name in ("wire_anbar", "kurdish_outlet"):
        doc = yaml.safe_load((home / "mappings" / f"{name}.yaml").read_text(encoding="utf-8"))
        assert doc["claims"] and all(c["draft"] is True for c in doc["claims"])
    result = build(Config(home=home, out=tmp_path / "out"))
    assert result.claims > 10


def test_draft_twice_gives_the_same_files(tmp_path, capsys, monkeypatch):
    texts = []
    for copy in ("a", "b"):
        home = draft_project(tmp_path / copy, "wire_anbar")
        assert _run(["draft", "wire_anbar"], capsys, monkeypatch, home)[0] == 0
        texts.append(((home / "mappings" / "wire_anbar.yaml").read_text(encoding="utf-8"),
                      (home / "ontology" / "registry" / "added.yaml").read_text(encoding="utf-8")))
    assert texts[0] == texts[1]


def test_refusals_write_nothing(tmp_path, capsys, monkeypatch):
    home = draft_project(tmp_path / "p", "off_topic", "wire_anbar")
    registry_before = sorted(p.name for p in (home / "ontology" / "registry").iterdir())
    code, _, err = _run(["draft", "off_topic"], capsys, monkeypatch, home)
    assert code == 1 and "no claims found in off_topic.txt" in err
    assert not (home / "mappings" / "off_topic.yaml").exists()
    assert sorted(p.name for p in (home / "ontology" / "registry").iterdir()) == registry_before
    code, _, err = _run(["draft", "no_such_article"], capsys, monkeypatch, home)
    assert code == 2 and "no article" in err
    (home / "mappings" / "wire_anbar.yaml").write_text("# mine\n", encoding="utf-8")
    code, _, err = _run(["draft", "wire_anbar"], capsys, monkeypatch, home)
    assert code == 2 and "--force" in err
    assert (home / "mappings" / "wire_anbar.yaml").read_text(encoding="utf-8") == "# mine\n"
    code, _, _ = _run(["draft", "wire_anbar", "--force"], capsys, monkeypatch, home)
    assert code == 0 and "draft: true" in (home / "mappings" / "wire_anbar.yaml").read_text(encoding="utf-8")


def test_meeting_and_announcement(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "President Joe Biden met with Prime Minister Mohammed Shia al-Sudani in April.\n"
                                    "The American and Iraqi governments announced Friday the end of Operation Inherent Resolve.")
    # the meeting's label, made from its participants and month, is the registry's: it is that meeting
    assert {c.value.entity for c in compiled if c.subject == "biden-sudani-meeting" and c.prop == "participant"} == {
        "joe-biden", "mohammed-shia-al-sudani"}
    (announcement,) = draft.new_entities
    assert announcement.types == ("Announcement",)
    assert {c.value.entity for c in compiled if c.subject == announcement.key and c.prop == "announcedBy"} == {"united-states", "iraq"}
    assert [str(c.value.time.earliest) for c in compiled if c.subject == announcement.key and c.prop == "date"] == ["2024-09-27"]
    assert [c.value.entity for c in compiled if c.subject == announcement.key and c.prop == "about"] == ["oir"]


def test_an_announcement_with_no_date_and_no_known_event_is_left_out(tmp_path, world):
    _, claims, _ = draft_text(tmp_path, world, "The Pentagon announced a review of its bases.")
    assert [c for c in claims if c["property"] == "announcedBy"] == []


def test_stance_verbs_and_a_speaker_in_apposition(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Iraqi officials have called for the withdrawal of coalition forces.\n"
                                "Hussein Allawi, security advisor to Prime Minister Mohammed Shia al-Sudani, said Iraq "
                                "wants a lasting partnership with Washington.")
    said = sorted((c.subject, c.value.text) for c in of(compiled, "said"))
    assert said == [("hussein-allawi", "Iraq wants a lasting partnership with Washington"),
                    ("iraqi-officials", "called for the withdrawal of coalition forces")]


def test_phases_their_operation_number_and_dates(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Operation Inherent Resolve will end in two phases. The second phase will "
                                "continue from September 2025 until the end of 2026, officials said.")
    assert [(c.subject, c.value.number) for c in of(compiled, "phaseNumber")] == [("oir-phase-2", 2)]
    assert [(c.subject, c.value.entity) for c in of(compiled, "phaseOf")] == [("oir-phase-2", "oir")]
    assert [str(c.value.time.earliest) for c in of(compiled, "startDate")] == ["2025-09-01"]
    assert [str(c.value.time.latest) for c in of(compiled, "endDate") if c.subject == "oir-phase-2"] == ["2026-12-31"]


def test_forces_relocating_to_a_base(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "The remaining troops will relocate to Hareer air base in the Kurdistan region.")
    (move,) = draft.new_entities
    assert move.types == ("Relocation",)
    assert [(c.subject, c.value.entity) for c in of(compiled, "toPlace")] == [(move.key, "harir-air-base")]


def test_a_troop_number_without_its_noun_belongs_to_the_state_not_the_place(tmp_path, world):
    draft, claims, compiled = draft_text(tmp_path, world, "Estimates put the current US troop presence in Iraq at about 2,500.")
    (c,) = of(compiled, "troopCount")
    assert (c.subject, c.value.quantity.amount, dict(c.qualifiers)["location"].entity) == ("united-states", 2500, "iraq")
    assert [x.get("unit") for x in claims if x["property"] == "troopCount"] == ["troops"]


def test_people_known_by_what_is_said_of_them_and_who_backs_whom(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "Some experts, such as Dana Karimi from the Middle East Institute, disagree.\n"
                                    "Militants of the Iran-backed Asaib Ahl al-Haq, which backs the Iraqi government, fired rockets.")
    assert [(e.label, e.types) for e in draft.new_entities] == [("Dana Karimi", ("Person",))]
    assert [(c.subject, c.value.entity) for c in of(compiled, "worksFor")] == [("dana-karimi", "middle-east-institute")]
    assert sorted((c.subject, c.value.entity) for c in of(compiled, "backedBy")) == [
        ("asaib-ahl-al-haq", "iran"), ("iraq", "asaib-ahl-al-haq")]


def test_an_arms_sale_with_its_amount_approver_recipient_and_purpose(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "On Monday, the U.S. State Department approved a $120 million "
                                    "military sale to Iraq for helicopter maintenance.", date="2025-03-12")
    (sale,) = draft.new_entities
    assert sale.types == ("ArmsSale",) and sale.label == "$120 million military sale to Iraq"
    got = {c.prop: (c.value.entity or c.value.text or c.value.quantity and c.value.quantity.amount) for c in compiled}
    assert got["amount"] == 120_000_000 and got["approvedBy"] == "us-state-department"
    assert got["recipient"] == "iraq" and got["purpose"] == "helicopter maintenance"
    assert [str(c.value.time.earliest) for c in of(compiled, "date")] == ["2025-03-10"]


def test_a_sum_with_no_known_programme_is_a_suggestion(tmp_path, world):
    draft, claims, _ = draft_text(tmp_path, world, "Britain has provided Iraq with $30 million in equipment.")
    assert claims == [] and "which programme" in draft.text


def test_one_title_for_one_apposition(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "“We stay,” said Karwan Aziz, a spokesman for the Ministry of Peshmerga Affairs.")
    assert [c.value.text for c in of(compiled, "jobTitle")] == ["spokesman for the Ministry of Peshmerga Affairs"]
    assert [c.value.entity for c in of(compiled, "worksFor")] == ["ministry-of-peshmerga-affairs"]
