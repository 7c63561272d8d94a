"""`oirld draft`'s stances (supports, opposes, welcomed), the reception of an agreement, and statements whose
attribution sits inside them; each on sentences written here in the manner of wire copy and regional outlets, with
sentences the rules must leave unread."""

from __future__ import annotations

from .drafting import draft_text, of

#: an agreement the draft can name (dated, with its parties), so that later anaphors have something to point to
AGREEMENT = "BAGHDAD (AFP) - The United States signed an agreement with Iraq on Friday to end the coalition mission. "


def _stances(compiled):
    return sorted((c.prop, c.subject, c.value.entity) for c in compiled if c.prop in ("supports", "opposes", "welcomed"))


def test_a_call_for_the_withdrawal_of_forces_supports_the_drawdown_the_registry_names(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "ERBIL (Rudaw) - Kurdish leaders have long called for the withdrawal of "
                                             "coalition forces, according to a statement.")
    assert ("supports", "kurdistan-regional-government", "coalition-drawdown") in _stances(compiled)


def test_a_call_for_a_full_departure_or_an_expulsion_opposes_the_presence(tmp_path, world):
    text = ("The Iran-backed militia Kataib Hezbollah has repeatedly pressed for a full departure of US forces. "
            "Iraqi officials, speaking on Monday, demanded the expulsion of American troops.")
    _, _, compiled = draft_text(tmp_path, world, text)
    stances = _stances(compiled)
    assert ("opposes", "iraqi-officials", "us-presence-iraq") in stances
    assert not any(p == "supports" for p, _, _ in stances)


def test_a_call_for_the_departure_of_forces_the_registry_does_not_know_stays_unread(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Iraqi officials have called for the withdrawal of Turkish forces from "
                                             "the north.")
    assert _stances(compiled) == []


def test_keeping_a_presence_is_supporting_it(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Kurdish leaders have signalled their willingness to maintain a limited "
                                             "U.S. presence beyond 2026.")
    assert ("supports", "kurdistan-regional-government", "us-presence-iraq") in _stances(compiled)


def test_a_negated_call_is_not_a_stance(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Iraqi officials have not called for the withdrawal of coalition forces, "
                                             "a spokesman said.")
    assert _stances(compiled) == []


def test_a_state_that_is_the_subject_of_an_infinitive_is_not_the_target(tmp_path, world):
    # "for the U.S. to transition its mission": the U.S. is who should act, not what is supported
    _, _, compiled = draft_text(tmp_path, world, "Iraqi officials have been particularly vocal in advocating for the U.S. "
                                             "to transition its military mission.")
    assert ("supports", "iraqi-officials", "united-states") not in _stances(compiled)


def test_gratitude_for_a_position_in_pushing_out_forces_welcomes_the_drawdown(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "The militia’s founder, Qais Khazali, recently expressed gratitude for the "
                                             "government's position in pushing out the coalition forces.")
    assert ("welcomed", "qais-khazali", "coalition-drawdown") in _stances(compiled)


def test_described_as_an_important_step_welcomes_the_agreement_named_before(tmp_path, world):
    text = AGREEMENT + ("Al-Sudani described the agreement as an important step toward a balanced relationship. "
                        "Iraqi officials described the agreement as a betrayal of the resistance.")
    _, _, compiled = draft_text(tmp_path, world, text)
    stances = _stances(compiled)
    agreement = next(c.subject for c in compiled if c.prop == "participant")
    assert ("welcomed", "mohammed-shia-al-sudani", agreement) in stances
    assert ("opposes", "iraqi-officials", agreement) in stances


def test_an_anaphor_with_nothing_named_before_stays_unread(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Al-Sudani described the agreement as an important step. The deal has "
                                             "raised concerns among lawmakers.")
    assert _stances(compiled) == [] and of(compiled, "characterisation") == []


def test_the_reception_of_the_agreement_named_before(tmp_path, world):
    text = AGREEMENT + "However, the decision has raised concerns about Iraq’s capability to handle security on its own."
    _, _, compiled = draft_text(tmp_path, world, text)
    agreement = next(c.subject for c in compiled if c.prop == "participant")
    assert [(c.subject, c.value.text) for c in of(compiled, "characterisation")] == [
        (agreement, "has raised concerns about Iraq’s capability to handle security on its own")]


