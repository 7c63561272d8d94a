"""The drafting rules for the mission as a whole (oirld.draft.mission) and for places named inside other places'
names (oirld.draft.placenames), on sentences written for these tests in the manner of wire copy and regional
outlets; each rule also meets sentences it must leave alone."""

from __future__ import annotations

from pathlib import Path

from oirld.errors import Location
from oirld.registry import Entity, Registry

from .drafting import MISSION_DATE, draft_text, of


def _claims(tmp_path: Path, world, text: str, registry: Registry | None = None):
    return draft_text(tmp_path, world, text, registry=registry, date=MISSION_DATE)[2]


# --- phases announced once, named later -------------------------------------------------------------------------

def test_phases_named_sentences_after_the_announcement_belong_to_what_it_named(tmp_path, world):
    claims = _claims(tmp_path, world,
                     "Operation Inherent Resolve is to be wound down in two stages, a U.S. official told AFP on Friday.\n\n"
                     "Iraqi officers described the talks as long and difficult.\n\n"
                     "The second phase would follow in 2026, the official added.")
    assert [(c.subject, c.value.entity) for c in of(claims, "phaseOf")] == [("oir-phase-2", "oir")]
    (c,) = of(claims, "phaseOf")
    assert c.evidence[0].anchor.exact.startswith("Operation Inherent Resolve is to be wound down in two stages")


def test_a_whole_the_registry_knows_by_a_description_owns_the_phases(tmp_path, world):
    claims = _claims(tmp_path, world, "The drawdown will unfold in three stages, officials told Rudaw.\n\n"
                                      "U.S. forces will first leave Baghdad.\n\nThe second phase covers bases in Anbar.")
    assert [(c.subject, c.value.entity) for c in of(claims, "phaseOf")] == [("oir-phase-2", "coalition-drawdown")]


def test_phases_of_something_that_is_not_an_operation_are_left_unowned(tmp_path, world):
    claims = _claims(tmp_path, world, "According to Shafaq News, the agreement outlines a two-phase process.\n\n"
                                      "Officials said the first phase ends in September 2025.")
    assert of(claims, "phaseOf") == []


def test_a_second_announcement_takes_the_phases_after_it(tmp_path, world):
    claims = _claims(tmp_path, world, "Operation Inherent Resolve will end in two phases.\n\n"
                                      "Separately, the drawdown will proceed in three stages, the ministry said.\n\n"
                                      "The second phase will start in 2026.")
    assert {(c.subject, c.value.entity) for c in of(claims, "phaseOf")} == {("oir-phase-2", "coalition-drawdown")}


# --- a mission ending inside a phase ----------------------------------------------------------------------------

def test_an_operation_said_to_end_within_a_phase_ends_when_the_phase_does(tmp_path, world):
    claims = _claims(tmp_path, world, "In the first phase, which lasts until September 2025, Operation Inherent Resolve "
                                      "will formally end, Pentagon officials said.")
    ends = [(c.subject, str(c.value.time.latest)) for c in of(claims, "endDate")]
    assert ("oir", "2025-09-30") in ends


def test_forces_acting_within_a_phase_do_not_end_the_operation(tmp_path, world):
    claims = _claims(tmp_path, world, "In the first phase, which lasts until September 2025, U.S. troops will leave "
                                      "Baghdad airport, Pentagon officials said.")
    assert [c for c in of(claims, "endDate") if c.subject == "oir"] == []


# --- what a phase is for ----------------------------------------------------------------------------------------

def test_this_phase_will_says_what_the_phase_named_before_is_for(tmp_path, world):
    # (a phase is drafted only with the operation it belongs to, which the shapes require)
    claims = _claims(tmp_path, world, "Operation Inherent Resolve will end in two phases. The second phase begins in "
                                      "September 2025.\n\nThis phase will focus on advising Iraqi units in the north, a "
                                      "Western diplomat told The National.")
    assert [(c.subject, c.value.text) for c in of(claims, "purpose")] == [
        ("oir-phase-2", "focus on advising Iraqi units in the north")]


