"""Demo billing: profiles, payment methods and recurring extras first (demo_populate); then, once
every app has said what it bills, each customer's years of invoices, payments, credits and ledger,
replayed in memory (books.py, history.py) and bulk inserted (demo_finish).
account_summary_verify() agrees with the result (tests/billing/test_demo.py).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from accountdesk.activity.services import event_bulk_record
from accountdesk.billing import services
from accountdesk.billing.demo.books import reserve_numbers
from accountdesk.billing.demo.history import EXTRAS, INSTALMENT_ITEMS, history, recent_activity
from accountdesk.billing.models import (
    CYCLE_MONTHS,
    BillingProfile,
    InstalmentPurchase,
    PaymentMethod,
)
from accountdesk.core.periods import period_start_on_or_after

if TYPE_CHECKING:
    from accountdesk.demo.context import DemoContext


def demo_populate(ctx: DemoContext) -> None:
    """Billing profiles, payment methods and the extras; each customer's billing day goes to
    ctx.extra["billing_anchor"] so what is billed later falls on it. The invoices wait for
    demo_finish(), once every app has said what it bills (ctx.extra["billing_charges"])."""
    rng, provider, today = ctx.rng, ctx.provider, ctx.today
    profiles, methods, plans = [], [], []
    instalment_ids = set()
    if provider.has_module("instalments"):
        active = [c.pk for c in ctx.customers if c.status == "active"]
        instalment_ids = set(rng.sample(active, min(len(active), 20)))
    anchors = ctx.extra.setdefault("billing_anchor", {})
    for customer in ctx.customers:
        if customer.status == "prospect":
            continue
        business = customer.type == "business"
        terms = rng.choice(
            ["net14", "net30", "net30", "net60"] if business else ["due_on_receipt", "net14", "net30"]
        )
        anchor = rng.choice([1, 1, 5, 15, 20, 28])
        anchors[customer.pk] = anchor
        profiles.append(
            BillingProfile(
                provider=provider,
                customer=customer,
                cycle="monthly",
                anchor_day=anchor,
                terms=terms,
                billing_type="business" if business else "residential",
                delivery=rng.choice(["email", "email", "post", "portal"]),
                currency=customer.currency,
            )
        )
        if rng.random() < 0.75:
            kind = rng.choice(["card", "card", "direct_debit", "bank_account"])
            last4 = f"{rng.randrange(10000):04d}"
            methods.append(
                PaymentMethod(
                    provider=provider,
                    customer=customer,
                    kind=kind,
                    label={"card": rng.choice(["Visa", "Mastercard"])}.get(kind, ""),
                    token=f"tok_{rng.getrandbits(48):012x}",
                    last4=last4,
                    expires_on=dt.date(today.year + rng.randint(0, 4), rng.randint(1, 12), 1)
                    if kind == "card"
                    else None,
                    autopay=rng.random() < 0.6,
                    is_default=True,
                    created_at=ctx.now,
                )
            )
        instalment = rng.choice(INSTALMENT_ITEMS) if customer.pk in instalment_ids else None
        plans.append((customer, terms, instalment))
    BillingProfile.objects.bulk_create(profiles, batch_size=1000)
    PaymentMethod.objects.bulk_create(methods, batch_size=1000)
    ctx.extra["billing_plans"] = plans
    _extras(ctx)


def demo_finish(ctx: DemoContext) -> None:
    """Every customer's invoices, payments, credits and ledger, in date order, in bulk: what each
    app bills (ctx.extra["billing_charges"]: customer id -> (day, line, amount, source key,
    subscription id)) issued on its day as the billing run issues it, then paid or not."""
    charges = ctx.extra.get("billing_charges", {})
    billing_user = ctx.staff["billing"]
    all_books, activity = [], []
    for customer, terms, instalment in ctx.extra.get("billing_plans", []):
        all_books.append(history(ctx, customer, terms, charges.get(customer.pk, []), instalment=instalment))
    InstalmentPurchase.objects.bulk_create([b.purchase for b in all_books if b.purchase])
    for books in all_books:
        if books.purchase is None:
            continue  # instalment invoices come with their purchase
        for index, inv in books.instalment_invoices:
            inv.row.source_key = f"instalment:{books.purchase.pk}:{index}"
    number = reserve_numbers(ctx.provider, sum(len(b.invoices) for b in all_books))
    for books in all_books:
        number += books.save(number)
        activity += recent_activity(ctx, books, billing_user)
    event_bulk_record(activity, batch_size=2000)
    _profiles_finish(ctx)


def _profiles_finish(ctx: DemoContext) -> None:
    """Each profile's cycle is its customer's shortest billing period, and its next bill date the
    first period not yet billed (ctx.extra["next_bill"] and ["billing_months"], from the
    subscriptions)."""
    next_bill, months = ctx.extra.get("next_bill", {}), ctx.extra.get("billing_months", {})
    cycles = {months: cycle for cycle, months in CYCLE_MONTHS.items()}
    profiles = list(BillingProfile.objects.filter(provider=ctx.provider))
    for profile in profiles:
        profile.next_bill_date = next_bill.get(profile.customer_id)
        profile.cycle = cycles.get(months.get(profile.customer_id, 1), profile.cycle)
    BillingProfile.objects.bulk_update(profiles, ["next_bill_date", "cycle"], batch_size=1000)


def _extras(ctx: DemoContext) -> None:
    """Recurring templates, through the services."""
    rng, today = ctx.rng, ctx.today
    anchors = ctx.extra.get("billing_anchor", {})
    active = [c for c in ctx.customers if c.status == "active"]
    billing = ctx.actor("billing")
    for customer in rng.sample(active, min(len(active), 25)):
        extra, price = rng.choice([*EXTRAS[:1], ("Cloud backup 100 GB", "4.99"), ("Security suite", "6.99")])
        services.recurring_invoice_create(
            customer=customer,
            description=extra,
            amount=price,
            schedule=rng.choice(["monthly", "monthly", "annual"]),
            # Set up today: the first run is the customer's next billing day.
            next_run_on=period_start_on_or_after(
                today + dt.timedelta(days=1), months=1, anchor_day=anchors.get(customer.pk, 1)
            ),
            actor=billing,
        )
