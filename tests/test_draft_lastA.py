"""The drafting rules of oirld.draft.provisions (what an agreement provides for, what follows from it, whose
announcement it is), on sentences written for these tests in the manner of wire copy and regional outlets; each
rule also meets sentences it must leave alone."""

from __future__ import annotations

from .drafting import MISSION_DATE, compile_other, draft_text, of


def _claims(tmp_path, world, text):
    return draft_text(tmp_path, world, text, date=MISSION_DATE)[2]


#: a dated agreement between two states, so the article has named an agreement before the sentence under test
SIGNED = "Washington and Baghdad signed an agreement on Friday, officials told Reuters.\n\n"


def _about(claims):
    return {c.value.entity for c in of(claims, "about")}


# --- "The deal will see ...", "Under the deal, ...", "a 2024 agreement setting ..." ---------------------------------

def test_what_the_deal_will_see_is_what_it_is_about(tmp_path, world):
    claims = _claims(tmp_path, world, SIGNED + "The deal will see a long-term security partnership replace the "
                                               "coalition's combat role.")
    assert "security-partnership" in _about(claims)
    (c,) = [c for c in of(claims, "about") if c.value.entity == "security-partnership"]
    assert c.evidence[0].anchor.exact.startswith("The deal will see")
    # the agreement is the one signed in the first sentence, not the partnership itself
    assert c.subject != "security-partnership"


def test_under_the_deal_reads_the_described_withdrawal(tmp_path, world):
    claims = _claims(tmp_path, world, SIGNED + "Under the deal, a partial withdrawal of US forces will begin next month, "
                                               "the Iraqi foreign ministry said.")
    assert "coalition-drawdown" in _about(claims)


def test_a_dated_agreement_setting_a_withdrawal(tmp_path, world):
    claims = _claims(tmp_path, world, SIGNED + "Troops began leaving Baghdad under a 2024 agreement setting a partial "
                                               "withdrawal of US forces, Kurdistan24 reported.")
    assert "coalition-drawdown" in _about(claims)


def test_a_frame_with_no_agreement_named_before_stays_unread(tmp_path, world):
    claims = _claims(tmp_path, world, "The deal will see a long-term security partnership replace the coalition.")
    assert of(claims, "about") == []


def test_a_description_outside_a_frame_is_not_read(tmp_path, world):
    claims = _claims(tmp_path, world, SIGNED + "Analysts said a long-term security partnership was far from certain.")
    assert "security-partnership" not in _about(claims)


def test_words_after_but_are_not_the_deal_s(tmp_path, world):
    claims = _claims(tmp_path, world, SIGNED + "Under the deal, advisers will stay in Erbil, but militia leaders demand "
                                               "a partial withdrawal of US forces.")
    assert "coalition-drawdown" not in _about(claims)


def test_a_headline_frame_is_left_to_the_body(tmp_path, world):
    claims = _claims(tmp_path, world, "Under the deal, a partial withdrawal of US forces\n\n" + SIGNED)
    assert "coalition-drawdown" not in _about(claims)


# --- "The shift follows a 2023 agreement" -------------------------------------------------------------------------

def test_a_described_move_follows_the_agreement(tmp_path, world):
    claims = _claims(tmp_path, world, SIGNED + "The drawdown follows a 2024 agreement between the two governments.")
    based = [(c.subject, c.value.entity) for c in of(claims, "basedOn")]
    assert [s for s, _ in based] == ["coalition-drawdown"]
    assert based[0][1] != "coalition-drawdown"


def test_following_something_that_is_no_agreement_is_not_based_on(tmp_path, world):
    claims = _claims(tmp_path, world, SIGNED + "The drawdown follows months of talks in Baghdad.")
    assert of(claims, "basedOn") == []


def test_an_unknown_subject_following_an_agreement_is_not_read(tmp_path, world):
    claims = _claims(tmp_path, world, SIGNED + "The decision follows a 2024 agreement, Press TV said.")
    assert of(claims, "basedOn") == []


# --- "the Pentagon's announcement" -------------------------------------------------------------------------------

def test_an_actor_s_announcement_is_announced_by_it(tmp_path, world):
    claims = _claims(tmp_path, world, "Iraqi lawmakers welcomed the Pentagon’s announcement on Wednesday.")
    assert [c.value.entity for c in of(claims, "announcedBy")] == ["us-dod"]


def test_plural_announcements_and_non_actors_are_not_read(tmp_path, world):
    claims = _claims(tmp_path, world, "The Pentagon's announcements rarely name dates.\n\n"
                                      "Monday's announcement surprised observers in Erbil.")
    assert of(claims, "announcedBy") == []


# --- "beginning in September and expected to conclude by the same month in 2026" ----------------------------------

def test_an_end_counted_from_the_start_month(tmp_path, world):
    claims = _claims(tmp_path, world, "Officials in Baghdad described a partial withdrawal of US forces beginning in "
                                      "September and expected to conclude by the same month in 2026.")
    ends = [c for c in of(claims, "endDate") if c.subject == "coalition-drawdown"]
    assert [(c.value.time.latest.year, c.value.time.latest.month) for c in ends] == [(2026, 9)]


def test_a_same_month_end_with_no_month_to_count_from_is_not_read(tmp_path, world):
    claims = _claims(tmp_path, world, "Officials in Baghdad described a partial withdrawal of US forces beginning in "
                                      "2025 and expected to conclude by the same month in 2026.")
    assert [c for c in of(claims, "endDate") if c.subject == "coalition-drawdown"] == []


# --- "… invested by X to improve the capabilities of the Iraqi army" ---------------------------------------------

def _support(tmp_path, world, text):
    corpus = compile_other(tmp_path, world, "The coalition trains Iraqi forces.", """
  - {about: coalition-support, property: carriedOutBy, value: The coalition, quote: The coalition trains Iraqi forces}
""")
    rows = draft_text(tmp_path, world, text, corpus=corpus, compile=False)[1]
    return [(c["about"], c["property"], c.get("value"), c["rule"]) for c in rows]


def test_whose_capabilities_the_support_improves_receives_it(tmp_path, world):
    claims = _support(tmp_path, world, "More than $2 billion has been invested by the coalition to strengthen the "
                                       "combat capabilities of the Iraqi army, Rudaw reported.")
    assert [c for c in claims if c[1] == "recipient"] == [("coalition-support", "recipient", "the Iraqi army",
                                                           "to-improve-capabilities-of-x")]


def test_capabilities_of_something_that_is_no_force_are_not_a_recipient(tmp_path, world):
    claims = _support(tmp_path, world, "More than $2 billion has been invested by the coalition to improve the "
                                       "capabilities of border surveillance, Rudaw reported.")
    assert [c for c in claims if c[1] == "recipient"] == []


# --- "a decade of logistical and financial support from the coalition" --------------------------------------------

def test_years_of_support_from_a_giver_are_its_support_s_duration(tmp_path, world):
    claims = _support(tmp_path, world, "Iraqi forces now plan operations alone, after a decade of logistical and "
                                       "financial support from the coalition, The National reported.")
    assert ("coalition-support", "duration", "a decade", "years-of-support-from-x") in claims
    assert ("coalition-support", "carriedOutBy", "coalition", "years-of-support-from-x") in claims


def test_years_of_something_else_or_from_an_unknown_giver_are_not_read(tmp_path, world):
    claims = _support(tmp_path, world, "After a decade of war with the coalition, the town was rebuilt. "
                                       "Two years of support from Norway paid for the clinic.")
    assert [c for c in claims if c[3] == "years-of-support-from-x"] == []
