"""One amount due: with automatic application (a new provider's default), account credit pays
the oldest open invoices as soon as both exist, so no figure shows credit beside an unpaid bill."""

from decimal import Decimal

import pytest

from accountdesk.billing import services
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import AccountSummary, CreditApplication, LedgerEntry
from accountdesk.core.actors import Actor
from accountdesk.tenancy.models import Provider
from tests.billing.factories import issue_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def auto(provider):
    Provider.objects.filter(pk=provider.pk).update(credit_auto_apply=True)
    provider.refresh_from_db()
    return provider


def _summary(customer):
    return AccountSummary.objects.get(customer=customer)


def test_a_new_provider_applies_credit_automatically():
    assert Provider(name="New", slug="new").credit_auto_apply is True


def test_credit_pays_the_oldest_open_invoice_first(auto, customer, billing_actor):
    older = issue_invoice(customer, "20.00", issued_on="2026-10-01")
    newer = issue_invoice(customer, "10.00", issued_on="2026-11-01")
    services.credit_issue(customer=customer, amount="25.00", reason="Outage", actor=billing_actor)
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.balance, newer.balance) == (Decimal("0.00"), Decimal("5.00"))
    summary = _summary(customer)
    assert (summary.total_due, summary.account_credit) == (Decimal("5.00"), Decimal("0.00"))
    assert account_summary_verify(customer) == {}


def test_credit_left_over_waits_for_the_next_invoice(auto, customer, billing_actor):
    services.credit_issue(customer=customer, amount="5.00", reason="Goodwill", actor=billing_actor)
    assert _summary(customer).account_credit == Decimal("5.00")
    invoice = issue_invoice(customer, "30.00")
    assert invoice.balance == Decimal("25.00")  # the returned instance is current
    invoice.refresh_from_db()
    assert invoice.balance == Decimal("25.00")
    summary = _summary(customer)
    assert (summary.total_due, summary.account_credit) == (Decimal("25.00"), Decimal("0.00"))
    assert CreditApplication.objects.get(invoice=invoice).amount == Decimal("5.00")
    assert account_summary_verify(customer) == {}


def test_money_released_by_a_void_pays_the_other_open_invoices(auto, customer, billing_actor):
    paid = issue_invoice(customer, "40.00", issued_on="2026-10-01")
    services.payment_record(customer=customer, amount="40.00", method="card", actor=billing_actor)
    open_one = issue_invoice(customer, "15.00", issued_on="2026-11-01")
    services.invoice_void(invoice=paid, reason="Billed in error", actor=billing_actor)
    open_one.refresh_from_db()
    summary = _summary(customer)
    assert open_one.balance == Decimal("0.00")
    assert (summary.total_due, summary.account_credit) == (Decimal("0.00"), Decimal("25.00"))
    assert account_summary_verify(customer) == {}


def test_with_automatic_application_off_credit_waits(provider, customer, billing_actor):
    issue_invoice(customer, "30.00")
    services.credit_issue(customer=customer, amount="5.00", reason="Goodwill", actor=billing_actor)
    summary = _summary(customer)
    assert (summary.total_due, summary.account_credit) == (Decimal("30.00"), Decimal("5.00"))
    assert not LedgerEntry.objects.filter(customer=customer, kind="credit_applied").exists()


@pytest.fixture
def billing_actor(staff):
    return Actor.staff(staff["billing"])
