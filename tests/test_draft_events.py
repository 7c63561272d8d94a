"""`oirld draft`'s rules for attacks, raids, wars and their places, on sentences written here in the manner of wire
copy and regional outlets; and the identity of an attack another article already reports (what agrees decides)."""

from __future__ import annotations

import pytest
import yaml


from .drafting import compile_other, drafted_facts

RAID = """
  - {about: raid-western-iraq, property: date, value: in August 2023, quote: the joint raid carried out in August 2023}
  - {about: raid-western-iraq, property: killedCount, value: 14 members of Daech, quote: killed 14 members of Daech, qualifiers: {victim: Daech}}
  - {about: raid-western-iraq, property: leadersKilledCount, value: 4 senior officials, quote: including 4 senior officials}
"""
RAID_TEXT = ("Officials recalled the joint raid carried out in August 2023, which killed 14 members of Daech, "
             "including 4 senior officials.")
SERIES = """
  - {about: militia-attacks, property: carriedOutBy, value: Iran-backed militias, quote: Iran-backed militias attacked US forces}
  - {about: militia-attacks, property: target, value: US forces, quote: Iran-backed militias attacked US forces}
"""


# --- one attack, two sources ---------------------------------------------------------------------------------------

def test_the_same_raid_with_another_date_is_the_known_raid_and_the_date_a_claim_of_this_source(tmp_path, world):
    corpus = compile_other(tmp_path, world, RAID_TEXT, RAID)
    text = ("BAGHDAD (AFP) - In late August, U.S. and Iraqi forces carried out a raid in the Anbar desert that killed "
            "14 Islamic State militants, including four leaders, as announced by CENTCOM. Two American service members "
            "were wounded in the raid.")
    draft, claims = drafted_facts(tmp_path, world, text, corpus)
    about_raid = {(p, v) for a, p, v in claims if a == "raid-western-iraq"}
    assert ("date", "In late August") in about_raid            # the disagreeing date, as this source words it
    assert ("killedCount", "14 Islamic State militants") in about_raid
    assert ("leadersKilledCount", "four leaders") in about_raid
    assert ("announcedBy", "CENTCOM") in about_raid
    assert {("carriedOutBy", "us-forces"), ("carriedOutBy", "Iraqi forces")} <= about_raid
    assert ("injuredCount", "Two American service members") in about_raid   # "the raid" is the one just named
    assert not [e for e in draft.new_entities if {"Raid", "Attack"} & set(e.types)]


PLACED = """
  - {about: raid-western-iraq, property: location, value: western Iraq, quote: The raid took place in western Iraq}
"""


@pytest.mark.parametrize("text, extra", [
    # the same toll in another month
    ("In March, Iraqi forces killed 14 Islamic State militants, including four leaders, in a raid in Kirkuk.", ""),
    # the same toll and month a year off, in another place (one the registry does not know)
    ("In August, a raid in Kirkuk killed 14 Islamic State militants, including four leaders, police said.", PLACED),
    # another toll on the same date
    ("In August 2023, a joint raid in Anbar killed nine Islamic State militants, including two leaders.", ""),
])
def test_what_disagrees_makes_another_raid(tmp_path, world, text, extra):
    corpus = compile_other(tmp_path, world, RAID_TEXT + " The raid took place in western Iraq.", RAID + extra)
    _, claims = drafted_facts(tmp_path, world, text, corpus)
    assert not [c for c in claims if c[0] == "raid-western-iraq"]


def test_the_same_raid_on_a_compatible_date_is_the_known_raid(tmp_path, world):
    corpus = compile_other(tmp_path, world, RAID_TEXT, RAID)
    text = "The operation in August 2023 killed 14 Daesh fighters, including four leaders, the Iraqi military said."
    _, claims = drafted_facts(tmp_path, world, text, corpus)
    assert ("raid-western-iraq", "killedCount", "14 Daesh fighters") in claims
    assert ("raid-western-iraq", "date", "in August 2023") in claims


