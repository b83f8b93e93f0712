import datetime as dt

import pytest

from accountdesk.billing.instalments import add_months, estimated_end


@pytest.mark.parametrize(
    ("today", "remaining", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 31), 2, dt.date(2025, 3, 31)),
        (dt.date(2025, 3, 31), 1, dt.date(2025, 4, 30)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2025, 12, 31), 14, dt.date(2027, 2, 28)),
        (dt.date(2025, 6, 15), 0, dt.date(2025, 6, 15)),
        (dt.date(2025, 6, 15), 24, dt.date(2027, 6, 15)),
    ],
)
def test_it_estimates_the_end_in_calendar_months_clamped_to_month_end(today, remaining, expected):
    assert estimated_end(today=today, instalments_remaining=remaining) == expected


def test_it_moves_the_estimated_end_with_today():
    assert estimated_end(today=dt.date(2025, 5, 1), instalments_remaining=3) == dt.date(2025, 8, 1)
    assert estimated_end(today=dt.date(2025, 5, 2), instalments_remaining=3) == dt.date(2025, 8, 2)


def test_it_goes_back_across_years():
    assert add_months(dt.date(2025, 1, 31), -2) == dt.date(2024, 11, 30)
