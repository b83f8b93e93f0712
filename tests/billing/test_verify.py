"""`accountdesk verify`: it passes on what the services build and on the demo, and names the
customer and the problem once any invariant is broken."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accountdesk.billing import services
from accountdesk.billing.models import (
    AccountSummary,
    BillingProfile,
    Invoice,
    LedgerEntry,
    RecurringInvoice,
    RecurringStatus,
)
from accountdesk.billing.run import billing_run
from accountdesk.billing.verify import verify
from accountdesk.core import clock
from accountdesk.subscriptions import services as subscription_services
from accountdesk.subscriptions.billable import period_line
from accountdesk.subscriptions.models import Subscription
from tests.subscriptions.factories import PackageFactory

D = dt.date


def on(day: dt.date) -> None:
    clock.freeze(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))


def run_until(provider, last: dt.date, first: dt.date = dt.date(2025, 1, 1)) -> None:
    """The daily billing run, day after day."""
    day = first
    while day <= last:
        on(day)
        billing_run(provider=provider, on=day)
        day += dt.timedelta(days=1)


@pytest.fixture
def books(customer, actors):
    """Four months of a customer's billing, all through the services: a subscription on the 20th,
    a recurring invoice, instalments, payments."""
    BillingProfile.objects.create(provider=customer.provider, customer=customer, anchor_day=20)
    package = PackageFactory(provider=customer.provider, name="Fibre 500", price="59.99")
    on(D(2025, 1, 1))
    subscription = subscription_services.subscription_add(
        customer=customer, package_id=package.pk, started_on=D(2025, 1, 5), actor=actors["agent"]
    )
    recurring = services.recurring_invoice_create(
        customer=customer,
        description="Static IP",
        amount="5.00",
        next_run_on=D(2025, 1, 31),
        actor=actors["billing"],
    )
    services.instalment_create(
        customer=customer,
        description="Router",
        total="120.00",
        instalments_total=6,
        purchased_on=D(2025, 1, 10),
        actor=actors["agent"],
    )
    run_until(customer.provider, D(2025, 4, 25))
    services.payment_record(customer=customer, amount="150.00", method="card", actor=actors["billing"])
    subscription.refresh_from_db()
    recurring.refresh_from_db()
    return {"customer": customer, "subscription": subscription, "recurring": recurring}


def problems(provider) -> list[str]:
    return [str(p) for p in verify(providers=[provider], chunk_size=2).problems]


def test_it_passes_on_books_the_services_built(books, provider):
    report = verify(providers=[provider])
    assert report.ok, [str(p) for p in report.problems]
    assert report.customers == 1 and report.counts["subscriptions"] == 1
    sub = books["subscription"]
    assert sub.next_bill_on == D(2025, 5, 20)
    assert BillingProfile.objects.get(customer=books["customer"]).next_bill_date == D(2025, 5, 20)
    assert books["recurring"].next_run_on == D(2025, 4, 30)


def test_it_exits_zero_with_counts(books):
    out = StringIO()
    call_command("verify", stdout=out)
    assert "All hold: 1 customers of 1 providers checked" in out.getvalue()
    assert "1 subscriptions" in out.getvalue()


def _ledger_balance(books):
    entry = LedgerEntry.objects.filter(customer=books["customer"]).order_by("at", "id")[2]
    LedgerEntry.objects.filter(pk=entry.pk).update(running_balance=entry.running_balance + 1)
    return "running_balance disagrees with the ledger"


def _summary(books):
    AccountSummary.objects.filter(customer=books["customer"]).update(total_due=0)
    return "total_due disagrees with the ledger"


def _gap(books):
    Subscription.objects.filter(pk=books["subscription"].pk).update(started_on=D(2024, 12, 20))
    return "never billed from 2024-12-20 to 2025-01-04"


def _double(books):
    sub = books["subscription"]
    services.invoice_issue(
        customer=books["customer"],
        lines=[
            {"description": period_line("Fibre 500", D(2025, 3, 1), D(2025, 3, 19)), "unit_price": "9.99"}
        ],
        issued_on=D(2025, 3, 1),
        actor=books["actor"],
        source_key=f"subscription:{sub.pk}:2025-03-01",
    )
    return "billed twice from 2025-03-01 to 2025-03-19"


def _next_bill_skips(books):
    Subscription.objects.filter(pk=books["subscription"].pk).update(next_bill_on=D(2025, 6, 20))
    return "next bill date 2025-06-20, but the first day not yet billed is 2025-05-20"


def _profile(books):
    BillingProfile.objects.filter(customer=books["customer"]).update(next_bill_date=D(2025, 6, 20))
    return "billing profile: next bill date 2025-06-20, but the first period not yet billed starts 2025-05-20"


def _recurring_rerun(books):
    RecurringInvoice.objects.filter(pk=books["recurring"].pk).update(next_run_on=D(2025, 3, 31))
    return "next run 2025-03-31, yet it last ran on 2025-03-31"


def _recurring_skips(books):
    RecurringInvoice.objects.filter(pk=books["recurring"].pk).update(next_run_on=D(2025, 6, 30))
    return "runs from 2025-04-30 to 2025-06-30 never issued"


@pytest.mark.parametrize(
    "corrupt",
    [
        _ledger_balance,
        _summary,
        _gap,
        _double,
        _next_bill_skips,
        _profile,
        _recurring_rerun,
        _recurring_skips,
    ],
)
def test_it_names_the_customer_and_what_is_wrong(books, provider, actors, corrupt):
    books["actor"] = actors["billing"]
    expected = corrupt(books)
    found = problems(provider)
    number = books["customer"].number
    assert any(f"{provider.slug} {number} " in p and expected in p for p in found), found
    out = StringIO()
    with pytest.raises(CommandError, match=r"problems on 1 customers"):
        call_command("verify", stdout=out)
    assert number in out.getvalue() and expected in out.getvalue()


def test_it_checks_every_customer_chunk_by_chunk(provider, actors):
    from tests.factories import CustomerFactory

    customers = [CustomerFactory(provider=provider) for _ in range(5)]
    AccountSummary.objects.create(provider=provider, customer=customers[3], total_due=10)
    report = verify(providers=[provider], chunk_size=2)
    assert report.customers == 5
    assert [(p.customer, p.check) for p in report.problems] == [(customers[3].number, "books")]


def test_a_resumed_recurring_invoice_skips_the_runs_missed_while_paused(customer, actors):
    recurring = services.recurring_invoice_create(
        customer=customer,
        description="Backup",
        amount="9.00",
        next_run_on=D(2025, 1, 31),
        actor=actors["billing"],
    )
    run_until(customer.provider, D(2025, 1, 31), first=D(2025, 1, 31))
    on(D(2025, 2, 10))
    services.recurring_invoice_status_change(
        recurring=recurring, status=RecurringStatus.PAUSED, actor=actors["billing"]
    )
    run_until(customer.provider, D(2025, 4, 1), first=D(2025, 2, 10))
    on(D(2025, 4, 2))
    recurring = services.recurring_invoice_status_change(
        recurring=recurring, status=RecurringStatus.ACTIVE, actor=actors["billing"]
    )
    # The schedule goes on from its first run on or after the resume: 30 April (anchor 31).
    assert recurring.next_run_on == D(2025, 4, 30)
    run_until(customer.provider, D(2025, 5, 31), first=D(2025, 4, 2))
    runs = sorted(Invoice.objects.filter(customer=customer).values_list("issued_on", flat=True))
    assert runs == [D(2025, 1, 31), D(2025, 4, 30), D(2025, 5, 31)]
    assert verify(providers=[customer.provider]).ok
