import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.search.parsing import normalise, period_in, threshold_in

FRIDAY = dt.date(2025, 1, 31)


@pytest.mark.parametrize(
    "text, start, last_day",
    [
        ("open jobs next week", dt.date(2025, 2, 3), dt.date(2025, 2, 9)),
        ("jobs this week", dt.date(2025, 1, 27), dt.date(2025, 2, 2)),
        ("tickets last week", dt.date(2025, 1, 20), dt.date(2025, 1, 26)),
        ("jobs today", FRIDAY, FRIDAY),
        ("jobs tomorrow", dt.date(2025, 2, 1), dt.date(2025, 2, 1)),
        ("tickets yesterday", dt.date(2025, 1, 30), dt.date(2025, 1, 30)),
        ("jobs this month", dt.date(2025, 1, 1), dt.date(2025, 1, 31)),
        ("jobs next month", dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
        ("tickets last month", dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
        ("tickets this year", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("tickets last year", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("tickets in the last 7 days", dt.date(2025, 1, 25), FRIDAY),
        ("tickets past 30 days", dt.date(2025, 1, 2), FRIDAY),
    ],
)
def test_it_reads_calendar_periods_from_today(text, start, last_day):
    period = period_in(text, FRIDAY)
    assert (period.start, period.last_day) == (start, last_day)


def test_it_starts_next_week_on_monday_even_on_a_sunday():
    period = period_in("next week", dt.date(2025, 2, 2))
    assert (period.start, period.last_day) == (dt.date(2025, 2, 3), dt.date(2025, 2, 9))


def test_it_rolls_next_month_over_the_year_end():
    period = period_in("next month", dt.date(2024, 12, 15))
    assert (period.start, period.end) == (dt.date(2025, 1, 1), dt.date(2025, 2, 1))


def test_it_finds_no_period_where_none_is_named():
    assert period_in("open jobs", FRIDAY) is None
    assert period_in("which week is it", FRIDAY) is None


@pytest.mark.parametrize(
    "text, amount, above",
    [
        ("unpaid invoices over 100", "100.00", True),
        ("unpaid invoices over 100.50", "100.50", True),
        ("unpaid invoices over $100", "100.00", True),
        ("unpaid invoices above €1,250.5", "1250.50", True),
        ("invoices more than usd 20", "20.00", True),
        ("unpaid invoices > 99.99", "99.99", True),
        ("unpaid invoices under 50", "50.00", False),
        ("invoices less than $5", "5.00", False),
    ],
)
def test_it_reads_the_amount_in_any_plain_format(text, amount, above):
    threshold = threshold_in(normalise(text))
    assert threshold.amount == Decimal(amount)
    assert threshold.above is above


@pytest.mark.parametrize("text", ["unpaid invoices", "invoices over 100.505", "over the moon"])
def test_it_finds_no_amount_where_there_is_none_it_can_trust(text):
    assert threshold_in(normalise(text)) is None


def test_it_normalises_case_apostrophes_and_spaces():
    assert normalise("  What\u2019s   the BALANCE ") == "what's the balance"