def test_a_doer_and_a_place_alone_do_not_make_one_attack_the_series(tmp_path, world):
    corpus = compile_other(tmp_path, world, "Iran-backed militias attacked US forces in Syria.", SERIES + """
  - {about: militia-attacks, property: location, value: Syria, quote: US forces in Syria}
""")
    text = "Iran-backed militias launched a drone attack in Syria on Monday that wounded three U.S. soldiers."
    _, claims = drafted_facts(tmp_path, world, text, corpus)
    assert not [c for c in claims if c[0] == "militia-attacks" and c[1] == "injuredCount"]


# --- places of attacks -----------------------------------------------------------------------------------------------

def test_a_border_told_from_one_side_gives_the_border_area_and_the_state(tmp_path, world):
    text = "A rocket attack on Sunday wounded three U.S. soldiers just over the Iraqi border in Syria, the Pentagon said."
    _, claims = drafted_facts(tmp_path, world, text)
    places = {v for _, p, v in claims if p == "location"}
    assert "iraq-syria-border" in places and "Syria" in places


def test_a_border_of_two_demonyms_and_a_new_border_area(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "A drone strike near the Syrian-Jordanian border on Tuesday killed two militants.")
    assert "syria-jordan-border" in {v for _, p, v in claims if p == "location"}
    draft, claims = drafted_facts(tmp_path, world, "A drone strike killed four PKK fighters on Friday near the border between "
                                             "Iraq and Turkey, Rudaw reported.")
    new = {e.key: e for e in draft.new_entities}
    [border] = [v for _, p, v in claims if p == "location" and v in new]
    assert new[border].label == "Iraq–Turkey border area" and new[border].types == ("Region",)


def test_a_border_with_no_attack_is_no_claim(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "Iraq’s border with Syria remains porous, a border guard commander said.")
    assert not [c for c in claims if c[1] == "location"]


def test_an_attack_inside_a_series_is_part_of_it(tmp_path, world):
    corpus = compile_other(tmp_path, world, "Iran-backed militias attacked US forces dozens of times.", SERIES)
    text = ("Iranian-backed militias have struck U.S. bases in Iraq and Syria, including a drone attack that killed "
            "three soldiers at an outpost in Jordan in January.")
    draft, claims = drafted_facts(tmp_path, world, text, corpus)
    part = [c for c in claims if c[1] == "partOf"]
    assert len(part) == 1 and part[0][2] == "militia-attacks" and part[0][0] != "militia-attacks"
    assert (part[0][0], "location", "Jordan") in claims


def test_a_group_s_attacks_in_a_place_near_a_border(tmp_path, world):
    text = ("Analysts say renewed Islamic State attacks in Syria, near Turkey’s border, show the group can still "
            "regroup.")
    draft, claims = drafted_facts(tmp_path, world, text)
    [attack] = [a for a, p, v in claims if p == "carriedOutBy" and v == "Islamic State"]
    assert (attack, "location", "Syria") in claims
    border = next(v for a, p, v in claims if a == attack and p == "location" and v != "Syria")
    assert {e.key: e.label for e in draft.new_entities}[border] == "Syria–Turkey border area"


def test_these_groups_are_the_group_named_before(tmp_path, world):
    corpus = compile_other(tmp_path, world, "Iran-backed militias attacked US forces dozens of times.", SERIES)
    text = ("Washington also faces Iran-backed militias. Since 2023, these groups have launched dozens of attacks on "
            "U.S. troops in Syria. In February, a strike by one of these militias killed two U.S. soldiers in Tanf.")
    _, claims = drafted_facts(tmp_path, world, text, corpus)
    assert ("militia-attacks", "carriedOutBy", "iran-backed-militias") in claims
    assert ("militia-attacks", "target", "us-forces") in claims
    strike = [a for a, p, v in claims if p == "killedCount"]
    assert strike and (strike[0], "carriedOutBy", "iran-backed-militias") in claims
    assert (strike[0], "partOf", "militia-attacks") in claims


