"""The drafting rules of oirld.draft.theatres (where events happen, whom a war is against, what a move builds on),
on sentences written for these tests in the manner of wire copy and regional outlets; each rule also meets
sentences it must leave alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from oirld.registry import Registry

from .drafting import MISSION_DATE, draft_text


def _draft(tmp_path: Path, world, text: str, registry: Registry | None = None):
    draft, _, claims = draft_text(tmp_path, world, text, registry=registry, date=MISSION_DATE)
    return draft, claims


def _claims(tmp_path: Path, world, text: str, registry: Registry | None = None):
    return _draft(tmp_path, world, text, registry)[1]


def _facts(claims, prop):
    return sorted((c.subject, c.value.entity) for c in claims if c.prop == prop)


# --- the war against a group, and where it is fought -----------------------------------------------------------

def test_a_war_against_a_known_group_is_the_registrys_war_under_another_spelling(tmp_path, world):
    claims = _claims(tmp_path, world, "Peshmerga units fought beside coalition troops for years in the war against ISIS "
                                      "in Iraq and Syria, a Kurdistan Region official told Kurdistan24.")
    assert _facts(claims, "opponent") == [("war-against-isis", "islamic-state")]
    assert _facts(claims, "location") == [("war-against-isis", "iraq"), ("war-against-isis", "syria")]


def test_a_war_the_registry_lacks_is_added_as_the_article_names_it(tmp_path, world):
    reg = Registry({k: e for k, e in world[1].entities.items() if k != "war-against-isis"})
    draft, claims = _draft(tmp_path, world, "Baghdad has spent a decade in the war on Daesh, the ministry said.", reg)
    (new,) = [e for e in draft.new_entities if "War" in e.types]
    assert new.label == "war on Daesh"
    assert _facts(claims, "opponent") == [(new.key, "islamic-state")]


@pytest.mark.parametrize("text", [
    "Officials praised the fight against ISIS fighters hiding in the desert, AFP reported.",   # the fighters, not the war
    "Commanders discussed the fight against poverty in Iraq and Syria on Monday.",             # no armed group
])
def test_no_war_without_a_group_it_is_against(tmp_path, world, text):
    claims = _claims(tmp_path, world, text)
    assert not [c for c in claims if c.prop == "opponent"]
    assert not [c for c in claims if c.subject == "war-against-isis"]


def test_a_place_list_followed_by_more_words_is_not_read(tmp_path, world):
    claims = _claims(tmp_path, world, "Analysts say the war against ISIS in Syria and the coalition’s role there "
                                      "will change, Shafaq News reported.")
    assert _facts(claims, "opponent") == [("war-against-isis", "islamic-state")]
    assert not _facts(claims, "location")


def test_a_place_written_as_a_possessive_is_a_part_of_it_not_the_place(tmp_path, world):
    claims = _claims(tmp_path, world, "Analysts describe the war against ISIS in Iraq’s Anbar desert as unfinished, "
                                      "The National reported.")
    assert not _facts(claims, "location")


def test_an_event_named_then_placed_happens_in_each_place_of_the_list(tmp_path, world):
    claims = _claims(tmp_path, world, "Residents still remember the fight against Daech across Iraq, Syria and Jordan, "
                                      "Press TV said.")
    assert _facts(claims, "location") == [("war-against-isis", "iraq"), ("war-against-isis", "jordan"),
                                          ("war-against-isis", "syria")]


def test_an_agreement_is_not_placed_where_it_was_signed(tmp_path, world):
    claims = _claims(tmp_path, world, "The Strategic Framework Agreement in Baghdad was hailed by lawmakers, Rudaw said.")
    assert not [c for c in _facts(claims, "location") if c[0] == "strategic-framework-agreement"]


# --- what a move builds on ---------------------------------------------------------------------------------------

def test_a_move_that_builds_on_an_agreement_is_based_on_it(tmp_path, world):
    claims = _claims(tmp_path, world, "The drawdown builds on the Strategic Framework Agreement signed in 2008, "
                                      "a State Department spokesperson told Reuters.")
    assert _facts(claims, "basedOn") == [("coalition-drawdown", "strategic-framework-agreement")]


@pytest.mark.parametrize("text", [
    # one of a list: which of them it builds on is not said
    "The drawdown is in line with the Iraqi constitution, the Strategic Framework Agreement and national interests, "
    "officials said.",
    # not an agreement
    "The drawdown builds on years of cooperation with Iraqi forces, officials said.",
    # no move the registry knows as the subject
    "Their friendship builds on the Strategic Framework Agreement, officials said.",
])
def test_no_based_on_without_one_named_agreement_and_a_known_move(tmp_path, world, text):
    assert not _facts(_claims(tmp_path, world, text), "basedOn")


# --- a claim stated twice ---------------------------------------------------------------------------------------

def test_a_claim_stated_again_in_other_words_keeps_both_passages(tmp_path, world):
    claims = _claims(tmp_path, world, "Peshmerga units fought beside coalition troops in the war against ISIS in Iraq "
                                      "and Syria, Rudaw reported.\n\nFor a decade, the Kurds bore much of the war "
                                      "against the Islamic State in Syria, officials in Erbil say.")
    quotes = [c.evidence[0].anchor.exact for c in claims if (c.subject, c.prop, c.value.entity)
              == ("war-against-isis", "location", "syria")]
    assert len(quotes) == 2 and "war against ISIS in Iraq and Syria" in quotes[0] and "Islamic State in Syria" in quotes[1]


def test_a_name_repeated_is_not_a_claim_repeated(tmp_path, world):
    claims = _claims(tmp_path, world, "Iran-backed militias fired rockets at the base, the army said.\n\n"
                                      "Iranian-backed militias have denied it, Shafaq News reported.")
    assert len([c for c in claims if (c.subject, c.prop) == ("iran-backed-militias", "backedBy")]) == 1


# --- an operation's part in a war; what forces do in a phase -----------------------------------------------------

def test_an_operation_that_played_a_role_in_a_war_is_part_of_it(tmp_path, world):
    claims = _claims(tmp_path, world, "Operation Inherent Resolve, set up in 2014, has played a decisive role in the "
                                      "war against ISIS, the Pentagon said.")
    assert ("oir", "war-against-isis") in _facts(claims, "partOf")


@pytest.mark.parametrize("text", [
    # the operation is not the one that played the role
    "Critics of Operation Inherent Resolve say Kurdish fighters played a decisive role in the war against ISIS.",
    # no role, no part: a war merely mentioned after the operation
    "Operation Inherent Resolve ended years after the war against ISIS began, the Pentagon said.",
])
def test_no_part_of_without_the_operation_as_the_subject_of_the_role(tmp_path, world, text):
    assert not _facts(_claims(tmp_path, world, text), "partOf")


def test_forces_of_a_phase_and_the_ground_they_act_from(tmp_path, world):
    claims = _claims(tmp_path, world, "The drawdown will unfold in two stages, officials told Rudaw.\n\n"
                                      "During the second phase, U.S. forces will keep flying drones from Iraqi "
                                      "territory into Syria, the officials said.")
    assert ("oir-phase-2", "us-forces") in _facts(claims, "participant")
    assert ("oir-phase-2", "iraq") in _facts(claims, "location")


@pytest.mark.parametrize("text", [
    # a time frame first: the phase's own sentence, read by the phase rules
    "In the second phase, which runs until 2026, Iraqi officials will review the presence, Shafaq News said.",
    # not forces: a government is no participant of the military phase here
    "In the second phase, Iraqi officials will review U.S. operations from Iraqi soil, Shafaq News said.",
])
def test_no_phase_forces_without_forces_as_the_subject(tmp_path, world, text):
    claims = _claims(tmp_path, world, "The drawdown will unfold in two stages, officials told Rudaw.\n\n" + text)
    assert not [c for c in claims if c.subject == "oir-phase-2" and c.prop in ("participant", "location")]


# --- "officials stressed that …" --------------------------------------------------------------------------------

_BRIEFED = "A senior Iraqi military official told reporters in Baghdad on Sunday that the talks had gone well.\n\n"


def test_bare_officials_speak_for_the_one_source_the_article_introduced(tmp_path, world):
    draft, claims = _draft(tmp_path, world, _BRIEFED + "Officials stressed that the drawdown does not amount to a full "
                                                       "withdrawal of foreign forces.")
    said = [c for c in claims if c.prop == "said" and "does not amount" in c.value.text]
    assert len(said) == 1
    (source,) = [e for e in draft.new_entities if e.key == said[0].subject]
    assert "unnamed" in source.label and "Iraqi military official" in source.label


@pytest.mark.parametrize("lead", [
    "",  # no source introduced: whose officials?
    _BRIEFED + "A Kurdish security official said separately that the bases would stay open.\n\n",  # two sources
    "Kurdish commanders warned that the bases would stay open.\n\n" + _BRIEFED,  # a group of them introduced first
])
def test_bare_officials_stay_a_comment_without_exactly_one_source(tmp_path, world, lead):
    draft, claims = _draft(tmp_path, world, lead + "Officials stressed that the drawdown does not amount to a full "
                                                   "withdrawal of foreign forces.")
    assert not [c for c in claims if c.prop == "said" and "does not amount" in c.value.text]
    assert "a statement by officials the article does not describe" in draft.text


# --- who does a move the registry describes ----------------------------------------------------------------------

@pytest.mark.parametrize("text, doer", [
    ("Lawmakers in Baghdad debated the planned drawdown of American forces on Tuesday, Shafaq News reported.", "us-forces"),
    ("Diplomats said the coalition’s drawdown would not end intelligence sharing, Reuters reported.", "coalition"),
])
def test_the_doer_written_into_a_described_move_carries_it_out(tmp_path, world, text, doer):
    assert ("coalition-drawdown", doer) in _facts(_claims(tmp_path, world, text), "carriedOutBy")


def test_a_presence_of_forces_has_them_as_participants(tmp_path, world):
    claims = _claims(tmp_path, world, "Iraqi factions have long opposed the presence of U.S. troops, Press TV said.")
    assert ("us-presence-iraq", "us-forces") in _facts(claims, "participant")


@pytest.mark.parametrize("text", [
    # an agreement of two states is not carried out by them
    "Officials praised the agreement of the United States and Iraq on Monday, Rudaw reported.",
    # a move the registry does not know: nothing guessed
    "Analysts expect a slow exodus of American forces from the region, The National reported.",
])
def test_no_doer_for_what_is_not_a_known_move(tmp_path, world, text):
    claims = _claims(tmp_path, world, text)
    assert not _facts(claims, "carriedOutBy")


def test_a_name_that_modifies_a_noun_is_not_the_doer(tmp_path, world):
    claims = _claims(tmp_path, world, "Analysts called it the planned drawdown of U.S. military involvement, not "
                                      "an exit, Kurdistan24 reported.")
    assert not _facts(claims, "carriedOutBy")


def test_what_bare_officials_said_starts_after_that(tmp_path, world):
    _, claims = _draft(tmp_path, world, _BRIEFED + "Officials emphasized that Peshmerga units would not replace the "
                                                   "departing forces.")
    (said,) = [c for c in claims if c.prop == "said" and "Peshmerga" in c.value.text]
    assert said.value.text == "Peshmerga units would not replace the departing forces"


# --- who writes for which outlet -----------------------------------------------------------------------------------

def test_a_piece_credited_to_an_outlet_says_whom_the_writer_works_for(tmp_path, world):
    reg = Registry({k: e for k, e in world[1].entities.items() if k != "associated-press"})
    draft, claims = _draft(tmp_path, world, "Sara Example has covered Iraq since 2010, the editors said.\n\n"
                                            "In her latest column for the Associated Press, Sara Example wrote that "
                                            "the drawdown was overdue.\n\nSara Example’s analysis for AP was widely "
                                            "shared in Baghdad.", reg)
    outlets = [e for e in draft.new_entities if "NewsOrganization" in e.types]
    assert [(e.label, e.aliases) for e in outlets] == [("Associated Press", ("AP",))]  # one outlet, not two
    works = [c for c in claims if c.prop == "worksFor"]
    assert {c.value.entity for c in works} == {outlets[0].key} and len(works) == 2


@pytest.mark.parametrize("text", [
    # a report for a body is no byline: the ministry is not an outlet the writer works for
    "In a report for the Ministry of Defence, analysts said the bases would close, Shafaq News reported.",
    # the piece is not the person's
    "Sara Example praised an analysis for The National by other writers, Rudaw said.",
])
def test_no_byline_without_a_person_credited_with_the_piece(tmp_path, world, text):
    assert not [c for c in _claims(tmp_path, world, text) if c.prop == "worksFor"]


def test_a_body_credited_with_a_report_is_not_added_as_an_outlet(tmp_path, world):
    draft, _ = _draft(tmp_path, world, "Sara Example has covered Iraq since 2010, the editors said.\n\nIn her report for "
                                       "the Example Reconstruction Ministry, Sara Example said the bases would close.")
    assert not [e for e in draft.new_entities if "NewsOrganization" in e.types]


# --- an operation's end, dated after its name ------------------------------------------------------------------------

def test_the_withdrawal_of_an_operation_dated_right_after_its_name_is_its_end(tmp_path, world):
    claims = _claims(tmp_path, world, "Baghdad will have to secure its western desert alone after the departure of "
                                      "Operation Inherent Resolve in 2026, analysts told The National.")
    ends = [c for c in claims if (c.subject, c.prop) == ("oir", "endDate")]
    assert len(ends) == 1 and ends[0].value.label().startswith("in 2026")


@pytest.mark.parametrize("text", [
    # a time that only starts something: not an end date
    "Lawmakers recalled the end of Operation Inherent Resolve from 2014 onwards as a long debate, Rudaw reported.",
    # the operation is not what ends
    "Iraqi forces took over bases after the withdrawal of troops from Operation Inherent Resolve in 2026.",
])
def test_no_operation_end_unless_the_time_follows_its_ended_name(tmp_path, world, text):
    assert not [c for c in _claims(tmp_path, world, text) if (c.subject, c.prop) == ("oir", "endDate")]


# --- where a presence is kept ----------------------------------------------------------------------------------------

def test_a_presence_kept_in_a_country_is_located_there(tmp_path, world):
    claims = _claims(tmp_path, world, "Washington says the U.S. will keep a limited presence in Iraq to train "
                                      "Kurdish forces, Kurdistan24 reported.")
    assert ("us-presence-iraq", "iraq") in _facts(claims, "location")


@pytest.mark.parametrize("text", [
    "Washington says the U.S. will keep a limited presence in Iraq’s north to train Kurdish forces, Kurdistan24 reported.",
    "Washington says the U.S. will keep a limited presence in Iraq and Syria to train local forces, Kurdistan24 reported.",
])
def test_a_presence_in_part_of_a_place_or_in_several_is_not_located(tmp_path, world, text):
    assert not [f for f in _facts(_claims(tmp_path, world, text), "location") if f[0] == "us-presence-iraq"]
