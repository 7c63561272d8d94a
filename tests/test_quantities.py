from decimal import Decimal

import pytest

from oirld.quantities import QuantityParseError, parse_quantity, quantities_compatible


@pytest.mark.parametrize("words, amount, lower, upper, approx, code", [
    ("2,500 troops", 2500, 2450, 2550, "exact", "IE"),
    ("about 2,500 American troops", 2500, 2250, 2750, "about", "IE"),
    ("some 2,500 American troops", 2500, 2250, 2750, "about", "IE"),
    ("more than 30 countries", 30, 30, None, "more-than", "C62"),
    ("more than $4 billion", 4_000_000_000, 4_000_000_000, None, "more-than", "USD"),
    ("$65 million", 65_000_000, 64_500_000, 65_500_000, "exact", "USD"),
    ("42,000 square miles", 42000, 41500, 42500, "exact", "MIK"),
    ("around 108,780 km²", 108780, Decimal("97902"), Decimal("119658"), "about", "KMK"),
    ("three troops", 3, Decimal("2.85"), Decimal("3.15"), "exact", "IE"),
    ("Seven American personnel", 7, Decimal("6.65"), Decimal("7.35"), "exact", "IE"),
    ("a decade", 10, Decimal("9.5"), Decimal("10.5"), "exact", "ANN"),
])
def test_numbers_units_and_approximations(words, amount, lower, upper, approx, code):
    q = parse_quantity(words)
    assert q.amount == amount
    assert q.lower == lower
    assert q.upper == upper
    assert q.approximation == approx
    assert q.unit_code == code


def test_unit_hint_supplies_what_the_words_leave_out():
    q = parse_quantity("over 3,000", unit_hint="troops")
    assert (q.amount, q.lower, q.upper, q.kind) == (3000, 3000, None, "PersonCount")
    with pytest.raises(QuantityParseError, match="no unit"):
        parse_quantity("over 3,000")


def test_malformed_numbers_are_refused():
    with pytest.raises(QuantityParseError):
        parse_quantity("2,50 troops")
    with pytest.raises(QuantityParseError):
        parse_quantity("many troops")


def test_same_area_in_two_units_is_compatible():
    assert quantities_compatible(parse_quantity("42,000 square miles"), parse_quantity("around 108,780 km²"))
    assert not quantities_compatible(parse_quantity("42,000 square miles"), parse_quantity("50,000 km²"))


def test_about_and_over_disagree_when_ranges_do_not_meet():
    assert not quantities_compatible(parse_quantity("about 2,500 troops"), parse_quantity("over 3,000 troops"))
    assert quantities_compatible(parse_quantity("about 2,500 troops"), parse_quantity("2,500 troops"))
    assert quantities_compatible(parse_quantity("more than $4 billion"), parse_quantity("$4 billion"))


def test_different_kinds_are_never_compared():
    assert quantities_compatible(parse_quantity("30 countries"), parse_quantity("3,000 troops"))
