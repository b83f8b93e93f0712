import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.activity.models import Activity
from accountdesk.billing import services
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import (
    AccountSummary,
    Credit,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    Payment,
    PaymentMethod,
    line_amounts,
)
from accountdesk.billing.selectors import account_metrics
from accountdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.billing.factories import D, issue_invoice, pay


def test_it_rounds_each_line_half_up_then_sums_the_lines():
    assert line_amounts(D("3"), D("0.335"), D("0")) == (D("1.01"), D("0.00"))
    assert line_amounts(D("1"), D("10.05"), D("0.05")) == (D("10.05"), D("0.50"))  # 0.5025 -> 0.50
    assert line_amounts(D("1"), D("10.10"), D("0.05")) == (D("10.10"), D("0.51"))  # 0.505 -> 0.51


def test_it_numbers_invoices_gaplessly_on_approval(customer, billing_actor):
    draft = services.invoice_create_draft(customer=customer, actor=billing_actor)
    services.invoice_add_line(invoice=draft, description="Fibre 100", unit_price="49.99", actor=billing_actor)
    assert draft.number == ""
    first = issue_invoice(customer, "10.00")
    services.invoice_approve(invoice=draft, actor=billing_actor)
    draft.refresh_from_db()
    assert [first.number, draft.number] == ["INV-000001", "INV-000002"]
    assert draft.status == InvoiceStatus.APPROVED and draft.balance == D("49.99")
    assert draft.due_on == draft.issued_on + dt.timedelta(days=30)


def test_it_freezes_an_approved_invoice(customer, billing_actor):
    invoice = issue_invoice(customer, "10.00")
    with pytest.raises(Conflict):
        services.invoice_add_line(invoice=invoice, description="More", unit_price="1.00", actor=billing_actor)
    with pytest.raises(Conflict):
        services.invoice_approve(invoice=invoice, actor=billing_actor)
    assert Invoice.objects.get(pk=invoice.pk).total == D("10.00")


def test_it_refuses_to_approve_an_empty_draft_and_leaves_no_number_gap(customer, billing_actor):
    draft = services.invoice_create_draft(customer=customer, actor=billing_actor)
    with pytest.raises(ValidationFailed):
        services.invoice_approve(invoice=draft, actor=billing_actor)
    assert issue_invoice(customer, "5.00").number == "INV-000001"


def test_it_takes_the_due_date_from_the_terms(customer, billing_actor):
    services.billing_profile_update(customer=customer, terms="net7", actor=billing_actor)
    invoice = issue_invoice(customer, "10.00", issued_on=dt.date(2025, 3, 1))
    assert invoice.due_on == dt.date(2025, 3, 8)


def test_it_allocates_a_payment_to_the_oldest_open_invoices_and_keeps_the_rest_as_credit(
    customer, billing_actor
):
    old = issue_invoice(customer, "30.00", issued_on=dt.date(2025, 1, 1))
    new = issue_invoice(customer, "50.00", issued_on=dt.date(2025, 2, 1))
    pay(customer, "100.00", actor=billing_actor)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.balance, new.balance) == (D("0.00"), D("0.00"))
    metrics = account_metrics(customer=customer)
    assert metrics.total_due == D("0.00") and metrics.account_credit == D("20.00")
    assert metrics.lifetime_value == D("100.00") and metrics.ledger_balance == D("-20.00")
    assert account_summary_verify(customer) == {}


def test_it_allocates_to_the_invoices_the_user_picked(customer, billing_actor):
    old = issue_invoice(customer, "30.00", issued_on=dt.date(2025, 1, 1))
    new = issue_invoice(customer, "50.00", issued_on=dt.date(2025, 2, 1))
    pay(customer, "20.00", actor=billing_actor, allocations={new.pk: "20.00"})
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.balance, new.balance) == (D("30.00"), D("30.00"))
    assert account_summary_verify(customer) == {}


def test_it_reports_the_account_not_current_once_an_open_invoice_is_past_due(customer):
    issue_invoice(customer, "30.00", issued_on=dt.date(2025, 1, 1))  # due 31 January
    assert account_metrics(customer=customer, today=dt.date(2025, 1, 31)).account_current is True
    assert account_metrics(customer=customer, today=dt.date(2025, 2, 1)).account_current is False
    pay(customer, "30.00")
    assert account_metrics(customer=customer, today=dt.date(2025, 2, 1)).account_current is True


