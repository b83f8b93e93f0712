"""The subscriptions' part of `accountdesk verify` (registered with billing.verify).

Each subscription's invoices, read from their lines (period_line), tile its life with no overlap
and no gap from its start to its next bill date, which is the first day not yet billed. The only
gap allowed is a suspension: billing restarts on the day of the resume. The billing profile's next
bill date is the earliest next bill date of the subscriptions still billed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from accountdesk.activity.models import Activity
from accountdesk.billing.models import BillingProfile, InvoiceLine
from accountdesk.core import clock
from accountdesk.subscriptions.billable import period_of_line
from accountdesk.subscriptions.models import Subscription, SubscriptionStatus

S = SubscriptionStatus


def subscriptions_check(chunk: list, *, counts) -> Iterable[tuple[int, str]]:
    ids = [c.pk for c in chunk]
    periods: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    lines = InvoiceLine.objects.filter(
        invoice__customer_id__in=ids, invoice__source_key__startswith="subscription:"
    ).values_list("invoice__source_key", "description")
    bad: list[tuple[int, str]] = []
    for key, description in lines.iterator(chunk_size=5000):
        assert key is not None, "filtered on its prefix"
        _, subscription_id, start = key.split(":", 2)
        period = period_of_line(description)
        if period is None or period[0].isoformat() != start:
            bad.append((int(subscription_id), f"invoice {key} does not name the period it bills"))
            continue
        periods[int(subscription_id)].append(period)
    resumed: dict[int, set[dt.date]] = defaultdict(set)
    for subject_id, at in Activity.objects.filter(
        customer_id__in=ids, kind="subscription.resumed", subject_type="subscription"
    ).values_list("subject_id", "at"):
        if subject_id is not None:  # every resumption names its subscription
            resumed[subject_id].add(timezone.localdate(at))
    subscriptions = Subscription.objects.filter(customer_id__in=ids).select_related("package").order_by("id")
    next_bill: dict[int, dt.date] = {}
    billed_customers: set[int] = set()
    today = clock.today()
    bad_subscriptions = {pk for pk, _ in bad}
    for sub in subscriptions.iterator(chunk_size=2000):
        counts["subscriptions"] += 1
        label = f"subscription {sub.pk} ({sub.package.name})"
        if sub.pk in bad_subscriptions:
            yield sub.customer_id, f"{label}: " + next(w for pk, w in bad if pk == sub.pk)
        if sub.next_bill_on is not None and sub.status != S.SUSPENDED:
            billed_customers.add(sub.customer_id)
            known = next_bill.get(sub.customer_id)
            next_bill[sub.customer_id] = sub.next_bill_on if known is None else min(known, sub.next_bill_on)
        yield from ((sub.customer_id, f"{label}: {what}") for what in _tiling(sub, periods, resumed))
        if sub.status == S.ACTIVE and sub.next_bill_on is not None and sub.next_bill_on <= today:
            counts["subscriptions due for billing"] += 1
    for profile in BillingProfile.objects.filter(customer_id__in=billed_customers).only(
        "customer_id", "next_bill_date"
    ):
        if profile.next_bill_date != next_bill[profile.customer_id]:
            yield (
                profile.customer_id,
                f"billing profile: next bill date {profile.next_bill_date}, "
                f"but the first period not yet billed starts {next_bill[profile.customer_id]}",
            )


def _tiling(sub: Subscription, periods: dict, resumed: dict) -> Iterable[str]:
    billed = sorted(periods.get(sub.pk, []))
    restarts = resumed.get(sub.pk, set())
    if sub.status == S.PENDING:
        if billed:
            yield f"pending, yet billed from {billed[0][0]}"
        elif sub.next_bill_on != sub.started_on:
            yield f"pending from {sub.started_on}, yet its next bill date is {sub.next_bill_on}"
        return
    if sub.price == 0:
        return  # a free package: periods count as billed with no invoice
    cursor = sub.started_on
    for start, until in billed:
        if start < cursor:
            yield f"billed twice from {start} to {min(until, cursor) - dt.timedelta(days=1)}"
        elif start > cursor and start not in restarts:
            yield f"never billed from {cursor} to {start - dt.timedelta(days=1)}"
        cursor = max(cursor, until)
    if sub.next_bill_on is not None:
        if sub.next_bill_on < cursor:
            yield f"next bill date {sub.next_bill_on}, but it is billed up to {cursor - dt.timedelta(days=1)}"
        elif sub.next_bill_on > cursor and sub.next_bill_on not in restarts:
            yield f"next bill date {sub.next_bill_on}, but the first day not yet billed is {cursor}"
    elif sub.status != S.CANCELLED:
        yield f"{sub.status}, yet it has no next bill date"
    elif billed and sub.ends_on is not None and cursor <= sub.ends_on:
        yield f"cancelled, last day {sub.ends_on}, but billed only up to {cursor - dt.timedelta(days=1)}"


def register() -> None:
    from accountdesk.billing.verify import register_check

    register_check("subscriptions", subscriptions_check)
