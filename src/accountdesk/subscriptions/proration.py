"""Billing periods and the one pro-rating rule of subscriptions.

Periods are calendar-aligned: monthly periods start on the 1st of each month, quarterly ones on
1 January, April, July and October, annual ones on 1 January. A subscription is billed in advance
from `next_bill_on` to the end of the period containing it (or to its last day of service, when
sooner). A part of a period costs

    price * days of service in the period / days in the period

rounded half-up to the cent. The same rule covers a start in mid-period, a resume after a
suspension and a cancellation before the period ends: there is no other special case.
"""

import datetime as dt
from decimal import Decimal

from accountdesk.core.money import quantize


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the last day of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, _month_length(year, month)))


def _month_length(year: int, month: int) -> int:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return (first_next - dt.timedelta(days=1)).day


def period_containing(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The calendar-aligned billing period [start, end) of `months` months that contains `day`."""
    month_index = (day.month - 1) // months * months
    start = dt.date(day.year, month_index + 1, 1)
    return start, add_months(start, months)


def prorate(price: Decimal, *, days_used: int, days_in_period: int) -> Decimal:
    if days_used >= days_in_period:
        return quantize(price)
    return quantize(price * days_used / days_in_period)


def charge_for(
    price: Decimal, *, months: int, bill_from: dt.date, ends_on: dt.date | None
) -> tuple[dt.date, dt.date, Decimal] | None:
    """What to invoice from `bill_from`: (first day, day after the last day, amount), or None when
    the service ended before `bill_from`."""
    start, end = period_containing(bill_from, months)
    until = end
    if ends_on is not None:
        until = min(end, ends_on + dt.timedelta(days=1))
    if until <= bill_from:
        return None
    amount = prorate(price, days_used=(until - bill_from).days, days_in_period=(end - start).days)
    return bill_from, until, amount