def test_this_phase_after_two_phases_is_not_read(tmp_path, world):
    claims = _claims(tmp_path, world, "Operation Inherent Resolve will end in two phases. The first phase and the second "
                                      "phase will overlap by several months.\n\n"
                                      "This phase will focus on advising Iraqi units in the north.")
    assert of(claims, "purpose") == []


def test_a_phase_with_its_own_time_frame_is_for_what_forces_do_in_it(tmp_path, world):
    claims = _claims(tmp_path, world, "Operation Inherent Resolve will end in two phases.\n\n"
                                      "In the first phase, running until September 2025, U.S. troops will hand over "
                                      "their positions to the Iraqi army, including the runway at Ain al-Assad.")
    assert [(c.subject, c.value.text) for c in of(claims, "purpose")] == [
        ("oir-phase-1", "U.S. troops will hand over their positions to the Iraqi army")]


def test_a_presence_kept_to_do_something_has_that_purpose(tmp_path, world):
    claims = _claims(tmp_path, world, "The deal leaves the U.S. maintaining a small presence in Erbil to advise "
                                      "Kurdish Peshmerga units, AP reported.")
    assert [(c.subject, c.value.text) for c in of(claims, "purpose")] == [
        ("us-presence-iraq", "to advise Kurdish Peshmerga units")]


def test_a_presence_the_registry_does_not_name_is_not_guessed(tmp_path, world):
    claims = _claims(tmp_path, world, "Turkey maintains a presence in northern Iraq to fight Kurdish militants, "
                                      "Press TV reported.")
    assert of(claims, "purpose") == []


# --- size and length --------------------------------------------------------------------------------------------

def test_members_and_territory_of_the_operation_the_clause_is_about(tmp_path, world):
    claims = _claims(tmp_path, world, "Formed in 2014, the international coalition comprises 87 nations and eventually "
                                      "recaptured about 110,000 square kilometres from the jihadists, Kurdistan24 reported.")
    assert [(c.subject, c.value.quantity.amount, c.value.quantity.kind) for c in of(claims, "memberCount")] == [
        ("coalition", 87, "CountryCount")]
    assert [(c.subject, c.value.quantity.amount, c.value.quantity.kind) for c in of(claims, "areaRecovered")] == [
        ("coalition", 110000, "Area")]


def test_it_is_the_operation_the_sentence_before_named(tmp_path, world):
    claims = _claims(tmp_path, world, "Operation Inherent Resolve was declared in October 2014. At its height, it brought "
                                      "together more than 80 countries.")
    assert [(c.subject, c.value.quantity.amount) for c in of(claims, "memberCount")] == [("oir", 80)]


def test_counts_that_are_not_countries_or_land_and_foes_that_seize_land_are_not_read(tmp_path, world):
    claims = _claims(tmp_path, world, "The coalition's forces include 2,500 American troops.\n\n"
                                      "ISIS fighters seized 40,000 square miles in 2014.\n\n"
                                      "Iraq's parliament includes 329 members.")
    assert of(claims, "memberCount") == [] and of(claims, "areaRecovered") == []


def test_after_a_decade_the_operation_has_run_that_long(tmp_path, world):
    claims = _claims(tmp_path, world, "After a decade, Operation Inherent Resolve is drawing to a close, Iraqi officials say.")
    assert [(c.subject, c.value.quantity.amount, c.value.quantity.kind) for c in of(claims, "duration")] == [
        ("oir", 10, "TimeLength")]


def test_after_years_said_of_troops_is_not_a_duration_of_the_operation(tmp_path, world):
    claims = _claims(tmp_path, world, "After 10 years in Iraq, U.S. troops are going home.")
    assert of(claims, "duration") == []


# --- places named inside a place's name -------------------------------------------------------------------------

def _with(world, *entities: Entity) -> Registry:
    return Registry({**world[1].entities, **{e.key: e for e in entities}})


