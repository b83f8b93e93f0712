"""Explained figures: each money metric, and an invoice's balance, with lines that add up to it."""

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accountdesk.billing import services
from accountdesk.billing.explain import (
    MAX_LINES,
    account_credit_explain,
    account_current_explain,
    invoice_balance_explain,
    lifetime_value_explain,
    total_due_explain,
)
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import AccountSummary, Invoice, LedgerEntry, account_is_current
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.money import ZERO
from tests.billing.factories import D, issue_invoice, pay
from tests.billing.test_properties import _apply, cents, operation
from tests.factories import CustomerFactory, ProviderFactory


def _summary(customer) -> AccountSummary:
    return AccountSummary.objects.get(customer=customer)


def _amounts(explanation) -> list[tuple[str, Decimal]]:
    return [(line.type, line.amount) for line in explanation.lines]


def _no_auto_credit(customer) -> None:
    customer.provider.credit_auto_apply = False
    customer.provider.save(update_fields=["credit_auto_apply"])


def test_total_due_is_the_open_invoices_less_what_was_applied(customer, billing_actor):
    _no_auto_credit(customer)
    first = issue_invoice(customer, "100.00", issued_on=dt.date(2025, 1, 10))
    second = issue_invoice(customer, "80.00", issued_on=dt.date(2025, 3, 1))
    payment = pay(customer, "30.00", received_on=dt.date(2025, 3, 2))  # pays the oldest first
    services.credit_issue(customer=customer, amount="20.00", reason="outage", actor=billing_actor)
    services.credit_apply(invoice=second, actor=billing_actor)
    services.payment_refund(payment=payment, amount="10.00", reason="double charge", actor=billing_actor)

    explained = total_due_explain(customer=customer)

    assert explained.value == _summary(customer).total_due == D("140.00")
    assert explained.lines_total == explained.value
    assert _amounts(explained) == [
        ("invoice", D("100.00")),
        ("payment", D("-30.00")),
        ("refund", D("10.00")),
        ("invoice", D("80.00")),
        ("credit", D("-20.00")),
    ]
    invoice_line = explained.lines[0]
    assert invoice_line.id == first.pk and invoice_line.overdue
    assert invoice_line.url == f"/customers/{customer.pk}/invoices/{first.pk}/"
    assert (
        invoice_line.label
        == "Invoice INV-000001, issued 10 Jan 2025, due 09 Feb 2025, overdue since 10 Feb 2025"
    )
    assert explained.lines[1].url == f"/customers/{customer.pk}/payments/#payment-{payment.pk}"
    assert explained.lines[4].url.endswith(f"/credits/#credit-{explained.lines[4].id}")
    assert explained.sentence == (
        "Total due is $140.00: the open balances of 2 approved invoices. Their totals come to $180.00, "
        "less $30.00 of payments and $20.00 of credit applied, plus $10.00 refunded back onto them."
    )
    assert explained.period == (dt.date(2025, 1, 10), clock.today())
    assert explained.statement_url == f"/customers/{customer.pk}/statement/?from=2025-01-10&to=2025-03-15"
    # Every money line rests on a ledger entry a dispute can be raised on.
    assert all(line.entry for line in explained.lines)


def test_total_due_says_what_credit_not_yet_applied_leaves_to_pay(customer, billing_actor):
    _no_auto_credit(customer)
    issue_invoice(customer, "100.00")
    services.credit_issue(customer=customer, amount="25.00", reason="goodwill", actor=billing_actor)

    explained = total_due_explain(customer=customer)

    assert explained.value == D("100.00") == explained.lines_total
    assert explained.sentence.endswith(
        "Account credit of $25.00 is not applied to them yet: less it, $75.00 is left to pay."
    )


def test_nothing_due_says_so(customer):
    explained = total_due_explain(customer=customer)
    assert explained.value == ZERO and explained.lines == []
    assert explained.sentence == "Nothing is due: no approved invoice has an open balance."
    assert explained.statement_url is None


def test_many_open_invoices_fold_into_one_line_that_keeps_the_sum(customer):
    for _ in range(MAX_LINES + 3):
        issue_invoice(customer, "10.00")

    explained = total_due_explain(customer=customer)

    assert explained.value == D("530.00") == explained.lines_total
    rest = explained.lines[-1]
    assert (rest.type, rest.id, rest.amount) == ("invoices", None, D("30.00"))
    assert rest.label.startswith("3 more open invoices")
    assert "the open balances of 53 approved invoices" in explained.sentence


