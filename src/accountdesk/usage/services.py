"""Usage ingestion, roll-ups and usage notifications."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Sum

from accountdesk.activity.services import event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.dates import InvalidDate, parse_datetime
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.numbers import InvalidNumber, parse_count
from accountdesk.core.permissions import require
from accountdesk.core.security_log import settings_record
from accountdesk.core.tenancy import require_module, require_same_provider
from accountdesk.customers.models import Customer
from accountdesk.messaging.models import Channel
from accountdesk.subscriptions.models import CURRENT_STATUSES, Subscription, SubscriptionStatus
from accountdesk.tenancy.models import Provider
from accountdesk.usage.models import (
    Resolution,
    UsageNotification,
    UsagePreference,
    UsageRecord,
    UsageRollup,
    UsageSettings,
)
from accountdesk.usage.periods import billing_period, day_start, hour_start, midnight, minute_start
from accountdesk.usage.selectors import usage_preference_channel
from accountdesk.usage.units import format_quantity

MAX_BATCH_ROWS = 100_000
# One record is one minute of one subscription: 10**12 bytes a minute is over 130 Gbit/s, more than
# any one line carries. A roll-up bucket (an hour or a day) holds at most MAX_BUCKET_TOTAL, so that
# sums over the longest windows (1,100 days) stay far inside the 64-bit columns and SQL SUM().
MAX_QUANTITY = 10**12
MAX_BUCKET_TOTAL = 10**16
MAX_REPORTED_ERRORS = 20
# Meters report a little ahead of our clock sometimes; more than this is a bad timestamp.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


@dataclass
class IngestResult:
    records: int = 0
    subscriptions: list[int] = field(default_factory=list)
    notifications: list[UsageNotification] = field(default_factory=list)


@dataclass
class _Row:
    subscription: Subscription
    at: dt.datetime
    quantity: int


def _parse_at(raw: object) -> dt.datetime | None:
    try:
        return minute_start(parse_datetime(raw))  # a time without offset is the provider's local time
    except InvalidDate:
        return None


def _subscriptions(
    *,
    provider: Provider,
    customer: Customer | None,
    rows: list[dict[str, Any]],
    subscription: Subscription | None,
) -> dict[int, Subscription]:
    """The subscriptions the rows name, within the provider (and the customer, when given)."""
    if subscription is not None:
        return {subscription.pk: subscription}
    ids = set()
    for row in rows:
        raw = row.get("subscription_id") if isinstance(row, dict) else None
        if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw < 2**63:
            ids.add(raw)
        elif isinstance(raw, str) and raw.strip().isdigit() and 0 < int(raw) < 2**63:
            ids.add(int(raw))
    qs = Subscription.objects.filter(provider=provider, pk__in=ids).select_related("package", "customer")
    if customer is not None:
        qs = qs.filter(customer=customer)
    return {s.pk: s for s in qs}


def _validate(*, rows: list[Any], known: dict[int, Subscription], fixed: Subscription | None) -> list[_Row]:
    """Every row checked before anything is stored; errors name the row (1-based)."""
    if not isinstance(rows, list) or not rows:
        raise ValidationFailed("Send at least one usage row.", fields={"rows": "Send at least one row."})
    if len(rows) > MAX_BATCH_ROWS:
        raise ValidationFailed(
            f"At most {MAX_BATCH_ROWS:,} rows per batch.",
            fields={"rows": f"At most {MAX_BATCH_ROWS:,} rows."},
        )
    latest = clock.now() + FUTURE_TOLERANCE
    errors: dict[str, str] = {}
    clean: list[_Row] = []
    for index, row in enumerate(rows, start=1):
        problem = None
        if not isinstance(row, dict):
            errors[f"rows[{index}]"] = f"Row {index}: expected an object with at, quantity."
            continue
        sub = fixed
        if sub is None:
            raw_id = row.get("subscription_id")
            try:
                sub = known.get(int(str(raw_id).strip()))
            except (TypeError, ValueError):
                sub = None
            if sub is None:
                problem = ("subscription_id", "unknown subscription")
        at = _parse_at(row.get("at"))
        try:
            quantity, bad_quantity = parse_count(row.get("quantity"), maximum=MAX_QUANTITY), None
        except InvalidNumber as error:
            quantity, bad_quantity = None, str(error)
        if problem is None:
            assert sub is not None  # found, or a problem was set
            if sub.package.usage_unit is None:
                problem = ("subscription_id", f"the package {sub.package.name} does not meter usage")
            elif sub.status not in (*CURRENT_STATUSES, SubscriptionStatus.CANCELLED):
                problem = ("subscription_id", f"the subscription is {sub.status}")
            elif at is None:
                problem = ("at", "not a date and time such as 2025-03-01T10:15:00+00:00")
            elif at > latest:
                problem = ("at", "in the future")
            elif at < midnight(sub.started_on):
                problem = ("at", "before the subscription started")
            elif bad_quantity is not None:
                problem = ("quantity", bad_quantity)
            elif row.get("unit") not in (None, "", sub.package.usage_unit):
                problem = ("unit", f"this subscription is metered in {sub.package.usage_unit}")
        if problem is not None:
            if len(errors) < MAX_REPORTED_ERRORS:
                errors[f"rows[{index}].{problem[0]}"] = f"Row {index}: {problem[0]} {problem[1]}."
            continue
        assert sub is not None and at is not None and quantity is not None  # else a problem was set
        clean.append(_Row(sub, at, quantity))
    if errors:
        first = next(iter(errors.values()))
        more = f" ({len(errors)} rows with errors shown)" if len(errors) > 1 else ""
        raise ValidationFailed(f"The batch was rejected, nothing was stored. {first}{more}", fields=errors)
    return clean


@transaction.atomic
def usage_ingest(
    *,
    provider: Provider,
    rows: list[Any],  # checked here: what the API was sent
    actor: Actor,
    customer: Customer | None = None,
    subscription: Subscription | None = None,
) -> IngestResult:
    """Store a batch of minute usage: validated whole first (one bad row rejects the batch and
    stores nothing), bulk inserted, roll-ups updated in the same transaction, then thresholds
    checked and notifications sent."""
    require_module(provider, "usage")
    require(actor, "usage.ingest")
    require_same_provider(provider, subscription, customer)
    known = _subscriptions(provider=provider, customer=customer, rows=rows, subscription=subscription)
    clean = _validate(rows=rows, known=known, fixed=subscription)
    # One writer per subscription at a time: roll-up sums and threshold checks read-modify-write.
    locked = {
        s.pk: s
        for s in Subscription.objects.select_for_update()
        .select_related("package", "customer", "customer__provider")
        .filter(pk__in=sorted({r.subscription.pk for r in clean}))
        .order_by("pk")
    }
    UsageRecord.objects.bulk_create(
        [
            UsageRecord(
                provider_id=provider.pk,
                subscription_id=r.subscription.pk,
                customer_id=r.subscription.customer_id,
                at=r.at,
                quantity=r.quantity,
                unit=r.subscription.package.usage_unit or "",  # metered packages only (checked above)
            )
            for r in clean
        ],
        batch_size=5000,
    )
    _rollups_add(provider, clean)
    result = IngestResult(records=len(clean), subscriptions=sorted(locked))
    per_subscription: dict[int, list[_Row]] = defaultdict(list)
    for r in clean:
        per_subscription[r.subscription.pk].append(r)
    for sub_id, sub_rows in per_subscription.items():
        sub = locked[sub_id]
        event_record(
            customer=sub.customer,
            actor=actor,
            kind="usage.ingested",
            summary=f"{len(sub_rows):,} usage records for {sub.package.name}",
            subject=sub,
            details={
                "records": len(sub_rows),
                "total": sum(r.quantity for r in sub_rows),
                "unit": sub.package.usage_unit,
                "from": min(r.at for r in sub_rows),
                "to": max(r.at for r in sub_rows),
            },
        )
        result.notifications += _check_thresholds(sub, touched=[r.at for r in sub_rows])
    return result


def _rollups_add(provider: Provider, rows: list[_Row]) -> None:
    """Add the batch's sums to the hour and day buckets it touches (upsert of the new totals)."""
    sums: dict[tuple[int, str, dt.datetime], int] = defaultdict(int)
    for r in rows:
        sums[(r.subscription.pk, Resolution.HOUR, hour_start(r.at))] += r.quantity
        sums[(r.subscription.pk, Resolution.DAY, day_start(r.at))] += r.quantity
    by_series: dict[tuple[int, str], list[dt.datetime]] = defaultdict(list)
    for sub_id, resolution, bucket in sums:
        by_series[(sub_id, resolution)].append(bucket)
    for (sub_id, resolution), buckets in by_series.items():
        existing = UsageRollup.objects.filter(
            subscription_id=sub_id,
            resolution=resolution,
            bucket_start__gte=min(buckets),
            bucket_start__lte=max(buckets),
        ).values_list("bucket_start", "total")
        for bucket, total in existing:
            key = (sub_id, resolution, bucket)
            if key in sums:
                sums[key] += total
    for (_, resolution, bucket), total in sums.items():
        if total > MAX_BUCKET_TOTAL:
            message = (
                f"The batch was rejected, nothing was stored: the {resolution} from "
                f"{bucket:%Y-%m-%d %H:%M} would total more than {MAX_BUCKET_TOTAL:,}."
            )
            raise ValidationFailed(message, fields={"rows": message})
    UsageRollup.objects.bulk_create(
        [
            UsageRollup(
                provider_id=provider.pk,
                subscription_id=sub_id,
                resolution=res,
                bucket_start=bucket,
                total=total,
            )
            for (sub_id, res, bucket), total in sums.items()
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["subscription", "resolution", "bucket_start"],
        update_fields=["total"],
    )


def usage_thresholds(*, provider: Provider) -> list[int]:
    row = UsageSettings.objects.filter(provider=provider).first()
    return sorted(set(row.thresholds)) if row is not None else [50, 80, 100]


def period_total(subscription: Subscription, start: dt.date, end: dt.date) -> int:
    """Usage of the billing period [start, end), from the day roll-ups."""
    total = UsageRollup.objects.filter(
        subscription=subscription,
        resolution=Resolution.DAY,
        bucket_start__gte=midnight(start),
        bucket_start__lt=midnight(end),
    ).aggregate(total=Sum("total"))["total"]
    return total or 0


def _check_thresholds(subscription: Subscription, *, touched: list[dt.datetime]) -> list[UsageNotification]:
    """Notify thresholds of the allowance crossed in the current billing period, each once (several
    crossed by one batch make one message, for the highest).

    Late data for a closed period changes its roll-ups but notifies nobody: the customer can no
    longer act on it. The subscription row is locked by the caller, and the unique constraint on
    (subscription, period_start, threshold) holds even against a writer that skipped the lock."""
    allowance = subscription.package.usage_allowance
    if not allowance:
        return []
    start, end = billing_period(subscription, clock.today())
    if not any(midnight(start) <= at < midnight(end) for at in touched):
        return []
    total = period_total(subscription, start, end)
    percent = total * 100 // allowance
    crossed = [t for t in usage_thresholds(provider=subscription.customer.provider) if percent >= t]
    if not crossed:
        return []
    done = set(
        UsageNotification.objects.filter(subscription=subscription, period_start=start).values_list(
            "threshold", flat=True
        )
    )
    pending = [threshold for threshold in crossed if threshold not in done]
    if not pending:
        return []
    return _notify(subscription, start, end, pending, total)


def _notify(
    subscription: Subscription, start: dt.date, end: dt.date, thresholds: list[int], total: int
) -> list[UsageNotification]:
    """One message for the highest of the thresholds this batch crossed; every threshold is still
    recorded (so none is sent later in the period), the lower ones folded into the highest's."""
    from accountdesk.messaging.services import message_send_email, message_send_sms

    customer = subscription.customer
    system = Actor.system(customer.provider)
    channel = usage_preference_channel(customer=customer)
    package = subscription.package
    highest = thresholds[-1]
    last_day = end - dt.timedelta(days=1)
    text = (
        f"You have used {highest}% of the {format_quantity(package.usage_allowance, package.usage_unit)} "
        f"included in {package.name} for {start:%d %b} to {last_day:%d %b %Y} "
        f"({format_quantity(total, package.usage_unit)} so far)."
    )
    outgoing = None
    try:
        with transaction.atomic():  # a missing address must not undo the ingest: it is logged instead
            if channel == Channel.SMS:
                outgoing = message_send_sms(customer=customer, body=text, actor=system)
            else:
                outgoing = message_send_email(
                    customer=customer,
                    subject=f"Usage alert: {highest}% of your allowance used",
                    body=text,
                    actor=system,
                )
    except ValidationFailed:
        outgoing = None
    # The highest is created last, so that newest-first lists show it above the ones it carries.
    now = clock.now()
    notifications = [
        UsageNotification.objects.create(
            provider_id=customer.provider_id,
            customer=customer,
            subscription=subscription,
            period_start=start,
            threshold=threshold,
            channel=channel,
            message=text,
            sent_at=now,
            outgoing=outgoing,
        )
        for threshold in thresholds
    ]
    sent, folded = notifications[-1], notifications[:-1]
    if folded:
        UsageNotification.objects.filter(pk__in=[n.pk for n in folded]).update(folded_into=sent)
        for notification in folded:
            notification.folded_into = sent
    event_record(
        customer=customer,
        actor=system,
        kind="usage.threshold_crossed",
        summary=f"{_percentages(thresholds)} of the {package.name} allowance used; notified by {channel}"
        + (f", one message for {highest}%" if folded else "")
        + ("" if outgoing else " (no address on file, not sent)"),
        subject=sent,
        details={
            "threshold": highest,
            "thresholds": thresholds,
            "total": total,
            "allowance": package.usage_allowance,
        },
    )
    return notifications


def _percentages(thresholds: list[int]) -> str:
    """50% / 50% and 80% / 50%, 80% and 100%."""
    named = [f"{t}%" for t in thresholds]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"


@transaction.atomic
def usage_preference_set(*, customer: Customer, channel: str, actor: Actor) -> UsagePreference:
    require_module(customer.provider, "usage")
    require(actor, "customers.edit")
    if channel not in Channel.values:
        raise ValidationFailed("Choose email or SMS.", fields={"channel": "Choose email or SMS."})
    # A customer without a row hears by email: start from that, so a first change is logged too.
    preference, _ = UsagePreference.objects.get_or_create(
        customer=customer, defaults={"provider_id": customer.provider_id, "channel": Channel.EMAIL}
    )
    if preference.channel != channel:
        old = preference.channel
        preference.channel = channel
        preference.save(update_fields=["channel"])
        event_record(
            customer=customer,
            actor=actor,
            kind="usage.preference_changed",
            summary=f"Usage notifications by {channel} (was {old})",
            details={"channel": [old, channel]},
        )
    return preference


MAX_THRESHOLDS = 10
THRESHOLD_RANGE = (1, 1000)


@transaction.atomic
def usage_thresholds_set(*, provider: Provider, thresholds: list[Any], actor: Actor) -> UsageSettings:
    """The provider's thresholds, the one place they are checked (the API and the settings page both
    come here): 1 to 10 whole percentages of the allowance, from 1 to 1000, kept sorted and distinct."""
    require_module(provider, "usage")
    require(actor, "provider.manage")
    require_same_provider(actor, provider)
    low, high = THRESHOLD_RANGE
    if (
        not isinstance(thresholds, list)
        or not thresholds
        or len(thresholds) > MAX_THRESHOLDS
        or any(isinstance(t, bool) or not isinstance(t, int) or not low <= t <= high for t in thresholds)
    ):
        raise ValidationFailed(
            f"Thresholds are 1 to {MAX_THRESHOLDS} whole percentages.",
            fields={
                "thresholds": f"1 to {MAX_THRESHOLDS} whole percentages from {low} to {high}, "
                "for example 50, 80, 100."
            },
        )
    old = usage_thresholds(provider=provider)
    row, _ = UsageSettings.objects.update_or_create(
        provider=provider, defaults={"thresholds": sorted(set(thresholds))}
    )
    settings_record(
        provider=provider,
        actor=actor,
        summary="Usage notification thresholds changed",
        old={"thresholds": old},
        new={"thresholds": row.thresholds},
    )
    return row