def test_a_place_named_with_a_possessive_or_of_is_located_in_it(tmp_path, world):
    registry = _with(world, Entity("sinjar-district", "Sinjar District", ["Region"], ["Nineveh's Sinjar district"], "",
                                   Location("t")),
                     Entity("nineveh", "Nineveh Governorate", ["Region"], ["Nineveh"], "", Location("t")))
    claims = _claims(tmp_path, world, "Yazidi families returned to Nineveh's Sinjar district this week.\n\n"
                                      "Kurdish officials in northern Iraq's Kurdistan region welcomed them.", registry)
    assert sorted((c.subject, c.value.entity) for c in of(claims, "locatedIn")) == [
        ("kurdistan-region", "northern-iraq"), ("sinjar-district", "nineveh")]


def test_a_place_named_with_its_country_is_not_located_in_the_country(tmp_path, world):
    # a country is not a place in the ontology (locatedIn takes a place), and "Iraq's Kurdish region" says no more
    claims = _claims(tmp_path, world, "Troops moved to Iraq's Kurdish region on Monday.")
    assert of(claims, "locatedIn") == []


# --- who keeps a presence; who a sale is for ---------------------------------------------------------------------

def test_the_actor_keeping_a_presence_carries_it_out(tmp_path, world):
    claims = _claims(tmp_path, world, "The deal leaves the U.S. maintaining a small presence in Erbil to advise "
                                      "Kurdish Peshmerga units, AP reported.")
    assert [(c.subject, c.value.entity) for c in of(claims, "carriedOutBy")] == [("us-presence-iraq", "united-states")]


def test_a_sale_with_no_recipient_is_for_the_state_whose_things_it_serves(tmp_path, world):
    claims = _claims(tmp_path, world, "Washington approved a $40 million sale for the upkeep of Iraqi patrol boats, "
                                      "the agency said on Tuesday.")
    assert [c.value.entity for c in of(claims, "recipient")] == ["iraq"]


def test_a_sale_serving_two_states_things_names_no_recipient(tmp_path, world):
    claims = _claims(tmp_path, world, "Washington approved a $40 million sale for Iraqi and Syrian border posts.")
    assert of(claims, "recipient") == []


# --- parties of an agreement or talks ---------------------------------------------------------------------------

def test_between_the_two_nations_are_the_two_states_named_before(tmp_path, world):
    claims = _claims(tmp_path, world, "Washington and the Iraqi government signed the accord on Thursday. Officials "
                                      "called it the basis of a long-term security partnership between the two nations.")
    # (the accord signed in the first sentence has its own parties, from the agreement rules)
    assert sorted(c.value.entity for c in of(claims, "participant") if c.subject == "security-partnership") == [
        "iraq", "united-states"]


def test_between_the_two_countries_with_three_states_named_is_not_guessed(tmp_path, world):
    claims = _claims(tmp_path, world, "Iran, Iraq and the United States all sent delegations. Diplomats hailed "
                                      "a long-term security partnership between the two countries.")
    assert of(claims, "participant") == []


def test_between_x_and_y_names_the_parties(tmp_path, world):
    claims = _claims(tmp_path, world, "Shafaq News said a long-term security partnership between Iraq and the "
                                      "United States would follow the drawdown.")
    assert sorted(c.value.entity for c in of(claims, "participant")) == ["iraq", "united-states"]


def test_between_two_places_is_not_a_partnership(tmp_path, world):
    claims = _claims(tmp_path, world, "Convoys shuttled between Erbil and Baghdad all week.")
    assert of(claims, "participant") == []


def test_the_day_a_ministry_spoke_is_not_the_day_the_mission_ends(tmp_path, world):
    # regression: "… will be wound down in two stages, Iraq's foreign ministry said Thursday" gave endDate Thursday
    claims = _claims(tmp_path, world, "Operation Inherent Resolve will be wound down in two stages, Iraq's foreign "
                                      "ministry said Thursday.")
    assert [c for c in of(claims, "endDate") if c.subject == "oir"] == []
    (tmp_path / "b").mkdir()
    claims = _claims(tmp_path / "b", world, "Operation Inherent Resolve will end in September 2025, the ministry said "
                                            "Thursday.")
    assert [str(c.value.time.latest) for c in of(claims, "endDate") if c.subject == "oir"] == ["2025-09-30"]


