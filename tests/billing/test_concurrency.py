"""Concurrent money writes on one customer, on PostgreSQL, where the customer row lock matters.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/adk_billing; SQLite serialises every
writer on its database lock, so the test is skipped there.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from accountdesk.billing import services
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import AccountSummary, Credit, LedgerEntry, Payment
from accountdesk.core.actors import Actor
from tests.billing.factories import issue_invoice

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are what is under test: needs PostgreSQL (set DATABASE_URL)",
)


@pytest.mark.django_db(transaction=True)
def test_it_lands_every_concurrent_payment_and_credit_exactly(customer):
    actor = Actor.system(customer.provider)
    for _ in range(5):
        issue_invoice(customer, "100.00")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(5):
                if (n + i) % 2:
                    services.payment_record(
                        customer=customer, amount="7.35", method="card", reference=f"{n}-{i}", actor=actor
                    )
                else:
                    services.credit_issue(customer=customer, amount="2.10", reason=f"{n}-{i}", actor=actor)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    payments, credits = Payment.objects.count(), Credit.objects.filter(origin="issued").count()
    assert payments + credits == 40 and payments == 20
    summary = AccountSummary.objects.get(customer=customer)
    expected = Decimal("500.00") - 20 * Decimal("7.35") - 20 * Decimal("2.10")
    assert summary.ledger_balance == expected == summary.total_due - summary.account_credit
    running = [e.running_balance for e in LedgerEntry.objects.filter(customer=customer).order_by("at", "id")]
    assert running[-1] == expected and len(running) == 45
    assert account_summary_verify(customer) == {}


@pytest.mark.django_db(transaction=True)
def test_it_locks_only_the_customer_being_written(provider):
    """A money write on one customer must not wait for one on another customer of the provider."""
    from django.db import transaction

    from accountdesk.billing.ledger import books_open
    from tests.factories import CustomerFactory

    first, second = CustomerFactory(provider=provider), CustomerFactory(provider=provider)
    holding, released = threading.Event(), threading.Event()

    def hold_first_books() -> None:
        try:
            with transaction.atomic():
                books_open(first)
                holding.set()
                released.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first_books)
    holder.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # a wait on the provider row fails here
            services.credit_issue(
                customer=second, amount="5.00", reason="goodwill", actor=Actor.system(provider)
            )
    finally:
        released.set()
        holder.join()
    assert AccountSummary.objects.get(customer=second).account_credit == Decimal("5.00")
