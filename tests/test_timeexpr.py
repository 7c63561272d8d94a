import datetime as dt

import pytest

from oirld.timeexpr import TimeParseError, parse_time, times_compatible

PUBLISHED = (dt.date(2024, 9, 27), dt.date(2024, 9, 27))  # a Friday


@pytest.mark.parametrize("words, earliest, latest", [
    ("by 2026", None, "2026-12-31"),
    ("by September 2026", None, "2026-09-30"),
    ("by the end of 2026", None, "2026-12-31"),
    ("in 2026", "2026-01-01", "2026-12-31"),
    ("until September 2025", "2025-09-01", "2025-09-30"),
    ("through September 2025", "2025-09-01", "2025-09-30"),
    ("at least until September 2026", "2026-09-01", None),
    ("next September", "2025-09-01", "2025-09-30"),
    ("this January", "2024-01-01", "2024-01-31"),
    ("last October", "2023-10-01", "2023-10-31"),
    ("in April", "2024-04-01", "2024-04-30"),
    ("In late August", "2024-08-21", "2024-08-31"),
    ("Friday", "2024-09-27", "2024-09-27"),
    ("This week", "2024-09-23", "2024-09-27"),
    ("last year", "2023-01-01", "2023-12-31"),
    ("in late 2017", "2017-09-01", "2017-12-31"),
    ("the end of 2026", "2026-12-01", "2026-12-31"),
    ("27 September 2024", "2024-09-27", "2024-09-27"),
    ("now", "2024-09-27", "2024-09-27"),
])
def test_times_resolve_against_the_publication_date(words, earliest, latest):
    t = parse_time(words, PUBLISHED)
    assert (t.earliest.isoformat() if t.earliest else None) == earliest
    assert (t.latest.isoformat() if t.latest else None) == latest
    assert t.text == words


def test_relative_words_record_what_they_were_resolved_against():
    assert parse_time("next September", PUBLISHED).resolved_against == dt.date(2024, 9, 27)
    assert parse_time("September 2025", PUBLISHED).resolved_against is None


def test_a_bare_month_can_be_read_forward():
    assert parse_time("in December", PUBLISHED, direction="future").earliest == dt.date(2024, 12, 1)
    assert parse_time("in December", PUBLISHED).earliest == dt.date(2023, 12, 1)


def test_years_later_counts_from_the_anchor():
    t = parse_time("two years later", PUBLISHED, anchor=parse_time("in 2017"))
    assert (t.earliest, t.latest) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    with pytest.raises(TimeParseError, match="anchor"):
        parse_time("two years later", PUBLISHED)


def test_relative_words_need_a_known_publication_date():
    open_ended = (dt.date(2024, 9, 27), None)
    with pytest.raises(TimeParseError, match="unknown"):
        parse_time("next September", open_ended)
    now = parse_time("currently", open_ended)
    assert now.earliest == dt.date(2024, 9, 27) and now.latest is None


def test_unreadable_time_says_which_forms_work():
    with pytest.raises(TimeParseError, match="understood forms"):
        parse_time("sometime soonish", PUBLISHED)


@pytest.mark.parametrize("a, b, ok", [
    ("by 2026", "by September 2026", True),
    ("by 2026", "in 2026", True),
    ("in 2026", "September 2025", False),
    ("at least until September 2026", "the end of 2026", True),
    ("In January 2023", "January 2024", False),
    ("in late 2017", "in 2017", True),
])
def test_compatibility_is_overlap_of_intervals(a, b, ok):
    assert times_compatible(parse_time(a, PUBLISHED), parse_time(b, PUBLISHED)) is ok


def test_canonical_label_is_the_same_for_every_wording():
    assert parse_time("next September", PUBLISHED).canonical() == parse_time("until September 2025").canonical() == "September 2025"


@pytest.mark.parametrize("published, words, earliest, latest", [
    # a month of publication: a weekday could be any of that month's, so the answer is the whole span they allow
    ("2024-09", "Friday", "2024-08-30", "2024-09-27"),
    ("2024-09", "next September", "2025-09-01", "2025-09-30"),
    ("2024-09", "now", "2024-09-01", "2024-09-30"),
    ("2024-09", "last year", "2023-01-01", "2023-12-31"),
    # a year of publication: "next September" is September 2024 or 2025, never one of them
    ("2024", "next September", "2024-09-01", "2025-09-30"),
    ("2024", "last October", "2023-10-01", "2024-10-31"),
    ("2024", "by 2026", None, "2026-12-31"),
    ("2024-09-27", "Friday", "2024-09-27", "2024-09-27"),
])
def test_relative_time_is_never_more_precise_than_the_publication_date(published, words, earliest, latest):
    from oirld.seeds import date_span

    t = parse_time(words, date_span(published))
    assert (t.earliest.isoformat() if t.earliest else None, t.latest.isoformat() if t.latest else None) == (earliest, latest)
    if published != "2024-09-27" and words in ("Friday", "next September") and len(published) == 4:
        assert t.precision == "part"
