"""The one rule for billing periods, over a calendar of edge dates and as a property."""

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accountdesk.core.periods import (
    add_months,
    next_period_start,
    period_containing,
    period_start_on_or_after,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "anchor", "expected"),
    [
        # monthly on the 31st: clamped in short months, back on the 31st after
        (D(2025, 1, 31), 1, 31, (D(2025, 1, 31), D(2025, 2, 28))),
        (D(2025, 2, 28), 1, 31, (D(2025, 2, 28), D(2025, 3, 31))),
        (D(2025, 3, 30), 1, 31, (D(2025, 2, 28), D(2025, 3, 31))),
        (D(2025, 4, 30), 1, 31, (D(2025, 4, 30), D(2025, 5, 31))),
        # leap years: 29 Feb exists in 2024, not in 2100
        (D(2024, 2, 29), 1, 30, (D(2024, 2, 29), D(2024, 3, 30))),
        (D(2024, 2, 28), 1, 29, (D(2024, 1, 29), D(2024, 2, 29))),
        (D(2100, 2, 28), 1, 29, (D(2100, 2, 28), D(2100, 3, 29))),
        # the day before the anchor belongs to the period begun last month
        (D(2026, 12, 27), 1, 28, (D(2026, 11, 28), D(2026, 12, 28))),
        (D(2026, 12, 28), 1, 28, (D(2026, 12, 28), D(2027, 1, 28))),
        (D(2026, 12, 1), 1, 1, (D(2026, 12, 1), D(2027, 1, 1))),
        # quarterly and yearly, counted from January
        (D(2025, 5, 20), 3, 1, (D(2025, 4, 1), D(2025, 7, 1))),
        (D(2025, 1, 14), 3, 15, (D(2024, 10, 15), D(2025, 1, 15))),
        (D(2025, 12, 31), 3, 31, (D(2025, 10, 31), D(2026, 1, 31))),
        (D(2025, 4, 30), 3, 31, (D(2025, 4, 30), D(2025, 7, 31))),
        (D(2024, 7, 4), 12, 1, (D(2024, 1, 1), D(2025, 1, 1))),
        (D(2025, 1, 30), 12, 31, (D(2024, 1, 31), D(2025, 1, 31))),
    ],
)
def test_it_finds_the_period_holding_a_day(day, months, anchor, expected):
    assert period_containing(day, months=months, anchor_day=anchor) == expected


def test_it_keeps_the_anchor_through_a_year_of_short_months():
    day, starts = D(2024, 1, 31), []
    for _ in range(13):
        starts.append(day)
        day = next_period_start(day, months=1, anchor_day=31)
    assert [s.day for s in starts] == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31]


def test_it_counts_quarters_from_the_month_given():
    # A quarterly schedule begun in February runs in February, May, August, November.
    assert next_period_start(D(2025, 2, 15), months=3, anchor_day=15, first_month=2) == D(2025, 5, 15)
    assert next_period_start(D(2025, 11, 30), months=3, anchor_day=30, first_month=2) == D(2026, 2, 28)


def test_it_finds_the_first_start_on_or_after_a_day():
    assert period_start_on_or_after(D(2026, 12, 1), months=1, anchor_day=1) == D(2026, 12, 1)
    assert period_start_on_or_after(D(2026, 12, 2), months=1, anchor_day=1) == D(2027, 1, 1)
    assert period_start_on_or_after(D(2025, 2, 28), months=1, anchor_day=31) == D(2025, 2, 28)
    assert period_start_on_or_after(D(2025, 3, 1), months=1, anchor_day=31) == D(2025, 3, 31)


def test_it_refuses_what_is_not_a_schedule():
    with pytest.raises(ValueError):
        period_containing(D(2025, 1, 1), months=0)
    with pytest.raises(ValueError):
        period_containing(D(2025, 1, 1), months=1, anchor_day=32)


def test_it_adds_months_clamping_to_the_month_end():
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)


schedules = st.tuples(st.sampled_from([1, 2, 3, 6, 12]), st.integers(1, 31), st.integers(1, 12))
days = st.dates(min_value=D(1999, 1, 1), max_value=D(2200, 12, 31))


@settings(max_examples=300, deadline=None)
@given(schedule=schedules, day=days)
def test_consecutive_periods_never_overlap_nor_leave_gaps(schedule, day):
    months, anchor, first_month = schedule
    start, end = period_containing(day, months=months, anchor_day=anchor, first_month=first_month)
    assert start <= day < end
    for _ in range(8):
        # Each period starts on the anchor day, or the month's last day when the month is shorter.
        assert start.day == min(anchor, calendar.monthrange(start.year, start.month)[1])
        assert (start.year * 12 + start.month - first_month) % months == 0
        # The day before the end is in this period; the end opens the next one, which ends later.
        assert period_containing(
            end - dt.timedelta(days=1), months=months, anchor_day=anchor, first_month=first_month
        ) == (start, end)
        following = period_containing(end, months=months, anchor_day=anchor, first_month=first_month)
        assert following[0] == end and following[1] > end
        start, end = following