def test_these_groups_with_no_group_before_is_no_claim(tmp_path, world):
    corpus = compile_other(tmp_path, world, "Iran-backed militias attacked US forces dozens of times.", SERIES)
    text = "Since 2023, these groups have launched dozens of attacks on U.S. troops in Syria."
    _, claims = drafted_facts(tmp_path, world, text, corpus)
    assert not [c for c in claims if c[1] == "carriedOutBy"]


def test_forces_under_the_command_of_a_command(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "About 2,500 U.S. troops in Iraq serve under the command of CENTCOM.")
    assert ("us-forces", "ledBy", "CENTCOM") in claims


# --- wars, invasions, a group's defeat -------------------------------------------------------------------------------

def test_the_start_of_a_known_war(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "Since the war erupted in Gaza last October, militias have stepped up attacks.")
    assert ("gaza-war", "startDate", "last October") in claims
    _, claims = drafted_facts(tmp_path, world, "The war in Gaza, which began in October 2023, reshaped the region.")
    assert ("gaza-war", "startDate", "in October 2023") in claims


def test_an_unknown_war_or_a_war_with_no_time_is_no_claim(tmp_path, world):
    draft, claims = drafted_facts(tmp_path, world, "Since the war started in Yemen, the Houthis have fired missiles at ships. "
                                             "The war in Gaza began to reshape U.S. policy.")
    assert not [c for c in claims if c[1] == "startDate"]
    assert not [e for e in draft.new_entities if "War" in e.types]


def test_a_group_s_loss_of_territory_state_by_state(tmp_path, world):
    text = "Daesh lost its grip on territory in Iraq in 2017, and in Syria two years later."
    draft, claims = drafted_facts(tmp_path, world, text)
    assert ("isis-territorial-defeat-iraq", "date", "in 2017") in claims
    assert ("isis-territorial-defeat-syria", "date", "two years later") in claims
    assert ("isis-territorial-defeat-iraq", "location", "Iraq") in claims
    assert ("isis-territorial-defeat-syria", "location", "Syria") in claims
    rows = yaml.safe_load(draft.text)["claims"]
    later = next(r for r in rows if r.get("value") == "two years later")
    assert later["anchor"] == "in 2017"


def test_a_declared_victory_is_dated_and_announced(tmp_path, world):
    text = "Iraqi forces, backed by coalition air power, declared victory over Daesh in December 2017."
    _, claims = drafted_facts(tmp_path, world, text)
    assert ("isis-territorial-defeat-iraq", "date", "in December 2017") in claims
    assert ("isis-territorial-defeat-iraq", "announcedBy", "Iraqi forces") in claims
    assert not [c for c in claims if c[1] == "location"]  # the declarer's state is no place the words name


def test_a_loss_that_is_not_territory_is_no_defeat(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "ISIS lost two senior commanders in Iraq in 2023, the army said.")
    assert not [c for c in claims if c[0].startswith("isis-territorial-defeat")]


def test_a_dated_invasion(tmp_path, world):
    for text in ("The 2003 U.S. invasion of Iraq toppled Saddam Hussein.",
                 "Two decades after the US-led invasion of Iraq in 2003, troops remain."):
        _, claims = drafted_facts(tmp_path, world, text)
        assert {("invasion-of-iraq-2003", "date", "2003"), ("invasion-of-iraq-2003", "carriedOutBy", "united-states"),
                ("invasion-of-iraq-2003", "location", "iraq")} <= claims, text
    _, claims = drafted_facts(tmp_path, world, "Critics called the new data law an invasion of privacy in 2024.")
    assert not [c for c in claims if c[1] == "carriedOutBy"]


def test_a_state_inside_the_doer_s_name_is_not_the_doer(tmp_path, world):
    text = ("The Islamic Resistance in Iraq says its fighters carried out a drone attack on a US base near the "
            "Jordanian-Syrian border on Sunday, killing three American soldiers.")
    _, claims = drafted_facts(tmp_path, world, text, date="2024-01-29")
    assert not [c for c in claims if c[1] == "carriedOutBy" and c[2] in ("Iraq", "iraq")]
    assert "syria-jordan-border" in {v for _, p, v in claims if p == "location"}