def test_it_refunds_from_leftover_credit_first_then_reopens_the_invoice(customer, billing_actor):
    invoice = issue_invoice(customer, "80.00")
    payment = pay(customer, "100.00")
    refund = services.payment_refund(
        payment=payment, amount="30.00", reason="Double charge", actor=billing_actor
    )
    invoice.refresh_from_db()
    assert refund.kind == "refund" and refund.amount == D("-30.00")
    assert invoice.balance == D("10.00")
    metrics = account_metrics(customer=customer)
    assert (metrics.total_due, metrics.account_credit, metrics.lifetime_value) == (
        D("10.00"),
        D("0.00"),
        D("70.00"),
    )
    assert account_summary_verify(customer) == {}
    with pytest.raises(ValidationFailed):
        services.payment_refund(payment=payment, amount="70.01", reason="Too much", actor=billing_actor)


def test_it_turns_money_on_a_voided_invoice_into_credit(customer, billing_actor):
    invoice = issue_invoice(customer, "80.00")
    pay(customer, "30.00")
    services.invoice_void(invoice=invoice, reason="Billed in error", actor=billing_actor)
    metrics = account_metrics(customer=customer)
    assert (metrics.total_due, metrics.account_credit) == (D("0.00"), D("30.00"))
    assert LedgerEntry.objects.filter(kind="invoice_voided").get().amount == D("-80.00")
    assert account_summary_verify(customer) == {}
    with pytest.raises(Conflict):
        services.invoice_void(invoice=invoice, reason="again", actor=billing_actor)


def test_it_requires_a_reason_to_void(customer, billing_actor):
    invoice = issue_invoice(customer, "80.00")
    with pytest.raises(ValidationFailed) as exc:
        services.invoice_void(invoice=invoice, reason="  ", actor=billing_actor)
    assert "reason" in exc.value.fields


def test_it_limits_an_agents_credit_to_the_provider_limit(customer, actors):
    customer.provider.agent_credit_limit = Decimal("25.00")
    customer.provider.save()
    services.credit_issue(customer=customer, amount="25.00", reason="Outage", actor=actors["agent"])
    with pytest.raises(PermissionDenied):
        services.credit_issue(customer=customer, amount="25.01", reason="Outage", actor=actors["agent"])
    services.credit_issue(customer=customer, amount="500.00", reason="Goodwill", actor=actors["billing"])
    for role in ("technician", "readonly"):
        with pytest.raises(PermissionDenied):
            services.credit_issue(customer=customer, amount="1.00", reason="x", actor=actors[role])
    assert Credit.objects.count() == 2
    assert account_metrics(customer=customer).account_credit == D("525.00")


def test_it_records_who_issued_the_credit(customer, agent, actors):
    services.credit_issue(customer=customer, amount="10.00", reason="outage", actor=actors["agent"])
    event = Activity.objects.get(kind="credit.issued")
    assert event.actor_type == "staff" and event.actor_id == agent.pk and event.group == "billing"


def test_it_applies_credit_to_an_invoice_without_moving_the_ledger_balance(customer, billing_actor):
    invoice = issue_invoice(customer, "40.00")
    services.credit_issue(customer=customer, amount="15.00", reason="Outage", actor=billing_actor)
    before = account_metrics(customer=customer).ledger_balance
    services.credit_apply(invoice=invoice, actor=billing_actor)
    invoice.refresh_from_db()
    metrics = account_metrics(customer=customer)
    assert invoice.balance == D("25.00") and metrics.account_credit == D("0.00")
    assert metrics.ledger_balance == before == D("25.00")
    assert account_summary_verify(customer) == {}


@pytest.mark.parametrize("bad", ["-5", "0", "0.00", "1.234", "abc", "1e3", "", "NaN", None, True])
def test_it_rejects_bad_payment_amounts_and_records_nothing(customer, billing_actor, bad):
    with pytest.raises(ValidationFailed) as exc:
        services.payment_record(customer=customer, amount=bad, method="card", actor=billing_actor)
    assert "amount" in exc.value.fields
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()


def test_it_denies_a_technician_a_payment(customer, actors):
    with pytest.raises(PermissionDenied):
        pay(customer, "10.00", actor=actors["technician"])
    assert not Payment.objects.exists()


