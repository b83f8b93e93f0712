"""Billing periods and the one pro-rating rule of subscriptions.

Periods start on the customer's billing day (the billing profile's anchor day, the 1st without a
profile): monthly ones every month, quarterly ones in January, April, July and October, annual ones
in January (core/periods.py holds the one rule, month ends included). A subscription is billed in advance
from `next_bill_on` to the end of the period containing it (or to its last day of service, when
sooner). A part of a period costs

    price * days of service in the period / days in the period

rounded half-up to the cent. The same rule covers a start in mid-period, a resume after a
suspension and a cancellation before the period ends: there is no other special case.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist

from accountdesk.core import periods
from accountdesk.core.money import quantize
from accountdesk.core.periods import add_months

__all__ = ["add_months", "anchor_day_of", "charge_for", "period_containing", "prorate"]


def period_containing(day: dt.date, months: int, anchor_day: int = 1) -> tuple[dt.date, dt.date]:
    """The billing period [start, end) of `months` months that contains `day`: periods start on the
    anchor day (the customer's billing day), quarters and years counted from January."""
    return periods.period_containing(day, months=months, anchor_day=anchor_day)


def anchor_day_of(customer) -> int:
    """The day the customer's billing periods start: the billing profile's, else the 1st."""
    try:
        return customer.billing_profile.anchor_day
    except ObjectDoesNotExist:
        return 1


def prorate(price: Decimal, *, days_used: int, days_in_period: int) -> Decimal:
    if days_used >= days_in_period:
        return quantize(price)
    return quantize(price * days_used / days_in_period)


def charge_for(
    price: Decimal, *, months: int, bill_from: dt.date, ends_on: dt.date | None, anchor_day: int = 1
) -> tuple[dt.date, dt.date, Decimal] | None:
    """What to invoice from `bill_from`: (first day, day after the last day, amount), or None when
    the service ended before `bill_from`."""
    start, end = period_containing(bill_from, months, anchor_day)
    until = end
    if ends_on is not None:
        until = min(end, ends_on + dt.timedelta(days=1))
    if until <= bill_from:
        return None
    amount = prorate(price, days_used=(until - bill_from).days, days_in_period=(end - start).days)
    return bill_from, until, amount
