"""`oirld draft`'s rules for the actors of events and for bases and places, on sentences written here in the manner of
wire copy and regional outlets: what each grammar reads, and the look-alike sentences it must leave alone."""

from __future__ import annotations

from .drafting import draft_text, of


def _pairs(compiled, prop):
    return sorted((c.subject, c.value.entity or c.value.text or c.value.label()) for c in of(compiled, prop))


# --- the end of the mission: the date must govern the ending -------------------------------------------------------

def test_a_date_of_another_verb_is_not_the_end_of_the_operation(tmp_path, world):
    # regression: "Talks on the end of Operation Inherent Resolve resumed on Monday" gave OIR endDate "on Monday"
    _, _, compiled = draft_text(tmp_path, world, "Talks on the end of Operation Inherent Resolve resumed on Monday in "
                                             "Baghdad, officials said.")
    assert of(compiled, "endDate") == []


def test_a_date_right_after_the_ending_still_dates_it(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Operation Inherent Resolve will end in September 2025, the Iraqi "
                                             "foreign ministry said.")
    assert [c.subject for c in of(compiled, "endDate")] == ["oir"]


# --- a known base in a place no earlier article named ---------------------------------------------------------------

def test_a_base_in_a_compass_part_of_a_new_province(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "Rockets struck near the Ain al-Asad air base in western Nineveh "
                                                 "province late on Tuesday, Shafaq News reported.")
    new = {e.key: e for e in draft.new_entities}
    located = of(compiled, "locatedIn")
    assert [c.subject for c in located] == ["al-asad-airbase"]
    assert located[0].value.entity in new and new[located[0].value.entity].label.startswith("Nineveh")


def test_a_bare_possessive_before_a_base_is_only_a_suggestion(tmp_path, world):
    # "Mosul's … base" names a place, "Nujaba's … base" a group: a bare unknown possessor cannot tell them apart
    for sentence in ("Troops left Mosul’s Ain al-Asad air base on Friday, AFP said.",
                     "Drones struck Nujaba’s Ain al-Asad air base positions on Friday, AFP said."):
        draft, _, compiled = draft_text(tmp_path, world, sentence)
        new = {e.key for e in draft.new_entities}
        assert not [c for c in of(compiled, "locatedIn") if c.value.entity in new]
        assert "new-place-of-base" in draft.text  # left to the reviewer as a commented suggestion


def test_whose_base_or_a_vague_direction_is_no_place(tmp_path, world):
    # a possessive after "the" is a doer's, and "in western media" / "in northern Iraq" (known) add no new place
    draft, _, compiled = draft_text(tmp_path, world, "The militia’s Ain al-Asad air base raid was reported in western "
                                                 "media. The Ain al-Asad air base in the West Was Won exhibition.")
    assert not [c for c in of(compiled, "locatedIn") if c.value.entity in {e.key for e in draft.new_entities}]


# --- a new backer in "X, which backs Y" --------------------------------------------------------------------------------

def test_a_new_bloc_which_backs_a_known_government(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "Lawmakers from Iraq’s Shia National Alliance, which backs the "
                                                 "Iraqi government, rejected the plan on Sunday, Rudaw reported.")
    new = {e.key: e for e in draft.new_entities}
    backed = [(c.subject, new[c.value.entity].label, new[c.value.entity].types) for c in of(compiled, "backedBy")
              if c.value.entity in new]
    assert backed == [("iraq", "Shia National Alliance", ("PoliticalBloc",))]


def test_which_backs_an_unknown_target_or_after_one_word_is_left_alone(tmp_path, world):
    draft, _, compiled = draft_text(tmp_path, world, "Parliament heard from the Baghdad Reform Society, which backs the "
                                                 "Saraya Peace Initiative. Analysts named Hikma, which backs the Iraqi "
                                                 "government.")
    assert not [c for c in of(compiled, "backedBy") if c.value.entity in {e.key for e in draft.new_entities}]


# --- factions within a bloc ---------------------------------------------------------------------------------------

def test_factions_within_the_bloc_a_description_points_back_to(tmp_path, world):
    text = ("Iraq’s Sunni Sovereignty Framework, which backs the Iraqi government, welcomed the decision. "
            "Armed factions within the Sunni alliance have rejected any delay, Kurdistan24 reported.")
    draft, _, compiled = draft_text(tmp_path, world, text)
    new = {e.key: e for e in draft.new_entities}
    part = [(new[c.subject].label, new[c.value.entity].label) for c in of(compiled, "partOf") if c.subject in new]
    assert part == [("Armed factions within the Sunni alliance", "Sunni Sovereignty Framework")]


def test_factions_within_an_alliance_the_article_never_named_are_left_alone(tmp_path, world):
    text = ("Iraq’s Sunni Sovereignty Framework, which backs the Iraqi government, welcomed the decision. "
            "Armed factions within the Shia alliance have rejected any delay.")
    draft, _, compiled = draft_text(tmp_path, world, text)
    assert not [c for c in of(compiled, "partOf") if c.subject in {e.key for e in draft.new_entities}]


# --- partners singled out after a comma ------------------------------------------------------------------------------

def test_partners_singled_out_after_a_partnership(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Baghdad wants a long-term security partnership, particularly with "
                                             "Washington and Tehran, The National reported.")
    assert sorted(c.value.entity for c in of(compiled, "participant")) == ["iran", "united-states"]


def test_singled_out_with_no_partnership_before_is_left_alone(tmp_path, world):
    _, _, compiled = draft_text(tmp_path, world, "Baghdad has expanded its trade, particularly with Washington and "
                                             "Tehran, Shafaq News reported.")
    assert of(compiled, "participant") == []
