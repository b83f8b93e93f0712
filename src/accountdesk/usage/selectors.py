import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from accountdesk.core import clock
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.pagination import Page, keyset_page
from accountdesk.customers.models import Customer
from accountdesk.messaging.models import Channel
from accountdesk.subscriptions.models import Subscription
from accountdesk.usage.models import Resolution, UsageNotification, UsagePreference, UsageRecord, UsageRollup
from accountdesk.usage.periods import billing_period, day_start, hour_start, midnight, minute_start
from accountdesk.usage.units import format_quantity

MINUTE = "minute"
RESOLUTIONS = (MINUTE, Resolution.HOUR, Resolution.DAY)
STEP = {MINUTE: dt.timedelta(minutes=1), Resolution.HOUR: dt.timedelta(hours=1)}
# The longest window each resolution may draw: minutes are raw rows, so their window is short.
MAX_WINDOW = {
    MINUTE: dt.timedelta(days=3),
    Resolution.HOUR: dt.timedelta(days=93),
    Resolution.DAY: dt.timedelta(days=1100),
}


def usage_notification_recent(*, customer: Customer, limit: int = 3) -> QuerySet[UsageNotification]:
    """The dashboard's Alerts: the last messages sent (a bounded queryset). A threshold folded into
    a higher one's message was not a message of its own."""
    qs = UsageNotification.objects.filter(
        provider_id=customer.provider_id, customer=customer, folded_into__isnull=True
    )
    return qs.order_by("-sent_at", "-id")[:limit]


def usage_preference_channel(*, customer: Customer) -> str:
    """How the customer hears about their usage: their preference, else email."""
    channel = UsagePreference.objects.filter(customer=customer).values_list("channel", flat=True).first()
    return channel or Channel.EMAIL


def usage_notification_list(
    *, customer: Customer, limit: int | None = None, cursor: str | None = None
) -> Page[UsageNotification]:
    qs = UsageNotification.objects.filter(provider_id=customer.provider_id, customer=customer)
    return keyset_page(
        qs.select_related("outgoing"), ordering=("-sent_at", "-id"), limit=limit, cursor=cursor
    )


def current_period(subscription: Subscription) -> tuple[dt.date, dt.date]:
    return billing_period(subscription, clock.today())


def _bucket(resolution: str, at: dt.datetime) -> dt.datetime:
    if resolution == MINUTE:
        return minute_start(at)
    if resolution == Resolution.HOUR:
        return hour_start(at)
    return day_start(at)


def _next(resolution: str, bucket: dt.datetime) -> dt.datetime:
    if resolution == Resolution.DAY:
        return midnight(timezone.localtime(bucket).date() + dt.timedelta(days=1))
    return bucket + STEP[resolution]


def usage_series(
    *, subscription: Subscription, start: dt.datetime, end: dt.datetime, resolution: str
) -> dict[str, Any]:
    """Usage of [start, end) in buckets of `resolution`, zero-filled, oldest first.

    Hours and days read the roll-ups (a month graph is at most ~31 rows, whatever the raw volume);
    only minute windows read raw records, and those windows are at most three days."""
    if resolution not in RESOLUTIONS:
        raise ValidationFailed("Unknown resolution.", fields={"resolution": "minute, hour or day"})
    if end <= start:
        raise ValidationFailed("The window ends before it starts.", fields={"to": "End after the start."})
    if end - start > MAX_WINDOW[resolution]:
        days = MAX_WINDOW[resolution].days
        raise ValidationFailed(
            f"At most {days} days at {resolution} resolution.",
            fields={"to": f"At most {days} days at this resolution."},
        )
    first = _bucket(resolution, start)
    rows: Iterable[tuple[dt.datetime, Any]]
    if resolution == MINUTE:
        rows = (
            UsageRecord.objects.filter(subscription=subscription, at__gte=first, at__lt=end)
            .values("at")  # records are stored at the start of their minute
            .annotate(total=Sum("quantity"))
            .values_list("at", "total")
        )
    else:
        rows = UsageRollup.objects.filter(
            subscription=subscription, resolution=resolution, bucket_start__gte=first, bucket_start__lt=end
        ).values_list("bucket_start", "total")
    values = {bucket: total for bucket, total in rows}
    points = []
    bucket = first
    while bucket < end:
        points.append({"t": bucket, "value": values.get(bucket, 0)})
        bucket = _next(resolution, bucket)
    package = subscription.package
    return {
        "resolution": resolution,
        "unit": package.usage_unit,
        "allowance": package.usage_allowance,
        "points": points,
        "subscription_id": subscription.pk,
        "total": sum(values.values()),
    }


@dataclass(frozen=True)
class PeriodUsage:
    """One billing period's use against the allowance, and its graph's data (per day)."""

    first: dt.date
    last: dt.date
    used: str
    allowance: str | None
    percent: int | None
    graph: dict[str, Any]


def usage_period(*, subscription: Subscription, first: dt.date, after: dt.date) -> PeriodUsage:
    """Use in the billing period [first, after), read from the daily roll-ups."""
    series = usage_series(
        subscription=subscription, start=midnight(first), end=midnight(after), resolution=Resolution.DAY
    )
    package = subscription.package
    used, allowance = series["total"], package.usage_allowance
    return PeriodUsage(
        first=first,
        last=after - dt.timedelta(days=1),
        used=format_quantity(used, package.usage_unit),
        allowance=format_quantity(allowance, package.usage_unit) if allowance else None,
        percent=(used * 100 // allowance) if allowance else None,
        graph={
            "unit": package.usage_unit,
            "allowance": allowance,
            "points": [[int(p["t"].timestamp()), p["value"]] for p in series["points"]],
            "now": int(clock.now().timestamp()),
        },
    )


def usage_periods(*, subscription: Subscription, limit: int = 12) -> list[tuple[dt.date, dt.date]]:
    """The subscription's billing periods [first, after), the current one first, back to the one
    it started in (at most `limit`)."""
    periods = [current_period(subscription)]
    while len(periods) < limit and periods[-1][0] > subscription.started_on:
        periods.append(billing_period(subscription, periods[-1][0] - dt.timedelta(days=1)))
    return periods
