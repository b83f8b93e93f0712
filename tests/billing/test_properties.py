"""Property tests: random sequences of billing operations keep the books exact."""

import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accountdesk.billing import services
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import AccountSummary, Invoice, LedgerEntry, Payment
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.money import ZERO
from tests.factories import CustomerFactory, ProviderFactory

cents = st.integers(min_value=1, max_value=50_000).map(lambda c: Decimal(c) / 100)
operation = st.one_of(
    st.tuples(st.just("invoice"), cents, st.sampled_from(["0", "0.2", "0.075"])),
    st.tuples(st.just("draft"), cents, st.just("0")),
    st.tuples(st.just("pay"), cents, st.just("")),
    st.tuples(st.just("credit"), cents, st.just("")),
    st.tuples(st.just("apply"), cents, st.integers(0, 20)),
    st.tuples(st.just("void"), cents, st.integers(0, 20)),
    st.tuples(st.just("refund"), cents, st.integers(0, 20)),
)


def _apply(op, customer, actor) -> None:
    kind, amount, arg = op
    try:
        if kind == "invoice":
            services.invoice_issue(
                customer=customer,
                lines=[{"description": "x", "unit_price": str(amount), "tax_rate": arg}],
                actor=actor,
            )
        elif kind == "draft":
            services.invoice_create_draft(
                customer=customer, actor=actor, lines=[{"description": "d", "unit_price": str(amount)}]
            )
        elif kind == "pay":
            services.payment_record(customer=customer, amount=str(amount), method="card", actor=actor)
        elif kind == "credit":
            services.credit_issue(customer=customer, amount=str(amount), reason="r", actor=actor)
        elif kind in ("apply", "void"):
            invoices = list(Invoice.objects.filter(customer=customer).order_by("id"))
            if invoices:
                invoice = invoices[arg % len(invoices)]
                if kind == "apply":
                    services.credit_apply(invoice=invoice, actor=actor)
                else:
                    services.invoice_void(invoice=invoice, reason="prop", actor=actor)
        elif kind == "refund":
            payments = list(Payment.objects.filter(customer=customer, kind="payment").order_by("id"))
            if payments:
                payment = payments[arg % len(payments)]
                services.payment_refund(payment=payment, amount=str(amount), reason="prop", actor=actor)
    except (Conflict, ValidationFailed):
        pass  # a refused operation must change nothing; the invariants below prove it did not


def _check_books(customer) -> None:
    entries = list(LedgerEntry.objects.filter(customer=customer).order_by("at", "id"))
    summary = AccountSummary.objects.filter(customer=customer).first()
    last = entries[-1].running_balance if entries else ZERO
    assert last == sum((e.amount for e in entries), ZERO)
    if summary is not None:
        assert last == summary.total_due - summary.account_credit
    assert not Invoice.objects.filter(customer=customer, balance__lt=0).exists()
    numbers = sorted(
        int(n[4:])
        for n in Invoice.objects.filter(provider=customer.provider)
        .exclude(number="")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))
    assert account_summary_verify(customer) == {}


@pytest.mark.django_db
@settings(
    max_examples=1000 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_it_keeps_the_ledger_and_balances_exact_over_random_operations(ops):
    provider = ProviderFactory.with_all_modules(slug=f"prop-{id(ops)}")
    customer = CustomerFactory(provider=provider)
    actor = Actor.system(provider)
    for op in ops:
        _apply(op, customer, actor)
    _check_books(customer)

    # The same operations replayed on a fresh account land on the same figures.
    twin = CustomerFactory(provider=ProviderFactory.with_all_modules(slug=f"prop-twin-{id(ops)}"))
    twin_actor = Actor.system(twin.provider)
    for op in ops:
        _apply(op, twin, twin_actor)
    _check_books(twin)
    figures = ("total_due", "account_credit", "lifetime_value", "ledger_balance", "open_invoice_count")
    a = AccountSummary.objects.filter(customer=customer).values(*figures).first()
    b = AccountSummary.objects.filter(customer=twin).values(*figures).first()
    assert a == b
    assert list(
        LedgerEntry.objects.filter(customer=customer).order_by("id").values_list("amount", "running_balance")
    ) == list(
        LedgerEntry.objects.filter(customer=twin).order_by("id").values_list("amount", "running_balance")
    )
