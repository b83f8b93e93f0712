"""Demo usage for Acme: hourly records (the volume of minute data would slow the demo for nothing)
for a few metered subscriptions over the last months, roll-ups computed with them (consistent by
construction), and the usage notifications the thresholds would have sent, with their messages.
Nothing for a provider without the Usage module (Bluegum)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import TYPE_CHECKING

from accountdesk.activity.models import Activity
from accountdesk.activity.services import event_bulk_record
from accountdesk.messaging.models import Message
from accountdesk.subscriptions.models import Subscription, SubscriptionStatus
from accountdesk.usage.models import (
    UsageNotification,
    UsagePreference,
    UsageRecord,
    UsageRollup,
    UsageSettings,
)
from accountdesk.usage.periods import billing_period, day_start, midnight
from accountdesk.usage.units import format_quantity

if TYPE_CHECKING:
    from accountdesk.demo.context import DemoContext

METERED_ACCOUNTS = 12
THRESHOLDS = [50, 80, 100]


def demo_populate(ctx: DemoContext) -> None:
    provider = ctx.provider
    if not provider.has_module("usage"):
        return
    UsageSettings.objects.create(provider=provider, thresholds=THRESHOLDS)
    subs = list(
        Subscription.objects.filter(
            provider=provider, status=SubscriptionStatus.ACTIVE, package__usage_unit__isnull=False
        )
        .select_related("package", "customer")
        .order_by("id")
    )
    heavy = {c.pk for c in ctx.heavy_customers}
    subs.sort(key=lambda s: (s.customer_id not in heavy, s.pk))
    # One metered subscription per account (an enterprise's many sites would all look alike).
    chosen = list({s.customer_id: s for s in reversed(subs)}.values())
    chosen.sort(key=lambda s: (s.customer_id not in heavy, s.pk))
    chosen = chosen[:METERED_ACCOUNTS]
    rng = ctx.rng
    end = ctx.now.replace(minute=0, second=0, microsecond=0)
    records: list[UsageRecord] = []
    hours: list[UsageRollup] = []
    days: defaultdict[tuple[int, dt.datetime], int] = defaultdict(int)
    notifications: list[UsageNotification] = []
    messages: list[Message] = []
    entries: list[Activity] = []
    for index, sub in enumerate(chosen):
        if index % 3 == 0:
            UsagePreference.objects.create(provider=provider, customer=sub.customer, channel="sms")
        channel = "sms" if index % 3 == 0 else "email"
        first_period = billing_period(sub, ctx.today)[0]
        for _ in range(2):
            first_period = billing_period(sub, first_period - dt.timedelta(days=1))[0]
        start = max(midnight(first_period), midnight(sub.started_on))
        # How hungry this account is: some stay well under, some run out before the month ends.
        appetite = rng.choice([0.35, 0.6, 0.85, 1.05, 1.3])
        unit, allowance = sub.package.usage_unit, sub.package.usage_allowance
        if unit is None or not allowance:
            continue  # a metered package has its unit and allowance
        per_hour = allowance * appetite / (30 * 24)
        at = start
        totals: dict[dt.date, int] = defaultdict(int)
        sent: set[tuple[dt.date, int]] = set()
        day = at.date()
        bucket, period = day_start(at), billing_period(sub, day)
        while at < end:
            if at.date() != day:  # per day, not per hour: time-zone and period arithmetic is the slow part
                day = at.date()
                bucket, period = day_start(at), billing_period(sub, day)
            local = at.hour
            curve = 0.25 + 1.5 * max(0.0, math.sin((local - 6) / 24 * 2 * math.pi))
            quantity = int(per_hour * curve * rng.uniform(0.6, 1.4))
            records.append(
                UsageRecord(
                    provider_id=provider.pk,
                    subscription_id=sub.pk,
                    customer_id=sub.customer_id,
                    at=at,
                    quantity=quantity,
                    unit=unit,
                )
            )
            hours.append(
                UsageRollup(
                    provider_id=provider.pk,
                    subscription_id=sub.pk,
                    resolution="hour",
                    bucket_start=at,
                    total=quantity,
                )
            )
            days[(sub.pk, bucket)] += quantity
            period_start, period_end = period
            totals[period_start] += quantity
            percent = totals[period_start] * 100 // allowance
            for threshold in THRESHOLDS:
                if percent >= threshold and (period_start, threshold) not in sent:
                    sent.add((period_start, threshold))
                    n, m, e = _notification(
                        sub,
                        period_start,
                        period_end,
                        threshold,
                        totals[period_start],
                        channel,
                        at + dt.timedelta(minutes=2),
                    )
                    notifications.append(n)
                    messages.append(m)
                    entries.append(e)
            at += dt.timedelta(hours=1)
    UsageRecord.objects.bulk_create(records, batch_size=5000)
    UsageRollup.objects.bulk_create(hours, batch_size=5000)
    UsageRollup.objects.bulk_create(
        [
            UsageRollup(
                provider_id=provider.pk, subscription_id=sub_id, resolution="day", bucket_start=b, total=t
            )
            for (sub_id, b), t in days.items()
        ],
        batch_size=5000,
    )
    Message.objects.bulk_create(messages, batch_size=1000)
    for n, m in zip(notifications, messages, strict=True):
        n.outgoing = m
    UsageNotification.objects.bulk_create(notifications, batch_size=1000)
    for e, n in zip(entries, notifications, strict=True):
        e.subject_id = n.pk
    event_bulk_record(entries, batch_size=2000)


def _notification(
    sub: Subscription,
    start: dt.date,
    end: dt.date,
    threshold: int,
    total: int,
    channel: str,
    at: dt.datetime,
) -> tuple[UsageNotification, Message, Activity]:
    package, customer = sub.package, sub.customer
    last_day = end - dt.timedelta(days=1)
    text = (
        f"You have used {threshold}% of the {format_quantity(package.usage_allowance, package.usage_unit)} "
        f"included in {package.name} for {start:%d %b} to {last_day:%d %b %Y} "
        f"({format_quantity(total, package.usage_unit)} so far)."
    )
    to = customer.phone if channel == "sms" else customer.email
    message = Message(
        provider_id=customer.provider_id,
        customer=customer,
        channel=channel,
        to=to or "-",
        subject="" if channel == "sms" else f"Usage alert: {threshold}% of your allowance used",
        body=text,
        status="sent",
        backend="outbox" if channel == "sms" else "smtp",
        created_at=at,
        sent_at=at,
        author_name="System",
    )
    notification = UsageNotification(
        provider_id=customer.provider_id,
        customer=customer,
        subscription=sub,
        period_start=start,
        threshold=threshold,
        channel=channel,
        message=text,
        sent_at=at,
    )
    entry = Activity(
        provider_id=customer.provider_id,
        customer=customer,
        at=at,
        actor_type="system",
        actor_name="System",
        kind="usage.threshold_crossed",
        group="usage",
        summary=f"{threshold}% of the {package.name} allowance used; notified by {channel}",
        subject_type="usagenotification",
        details={"threshold": threshold, "total": total},
    )
    return notification, message, entry
