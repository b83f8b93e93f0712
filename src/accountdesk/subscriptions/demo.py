"""Demo packages and subscriptions: every status, every frequency, history of cancelled ones.

Bulk inserted (with their activity entries); next bill dates say each current period is billed.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_bulk_record
from accountdesk.subscriptions.models import Package, Subscription, SubscriptionStatus
from accountdesk.subscriptions.proration import add_months, period_containing

S = SubscriptionStatus
GB = 1_000_000_000
CATALOGUES = {
    "acme": [
        # name, price, frequency, allowance, unit, active
        ("Fibre 100", "39.99", "monthly", 500 * GB, "bytes", True),
        ("Fibre 500", "59.99", "monthly", 1000 * GB, "bytes", True),
        ("Fibre 1000", "79.99", "monthly", None, None, True),
        ("Business 1 Gbps", "149.00", "monthly", None, None, True),
        ("Mobile 20 GB", "19.99", "monthly", 20 * GB, "bytes", True),
        ("Home phone", "12.50", "monthly", 1000, "minutes", True),
        ("Business phone lines", "90.00", "quarterly", 6000, "minutes", True),
        ("Security suite", "99.00", "annual", None, None, True),
        ("ADSL 20 (legacy)", "29.99", "monthly", 100 * GB, "bytes", False),
    ],
    "bluegum": [
        ("Lawn care, fortnightly", "45.00", "monthly", None, None, True),
        ("Pool service", "240.00", "quarterly", None, None, True),
        ("Pest control plan", "320.00", "annual", None, None, True),
        ("Gutter clean (legacy)", "60.00", "quarterly", None, None, False),
    ],
}
ADD_ONS = {"acme": ["Mobile 20 GB", "Home phone", "Security suite"], "bluegum": ["Pest control plan"]}


def demo_populate(ctx) -> None:
    provider = ctx.provider
    spec = CATALOGUES.get(provider.slug, CATALOGUES["bluegum"])
    packages = Package.objects.bulk_create(
        [
            Package(
                provider=provider,
                name=name,
                price=Decimal(price),
                frequency=freq,
                usage_allowance=allowance,
                usage_unit=unit,
                active=active,
            )
            for name, price, freq, allowance, unit, active in spec
        ]
    )
    offered = [p for p in packages if p.active]
    mains = [p for p in offered if p.name not in ADD_ONS.get(provider.slug, [])]
    add_ons = [p for p in offered if p.name in ADD_ONS.get(provider.slug, [])]
    legacy = [p for p in packages if not p.active]
    rng, today = ctx.rng, ctx.today
    rows: list[Subscription] = []
    for customer in ctx.customers:
        rows += _for_customer(customer, rng, today, mains, add_ons, legacy)
    Subscription.objects.bulk_create(rows, batch_size=1000)
    _activity(ctx, rows)
    ctx.extra["subscriptions"] = rows


def _sub(customer, package, status, started_on, *, ends_on=None, cancelled_on=None, today) -> Subscription:
    price = package.price
    if status in (S.ACTIVE, S.SUSPENDED):
        next_bill = period_containing(today, package.months)[1]  # the current period is billed
    elif status == S.PENDING:
        next_bill = started_on
    else:
        next_bill = None
    return Subscription(
        provider_id=customer.provider_id,
        customer=customer,
        package=package,
        status=status,
        started_on=started_on,
        ends_on=ends_on,
        price=price,
        next_bill_on=next_bill,
        cancelled_on=cancelled_on,
    )


def _for_customer(customer, rng, today, mains, add_ons, legacy) -> list[Subscription]:
    joined = min(customer.joined_on, today)
    span = max((today - joined).days, 1)
    start = joined + dt.timedelta(days=rng.randint(0, min(span, 20)))
    start = min(start, today)
    out = []
    status = customer.status
    if status == "prospect":
        if rng.random() < 0.6:
            out.append(
                _sub(
                    customer,
                    rng.choice(mains),
                    S.PENDING,
                    today + dt.timedelta(days=rng.randint(3, 30)),
                    today=today,
                )
            )
        return out
    if span > 400 and rng.random() < 0.5 and legacy:
        # An older package the customer moved away from.
        ended = joined + dt.timedelta(days=rng.randint(120, span - 60))
        out.append(
            _sub(
                customer,
                rng.choice(legacy),
                S.CANCELLED,
                joined,
                ends_on=ended,
                cancelled_on=ended,
                today=today,
            )
        )
        start = ended + dt.timedelta(days=1)
    main = rng.choice(mains)
    if status in ("deactivated", "archived"):
        ended = max(start, today - dt.timedelta(days=rng.randint(10, 300)))
        out.append(_sub(customer, main, S.CANCELLED, start, ends_on=ended, cancelled_on=ended, today=today))
        return out
    main_status = S.SUSPENDED if status == "blocked" else S.ACTIVE
    main_sub = _sub(customer, main, main_status, start, today=today)
    if rng.random() < 0.15:
        main_sub.price = (main.price * Decimal("0.85")).quantize(Decimal("0.01"))  # a negotiated discount
    out.append(main_sub)
    for add_on in add_ons:
        if rng.random() < 0.35:
            begun = min(today, start + dt.timedelta(days=rng.randint(0, max(span // 2, 1))))
            roll = rng.random()
            if roll < 0.15:
                ended = min(today, add_months(begun, rng.randint(1, 6)))
                out.append(
                    _sub(customer, add_on, S.CANCELLED, begun, ends_on=ended, cancelled_on=ended, today=today)
                )
            elif roll < 0.25 and status == "active":
                out.append(
                    _sub(
                        customer,
                        add_on,
                        S.PENDING,
                        today + dt.timedelta(days=rng.randint(1, 20)),
                        today=today,
                    )
                )
            else:
                out.append(_sub(customer, add_on, main_status, begun, today=today))
    return out


def _activity(ctx, rows: list[Subscription]) -> None:
    actor = ctx.staff.get("agent")
    entries = []
    for sub in rows:
        at = timezone.make_aware(dt.datetime.combine(min(sub.started_on, ctx.today), dt.time(10, 0)))
        entries.append(
            _entry(
                sub,
                actor,
                at,
                "subscription.created",
                f"Subscribed to {sub.package.name} at {amount_slot('price')} from {sub.started_on:%Y-%m-%d}",
                details={"price": f"{sub.price:.2f}"},
            )
        )
        if sub.status == S.CANCELLED and sub.ends_on:
            end_at = timezone.make_aware(dt.datetime.combine(sub.ends_on, dt.time(15, 0)))
            entries.append(
                _entry(
                    sub,
                    actor,
                    end_at,
                    "subscription.cancelled",
                    f"{sub.package.name} cancelled, last day {sub.ends_on:%Y-%m-%d}",
                )
            )
        elif sub.status == S.SUSPENDED:
            entries.append(
                _entry(
                    sub,
                    actor,
                    at + dt.timedelta(days=1),
                    "subscription.suspended",
                    f"{sub.package.name} suspended: account blocked",
                )
            )
    event_bulk_record(entries, batch_size=2000)


def _entry(sub, actor, at, kind: str, summary: str, details: dict | None = None) -> Activity:
    return Activity(
        provider_id=sub.provider_id,
        customer_id=sub.customer_id,
        at=at,
        actor_type="staff",
        actor=actor,
        actor_name=actor.display_name if actor else "Agent",
        actor_email=actor.email if actor else None,
        kind=kind,
        group="subscriptions",
        summary=summary[:300],
        subject_type="subscription",
        subject_id=sub.pk,
        details=details or {},
    )
