import datetime as dt
import random

from django.utils import timezone
from faker import Faker

from accountdesk.billing.demo import demo_populate
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import TERMS_DAYS, InstalmentPurchase, Invoice, LedgerEntry
from accountdesk.core import clock
from accountdesk.demo.context import DemoContext
from tests.factories import CustomerFactory


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
    for customer in ctx.customers:
        assert account_summary_verify(customer) == {}, customer
    assert Invoice.objects.filter(customer=heavy).count() > 300
    numbers = sorted(
        int(n[4:]) for n in Invoice.objects.filter(provider=provider).values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))
    assert not LedgerEntry.objects.filter(at__gt=now).exists()
    for purchase in InstalmentPurchase.objects.filter(provider=provider):
        billed = Invoice.objects.filter(source_key__startswith=f"instalment:{purchase.pk}:").count()
        assert billed == purchase.instalments_billed > 0
    # Each invoice carries its customer's terms, and its due date follows from them.
    for invoice in Invoice.objects.filter(provider=provider).select_related("customer__billing_profile"):
        assert invoice.terms == invoice.customer.billing_profile.terms, invoice
        assert invoice.due_on == invoice.issued_on + dt.timedelta(days=TERMS_DAYS[invoice.terms]), invoice
