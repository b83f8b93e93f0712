"""Demo packages and subscriptions: every status, every frequency, history of cancelled ones.

Bulk inserted (with their activity entries). Each subscription is then billed as the billing run
would have billed it day after day (billable.py's rule: in advance, from `next_bill_on` to the end
of the period on the customer's billing day): the periods become ctx.extra["billing_charges"], which
billing's demo turns into invoices, and `next_bill_on` is the first period not yet billed. Heavy
accounts are enterprises with many sites, each its own subscription billed every period.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_bulk_record
from accountdesk.core.periods import period_containing, period_start_on_or_after
from accountdesk.subscriptions.billable import period_line
from accountdesk.subscriptions.models import Package, Subscription, SubscriptionStatus
from accountdesk.subscriptions.proration import add_months, charge_for

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
# Sites of each heavy (enterprise) account: about 1,700 monthly invoices over eight years.
SITES = 26
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
    anchors = ctx.extra.get("billing_anchor", {})
    heavy_ids = {c.pk for c in ctx.heavy_customers}
    rows: list[Subscription] = []
    for customer in ctx.customers:
        plan = _Plan(customer, rng, today, anchors.get(customer.pk, 1))
        own = _for_customer(plan, mains, add_ons, legacy, heavy=customer.pk in heavy_ids)
        if customer.pk in heavy_ids:
            own += _sites(plan, next((s for s in own if s.status != S.CANCELLED), None), mains)
        rows += own
    Subscription.objects.bulk_create(rows, batch_size=1000)
    charges = ctx.extra.setdefault("billing_charges", {})
    for sub in rows:
        charges.setdefault(sub.customer_id, []).extend(_bill(sub, today, anchors.get(sub.customer_id, 1)))
    Subscription.objects.bulk_update(rows, ["next_bill_on"], batch_size=1000)
    next_bill: dict[int, dt.date] = {}
    months: dict[int, int] = {}
    for sub in rows:
        if sub.next_bill_on is not None and sub.status != S.SUSPENDED:
            known = next_bill.get(sub.customer_id)
            next_bill[sub.customer_id] = sub.next_bill_on if known is None else min(known, sub.next_bill_on)
        if sub.status != S.CANCELLED:
            months[sub.customer_id] = min(months.get(sub.customer_id, 12), sub.package.months)
    ctx.extra["next_bill"] = next_bill  # the billing profiles' next bill dates
    ctx.extra["billing_months"] = months  # and their cycles
    _activity(ctx, rows)
    ctx.extra["subscriptions"] = rows


class _Plan:
    """One customer's dates. Services start on the customer's billing day, as the sales desk sets
    them, so each period is billed on that day."""

    def __init__(self, customer, rng, today: dt.date, anchor_day: int) -> None:
        self.customer, self.rng, self.today, self.anchor_day = customer, rng, today, anchor_day

    def billing_day(self, day: dt.date) -> dt.date:
        """The customer's first billing day on or after `day`."""
        return period_start_on_or_after(day, months=1, anchor_day=self.anchor_day)

    def last_billing_day(self) -> dt.date:
        """The customer's latest billing day up to today."""
        return period_containing(self.today, months=1, anchor_day=self.anchor_day)[0]

    def sub(self, package, status, started_on, *, ends_on=None, suspended_on=None) -> Subscription:
        if status == S.CANCELLED and ends_on is not None and ends_on < started_on:
            ends_on = started_on
        sub = Subscription(
            provider_id=self.customer.provider_id,
            customer=self.customer,
            package=package,
            status=status,
            started_on=started_on,
            ends_on=ends_on,
            price=package.price,
            next_bill_on=started_on if status == S.PENDING else None,
            cancelled_on=ends_on if status == S.CANCELLED else None,
        )
        sub.demo_suspended_on = suspended_on  # when it was suspended (read by _bill and _activity)
        return sub


def _bill(sub: Subscription, today: dt.date, anchor_day: int) -> list[tuple]:
    """The periods the daily billing run invoiced up to today, as (day, line, amount, source key,
    subscription id); sets next_bill_on to the first period not billed. A cancelled subscription
    was cancelled on its last day, so each period begun by then was billed whole and nothing more
    is due; a suspended one stopped billing on the day it was suspended."""
    if sub.status == S.PENDING:
        return []
    stop = today
    if sub.status == S.CANCELLED:
        stop = min(today, sub.ends_on)
    elif sub.status == S.SUSPENDED:
        stop = min(today, sub.demo_suspended_on)
    out = []
    next_on = sub.started_on
    while next_on <= stop:
        start, until, amount = charge_for(
            sub.price, months=sub.package.months, bill_from=next_on, ends_on=None, anchor_day=anchor_day
        )
        if amount:
            line = period_line(sub.package.name, start, until - dt.timedelta(days=1))
            out.append((start, line, amount, f"subscription:{sub.pk}:{start.isoformat()}", sub.pk))
        next_on = until
    sub.next_bill_on = None if sub.status == S.CANCELLED else next_on
    return out