def test_a_demonym_and_forces_are_both_forces(tmp_path, world):
    corpus = compile_other(tmp_path, world, RAID_TEXT, RAID)
    text = "Iraqi and US forces carried out a joint operation in August 2023 that killed 14 ISIS members, including four leaders."
    _, claims = drafted_facts(tmp_path, world, text, corpus, date="2024-10-01")
    assert {("raid-western-iraq", "carriedOutBy", "iraqi-security-forces"),
            ("raid-western-iraq", "carriedOutBy", "US forces")} <= claims


def test_a_state_is_no_other_place_than_a_region_named_after_it(tmp_path, world):
    corpus = compile_other(tmp_path, world, RAID_TEXT + " The raid took place in western Iraq.", RAID + PLACED)
    text = "A joint raid in Iraq’s western desert in late August killed 14 ISIS members, including four leaders."
    _, claims = drafted_facts(tmp_path, world, text, corpus)
    assert ("raid-western-iraq", "date", "in late August") in claims


def test_a_loaded_word_in_a_victim_s_name_still_compiles(tmp_path, world):
    draft, claims = drafted_facts(tmp_path, world, "A drone attack near the Syrian-Jordanian border on Sunday killed three US "
                                             "occupation troops, the resistance said.", date="2024-01-29")
    assert [c for c in claims if c[1] == "killedCount"]
    assert "compiler refused" not in draft.text


def test_a_registry_name_of_a_group_s_attacks_gives_its_doer_place_and_border(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "Recent ISIS attacks in Syria, near the Iraqi border, worry Baghdad.")
    assert {("isis-attacks-syria", "carriedOutBy", "ISIS"), ("isis-attacks-syria", "location", "Syria"),
            ("isis-attacks-syria", "location", "iraq-syria-border")} <= claims


# --- named agreements, founders ---------------------------------------------------------------------------------------

def test_a_named_agreement_with_its_year_and_the_states_its_name_joins(tmp_path, world):
    text = "The move builds on the 2019 US-Kuwait Defense Cooperation Agreement, the ministry said."
    draft, claims = drafted_facts(tmp_path, world, text)
    [new] = [e for e in draft.new_entities if "Agreement" in e.types]
    assert new.label == "US-Kuwait Defense Cooperation Agreement"
    assert {(new.key, "date", "2019"), (new.key, "participant", "united-states"), (new.key, "participant", "kuwait")} <= claims


def test_a_capitalised_agreement_with_no_year_or_parties_is_no_new_thing(tmp_path, world):
    draft, claims = drafted_facts(tmp_path, world, "Officials praised the Framework Agreement on Monday.")
    assert not [e for e in draft.new_entities if "Agreement" in e.types]


def test_a_group_s_founder_named_after_it(tmp_path, world):
    text = ("Asaib Ahl al-Haq has vowed to expel foreign forces. The movement’s founder, Sheikh Qais al-Khazali, told "
            "supporters on Friday that the coalition must leave.")
    _, claims = drafted_facts(tmp_path, world, text)
    assert [(a, v) for a, p, v in claims if p == "foundedBy"] == [("asaib-ahl-al-haq", "Qais al-Khazali")]  # a registry name
    draft, claims = drafted_facts(tmp_path, world, "Asaib Ahl al-Haq rejected the deal. Its founder, Hamid Example, spoke.")
    [(group, person)] = [(a, v) for a, p, v in claims if p == "foundedBy"]
    assert group == "asaib-ahl-al-haq" and {e.key: e for e in draft.new_entities}[person].types == ("Person",)


def test_a_founder_with_no_group_before_is_no_claim(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "Its founder, Abu Mahdi al-Muhandis, was killed in 2020.")
    assert not [c for c in claims if c[1] == "foundedBy"]