def test_account_credit_is_what_each_credit_still_holds(customer, billing_actor):
    _no_auto_credit(customer)
    invoice = issue_invoice(customer, "30.00")
    services.credit_issue(customer=customer, amount="50.00", reason="outage", actor=billing_actor)
    services.credit_apply(invoice=invoice, actor=billing_actor)
    overpaid = pay(customer, "15.00")  # nothing open: all of it becomes credit

    explained = account_credit_explain(customer=customer)

    assert explained.value == _summary(customer).account_credit == D("35.00") == explained.lines_total
    assert [(line.type, line.amount) for line in explained.lines] == [
        ("credit", D("20.00")),
        ("credit", D("15.00")),
    ]
    assert (
        explained.lines[0].label
        == "Credit issued on 15 Mar 2025 (outage), part of it applied or refunded since"
    )
    assert explained.lines[1].label == "Credit left over from a payment of 15 Mar 2025"
    assert explained.sentence.startswith("Account credit is $35.00: what 2 credits still hold")
    # The overpayment's credit rests on the payment's ledger entry.
    assert explained.lines[1].entry is not None
    assert LedgerEntry.objects.get(pk=explained.lines[1].entry).subject_id == overpaid.pk


def test_lifetime_value_is_payments_less_refunds(customer, billing_actor):
    issue_invoice(customer, "100.00")
    first = pay(customer, "60.00", received_on=dt.date(2025, 3, 1))
    pay(customer, "40.00", received_on=dt.date(2025, 3, 10))
    services.payment_refund(payment=first, amount="5.00", reason="fee", actor=billing_actor)

    explained = lifetime_value_explain(customer=customer)

    assert explained.value == _summary(customer).lifetime_value == D("95.00") == explained.lines_total
    assert [line.type for line in explained.lines] == ["refund", "payment", "payment"]
    assert explained.sentence == (
        f"Lifetime value is $95.00: $100.00 received in 2 payments since "
        f"{customer.joined_on.strftime('%d %b %Y')}, less $5.00 refunded in 1 refund."
    )


def test_lifetime_value_folds_earlier_payments_into_one_line(customer):
    issue_invoice(customer, "1000.00")
    for day in range(MAX_LINES + 2):
        pay(customer, "1.00", received_on=dt.date(2025, 1, 1) + dt.timedelta(days=day))

    explained = lifetime_value_explain(customer=customer)

    assert explained.value == D("52.00") == explained.lines_total
    assert (explained.lines[-1].type, explained.lines[-1].amount) == ("payments", D("2.00"))
    assert explained.lines[-1].label.startswith("2 earlier payments and refunds")
    assert explained.period == (customer.joined_on, clock.today())


def test_account_current_names_the_overdue_invoice_its_terms_and_since_when(customer):
    late = issue_invoice(customer, "70.00", issued_on=dt.date(2025, 1, 10))  # NET30: due 9 Feb
    issue_invoice(customer, "20.00", issued_on=dt.date(2025, 3, 10))  # due 9 Apr: not yet

    explained = account_current_explain(customer=customer)

    assert explained.value is False
    assert explained.value == account_is_current(_summary(customer), clock.today())
    assert [(line.id, line.overdue, line.amount) for line in explained.lines] == [(late.pk, True, D("70.00"))]
    assert explained.sentence.startswith(
        "The account is not current: 1 open invoice is past the due date. The oldest, INV-000001, has "
        "$70.00 open. It was due on 09 Feb 2025 (NET30 terms from its issue on 10 Jan 2025) and has been "
        "overdue since 10 Feb 2025."
    )
    assert "overdue from the day after its due date" in explained.sentence


def test_account_current_on_the_due_date_itself(customer):
    issue_invoice(customer, "70.00", issued_on=clock.today() - dt.timedelta(days=30))  # due today

    explained = account_current_explain(customer=customer)

    assert explained.value is True
    assert explained.sentence.startswith(
        "The account is current: no open invoice is past its due date. The next to fall due is INV-000001, "
        "on 15 Mar 2025."
    )
    assert [line.overdue for line in explained.lines] == [False]


