"""Every billing action writes its activity entry, whose summary names its amounts as the pages
show money: "$59.99" for a provider in dollars, "59,99 €" for one in euros in German."""

import datetime as dt

import pytest

from accountdesk.activity.kinds import KINDS
from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import entry_summary
from accountdesk.billing import services
from accountdesk.billing.models import LedgerEntry
from accountdesk.billing.statements import statement_send
from accountdesk.core.actors import Actor
from accountdesk.fieldservice import services as fieldservice
from tests.activity.logged import assert_logged, in_currency
from tests.factories import ContactFactory, CustomerFactory, ProviderFactory, UserFactory


def story(customer, billing, agent, admin):
    """Every billing action once, on 15 March 2025 (the billing tests' clock). Estimates and
    agreements belong to field service, which a billing user does not edit: the admin writes them."""
    services.billing_profile_update(customer=customer, actor=billing, cycle="quarterly", terms="net14")
    card = services.payment_method_add(
        customer=customer, kind="card", token="tok_1", last4="4242", actor=billing
    )
    bank = services.payment_method_add(
        customer=customer, kind="bank_account", token="tok_2", last4="6789", actor=billing
    )
    services.payment_method_default_set(method=bank, actor=billing)
    services.payment_method_remove(method=card, actor=billing)
    draft = services.invoice_create_draft(customer=customer, actor=billing, issued_on=dt.date(2025, 3, 1))
    services.invoice_add_line(invoice=draft, description="Router", unit_price="59.99", actor=billing)
    services.invoice_approve(invoice=draft, actor=billing)
    payment = services.payment_record(customer=customer, amount="59.99", method="card", actor=billing)
    services.payment_refund(payment=payment, amount="10.00", reason="Double charge", actor=billing)
    second = services.invoice_issue(
        customer=customer, lines=[{"description": "Fibre", "unit_price": "1234.50"}], actor=billing
    )
    services.credit_issue(customer=customer, amount="5.00", reason="Outage", actor=billing)
    services.credit_apply(invoice=second, actor=billing)
    services.invoice_void(invoice=second, reason="Wrong plan", actor=billing)
    request = services.credit_issue(customer=customer, amount="40.00", reason="Missed visit", actor=agent)
    services.credit_request_decline(credit_request=request, reason="Visit happened", actor=billing)
    purchase = services.instalment_create(
        customer=customer, description="Modem", total="120.00", instalments_total=12, actor=billing
    )
    services.instalment_bill(purchase=purchase, on=purchase.purchased_on, actor=billing)
    recurring = services.recurring_invoice_create(
        customer=customer, description="Rack", amount="25.00", actor=billing
    )
    services.recurring_invoice_status_change(recurring=recurring, status="paused", actor=billing)
    estimate = fieldservice.estimate_create(
        customer=customer, description="Install", total="300.00", actor=admin
    )
    fieldservice.estimate_status_change(estimate=estimate, status="sent", actor=admin)
    fieldservice.estimate_accept(estimate=estimate, actor=admin)
    fieldservice.agreement_create(
        customer=customer, name="Support", starts_on=dt.date(2025, 4, 1), value="1000.00", actor=admin
    )
    ContactFactory(customer=customer, email="accounts@example.test", is_billing=True)
    statement_send(customer=customer, actor=billing, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31))
    entry = LedgerEntry.objects.get(customer=customer, kind="payment")
    dispute = services.dispute_raise(entry=entry, reason="Paid in cash", actor=agent)
    services.dispute_resolve(dispute=dispute, resolution="Card charge confirmed", actor=billing)
    return draft


LOCALES = {"USD": "en_US", "EUR": "de_DE"}


@pytest.fixture(params=LOCALES)
def account(request, db):
    """A customer of a provider billing in dollars (en_US) or in euros (de_DE), and its staff."""
    currency = request.param
    provider = ProviderFactory.with_all_modules(
        slug=f"p-{currency.lower()}", currency=currency, locale=LOCALES[currency]
    )
    provider.agent_credit_limit_30d = 30
    provider.save()
    customer = CustomerFactory(provider=provider, currency=currency, email="grace@example.test")
    staff = {
        role: UserFactory(provider=provider, role=role, name=f"{role.title()} User")
        for role in ("billing", "agent", "admin")
    }
    return currency, customer, staff