def test_the_same_toll_of_other_victims_is_another_attack(tmp_path, world):
    corpus = compile_other(tmp_path, world, "A drone killed three U.S. soldiers in Jordan in January 2024.", """
  - {about: jordan-strike-2024, property: killedCount, value: three U.S. soldiers, quote: killed three U.S. soldiers, qualifiers: {victim: us-forces}}
  - {about: jordan-strike-2024, property: date, value: in January 2024, quote: in January 2024}
  - {about: jordan-strike-2024, property: location, value: Jordan, quote: in Jordan}
""")
    text = "In January 2024, a raid in Jordan killed three Islamic State fighters, the army said."
    _, claims = drafted_facts(tmp_path, world, text, corpus)
    assert not [c for c in claims if c[0] == "jordan-strike-2024"]
    text = "In January 2024, a drone attack in Jordan killed three American soldiers, the Pentagon said."
    _, claims = drafted_facts(tmp_path, world, text, corpus)
    assert ("jordan-strike-2024", "killedCount", "three American soldiers") in claims


def test_a_victory_in_a_city_is_not_the_group_s_defeat_in_the_state(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "Iraqi forces declared victory over ISIS in Mosul in July 2017.")
    assert not [c for c in claims if c[0].startswith("isis-territorial-defeat")]


def test_feared_attacks_are_no_attack(tmp_path, world):
    draft, claims = drafted_facts(tmp_path, world, "The withdrawal could embolden ISIS attacks in Syria, analysts warn.")
    assert not [c for c in claims if c[1] == "carriedOutBy"]
    assert not [e for e in draft.new_entities if "Attack" in e.types]


def test_an_invasion_with_no_invader_named(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "Since the 2003 invasion of Iraq, the country has hosted foreign troops.")
    assert {("invasion-of-iraq-2003", "date", "2003"), ("invasion-of-iraq-2003", "location", "iraq")} <= claims
    assert not [c for c in claims if c[1] == "carriedOutBy"]


def test_a_bare_description_of_a_place_is_not_placed(tmp_path, world):
    # the registry describes one border area as "the border"; here it is another border
    _, claims = drafted_facts(tmp_path, world, "Turkey has struck PKK positions across the border in Duhok province.")
    assert not [c for c in claims if c[1] == "locatedIn"]


def test_a_border_after_the_state_the_attack_was_in(tmp_path, world):
    text = ("Three U.S. soldiers were killed on Sunday in a drone attack on a base in northeastern Jordan near the "
            "Syrian border, officials said.")
    _, claims = drafted_facts(tmp_path, world, text, date="2024-01-28")
    places = {(p, v) for _, p, v in claims if p == "location"}
    assert {("location", "Jordan"), ("location", "syria-jordan-border")} <= places


def test_airstrikes_with_leaders_killed_and_the_command_that_announced_them(tmp_path, world):
    text = ("ERBIL, Kurdistan Region - Coalition aircraft carried out airstrikes in the desert on Thursday that "
            "killed nine ISIS militants, including two senior leaders, CENTCOM announced.")
    _, claims = drafted_facts(tmp_path, world, text, date="2025-03-14")
    [attack] = [a for a, p, v in claims if p == "killedCount"]
    assert {(attack, "leadersKilledCount", "two senior leaders"), (attack, "announcedBy", "CENTCOM"),
            (attack, "date", "on Thursday")} <= claims
    # "…, the official said" is a source of the words, not an announcement of the attack
    _, claims = drafted_facts(tmp_path, world, "An airstrike on Thursday killed nine ISIS militants, a CENTCOM officer said.",
                              date="2025-03-14")
    assert not [c for c in claims if c[1] == "announcedBy"]


def test_a_group_territorially_defeated_in_a_state(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "ISIS was territorially defeated in Iraq in 2017, but its cells remain.")
    assert ("isis-territorial-defeat-iraq", "date", "in 2017") in claims
    _, claims = drafted_facts(tmp_path, world, "The militants were defeated in Mosul in 2017.")
    assert not [c for c in claims if c[0].startswith("isis-territorial-defeat")]


