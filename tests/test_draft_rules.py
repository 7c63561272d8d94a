"""`oirld draft`'s rules for events, their actors and places, and for speakers the article does not name, each on
sentences written here in the manner of other outlets (wire copy, Kurdish and Iranian outlets' spellings)."""

from __future__ import annotations

from oirld.draft.context import Candidate, prefer_body
from oirld.draft.names import NameIndex
from oirld.draft.text import split_sentences

from .drafting import compile_other, draft_text, of


def _pairs(compiled, prop):
    return sorted((c.subject, c.value.entity or c.value.text or c.value.label()) for c in of(compiled, prop))


# --- speakers with no name -----------------------------------------------------------------------------------------

def test_an_unnamed_official_introduced_once_is_the_same_source_later(tmp_path, world):
    text = ("BAGHDAD (Reuters) - A senior Iraqi security official said on Sunday that coalition advisers would leave "
            "the base by September.\n“We have completed the handover of the base. Nothing is left to discuss,” the security "
            "official told Reuters.")
    draft, _, compiled = draft_text(tmp_path, world, text)
    said = of(compiled, "said")
    assert len(said) == 2 and len({c.subject for c in said}) == 1
    new = {e.key: e for e in draft.new_entities}
    assert said[0].subject in new and new[said[0].subject].label == "Senior Iraqi security official (unnamed)"
    assert new[said[0].subject].types == ("Person",)
    # the full stop inside the quotation does not cut the quotation in two
    assert any("Nothing is left to discuss" in c.value.text and "handover" in c.value.text for c in said)


def test_an_official_nobody_described_stays_unread(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "“The base is empty now,” an official said. Officials said the "
                                             "handover of the airbase in Anbar was complete.")
    assert of(compiled, "said") == []


def test_a_definite_description_is_not_the_registry_source_of_another_article(tmp_path, world):
    # the registry calls its briefing's official "the defense official"; here nobody was introduced, so it is not them
    draft, _, compiled = draft_text(tmp_path, world, "“We will keep a presence in Erbil for now,” the U.S. defense official "
                                                  "told reporters.")
    said = of(compiled, "said")
    assert [c.subject for c in said] != ["us-defense-official"]
    assert all(c.subject in {e.key for e in draft.new_entities} for c in said)


def test_a_statement_in_a_participle_after_the_verb(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "The Pentagon said in a statement on Monday, welcoming Baghdad’s commitment "
                                             "to a lasting security partnership.")
    assert _pairs(compiled, "said") == [("us-dod", "welcoming Baghdad’s commitment to a lasting security partnership")]


