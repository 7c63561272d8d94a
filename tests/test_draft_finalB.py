"""`oirld draft`: headlines against the body, and places, actors and attacks in general news grammar, on sentences
written here in the manner of wire copy and regional outlets."""

from __future__ import annotations

from .drafting import compile_other, drafted_facts

OFFENSIVE = """
  - {about: isis-offensive-2014, property: carriedOutBy, value: ISIS, quote: ISIS attacks in Syria and Iraq}
  - {about: isis-offensive-2014, property: location, value: Syria, quote: ISIS attacks in Syria and Iraq}
  - {about: isis-offensive-2014, property: date, value: in 2014, quote: the offensive in 2014}
"""
OFFENSIVE_TEXT = "Analysts recalled ISIS attacks in Syria and Iraq during the offensive in 2014."


def test_recent_attacks_are_not_the_dated_offensive_the_corpus_knows(tmp_path, world):
    corpus = compile_other(tmp_path, world, OFFENSIVE_TEXT, OFFENSIVE)
    _, claims = drafted_facts(tmp_path, world, "Recent ISIS attacks in Syria have worried officials in Baghdad.", corpus)
    doers = {c[0] for c in claims if c[1] == "carriedOutBy"}
    assert doers and "isis-offensive-2014" not in doers


def test_attacks_without_a_word_of_recency_may_be_the_known_offensive(tmp_path, world):
    corpus = compile_other(tmp_path, world, OFFENSIVE_TEXT, OFFENSIVE)
    _, claims = drafted_facts(tmp_path, world, "Officials in Baghdad still remember ISIS attacks in Syria.", corpus)
    assert ("isis-offensive-2014", "carriedOutBy", "ISIS") in claims


# --- headlines ---------------------------------------------------------------------------------------------------------

def _backed(tmp_path, world, text):
    import yaml
    draft, _ = drafted_facts(tmp_path, world, text)
    rows = yaml.safe_load(draft.text)["claims"] or []
    return [r for r in rows if r["property"] == "backedBy"]


def test_a_fact_only_in_the_headline_is_quoted_from_the_headline(tmp_path, world):
    text = ("Iran-backed militias step up pressure on U.S. bases in Iraq\n"
            "Officials in Baghdad said on Monday that two rockets struck near the airport overnight.")
    backed = _backed(tmp_path, world, text)
    assert len(backed) == 1 and backed[0]["quote"] in text.split("\n")[0] and backed[0].get("occurrence", 1) == 1


def test_a_fact_in_headline_and_body_is_quoted_from_the_body(tmp_path, world):
    text = ("Iran-backed militias step up pressure on U.S. bases in Iraq\n"
            "Iran-backed militias fired two rockets near the airport overnight, officials in Baghdad said on Monday.")
    backed = _backed(tmp_path, world, text)
    # one claim, quoted at the second "Iran-backed militias" of the text: the body's
    assert len(backed) == 1 and backed[0]["quote"] == "Iran-backed militias" and backed[0].get("occurrence") == 2


# --- an operation named after its description -------------------------------------------------------------------------

def test_an_operation_named_after_the_description_of_whom_it_fights(tmp_path, world):
    text = ("Washington will wind down its air campaign against the Islamic State group, known as Operation Inherent "
            "Resolve, by the end of next year, officials said.")
    _, claims = drafted_facts(tmp_path, world, text)
    assert ("Operation Inherent Resolve", "opponent", "the Islamic State") in claims, claims


def test_a_name_after_a_group_that_is_not_an_operation_is_not_its_foe(tmp_path, world):
    # the name after "known as" is the group's other name, and the words before "against" describe no operation
    text = ("Tribal elders spoke out against the Islamic State group, known as Daesh in Arabic, at a meeting in Anbar. "
            "Residents who marched against the militants, called Operation Inherent Resolve a success.")
    _, claims = drafted_facts(tmp_path, world, text)
    assert not [c for c in claims if c[1] == "opponent"], claims
