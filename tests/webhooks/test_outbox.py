"""The outbox: each change the endpoints chose is written as a delivery in the change's own
transaction (rolled back with it), its body `{"id", "type", "created_at", "data"}` with `data` the
record in the API's schema, and handed to the task worker only after the commit."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import transaction

from accountdesk.activity.models import Activity
from accountdesk.activity.services import event_record
from accountdesk.billing import services as billing
from accountdesk.billing.schemas import payment_out
from accountdesk.contracts import services as contracts
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.customers.services import customer_create, customer_status_change, customer_update
from accountdesk.fieldservice import services as fieldservice
from accountdesk.payments.models import PaymentAttempt
from accountdesk.portal import services as portal
from accountdesk.servicedesk import services as servicedesk
from accountdesk.subscriptions import services as subscriptions
from accountdesk.webhooks import services
from accountdesk.webhooks.events import EVENTS
from accountdesk.webhooks.models import Delivery, DeliveryStatus
from tests.billing.factories import issue_invoice, pay
from tests.contracts.factories import ContractFactory
from tests.factories import ContactFactory
from tests.subscriptions.factories import PackageFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    clock.freeze(NOW)
    yield
    clock.freeze(None)


@pytest.fixture
def everything(make_endpoint, resolve_to):
    return make_endpoint(events=list(EVENTS))


def bodies(event_type=None) -> list[dict]:
    rows = Delivery.objects.order_by("id")
    return [json.loads(d.body) for d in rows if event_type is None or d.event_type == event_type]


def only(event_type) -> dict:
    found = bodies(event_type)
    assert len(found) == 1, [b["type"] for b in bodies()]
    return found[0]


def test_a_change_writes_a_delivery_with_the_record_in_the_apis_schema(everything, customer, admin_actor):
    customer_status_change(customer=customer, status="blocked", reason="Unpaid", actor=admin_actor)
    entry = Activity.objects.get(kind="customer.status_changed")
    body = only("customer.status_changed")
    assert body["id"] == f"evt_{entry.pk:012d}" and body["created_at"] == NOW.isoformat()
    assert body["data"]["id"] == customer.pk and body["data"]["status"] == "blocked"
    assert set(body["data"]) >= {"number", "name", "email", "joined_on", "billing_address", "tags"}
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.endpoint, delivery.next_attempt_at) == ("pending", everything, NOW)
    assert delivery.event_id == body["id"] and delivery.event_type == "customer.status_changed"


def test_a_customers_record_says_whose_it_is(everything, customer, admin_actor):
    payment = pay(customer, "25.00", actor=admin_actor)
    data = only("payment.recorded")["data"]
    expected = json.loads(json.dumps(payment_out(payment), default=str))
    assert data == {**expected, "customer_id": customer.pk}
    assert data["amount"] == "25.00"


def test_each_event_type_comes_from_its_change(everything, provider, customer, admin_actor, staff):
    """Every event an endpoint may choose, made by the product's own services."""
    actor = admin_actor
    made = customer_create(
        provider=provider, data={"name": "Ada Lovelace", "type": "residential"}, actor=actor
    )
    customer_update(customer=customer, data={"phone": "+1 555 0100"}, actor=actor)
    customer_status_change(customer=customer, status="blocked", reason="Unpaid", actor=actor)
    invoice = issue_invoice(customer, "80.00", actor=actor)
    voided = issue_invoice(customer, "10.00", actor=actor)
    billing.invoice_void(invoice=voided, reason="Mistake", actor=actor)
    payment = pay(customer, "30.00", actor=actor)
    billing.payment_refund(payment=payment, amount="5.00", reason="Goodwill", actor=actor)
    billing.credit_issue(customer=customer, amount="4.00", reason="Outage", actor=actor)
    package, other = PackageFactory(provider=provider), PackageFactory(provider=provider)
    subscription = subscriptions.subscription_add(
        customer=customer, package_id=package.pk, started_on=clock.today(), actor=actor
    )
    subscriptions.subscription_change(subscription=subscription, package_id=other.pk, actor=actor)
    subscriptions.subscription_cancel(subscription=subscription, actor=actor)
    ticket = servicedesk.ticket_open(customer=customer, subject="No signal", actor=actor)
    servicedesk.ticket_status_change(ticket=ticket, status="pending", actor=actor)
    servicedesk.ticket_status_change(ticket=ticket, status="closed", actor=actor)
    job = fieldservice.job_create(
        customer=customer, kind="install", scheduled_start=NOW + dt.timedelta(days=2), actor=actor
    )
    fieldservice.job_status_change(job=job, status="completed", actor=actor)
    contact = ContactFactory(customer=customer, email="pat@example.com")
    account = portal.portal_access_grant(contact=contact, actor=actor)
    portal.portal_access_revoke(account=account, actor=actor)
    contract = ContractFactory(contact=contact, status="sent", sent_at=NOW)
    contracts.contract_mark_signed(contract=contract, actor=actor)
    attempt = PaymentAttempt.objects.create(
        provider=provider,
        customer=customer,
        amount=Decimal("12.00"),
        currency="USD",
        gateway="test",
        status="declined",
        reason="Insufficient funds",
        actor_type="customer",
        created_at=NOW,
    )
    with transaction.atomic():
        event_record(
            customer=customer,
            actor=Actor.system(provider),
            kind="payment.card_declined",
            summary="Card payment declined",
            subject=attempt,
        )

    records = {
        "customer.created": made.pk,
        "customer.updated": customer.pk,
        "customer.status_changed": customer.pk,
        "invoice.approved": [invoice.pk, voided.pk],  # the voided one was approved first
        "invoice.voided": voided.pk,
        "payment.recorded": payment.pk,
        "credit.issued": None,
        "subscription.created": subscription.pk,
        "subscription.changed": subscription.pk,
        "subscription.cancelled": subscription.pk,
        "ticket.opened": ticket.pk,
        "ticket.closed": ticket.pk,
        "job.scheduled": job.pk,
        "job.completed": job.pk,
        "portal.access_granted": contact.pk,
        "portal.access_revoked": contact.pk,
        "contract.signed": contract.pk,
        "payment.failed": attempt.pk,
    }
    seen = {}
    for body in bodies():
        seen.setdefault(body["type"], []).append(body)
    assert sorted(seen) == sorted([*records, "payment.refunded"])
    for event_type, record_id in records.items():
        if record_id is not None:
            ids = record_id if isinstance(record_id, list) else [record_id]
            assert [b["data"]["id"] for b in seen[event_type]] == ids, event_type
    assert seen["invoice.approved"][0]["data"]["total"] == "80.00"
    assert [b["data"]["status"] for b in seen["invoice.voided"]] == ["void"]
    assert seen["payment.refunded"][0]["data"]["amount"] in ("-5.00", "5.00")
    assert seen["credit.issued"][0]["data"]["amount"] == "4.00"
    assert seen["ticket.closed"][0]["data"]["status"] == "closed"
    assert seen["job.completed"][0]["data"]["status"] == "completed"
    assert seen["payment.failed"][0]["data"] | {"reference": None} == {
        "id": attempt.pk,
        "status": "declined",
        "amount": "12.00",
        "currency": "USD",
        "gateway": "test",
        "reference": None,
        "reason": "Insufficient funds",
        "invoice_id": None,
        "customer_id": customer.pk,
    }
    for body in bodies():
        if body["type"] != "customer.created" and not body["type"].startswith("customer."):
            assert body["data"]["customer_id"] == customer.pk, body["type"]