def test_two_attacks_in_one_sentence_each_keep_their_own_facts(tmp_path, world):
    # the count belongs to the attack named just before it; the retaliatory strikes' doer and day are not its
    corpus = compile_other(tmp_path, world, "A drone killed three U.S. soldiers in Jordan in January 2024.", """
  - {about: jordan-strike-2024, property: killedCount, value: three U.S. soldiers, quote: killed three U.S. soldiers, qualifiers: {victim: us-forces}}
  - {about: jordan-strike-2024, property: location, value: Jordan, quote: in Jordan}
""")
    text = ("The United States launched retaliatory strikes on Friday against militias in Iraq and Syria, a week after "
            "a drone attack killed three American soldiers at a remote outpost in Jordan.")
    _, claims = drafted_facts(tmp_path, world, text, corpus, date="2024-02-03")
    assert ("jordan-strike-2024", "killedCount", "three American soldiers") in claims
    assert ("jordan-strike-2024", "location", "Jordan") in claims
    assert not [c for c in claims if c[1] in ("carriedOutBy", "date")]


def test_a_named_group_s_founder(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "Asaib Ahl al-Haq’s founder, Qais al-Khazali, welcomed the decision.")
    assert [(a, p) for a, p, v in claims if p == "foundedBy"] == [("asaib-ahl-al-haq", "foundedBy")]
    _, claims = drafted_facts(tmp_path, world, "Iraq’s founder, King Faisal, is remembered in Baghdad.")
    assert not [c for c in claims if c[1] == "foundedBy"]


def test_rockets_that_struck_a_base_are_a_rocket_attack_on_it(tmp_path, world):
    text = ("Several rockets struck Ain al-Asad air base in western Anbar on Monday, wounding four US personnel, "
            "a US defense official told Rudaw.")
    draft, claims = drafted_facts(tmp_path, world, text, date="2024-08-06")
    [attack] = [a for a, p, v in claims if p == "injuredCount"]
    assert {e.key: e.label for e in draft.new_entities}[attack].startswith("Rocket attack")
    assert (attack, "location", "Ain al-Asad air base") in claims and (attack, "date", "on Monday") in claims


def test_the_subject_of_the_killing_carried_out_the_attack(tmp_path, world):
    text = "Daesh militants killed two Peshmerga fighters in an attack near Makhmour on Tuesday, officials said."
    _, claims = drafted_facts(tmp_path, world, text, date="2024-08-06")
    [attack] = [a for a, p, v in claims if p == "killedCount"]
    assert (attack, "carriedOutBy", "Daesh") in claims
    # the killed are not the doers
    _, claims = drafted_facts(tmp_path, world, "Two ISIS militants were killed in an airstrike near Makhmour on Tuesday.",
                              date="2024-08-06")
    assert not [c for c in claims if c[1] == "carriedOutBy"]


def test_numbers_alone_with_nobody_named_killed_are_no_identity(tmp_path, world):
    corpus = compile_other(tmp_path, world, RAID_TEXT, RAID.replace(", qualifiers: {victim: Daech}", ""))
    text = "In late August, a raid killed 14 people, including four leaders, the ministry said."
    _, claims = drafted_facts(tmp_path, world, text, corpus)
    assert not [c for c in claims if c[0] == "raid-western-iraq"]


def test_iraqi_and_coalition_forces_both_carried_it_out(tmp_path, world):
    text = "Iraqi and coalition forces carried out airstrikes in the desert on Thursday that killed nine ISIS militants."
    _, claims = drafted_facts(tmp_path, world, text, date="2025-03-14")
    [attack] = [a for a, p, v in claims if p == "killedCount"]
    assert {(attack, "carriedOutBy", "iraqi-security-forces"), (attack, "carriedOutBy", "coalition")} <= claims


def test_a_border_with_another_state_is_on_the_first_state_s_side(tmp_path, world):
    text = "In January, a drone attack killed three American troops near the Jordanian border with Syria."
    _, claims = drafted_facts(tmp_path, world, text, date="2024-02-10")
    places = {v for _, p, v in claims if p == "location"}
    assert {"jordan", "syria-jordan-border"} <= places and not places & {"Syria", "syria"}


def test_a_group_s_last_stronghold_lost(tmp_path, world):
    _, claims = drafted_facts(tmp_path, world, "The Takfiri Daesh group lost its last stronghold in Syria in March 2019.")
    assert ("isis-territorial-defeat-syria", "date", "in March 2019") in claims
