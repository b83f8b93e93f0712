"""Instalment arithmetic, kept pure so it can be tested on month ends and across years."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clamped to the last day of the target month
    (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def estimated_end(*, today: dt.date, instalments_remaining: int) -> dt.date:
    """Estimated end = today + the instalments remaining, in calendar months (product.md).

    It moves with today by design: the month stays put while the arrangement is unchanged."""
    return add_months(today, max(instalments_remaining, 0))