# kind -> what the latest entry of that kind reads to a billing user of a provider in dollars; in
# euros (German) the same with the figures as FIGURES_EUR has them. An amount is never a bare
# decimal ("59.99") and a date never ISO.
EXPECTED = {
    "billing.profile_updated": "Billing period and terms edited: cycle, terms",
    "payment_method.added": "Payment method added: Bank account •••• 6789",
    "payment_method.default_set": "Default payment method: Bank account •••• 6789",
    "payment_method.removed": "Payment method removed: Card •••• 4242",
    "invoice.created": "Draft invoice created",
    "invoice.line_added": "Line added to draft #{draft}: Router $59.99",
    "invoice.approved": "Invoice INV-000004 approved: $300.00, due 29 Mar 2025",
    "payment.recorded": "Payment of $59.99 by card",
    "payment.refunded": "Refund of $10.00: Double charge",
    "credit.issued": "Credit of $5.00 issued: Outage",
    "credit.applied": "Credit of $5.00 applied to INV-000002",
    "invoice.voided": "Invoice INV-000002 voided: Wrong plan",
    "credit.requested": "Credit of $40.00 awaits approval: Missed visit",
    "credit.declined": "Credit of $40.00 asked by Agent User declined: Visit happened",
    "instalment.created": "Instalment purchase: Modem, $120.00 in 12 instalments",
    "instalment.billed": "Instalment 1 of 12 billed: Modem",
    "recurring_invoice.created": "Recurring invoice: Rack, $25.00 monthly",
    "recurring_invoice.status_changed": "Recurring invoice Rack: active → paused",
    "estimate.created": "Estimate EST-00001: Install, $300.00",
    "estimate.status_changed": "Estimate EST-00001: draft → sent",
    "estimate.accepted": "Estimate EST-00001 accepted: invoice INV-000004",
    "agreement.created": "Agreement Support: $1,000.00 from 01 Apr 2025",
    "statement.sent": "Statement 01 Jan 2025 to 31 Mar 2025 emailed to accounts@example.test",
    "dispute.raised": "Dispute raised on the payment of $59.99 on 15 Mar 2025: Paid in cash",
    "dispute.resolved": "Dispute on the payment of $59.99 on 15 Mar 2025 resolved: Card charge confirmed",
}
FIGURES_EUR = {
    "$59.99": "59,99\xa0€",
    "$300.00": "300,00\xa0€",
    "$10.00": "10,00\xa0€",
    "$5.00": "5,00\xa0€",
    "$40.00": "40,00\xa0€",
    "$120.00": "120,00\xa0€",
    "$25.00": "25,00\xa0€",
    "$1,000.00": "1.000,00\xa0€",
    "$1,234.50": "1.234,50\xa0€",  # thousands grouped as the locale groups them
}


# Asserted where they happen: card attempts that did not go through (tests/payments, tests/portal)
# and an approved invoice's email, written after commit (tests/billing/test_invoice_email.py); the
# collections steps, in the billing group, over their sequence of dates (tests/dunning/test_run.py).
ELSEWHERE = {
    "payment.card_declined", "payment.card_failed", "invoice.emailed", "invoice.not_emailed",
    "dunning.step_taken", "dunning.promise_made", "dunning.promise_lapsed", "dunning.cleared",
}  # fmt: skip


def test_every_billing_kind_is_here():
    billing = {name for name, kind in KINDS.items() if kind.group == "billing"}
    assert set(EXPECTED) == billing - ELSEWHERE


def test_every_billing_action_reads_its_amounts_as_money(account):
    currency, customer, staff = account
    draft = story(customer, *(Actor.staff(staff[role]) for role in ("billing", "agent", "admin")))
    for kind, text in EXPECTED.items():
        assert_logged(
            customer,
            kind,
            in_currency(text, currency, FIGURES_EUR).format(draft=draft.pk),
            viewer=staff["billing"],
        )
    second = Activity.objects.filter(customer=customer, kind="invoice.approved").order_by("seq")[1]
    shown = entry_summary(second, viewer=staff["billing"])
    assert shown == in_currency(
        "Invoice INV-000002 approved: $1,234.50, due 29 Mar 2025", currency, FIGURES_EUR
    )
