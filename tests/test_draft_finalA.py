"""oirld.draft.provisions on forces leaving under an agreement ("Under the deal, U.S. troops will leave …",
"reduce its military role under a deal struck with Baghdad"), on sentences written for these tests in the manner
of wire copy and regional outlets; each rule also meets sentences it must leave alone."""

from __future__ import annotations

from oirld.claims import Claim, Value

from .drafting import MISSION_DATE, draft_text

#: an agreement between two states named before the sentence under test (the registry's transition agreement)
REACHED = "The United States has reached a deal with the Iraqi government to end the coalition mission by 2026.\n\n"
#: what the other articles say the agreement is about: a drawdown in general and a move from one named base
CORPUS = [Claim("transition-agreement", "participant", Value("entity", entity="united-states")),
          Claim("transition-agreement", "participant", Value("entity", entity="iraq")),
          Claim("transition-agreement", "about", Value("entity", entity="coalition-drawdown")),
          Claim("transition-agreement", "about", Value("entity", entity="withdrawal-key-bases")),
          Claim("withdrawal-key-bases", "fromPlace", Value("entity", entity="ain-al-asad"))]


def _about(tmp_path, world, text, corpus=CORPUS):
    items = draft_text(tmp_path, world, text, corpus=corpus, date=MISSION_DATE, compile=False)[1]
    return [(c["about"], c["value"], c["rule"]) for c in items if c["property"] == "about"]


def test_under_the_deal_forces_leave_is_the_drawdown(tmp_path, world):
    got = _about(tmp_path, world, REACHED + "Under the deal, U.S. troops will gradually leave several bases in Iraq "
                                            "over the next two years, AFP reported.")
    assert ("transition-agreement", "coalition-drawdown", "agreement-sees-forces-leave") in got
    assert not any(v == "withdrawal-key-bases" for _, v, _ in got)  # the one base move is not the drawdown


def test_the_deal_will_see_coalition_forces_withdraw(tmp_path, world):
    got = _about(tmp_path, world, REACHED + "The deal will see coalition forces withdraw from federal Iraq, Rudaw "
                                            "understands.")
    assert ("transition-agreement", "coalition-drawdown", "agreement-sees-forces-leave") in got


def test_reduce_its_military_role_under_a_deal(tmp_path, world):
    got = _about(tmp_path, world, "The Pentagon reaffirmed its commitment to reduce its military role under a deal "
                                  "struck with Baghdad, Reuters reported.")
    assert ("transition-agreement", "coalition-drawdown", "reduce-role-under-agreement") in got


def test_forces_that_stay_or_train_are_not_a_drawdown(tmp_path, world):
    got = _about(tmp_path, world, REACHED + "Under the deal, U.S. troops will train Iraqi forces at Ain al-Asad, "
                                            "officials told Reuters.")
    assert not any(r in ("agreement-sees-forces-leave", "reduce-role-under-agreement") for _, _, r in got)


def test_no_agreement_named_before_stays_unread(tmp_path, world):
    got = _about(tmp_path, world, "Under the deal, U.S. troops will gradually leave several bases, Shafaq News "
                                  "reported.")
    assert got == []


def test_unnamed_forces_are_not_read(tmp_path, world):
    got = _about(tmp_path, world, REACHED + "Under the deal, some troops will leave the country, The National "
                                            "reported.")
    assert not any(r == "agreement-sees-forces-leave" for _, _, r in got)


def test_two_drawdowns_in_the_corpus_leave_it_unread(tmp_path, world):
    corpus = CORPUS + [Claim("transition-agreement", "about", Value("entity", entity="us-presence-iraq"))] + [
        Claim("transition-agreement", "about", Value("entity", entity="withdrawal-key-bases-2"))]
    corpus = [c for c in corpus if c.subject != "withdrawal-key-bases"]  # now two withdrawals name no base
    got = _about(tmp_path, world, REACHED + "Under the deal, U.S. troops will gradually leave several bases in Iraq, "
                                            "AFP reported.", corpus)
    assert not any(r == "agreement-sees-forces-leave" for _, _, r in got)


def test_a_role_reduced_outside_a_deal_is_not_read(tmp_path, world):
    got = _about(tmp_path, world, "Iraqi officials said Washington would reduce its military role in the region after "
                                  "the elections, Press TV reported.")
    assert not any(r == "reduce-role-under-agreement" for _, _, r in got)


def _dates(tmp_path, world, text):
    items = draft_text(tmp_path, world, text, corpus=CORPUS, date=MISSION_DATE, compile=False)[1]
    return [(c["about"], c["value"]) for c in items if c["property"] == "endDate" and c["rule"] == "forces-leave-by"]


def test_the_deadline_of_forces_leaving_under_the_deal_ends_the_drawdown(tmp_path, world):
    got = _dates(tmp_path, world, REACHED + "Under the deal, U.S. troops will gradually leave several bases in Iraq, "
                                            "completing the transition by September 2026, Kurdistan24 reported.")
    assert got == [("coalition-drawdown", "by September 2026")]


def test_a_date_after_another_clause_is_not_the_deadline(tmp_path, world):
    got = _dates(tmp_path, world, REACHED + "Under the deal, U.S. troops will gradually leave several bases in Iraq, "
                                            "but advisers will stay in Erbil until 2027, AP reported.")
    assert got == []


def test_a_start_date_is_not_a_deadline(tmp_path, world):
    got = _dates(tmp_path, world, REACHED + "Under the deal, coalition forces will begin to withdraw in September "
                                            "2025, AFP reported.")
    assert got == []
