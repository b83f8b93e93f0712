import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.subscriptions.proration import add_months, charge_for, period_containing, prorate

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
    ],
)
def test_it_adds_months_clamping_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 2, 14), 1, (D(2025, 2, 1), D(2025, 3, 1))),
        (D(2025, 12, 31), 1, (D(2025, 12, 1), D(2026, 1, 1))),
        (D(2025, 5, 20), 3, (D(2025, 4, 1), D(2025, 7, 1))),
        (D(2025, 12, 31), 3, (D(2025, 10, 1), D(2026, 1, 1))),
        (D(2024, 7, 4), 12, (D(2024, 1, 1), D(2025, 1, 1))),
    ],
)
def test_it_aligns_periods_to_the_calendar(day, months, expected):
    assert period_containing(day, months) == expected


def test_it_prorates_a_start_in_mid_february_of_a_leap_year():
    # 15..29 Feb 2024 = 15 of 29 days: 29.00 * 15 / 29 = 15.00
    start, until, amount = charge_for(Decimal("29.00"), months=1, bill_from=D(2024, 2, 15), ends_on=None)
    assert (start, until, amount) == (D(2024, 2, 15), D(2024, 3, 1), Decimal("15.00"))


def test_it_prorates_a_start_in_mid_february_of_a_common_year():
    # 15..28 Feb 2025 = 14 of 28 days
    _, until, amount = charge_for(Decimal("29.00"), months=1, bill_from=D(2025, 2, 15), ends_on=None)
    assert until == D(2025, 3, 1) and amount == Decimal("14.50")


def test_it_charges_a_whole_period_at_the_price():
    assert charge_for(Decimal("31.00"), months=1, bill_from=D(2025, 1, 1), ends_on=None)[2] == Decimal(
        "31.00"
    )


def test_it_prorates_the_last_period_of_a_cancelled_subscription():
    # service 1..10 Jan (ends_on inclusive): 10 of 31 days of 31.00
    _, until, amount = charge_for(Decimal("31.00"), months=1, bill_from=D(2025, 1, 1), ends_on=D(2025, 1, 10))
    assert until == D(2025, 1, 11) and amount == Decimal("10.00")


def test_it_charges_nothing_after_the_end():
    assert charge_for(Decimal("31.00"), months=1, bill_from=D(2025, 2, 1), ends_on=D(2025, 1, 31)) is None


def test_it_rounds_half_up_to_the_cent():
    # 10.00 * 1 / 8 = 1.25 exactly; 0.05 * 1 / 2 = 0.025 -> 0.03 half-up (bankers' would give 0.02)
    assert prorate(Decimal("10.00"), days_used=1, days_in_period=8) == Decimal("1.25")
    assert prorate(Decimal("0.05"), days_used=1, days_in_period=2) == Decimal("0.03")


def test_it_prorates_a_quarter_started_on_its_last_day():
    # 31 Mar 2025 in Q1 (90 days): 90.00 * 1 / 90
    _, until, amount = charge_for(Decimal("90.00"), months=3, bill_from=D(2025, 3, 31), ends_on=None)
    assert until == D(2025, 4, 1) and amount == Decimal("1.00")


def test_it_prorates_an_annual_period_over_a_leap_year():
    # 2024 has 366 days; from 1 Jul: 184 days
    _, until, amount = charge_for(Decimal("366.00"), months=12, bill_from=D(2024, 7, 1), ends_on=None)
    assert until == D(2025, 1, 1) and amount == Decimal("184.00")
