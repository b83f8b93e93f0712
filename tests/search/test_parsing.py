import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.search.parsing import invoice_number_in, normalise, period_in, threshold_in

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


@pytest.mark.parametrize(
    "text, start, last_day, name",
    [
        ("payments since march", dt.date(2024, 3, 1), FRIDAY, "since 01 Mar 2024"),
        ("invoices since jan", dt.date(2025, 1, 1), FRIDAY, "since 01 Jan 2025"),
        ("payments since the start of april 2023", dt.date(2023, 4, 1), FRIDAY, "since 01 Apr 2023"),
        ("tickets in the last 2 weeks", dt.date(2025, 1, 18), FRIDAY, "in the last 2 weeks"),
        ("invoices over the past 6 months", dt.date(2024, 8, 1), FRIDAY, "in the last 6 months"),
        ("jobs past week", dt.date(2025, 1, 20), dt.date(2025, 1, 26), "last week"),
    ],
)
def test_it_reads_periods_since_a_month_and_over_weeks_and_months(text, start, last_day, name):
    period = period_in(text, FRIDAY)
    assert (period.start, period.last_day, period.name) == (start, last_day, name)


def test_a_month_to_come_is_not_a_period_since():
    assert period_in("payments since june 2030", FRIDAY) is None


@pytest.mark.parametrize(
    "text, number",
    [
        ("invoice inv-0042", "inv-0042"),
        ("find invoice 1043", "1043"),
        ("invoice no. 7", "7"),
        ("details of invoice #77", "77"),
        ("what's on inv 12", "inv12"),
        ("unpaid invoices over 100", None),
        ("how many invoices in the last 90 days", None),
    ],
)
def test_it_reads_an_invoice_number(text, number):
    assert invoice_number_in(normalise(text)) == number
