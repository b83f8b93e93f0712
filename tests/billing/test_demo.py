import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone
from faker import Faker

from accountdesk.activity.models import Activity
from accountdesk.billing.demo import demo_finish, demo_populate
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import TERMS_DAYS, BillingProfile, InstalmentPurchase, Invoice, LedgerEntry
from accountdesk.core import clock
from accountdesk.core.periods import add_months
from accountdesk.demo.context import DemoContext
from tests.factories import CustomerFactory


def _charges(customer, day: dt.date) -> list[tuple]:
    """What the subscriptions' demo hands billing: a monthly period from `day` on, up to today."""
    out = []
    while day <= dt.date(2025, 3, 15):
        last = add_months(day, 1) - dt.timedelta(days=1)
        line = f"Fibre 500, {day:%d %b %Y} to {last:%d %b %Y}"
        out.append((day, line, Decimal("59.99"), f"subscription:{customer.pk}:{day}", customer.pk))
        day = add_months(day, 1)
    return out


def test_it_builds_demo_books_that_verify(provider, staff):
    now = timezone.make_aware(dt.datetime(2025, 3, 15, 17, 0))
    clock.freeze(now)
    customers = [CustomerFactory(provider=provider, joined_on=dt.date(2022, 1, 10)) for _ in range(4)]
    heavy = CustomerFactory(provider=provider, joined_on=dt.date(2023, 6, 1))
    ctx = DemoContext(
        provider=provider,
        customers=[*customers, heavy],
        heavy_customers=[heavy],
        staff=staff,
        rng=random.Random(7),
        faker=Faker(),
        today=now.date(),
        now=now,
    )
    demo_populate(ctx)
    anchors = ctx.extra["billing_anchor"]
    assert set(anchors) == {c.pk for c in ctx.customers}
    ctx.extra["billing_charges"] = {c.pk: _charges(c, dt.date(2023, 7, anchors[c.pk])) for c in ctx.customers}
    ctx.extra["next_bill"] = {c.pk: dt.date(2025, 4, anchors[c.pk]) for c in ctx.customers}
    demo_finish(ctx)
    for customer in ctx.customers:
        assert account_summary_verify(customer) == {}, customer
        # Every period handed over is invoiced on its day, once.
        billed = Invoice.objects.filter(customer=customer, source_key__startswith="subscription:")
        assert sorted(billed.values_list("issued_on", flat=True)) == [
            c[0] for c in ctx.extra["billing_charges"][customer.pk]
        ]
        profile = BillingProfile.objects.get(customer=customer)
        assert profile.next_bill_date == ctx.extra["next_bill"][customer.pk]
    numbers = sorted(
        int(n[4:]) for n in Invoice.objects.filter(provider=provider).values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))
    assert not LedgerEntry.objects.filter(at__gt=now).exists()
    for purchase in InstalmentPurchase.objects.filter(provider=provider):
        billed = Invoice.objects.filter(source_key__startswith=f"instalment:{purchase.pk}:").count()
        assert billed == purchase.instalments_billed > 0
    # The last year's subscription invoices come with the billing run's activity entry.
    recent = Invoice.objects.filter(
        provider=provider,
        source_key__startswith="subscription:",
        approved_at__gte=now - dt.timedelta(days=365),
    )
    assert (
        Activity.objects.filter(provider=provider, kind="subscription.billed").count()
        == recent.count()
        >= 5 * 11
    )
    # Each invoice carries its customer's terms, and its due date follows from them.
    for invoice in Invoice.objects.filter(provider=provider).select_related("customer__billing_profile"):
        assert invoice.terms == invoice.customer.billing_profile.terms, invoice
        assert invoice.due_on == invoice.issued_on + dt.timedelta(days=TERMS_DAYS[invoice.terms]), invoice