def test_an_invoice_balance_is_its_total_less_what_was_applied(customer, billing_actor):
    invoice = issue_invoice(customer, "90.00")
    payment = pay(customer, "50.00")
    services.payment_refund(payment=payment, amount="20.00", reason="wrong amount", actor=billing_actor)
    invoice.refresh_from_db()

    explained = invoice_balance_explain(invoice=invoice)

    assert explained.value == invoice.balance == D("60.00") == explained.lines_total
    assert explained.sentence == (
        "Invoice INV-000001 has $60.00 open: its total of $90.00, less $50.00 of payments, "
        "plus $20.00 refunded back onto them."
    )


def test_a_void_invoice_has_no_balance_to_explain(customer, billing_actor):
    invoice = issue_invoice(customer, "90.00")
    services.invoice_void(invoice=invoice, reason="mistake", actor=billing_actor)
    invoice.refresh_from_db()
    explained = invoice_balance_explain(invoice=invoice)
    assert explained.value == ZERO and explained.lines == []
    assert explained.sentence == "Invoice INV-000001 is void: only an approved invoice has a balance to pay."


def test_a_role_without_money_gets_no_figures(customer, billing_actor):
    issue_invoice(customer, "100.00", issued_on=dt.date(2025, 1, 10))
    pay(customer, "30.00")
    for explain in (
        total_due_explain,
        account_credit_explain,
        lifetime_value_explain,
        account_current_explain,
    ):
        explained = explain(customer=customer, shows_money=False)
        assert explained.value is None
        assert all(line.amount is None and line.entry is None for line in explained.lines)
        assert "$" not in explained.sentence and "30.00" not in explained.sentence
        assert all("$" not in line.label for line in explained.lines)
        assert explained.statement_url is None


# ---------------------------------------------------------------- over random histories

pay_some = st.tuples(st.just("pay_allocated"), cents, st.integers(0, 20))
move_days = st.tuples(st.just("days"), st.integers(1, 45), st.just(""))


def _step(op, customer, actor) -> None:
    kind, amount, arg = op
    if kind == "days":
        clock.freeze(clock.now() + dt.timedelta(days=amount))
    elif kind == "pay_allocated":
        open_invoices = list(Invoice.objects.filter(customer=customer).open().order_by("id"))
        if not open_invoices:
            return
        invoice = open_invoices[arg % len(open_invoices)]
        part = min(amount, invoice.balance)
        # Part of a payment set against one invoice, the rest left as credit.
        with contextlib.suppress(Conflict, ValidationFailed):
            services.payment_record(
                customer=customer,
                amount=str(amount + Decimal("1.00")),
                method="bank_transfer",
                allocations={invoice.pk: str(part)},
                actor=actor,
            )
    else:
        _apply(op, customer, actor)


def _check_explanations(customer) -> None:
    summary = AccountSummary.objects.filter(customer=customer).first()
    today = clock.today()
    for explain in (total_due_explain, account_credit_explain, lifetime_value_explain):
        explained = explain(customer=customer)
        assert explained.lines_total == explained.value, (explained.metric, explained.lines)
        shown = getattr(summary, explained.metric) if summary else ZERO
        assert explained.value == shown
        # No line stands in for records the read left out: every payment and credit is listed.
        assert not any(line.label.startswith("Earlier payments") for line in explained.lines)
    current = account_current_explain(customer=customer)
    assert current.value == account_is_current(summary, today)
    overdue = Invoice.objects.filter(customer=customer).overdue(today).count()
    if current.value:
        assert overdue == 0 and not any(line.overdue for line in current.lines)
    else:
        assert [line.overdue for line in current.lines] == [True] * overdue
    for invoice in Invoice.objects.filter(customer=customer).select_related("customer__provider"):
        explained = invoice_balance_explain(invoice=invoice)
        assert explained.lines_total == (invoice.balance if invoice.is_approved else ZERO)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(st.one_of(operation, pay_some, move_days), min_size=1, max_size=25))
def test_every_explanation_adds_up_to_its_figure_over_random_histories(ops):
    clock.freeze(dt.datetime(2025, 3, 15, 12, 0, tzinfo=dt.UTC))
    provider = ProviderFactory.with_all_modules(slug=f"explain-{id(ops)}")
    customer = CustomerFactory(provider=provider, joined_on=dt.date(2024, 1, 1))
    actor = Actor.system(provider)
    for op in ops:
        _step(op, customer, actor)
        _check_explanations(customer)
    assert account_summary_verify(customer) == {}
