"""Time buckets of usage: hours, local days and billing periods."""

import datetime as dt

from django.utils import timezone

from accountdesk.subscriptions.proration import anchor_day_of, period_containing


def minute_start(at: dt.datetime) -> dt.datetime:
    return at.replace(second=0, microsecond=0)


def hour_start(at: dt.datetime) -> dt.datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def day_start(at: dt.datetime) -> dt.datetime:
    """Local midnight (settings.TIME_ZONE) of the day containing `at`: days are the provider's days."""
    return midnight(timezone.localtime(at).date())


def midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def billing_period(subscription, day: dt.date) -> tuple[dt.date, dt.date]:
    """The subscription's billing period [start, end) containing `day`, as billed: from the
    customer's billing day."""
    return period_containing(day, subscription.package.months, anchor_day_of(subscription.customer))