def test_only_the_chosen_events_of_enabled_endpoints_of_the_provider(
    make_endpoint, resolve_to, customer, foreign_customer, admin_actor
):
    tickets = make_endpoint(url="https://a.example.com/", events=["ticket.opened"])
    payments = make_endpoint(url="https://b.example.com/", events=["payment.recorded"])
    off = make_endpoint(url="https://c.example.com/", events=["payment.recorded"])
    services.endpoint_update(endpoint=off, enabled=False, actor=admin_actor)
    pay(customer, "10.00", actor=admin_actor)
    pay(foreign_customer, "10.00")
    assert list(Delivery.objects.values_list("endpoint", "event_type")) == [(payments.pk, "payment.recorded")]
    assert not Delivery.objects.filter(endpoint=tickets).exists()


def test_one_event_for_several_endpoints_has_one_id(make_endpoint, resolve_to, customer, admin_actor):
    make_endpoint(url="https://a.example.com/", events=["payment.recorded"])
    make_endpoint(url="https://b.example.com/", events=["payment.recorded"])
    pay(customer, "10.00", actor=admin_actor)
    first, second = Delivery.objects.order_by("id")
    assert first.event_id == second.event_id and first.body == second.body


def test_a_change_that_rolls_back_leaves_no_delivery(everything, customer, admin_actor):
    with pytest.raises(RuntimeError), transaction.atomic():
        customer_status_change(customer=customer, status="blocked", reason="Unpaid", actor=admin_actor)
        raise RuntimeError("the rest of the write failed")
    assert not Delivery.objects.exists()


def test_entries_no_event_is_made_from_write_nothing(everything, customer, admin_actor):
    from accountdesk.notes.services import note_add

    note_add(customer=customer, body="Called back", actor=admin_actor)
    servicedesk_ticket = servicedesk.ticket_open(customer=customer, subject="Slow", actor=admin_actor)
    servicedesk.ticket_status_change(ticket=servicedesk_ticket, status="resolved", actor=admin_actor)
    assert [b["type"] for b in bodies()] == ["ticket.opened"]


def test_a_heard_write_costs_one_read_more_without_endpoints(customer, admin_actor):
    """The endpoints' read is the outbox's whole cost to a provider without webhooks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():  # the customer's chain has its head
        event_record(customer=customer, actor=admin_actor, kind="note.added", summary="x")
    counts = []
    for kind in ("note.added", "customer.updated"):
        with CaptureQueriesContext(connection) as ctx, transaction.atomic():
            event_record(customer=customer, actor=admin_actor, kind=kind, summary="x")
        counts.append(len(ctx.captured_queries))
    assert counts[1] == counts[0] + 1


def test_after_the_commit_the_worker_sends_it(
    everything, customer, admin_actor, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(services, "delivery_attempt", lambda *, delivery_id: sent.append(delivery_id))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        customer_status_change(customer=customer, status="blocked", reason="Unpaid", actor=admin_actor)
    assert sent == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sent == [Delivery.objects.get().pk]
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
