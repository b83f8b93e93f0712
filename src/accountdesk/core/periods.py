"""Billing periods: the one rule for where a period starts and where the next one begins.

A schedule is a length in months (1 monthly, 3 quarterly, 12 yearly), an anchor day of the month
and the month its cycle counts from (January for calendar quarters and years). Periods start on the
anchor day of every `months`-th month from that first month; in a month too short for the anchor
the period starts on the month's last day, and the anchor is kept: a schedule anchored on the 31st
starts on 31 January, 28 (or 29) February, 31 March. Periods follow each other with no gap and no
overlap: each ends the day before the next starts.

Subscriptions, recurring invoices, instalments, the billing profile and the demo's history all take
their dates from here.
"""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clamped to the last day of the target month
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return _on_anchor(year, month + 1, day.day)


def _on_anchor(year: int, month: int, anchor_day: int) -> dt.date:
    return dt.date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


def _start_of(index: int, anchor_day: int) -> dt.date:
    year, month = divmod(index, 12)
    return _on_anchor(year, month + 1, anchor_day)


def period_containing(
    day: dt.date, *, months: int, anchor_day: int = 1, first_month: int = 1
) -> tuple[dt.date, dt.date]:
    """The period [start, end) of the schedule that contains `day`; `end` is the next period's start."""
    if months < 1 or not 1 <= anchor_day <= 31 or not 1 <= first_month <= 12:
        raise ValueError(f"not a schedule: {months} months from day {anchor_day} of month {first_month}")
    index = day.year * 12 + day.month - 1
    phase = first_month - 1
    start_index = phase + (index - phase) // months * months
    if _start_of(start_index, anchor_day) > day:
        start_index -= months
    return _start_of(start_index, anchor_day), _start_of(start_index + months, anchor_day)


def next_period_start(day: dt.date, *, months: int, anchor_day: int = 1, first_month: int = 1) -> dt.date:
    """The first period start after `day`: where billing goes on once the period holding `day` is billed."""
    return period_containing(day, months=months, anchor_day=anchor_day, first_month=first_month)[1]


def period_start_on_or_after(
    day: dt.date, *, months: int, anchor_day: int = 1, first_month: int = 1
) -> dt.date:
    """The first period start on or after `day` (`day` itself when a period starts on it)."""
    start, end = period_containing(day, months=months, anchor_day=anchor_day, first_month=first_month)
    return start if start == day else end
