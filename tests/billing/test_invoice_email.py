"""Approving an invoice emails it to a customer who takes bills by email, after commit."""

import pytest
from django.core import mail

from accountdesk.activity.models import Activity
from accountdesk.billing import services
from accountdesk.billing.models import BillingProfile, Delivery
from accountdesk.core.errors import PermissionDenied
from tests.billing.factories import issue_invoice
from tests.factories import ContactFactory


def draft_for(customer, actor):
    return services.invoice_create_draft(
        customer=customer, actor=actor, lines=[{"description": "Fibre 100, April", "unit_price": "39.00"}]
    )


def delivery(customer, how: str) -> None:
    BillingProfile.objects.update_or_create(
        customer=customer, defaults={"provider": customer.provider, "delivery": how}
    )


@pytest.fixture
def billing_contact(customer):
    ContactFactory(customer=customer, email="primary@example.test", is_primary=True)
    return ContactFactory(customer=customer, email="accounts@example.test", is_billing=True)


def test_it_emails_the_pdf_to_the_billing_contact_after_commit(
    customer, billing_actor, billing_contact, django_capture_on_commit_callbacks
):
    delivery(customer, Delivery.EMAIL)
    draft = draft_for(customer, billing_actor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invoice = services.invoice_approve(invoice=draft, actor=billing_actor)
    assert not mail.outbox  # nothing leaves before the approval commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["accounts@example.test"] and invoice.number in message.subject
    filename, content, mimetype = message.attachments[0]
    assert filename == f"invoice-{invoice.number}.pdf" and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    entry = Activity.objects.get(kind="invoice.emailed")
    assert entry.summary == f"Invoice {invoice.number} emailed to accounts@example.test"
    assert entry.actor_type == "staff" and entry.actor_id == billing_actor.user.pk


def test_a_billing_run_emails_the_invoice_it_issues(customer, django_capture_on_commit_callbacks):
    delivery(customer, Delivery.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue_invoice(customer, "25.00")
    assert [m.to for m in mail.outbox] == [[customer.email]]
    assert Activity.objects.filter(kind="invoice.emailed", subject_id=invoice.pk).exists()


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        (Delivery.POST, "the customer takes bills by post"),
        (Delivery.PORTAL, "the customer reads bills in the portal"),
    ],
)
def test_it_sends_nothing_when_bills_go_another_way(
    customer, billing_actor, billing_contact, django_capture_on_commit_callbacks, how, reason
):
    delivery(customer, how)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.invoice_approve(invoice=draft_for(customer, billing_actor), actor=billing_actor)
    assert not mail.outbox
    entry = Activity.objects.get(kind="invoice.not_emailed")
    assert entry.summary == f"Invoice {invoice.number} not emailed: {reason}"
    assert not Activity.objects.filter(kind="invoice.emailed").exists()


def test_it_says_so_when_the_customer_has_no_address(
    customer, billing_actor, django_capture_on_commit_callbacks
):
    customer.email = ""
    customer.save()
    delivery(customer, Delivery.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.invoice_approve(invoice=draft_for(customer, billing_actor), actor=billing_actor)
    assert not mail.outbox
    entry = Activity.objects.get(kind="invoice.not_emailed")
    assert entry.summary == f"Invoice {invoice.number} not emailed: the customer has no email address"


def test_a_refused_approval_sends_nothing(
    customer, actors, billing_contact, django_capture_on_commit_callbacks
):
    draft = draft_for(customer, actors["billing"])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.invoice_approve(invoice=draft, actor=actors["agent"])
    assert not mail.outbox
    assert not Activity.objects.filter(kind__in=["invoice.emailed", "invoice.not_emailed"]).exists()