def test_it_rejects_a_full_card_number_as_a_payment_method(customer, actors):
    for token in ("4242424242424242", "4242 4242 4242 4242", "acct-123456789012"):
        with pytest.raises(ValidationFailed) as exc:
            services.payment_method_add(
                customer=customer, kind="card", token=token, last4="4242", actor=actors["agent"]
            )
        assert "token" in exc.value.fields
    with pytest.raises(ValidationFailed):
        services.payment_method_add(
            customer=customer, kind="card", token="tok_x", last4="42", actor=actors["agent"]
        )
    assert not PaymentMethod.objects.exists()


def test_it_keeps_one_default_payment_method(customer, actors):
    first = services.payment_method_add(
        customer=customer, kind="card", token="tok_visa", last4="4242", label="Visa", actor=actors["agent"]
    )
    second = services.payment_method_add(
        customer=customer, kind="direct_debit", token="mandate_1", last4="6789", actor=actors["agent"]
    )
    assert first.is_default and not second.is_default
    assert first.display == "Visa •••• 4242"
    services.payment_method_default_set(method=second, autopay=True, actor=actors["billing"])
    assert list(PaymentMethod.objects.filter(is_default=True).values_list("pk", flat=True)) == [second.pk]


def test_it_audits_billing_period_edits(customer, actors):
    services.billing_profile_update(
        customer=customer, anchor_day=15, cycle="quarterly", actor=actors["billing"]
    )
    event = Activity.objects.get(kind="billing.profile_updated")
    assert event.details == {"anchor_day": [1, 15], "cycle": ["monthly", "quarterly"]}
    with pytest.raises(PermissionDenied):
        services.billing_profile_update(customer=customer, anchor_day=3, actor=actors["agent"])
    with pytest.raises(ValidationFailed):
        services.billing_profile_update(customer=customer, anchor_day=31, actor=actors["billing"])


def test_it_returns_the_same_invoice_for_the_same_source_key(customer):
    from accountdesk.core.actors import Actor

    system = Actor.system(customer.provider)
    lines = [{"description": "Plan", "unit_price": "9.99"}]
    first = services.invoice_issue(
        customer=customer, lines=lines, actor=system, source_key="sub:1:2025-03-01"
    )
    again = services.invoice_issue(
        customer=customer, lines=lines, actor=system, source_key="sub:1:2025-03-01"
    )
    assert first.pk == again.pk and Invoice.objects.count() == 1
    assert AccountSummary.objects.get(customer=customer).total_due == D("9.99")


def test_it_finds_a_customer_by_invoice_number(provider, customer, other_provider):
    from accountdesk.customers.selectors import customer_list
    from tests.factories import CustomerFactory

    invoice = issue_invoice(customer, "10.00")
    CustomerFactory(provider=provider, name="Someone Else")
    found = customer_list(provider=provider, q=invoice.number.lower()).items
    assert [c.pk for c in found] == [customer.pk]
    assert customer_list(provider=other_provider, q=invoice.number).items == []


@pytest.mark.parametrize("typed", ["inv-1", "INV-1", "inv1", "Inv 000001", "inv-000001"])
def test_it_finds_a_customer_by_invoice_number_without_its_padding(provider, customer, other_provider, typed):
    from accountdesk.customers.selectors import customer_list
    from tests.factories import CustomerFactory

    invoice = issue_invoice(customer, "10.00")
    assert invoice.number == "INV-000001"
    CustomerFactory(provider=provider, name="Someone Else", phone="")
    assert [c.pk for c in customer_list(provider=provider, q=typed).items] == [customer.pk]
    assert customer_list(provider=other_provider, q=typed).items == []


@pytest.mark.parametrize("received_on", [dt.date(2025, 3, 16), dt.date(2030, 1, 1), "2030-01-01"])
def test_it_refuses_a_payment_received_in_the_future(customer, billing_actor, received_on):
    with pytest.raises(ValidationFailed) as exc:
        services.payment_record(
            customer=customer, amount="10.00", method="card", received_on=received_on, actor=billing_actor
        )
    assert exc.value.fields == {"received_on": "A payment cannot be received in the future."}
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()


@pytest.mark.parametrize("received_on", [dt.date(2025, 3, 15), dt.date(2024, 12, 31)])
def test_it_takes_a_payment_received_today_or_earlier(customer, billing_actor, received_on):
    payment = services.payment_record(
        customer=customer, amount="10.00", method="card", received_on=received_on, actor=billing_actor
    )
    assert payment.received_on == received_on