def test_support_for_a_named_state(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Tensions rose in the region, fuelled by continued US support for Israel.")
    assert ("supports", "united-states", "israel") in _stances(compiled)


def test_a_judgement_in_a_statement_opposes_its_target(tmp_path, world):
    text = ("Some analysts, such as Charles Lister from the Middle East Institute, argue that recent attacks indicate "
            "that the planned drawdown could be premature.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert ("opposes", "charles-lister", "coalition-drawdown") in _stances(compiled)
    # a judgement that is negated is no opposition
    (tmp_path / "b").mkdir()
    _, _, compiled = draft_text(tmp_path / "b", world, "Charles Lister from the Middle East Institute argued that the planned "
                                             "drawdown would not be premature.")
    assert _stances(compiled) == []


def test_welcoming_a_description_of_a_single_event_from_another_article_stays_unread(tmp_path, world):
    # the registry calls the 2024 agreement "the deal"; in a new article "the deal" may be another one
    _, _, compiled = draft_text(tmp_path, world, "The Coordination Framework welcomed the deal on Sunday.")
    assert _stances(compiled) == []


# --- statements cut by their attribution -----------------------------------------------------------------------------

def test_a_paraphrase_cut_by_its_attribution(tmp_path, world):
    text = ("WASHINGTON (AP) - A senior U.S. military official briefed reporters on Friday. Ending the mission now, "
            "the military official continued, reflects a weakened ISIS and a stronger Iraqi army.")
    _, _, compiled = draft_text(tmp_path, world, text)
    said = [c for c in of(compiled, "said") if "weakened" in c.value.text]
    assert [c.value.text for c in said] == ["reflects a weakened ISIS and a stronger Iraqi army"]
    assert said[0].subject not in ("united-states",)


def test_a_cut_sentence_without_a_speaker_stays_unread(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Ending the mission now, the campaign continued, reflects a weakened ISIS "
                                             "and a stronger Iraqi army.")
    assert of(compiled, "said") == []


def test_what_a_speaker_who_declined_to_say_more_did_say(tmp_path, world):
    text = ("A senior Iraqi security official declined to say how many advisers would stay, other than to say that "
            "the Victory base would be handed over by September.")
    _, _, compiled = draft_text(tmp_path, world, text)
    said = of(compiled, "said")
    assert [c.value.text for c in said] == ["the Victory base would be handed over by September"]
    (tmp_path / "b").mkdir()
    _, _, compiled = draft_text(tmp_path / "b", world, "The base will close soon, other than to say nothing.")
    assert of(compiled, "said") == []


# --- paraphrases: auxiliaries, appositions, quotations --------------------------------------------------------------

def test_a_paraphrase_after_has_said(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Iraqi officials have repeatedly said that the coalition's advisers "
                                             "will leave federal Iraq by September.")
    assert [(c.subject, c.value.text) for c in of(compiled, "said")] == [
        ("iraqi-officials", "the coalition's advisers will leave federal Iraq by September")]


def test_a_name_inside_an_apposition_is_not_the_speaker(tmp_path, world):
    text = ("Prime Minister Mohammed Shia al-Sudani, who has close ties to Iran, has been particularly vocal in "
            "advocating for a timetable for the coalition's exit, especially after the strikes in Baghdad.")
    _, _, compiled = draft_text(tmp_path, world, text)
    said = of(compiled, "said")
    assert [(c.subject, c.value.text) for c in said] == [
        ("mohammed-shia-al-sudani", "advocating for a timetable for the coalition's exit")]
    assert not any(c.subject == "iran" for c in compiled if c.prop in ("said", "supports", "opposes", "welcomed"))


def test_a_paraphrase_that_would_cut_a_quotation_is_left_to_the_quotation(tmp_path, world):
    text = "Pentagon spokesman Pat Ryder acknowledged that the U.S. military’s “footprint is going to change,” but gave no figures."
    _, _, compiled = draft_text(tmp_path, world, text)
    said = of(compiled, "said")
    assert said and all("“" not in c.value.text and "”" not in c.value.text for c in said)


def test_an_attributed_sentence_with_a_verb_before_the_attribution_is_not_cut(tmp_path, world):
    # "Washington will keep advisers …, an official said, declining …": the words after the attribution are the
    # official's manner, not the statement
    text = ("A senior U.S. defence official briefed reporters. Washington will keep advisers in Erbil, the defence "
            "official said, declining to give numbers.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert not any(c.value.text.startswith("declining") for c in of(compiled, "said"))


def test_the_local_government_of_the_region_named_before_where(tmp_path, world):
    text = ("Some advisers may stay in Iraq’s Kurdistan region, where the local government has expressed interest in "
            "keeping a U.S. presence.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert ("supports", "kurdistan-regional-government", "us-presence-iraq") in _stances(compiled)
    assert [c.subject for c in of(compiled, "said")] == ["kurdistan-regional-government"]


def test_a_local_government_with_no_region_before_where_stays_unread(tmp_path, world):
    text = "In Baghdad, the local government has expressed interest in keeping a U.S. presence at the airport."
    _, _, compiled = draft_text(tmp_path, world, text)
    assert _stances(compiled) == [] and of(compiled, "said") == []


def test_stance_verbs_that_are_no_stance_on_what_follows(tmp_path, world):
    text = ("Iraq urged Washington on Monday to share intelligence. Sudani, speaking to Biden, welcomed the "
            "expulsion of American troops. The United States rejected calls for the withdrawal of its forces. "
            "Iraq welcomed the withdrawal of Turkish forces from the border. The Pentagon was welcomed by Iraq as a "
            "partner. Iraq condemned the US strike on a militia headquarters.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert _stances(compiled) == []


def test_a_name_inside_a_phrase_between_commas_does_not_speak(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Sudani, speaking to Biden, welcomed the withdrawal of coalition forces.")
    assert _stances(compiled) == [("welcomed", "mohammed-shia-al-sudani", "coalition-drawdown")]


def test_the_suggestion_for_a_statement_by_undescribed_officials(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "BAGHDAD (Reuters) - Iraqi troops took over the base on Sunday. "
                                                 "Officials stressed that the transition is not a withdrawal.")
    assert of(compiled, "said") == []
    assert "# suggestion, line 1: a statement by officials the article does not describe" in draft.text


def test_what_talks_are_about(tmp_path, world):
    text = ("Iraqi lawmakers stressed the need for direct talks between the US and Iraq on the US military presence "
            "after 2026.")
    _, _, compiled = draft_text(tmp_path, world, text)
    about = of(compiled, "about")
    talks = {c.subject for c in of(compiled, "participant")}
    assert [(c.subject in talks, c.value.entity) for c in about] == [(True, "us-presence-iraq")]
    (tmp_path / "b").mkdir()
    _, _, compiled = draft_text(tmp_path / "b", world, "Iraqi lawmakers stressed the need for direct talks between the US "
                                                   "and Iraq on the future of their economic ties.")
    assert of(compiled, "about") == []


def test_what_a_standing_situation_is_said_to_be(tmp_path, world):
    text = ("The deal matters for Iraq, where the presence of U.S. troops has been a point of contention, especially "
            "given growing Iranian influence. The U.S. presence is not a problem, one lawmaker said. The agreement "
            "is a turning point, and the militias know it. The US presence is a violation of Iraqi sovereignty, "
            "Kataib Hezbollah said.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert [(c.subject, c.value.text) for c in of(compiled, "characterisation")] == [
        ("us-presence-iraq", "a point of contention, especially given growing Iranian influence")]


def test_armed_factions_described_by_their_bloc_speak_not_the_bloc(tmp_path, world):
    text = ("Armed factions within the Coordination Framework have long pressed for a full departure of US forces. "
            "Militias in Anbar have called for the expulsion of American troops. Groups of protesters have called for "
            "the withdrawal of coalition forces.")
    draft, _, compiled = draft_text(tmp_path, world, text)
    group = {e.key: e for e in draft.new_entities}
    stances = _stances(compiled)
    assert len(stances) == 1 and stances[0][0] == "opposes" and stances[0][2] == "us-presence-iraq"
    assert group[stances[0][1]].label == "Armed factions within the Coordination Framework"
    assert group[stances[0][1]].types == ("ArmedGroup",)
    assert {c.subject for c in of(compiled, "said")} == {stances[0][1]}


def test_a_quotation_that_opens_with_the_speakers_stance(tmp_path, world):
    text = ("“We welcome the withdrawal of coalition forces and the end of the occupation,” said Qais Khazali, the "
            "leader of Asaib Ahl al-Haq. “We reject a U.S. presence in any form,” Khazali added. “We do not welcome "
            "the withdrawal of coalition forces,” a lawmaker said.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert _stances(compiled) == [("opposes", "qais-khazali", "us-presence-iraq"),
                                  ("welcomed", "qais-khazali", "coalition-drawdown")]


def test_an_author_speaks_through_their_analysis(tmp_path, world):
    text = ("Renad Mansour is a senior research fellow at Chatham House. Mansour’s latest analysis for Chatham House "
            "argues that the coalition's exit leaves Baghdad exposed to pressure from Tehran.")
    _, _, compiled = draft_text(tmp_path, world, text)
    said = of(compiled, "said")
    assert [(c.subject, c.value.text) for c in said] == [
        ("renad-mansour", "the coalition's exit leaves Baghdad exposed to pressure from Tehran")]


# --- "the decision", when the article names no agreement ------------------------------------------------------------

def _with_corpus(tmp_path, world, curated, text):
    return draft_text(tmp_path, world, text, corpus=list(curated.claims), compile=False)[1]


def test_the_decision_to_end_the_operation_is_the_agreement_the_corpus_says_ends_it(tmp_path, world, curated):
    text = ("Operation Inherent Resolve, led by the US, will come to an end by September 2026. This decision marks the "
            "transition to Iraqi command, reinforced by a decade of support. The decision to end the task force by "
            "September 2026 signals two trends: a weaker Daesh and a stronger Iraqi army.")
    claims = _with_corpus(tmp_path, world, curated, text)
    agreements = {c.subject for c in curated.claims if c.prop == "about" and c.value.entity == "oir"
                  and c.subject in world[1].entities and "Agreement" in world[1].entities[c.subject].types}
    assert len(agreements) == 1
    key = agreements.pop()
    got = sorted((c["property"], c.get("value")) for c in claims if c["about"] == key)
    assert ("characterisation", "marks the transition to Iraqi command") in got
    assert ("characterisation", "signals two trends: a weaker Daesh and a stronger Iraqi army") in got
    assert any(p == "about" for p, _ in got)


def test_a_decision_with_no_operation_ending_before_stays_unread(tmp_path, world, curated):
    text = "Iraqi lawmakers met in Baghdad on Sunday. This decision marks a new chapter for the country."
    claims = _with_corpus(tmp_path, world, curated, text)
    assert not any(c["property"] in ("characterisation", "about") for c in claims)


def test_words_after_a_dash_following_the_attribution_are_no_statement(tmp_path, world):
    # the dash opens the reporter's gloss: the statement is the clause before the attribution
    text = ("The coalition will leave Ain al-Asad air base by September 2025, Iraqi officials said on Friday — the "
            "first step in a two-year transition agreed with Washington.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert [c.value.text for c in of(compiled, "said")] == [
        "The coalition will leave Ain al-Asad air base by September 2025"]


def test_a_participle_citing_a_reason_ends_the_paraphrase(tmp_path, world):
    text = ("Kurdish leaders have signalled their willingness to maintain a limited U.S. presence beyond 2026, citing "
            "the threat of ISIS cells.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert [c.value.text for c in of(compiled, "said")] == [
        "their willingness to maintain a limited U.S. presence beyond 2026"]


def test_the_place_forces_should_leave_must_be_the_one_the_registry_means(tmp_path, world):
    text = ("Iraqi officials have demanded the complete expulsion of U.S. forces from Iraq. Iraqi lawmakers have "
            "called for the complete withdrawal of US forces from the region.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert _stances(compiled) == [("opposes", "iraqi-officials", "us-presence-iraq")]


def test_the_plan_is_the_withdrawal_named_just_before(tmp_path, world):
    text = ("The Pentagon said the coalition’s drawdown was the result of success against ISIS. The Defense Department "
            "welcomed Baghdad’s support for the plan. Iraq’s cabinet approved a budget on Monday. Tehran voiced "
            "support for the plan to build a railway.")
    _, _, compiled = draft_text(tmp_path, world, text)
    assert ("supports", "iraq", "coalition-drawdown") in _stances(compiled)
    assert not any(s == "iran" for _, s, _ in _stances(compiled))
    (tmp_path / "b").mkdir()
    _, _, compiled = draft_text(tmp_path / "b", world, "Iraq’s cabinet approved a budget on Monday. Baghdad’s support for "
                                                   "the plan was clear.")
    assert _stances(compiled) == []