def test_a_reporting_verb_gives_a_paraphrase(tmp_path, world):
    text = ("Renad Mansour, a senior research fellow at Chatham House, spoke to Rudaw on Monday. Mansour suggests that "
            "the withdrawal could embolden sleeper cells in the desert.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert ("renad-mansour", "the withdrawal could embolden sleeper cells in the desert") in _pairs(compiled, "said")


# --- movements and who makes them ----------------------------------------------------------------------------------

def test_forces_that_move_and_these_forces_in_the_next_sentence(tmp_path, world):
    text = ("American forces began withdrawing from Ain al-Assad air base on Saturday. These forces will move to the "
            "Hareer base in Erbil, Kurdistan24 reported.")
    _, _, compiled = draft_text(tmp_path, world, text)
    by = of(compiled, "carriedOutBy")
    assert sorted(c.value.entity for c in by) == ["us-forces", "us-forces"]
    assert ("al-asad-airbase" in {c.value.entity for c in of(compiled, "fromPlace")})
    assert ("harir-air-base" in {c.value.entity for c in of(compiled, "toPlace")})
    moves = {c.subject for c in by}
    assert moves == {c.subject for c in of(compiled, "fromPlace")} | {c.subject for c in of(compiled, "toPlace")}


def test_these_forces_with_no_forces_before_are_nobody(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "The talks ended on Sunday.\nThese forces will move to the Hareer base.")
    assert of(compiled, "carriedOutBy") == []


# --- agreements and talks ------------------------------------------------------------------------------------------

def test_parties_of_a_dated_agreement_capitals_standing_for_states(tmp_path, world):
    text = "Washington and Baghdad signed a security agreement on 15 January 2025, a government spokesman said."
    draft, _, compiled = draft_text(tmp_path, world, text, date="2025-01-20")
    parts = of(compiled, "participant")
    assert sorted(c.value.entity for c in parts) == ["iraq", "united-states"]
    assert {c.subject for c in parts} == {e.key for e in draft.new_entities if "Agreement" in e.types}
    assert [c.value.time.earliest.isoformat() for c in of(compiled, "date")] == ["2025-01-15"]


def test_talks_between_two_states(tmp_path, world):
    text = "The pace of the drawdown will be settled in direct talks between Tehran and Baghdad, IRNA reported."
    draft, _, compiled = draft_text(tmp_path, world, text)
    assert sorted(c.value.entity for c in of(compiled, "participant")) == ["iran", "iraq"]
    assert any("Meeting" in e.types for e in draft.new_entities)


def test_an_undated_agreement_nobody_reported_is_left_out(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Iraq has reached an agreement with Turkey on the border, officials said.")
    assert of(compiled, "participant") == []


# --- actors and places of operations -------------------------------------------------------------------------------

def test_opponent_and_leader_from_an_apposition(tmp_path, world):
    text = ("Operation Inherent Resolve, the U.S.-led military campaign against Daesh, will end in 2026. "
            "Operation Inherent Resolve, led by the United States, began in 2014.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert ("oir", "islamic-state") in _pairs(compiled, "opponent")
    assert ("oir", "united-states") in _pairs(compiled, "ledBy")


def test_who_formed_and_led_a_coalition(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "The United States formed and led the international coalition in 2014.")
    assert _pairs(compiled, "foundedBy") == [("coalition", "united-states")]
    assert _pairs(compiled, "ledBy") == [("coalition", "united-states")]


def test_an_operation_closed_by_a_date(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "The two governments agreed to close the task force by September 2026.")
    ends = of(compiled, "endDate")
    assert [(c.subject, c.value.time.latest.isoformat()) for c in ends] == [("oir", "2026-09-30")]


def test_places_by_possessive_situated_and_part_of_a_region(tmp_path, world):
    text = ("Troops at Erbil's Harir air base were put on alert. Ain al-Assad air base in northern Anbar was handed over. "
            "Erbil, situated in the Kurdistan Region, hosts the coalition.")
    _, _, compiled = draft_text(tmp_path, world, text)
    located = _pairs(compiled, "locatedIn")
    assert ("harir-air-base", "erbil") in located
    assert ("al-asad-airbase", "anbar") in located
    assert ("erbil", "kurdistan-region") in located


def test_a_group_named_after_its_kind_and_backer(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "Rockets were fired by the Iran-aligned militia Kataib Sayyid al-Shuhada, "
                                                  "Kurdistan24 said.")
    group = next(e for e in draft.new_entities if e.label == "Kataib Sayyid al-Shuhada")
    assert group.types == ("ArmedGroup",)
    assert (group.key, "iran") in _pairs(compiled, "backedBy")


# --- headlines and captions ----------------------------------------------------------------------------------------

def test_a_claim_the_body_states_is_quoted_from_the_body(world):
    from oirld.draft import _subclasses
    text = "Coalition mission against ISIS to end\nThe coalition's mission against ISIS will end in 2026."
    sentences = split_sentences(text)
    index = NameIndex(world[1], _subclasses(world[0]))
    head = Candidate("oir", "opponent", "islamic-state", 0, 37, 0.75, "r")
    body = Candidate("the coalition's mission against ISIS", "opponent", "ISIS", 38, 100, 0.75, "r")
    alone = Candidate("oir", "endDate", "2026", 0, 37, 0.75, "r")
    assert prefer_body(index, sentences, [head, body, alone]) == [body, alone]


def test_what_the_agreement_is_about_and_what_is_said_of_it_later(tmp_path, world):
    text = ("Baghdad and Washington signed an agreement on 27 September 2024 to end the task force by 2026. "
            "This agreement is a turning point for Iraq’s sovereignty, the Kurdistan24 daily wrote.")
    draft, _, compiled = draft_text(tmp_path, world, text)
    agreement = next(e.key for e in draft.new_entities if "Agreement" in e.types)
    assert _pairs(compiled, "about") == [(agreement, "oir")]
    assert _pairs(compiled, "characterisation") == [(agreement, "a turning point for Iraq’s sovereignty")]


def test_this_decision_with_no_agreement_before_is_left_alone(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "This decision is a turning point for Iraq, the Kurdistan24 daily wrote.")
    assert of(compiled, "characterisation") == []


def test_an_opening_participle_dates_the_subject_of_the_main_clause(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Formed in 2014 to fight Daesh, the international coalition has more "
                                             "than 80 members.")
    assert [(c.subject, c.value.time.earliest.year) for c in of(compiled, "startDate")] == [("coalition", 2014)]


# --- a series of attacks the corpus already holds ------------------------------------------------------------------

def test_attackers_and_target_of_a_known_series_of_attacks(tmp_path, world):
    corpus = compile_other(tmp_path, world, "Iran-backed militias attacked US forces dozens of times.", """
  - {about: militia-attacks, property: carriedOutBy, value: Iran-backed militias, quote: Iran-backed militias attacked US forces}
  - {about: militia-attacks, property: target, value: US forces, quote: Iran-backed militias attacked US forces}
""")
    assert len(corpus) >= 2
    text = ("U.S. positions in Syria have repeatedly been targeted by Iranian-backed militias, Press TV reported. "
            "Iraqi forces have attacked Kataib Hezbollah depots.")
    rows = draft_text(tmp_path, world, text, corpus=corpus, compile=False)[1]
    claims = [(c["about"], c["property"], c["value"]) for c in rows]
    assert ("militia-attacks", "carriedOutBy", "Iranian-backed militias") in claims
    assert ("militia-attacks", "target", "us-forces") in claims
    assert ("militia-attacks", "location", "Syria") in claims
    # the other attack is not in the corpus: nothing is claimed of it
    assert not [c for c in claims if c[1] == "carriedOutBy" and c[2] != "Iranian-backed militias"]


# --- troops ------------------------------------------------------------------------------------------------------

def test_troops_counted_after_the_forces_and_an_increase_with_no_noun(tmp_path, world):
    text = "The number of American troops in Syria has grown to 2,000, an increase of 1,100 over the figure given in 2023."
    _, _, compiled = draft_text(tmp_path, world, text)
    counts = {c.prop: c for c in compiled if c.prop in ("troopCount", "troopIncrease")}
    assert counts["troopCount"].subject == "united-states" and counts["troopCount"].value.quantity.amount == 2000
    assert counts["troopIncrease"].value.quantity.amount == 1100
    # "in 2023" dates the figure compared with, not the troops: they are counted as of publication
    assert all(dict(c.qualifiers)["asOf"].time.earliest.year == 2024 for c in counts.values())


def test_troops_in_a_relative_clause_in_the_present(tmp_path, world):
    text = "LONDON (Reuters) - Britain, which has about 400 soldiers in Iraq, said on Monday it would review its deployment."
    _, _, compiled = draft_text(tmp_path, world, text)
    [count] = of(compiled, "troopCount")
    assert count.subject == "united-kingdom" and count.value.quantity.amount == 400
    assert dict(count.qualifiers)["location"].entity == "iraq"


def test_an_event_known_by_its_doer_and_its_year(tmp_path, world):
    corpus = compile_other(tmp_path, world, "ISIS swept across Iraq in 2014.", """
  - {about: isis-offensive-2014, property: carriedOutBy, value: ISIS, quote: ISIS swept across Iraq}
  - {about: isis-offensive-2014, property: date, value: in 2014, quote: ISIS swept across Iraq in 2014}
""")
    text = "Daesh stormed Mosul in 2014, Al-Monitor recalled. Daesh stormed a prison in Hasakah in 2022."
    rows = draft_text(tmp_path, world, text, corpus=corpus, compile=False)[1]
    claims = [(c["about"], c["property"], c["value"]) for c in rows]
    assert ("isis-offensive-2014", "date", "in 2014") in claims
    assert ("isis-offensive-2014", "carriedOutBy", "Daesh") in claims
    assert not [c for c in claims if c[2] == "in 2022"]


def test_an_expert_from_an_institute_whose_name_holds_a_known_name(tmp_path, world):
    text = ("Some analysts, such as Michael Knights from the Washington Institute, argue that the drawdown leaves a "
            "vacuum in Nineveh.")
    draft, _, compiled = draft_text(tmp_path, world, text)
    new = {e.label: e for e in draft.new_entities}
    assert new["Washington Institute"].types == ("ResearchOrganization",)  # "Washington" alone is the United States
    person = new["Michael Knights"].key
    assert _pairs(compiled, "worksFor") == [(person, new["Washington Institute"].key)]
    assert _pairs(compiled, "said") == [(person, "the drawdown leaves a vacuum in Nineveh")]


def test_a_stance_after_an_apposed_name_and_an_adverb(tmp_path, world):
    text = ("The militia’s leader, Akram al-Kaabi, recently expressed support for attacks on U.S. bases in Syria, "
            "Al Mayadeen reported.")
    draft, _, compiled = draft_text(tmp_path, world, text)
    kaabi = next(e.key for e in draft.new_entities if e.label == "Akram al-Kaabi")
    assert (kaabi, "expressed support for attacks on U.S. bases in Syria") in _pairs(compiled, "said")


def test_a_participle_far_from_its_verb_is_still_the_speaker_s(tmp_path, world):
    text = ("Prime Minister Mohammed Shia al-Sudani described the agreement as a step toward a more balanced and "
            "independent relationship with the United States and its partners in the region, emphasizing Iraq’s "
            "ability to counter remaining Daesh cells on its own.")
    _, _, compiled = draft_text(tmp_path, world, text)
    said = [v for s, v in _pairs(compiled, "said") if s == "mohammed-shia-al-sudani"]
    assert "Iraq’s ability to counter remaining Daesh cells on its own" in said


# --- what things are said to be ------------------------------------------------------------------------------------

def test_a_relative_clause_on_a_name_and_a_participle_judging_the_clause(tmp_path, world):
    text = ("Prime Minister Mohammed Shia al-Sudani, who came to power with the backing of Tehran-aligned parties, "
            "spoke on Sunday. Operation Inherent Resolve will end in September 2026, marking the close of a "
            "decade-long campaign, Shafaq News reported. Yahya Rasool, who spoke to Rudaw, said nothing.")
    _, _, compiled = draft_text(tmp_path, world, text)
    said_of = _pairs(compiled, "characterisation")
    assert ("oir", "marking the close of a decade-long campaign") in said_of
    # "who came to power …" has no verb the rule reads as a description (has/is/was): left alone, as is "who spoke"
    assert [s for s, _ in said_of] == ["oir"]


def test_who_has_is_a_description(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Prime Minister Mohammed Shia al-Sudani, who has close ties to Tehran, "
                                             "met the envoy on Sunday.")
    assert _pairs(compiled, "characterisation") == [("mohammed-shia-al-sudani", "has close ties to Tehran")]


def test_an_outlet_s_loaded_words_and_forces_counted_as_troops(tmp_path, world):
    text = "TEHRAN (IRNA) - About 2,500 US occupation forces remain in Iraq, the so-called international coalition said."
    _, _, compiled = draft_text(tmp_path, world, text)
    [count] = of(compiled, "troopCount")
    assert (count.subject, count.value.quantity.amount, count.value.quantity.approximation) == ("united-states", 2500, "about")
    assert dict(count.qualifiers)["location"].entity == "iraq"
    from oirld.draft import _subclasses
    index = NameIndex(world[1], _subclasses(world[0]))
    assert index.lookup("the so-called international coalition")[0] == "coalition"
    assert index.lookup("US occupation forces")[0] == "us-forces"
    assert index.lookup("so-called") is None


def test_a_phase_opening_the_sentence_owns_its_end_and_purpose(tmp_path, world):
    corpus = compile_other(tmp_path, world, "The first phase of the task force ends soon.", """
  - {about: oir-phase-1, property: phaseOf, value: the task force, quote: The first phase of the task force}
""")
    text = ("During the first phase, coalition advisers will stay at the Harir base near Erbil until March 2026 to "
            "train Peshmerga units, Rudaw reported.")
    rows = draft_text(tmp_path, world, text, corpus=corpus, compile=False)[1]
    claims = [(c["about"], c["property"], c.get("value")) for c in rows]
    assert ("oir-phase-1", "endDate", "until March 2026") in claims
    assert ("oir-phase-1", "purpose", "to train Peshmerga units") in claims


def test_the_first_is_a_phase_only_right_after_a_sentence_announcing_phases(tmp_path, world):
    text = ("Operation Inherent Resolve will wind down in two stages. The first ends next March, Shafaq News said.\n"
            "The first to leave were the Danish trainers.")
    draft, _, _ = draft_text(tmp_path, world, text)
    assert "rule: ordinal-phase" in draft.text and "rule: phase-of-whole" in draft.text
    assert draft.text.count("rule: ordinal-phase") == 1  # the second "The first" (another paragraph) is no phase


def test_who_gave_the_support_and_who_received_it(tmp_path, world):
    corpus = compile_other(tmp_path, world, "The coalition trains Iraqi forces.", """
  - {about: coalition-support, property: carriedOutBy, value: The coalition, quote: The coalition trains Iraqi forces}
""")
    text = ("The coalition has given Iraqi forces more than $4 billion in weapons, Shafaq News reported. "
            "More than $1 billion has been invested by the coalition in training, officials said.")
    rows = draft_text(tmp_path, world, text, corpus=corpus, compile=False)[1]
    claims = [(c["about"], c["property"], c.get("value"), c["rule"]) for c in rows]
    assert ("coalition-support", "carriedOutBy", "coalition", "x-gave-support") in claims
    assert ("coalition-support", "recipient", "Iraqi forces", "x-gave-y-support") in claims
    assert ("coalition-support", "supportValue", "More than $1 billion", "support-figure") in claims
    # "invested by the coalition" states the same claim again: kept as its second passage, not as another claim
    assert sorted(c[3] for c in claims if c[1] == "carriedOutBy") == ["support-by-x", "x-gave-support"]


def test_straight_quotes_around_two_sentences_and_a_participle_after_an_apposition(tmp_path, world):
    text = ('"We have completed the handover. The rest will follow," said Yahya Rasool, a spokesman for the Iraqi '
            "armed forces.\nPrime Minister Mohammed Shia al-Sudani, who has close ties to Tehran, described the deal as "
            "a step toward sovereignty, emphasizing Iraq's ability to fight Daesh alone.")
    assert len(split_sentences(text)) == 2
    _, _, compiled = draft_text(tmp_path, world, text)
    said = _pairs(compiled, "said")
    assert ("yahya-rasool", "We have completed the handover. The rest will follow,") in said
    assert ("mohammed-shia-al-sudani", "Iraq's ability to fight Daesh alone") in said