def _for_customer(plan: _Plan, mains, add_ons, legacy, *, heavy: bool) -> list[Subscription]:
    customer, rng, today = plan.customer, plan.rng, plan.today
    joined = min(customer.joined_on, today)
    span = max((today - joined).days, 1)
    start = plan.billing_day(joined + dt.timedelta(days=rng.randint(0, min(span, 20))))
    out = []
    status = customer.status
    if status == "prospect":
        if rng.random() < 0.6:
            out.append(
                plan.sub(
                    rng.choice(mains),
                    S.PENDING,
                    plan.billing_day(today + dt.timedelta(days=rng.randint(3, 30))),
                )
            )
        return out
    if span > 400 and rng.random() < 0.5 and legacy:
        # An older package the customer moved away from.
        ended = joined + dt.timedelta(days=rng.randint(120, span - 60))
        out.append(plan.sub(rng.choice(legacy), S.CANCELLED, start, ends_on=ended))
        start = plan.billing_day(ended + dt.timedelta(days=1))
    monthly = [p for p in mains if p.months == 1]
    main = rng.choice(monthly if heavy and monthly else mains)
    if status in ("deactivated", "archived"):
        ended = max(start, today - dt.timedelta(days=rng.randint(10, 300)))
        out.append(plan.sub(main, S.CANCELLED, start, ends_on=ended))
        return out
    main_status = S.SUSPENDED if status == "blocked" else S.ACTIVE
    suspended_on = None
    if main_status == S.SUSPENDED:
        start = min(start, plan.last_billing_day())
        suspended_on = max(start, today - dt.timedelta(days=rng.randint(3, 60)))
    # A service whose first billing day is still to come waits for it.
    main_sub = plan.sub(main, main_status if start <= today else S.PENDING, start, suspended_on=suspended_on)
    if rng.random() < 0.15:
        main_sub.price = (main.price * Decimal("0.85")).quantize(Decimal("0.01"))  # a negotiated discount
    out.append(main_sub)
    for add_on in add_ons:
        if rng.random() < 0.35:
            begun = plan.billing_day(start + dt.timedelta(days=rng.randint(0, max(span // 2, 1))))
            roll = rng.random()
            if begun > today:
                if status == "active":
                    out.append(plan.sub(add_on, S.PENDING, begun))
            elif roll < 0.15:
                ended = min(today, add_months(begun, rng.randint(1, 6)))
                out.append(plan.sub(add_on, S.CANCELLED, begun, ends_on=ended))
            elif roll < 0.25 and status == "active":
                out.append(
                    plan.sub(
                        add_on, S.PENDING, plan.billing_day(today + dt.timedelta(days=rng.randint(1, 20)))
                    )
                )
            elif suspended_on is not None and begun > suspended_on:
                continue  # no new service on a suspended account
            else:
                out.append(plan.sub(add_on, main_status, begun, suspended_on=suspended_on))
    return out


def _sites(plan: _Plan, main: Subscription | None, mains) -> list[Subscription]:
    """An enterprise's sites, opened over the years, each its own subscription billed every month
    (a few closed since): thousands of invoices over the account's life."""
    rng, today, customer = plan.rng, plan.today, plan.customer
    if main is None or main.status == S.PENDING:
        return []
    package = main.package if main.package.months == 1 else next(p for p in mains if p.months == 1)
    first = plan.billing_day(min(customer.joined_on, today))
    span = max((today - first).days, 1)
    out = []
    for _ in range(SITES):
        opened = plan.billing_day(first + dt.timedelta(days=int(span * rng.random() ** 1.6 * 0.85)))
        if main.demo_suspended_on is not None and opened > main.demo_suspended_on:
            continue
        if opened > today:
            continue
        if rng.random() < 0.12:
            ended = min(today - dt.timedelta(days=1), add_months(opened, rng.randint(6, 40)))
            out.append(plan.sub(package, S.CANCELLED, opened, ends_on=max(ended, opened)))
        else:
            out.append(plan.sub(package, main.status, opened, suspended_on=main.demo_suspended_on))
    return out


def _activity(ctx, rows: list[Subscription]) -> None:
    actor = ctx.staff.get("agent")
    entries = []
    for sub in rows:
        # Set up before the day's billing run (which bills from 08:00).
        at = min(timezone.make_aware(dt.datetime.combine(sub.started_on, dt.time(7, 30))), ctx.now)
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
            end_at = min(timezone.make_aware(dt.datetime.combine(sub.ends_on, dt.time(18, 30))), ctx.now)
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
                    min(
                        timezone.make_aware(dt.datetime.combine(sub.demo_suspended_on, dt.time(18, 30))),
                        ctx.now,
                    ),
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