def test_a_partnership_with_one_state_names_that_party(tmp_path, world):
    claims = _claims(tmp_path, world, "Pentagon officials said the mission would give way to a bilateral security "
                                      "partnership with Iraq.")
    assert [(c.subject, c.value.entity) for c in of(claims, "participant")] == [("security-partnership", "iraq")]


def test_a_partnership_with_a_list_of_states_is_not_read(tmp_path, world):
    claims = _claims(tmp_path, world, "Officials said a bilateral security partnership with Iraq and Syria was unlikely.")
    assert of(claims, "participant") == []


# --- a withdrawal known by its description ----------------------------------------------------------------------

def test_a_described_withdrawal_is_dated_by_the_times_that_start_and_end_it(tmp_path, world):
    claims = _claims(tmp_path, world, "The accord set out a partial withdrawal of US forces beginning in September 2025 "
                                      "and expected to conclude by September 2026, The National reported.")
    dates = sorted((c.subject, c.prop, str(c.value.time.earliest if c.prop == "startDate" else c.value.time.latest))
                   for c in claims if c.prop in ("startDate", "endDate"))
    assert dates == [("coalition-drawdown", "endDate", "2026-09-30"), ("coalition-drawdown", "startDate", "2025-09-01")]


def test_a_time_after_words_the_registry_does_not_know_dates_nothing(tmp_path, world):
    claims = _claims(tmp_path, world, "A convoy of trucks beginning in September 2025 carried equipment north.")
    assert [c for c in claims if c.prop in ("startDate", "endDate")] == []


def test_capitals_between_stand_for_their_states(tmp_path, world):
    claims = _claims(tmp_path, world, "Analysts expect a long-term security partnership between Washington and Baghdad "
                                      "to replace the coalition.")
    assert sorted(c.value.entity for c in of(claims, "participant") if c.subject == "security-partnership") == [
        "iraq", "united-states"]


# --- support: who received it and what for ----------------------------------------------------------------------

def _aid(world) -> Registry:
    return _with(world, Entity("training-aid-example", "Example military aid programme", ["Training"], ["military aid"], "",
                               Location("t")))


def test_who_received_support_the_registry_describes_and_in_what_form(tmp_path, world):
    claims = _claims(tmp_path, world, "Iraqi security forces have received military aid in the form of rifles, trucks "
                                      "and night-vision goggles, Rudaw reported.", _aid(world))
    got = {(c.subject, c.prop): (c.value.entity or c.value.text) for c in claims}
    assert got[("training-aid-example", "recipient")] == "iraqi-security-forces"
    assert got[("training-aid-example", "purpose")] == "rifles, trucks and night-vision goggles"


def test_support_nobody_described_is_not_read(tmp_path, world):
    claims = _claims(tmp_path, world, "Iraqi security forces have received new help in the form of rifles and trucks.")
    assert of(claims, "recipient") == [] and of(claims, "purpose") == []


def test_a_support_figure_given_to_do_something_has_that_purpose(tmp_path, world):
    from oirld.claims import Claim, Value

    registry = _aid(world)
    text = ("The United States has given Iraqi forces more than $300 million in weapons to help them hold territory "
            "retaken from ISIS.")
    corpus = [Claim("training-aid-example", "carriedOutBy", Value("entity", entity="united-states"))]
    items = draft_text(tmp_path, world, text, registry=registry, corpus=corpus, date=MISSION_DATE, compile=False)[1]
    assert [(c["about"], c["value"]) for c in items if c["property"] == "purpose"] == [
        ("training-aid-example", "to help them hold territory retaken from ISIS")]
