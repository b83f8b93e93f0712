"""The event types a webhook endpoint may choose, each made from activity entries.

Every write records its activity entry (accountdesk.activity); an event type names the kinds it is
made from, optionally only some of their entries (a ticket's status change that closes it), and
how its record reads: `data` is the record in the API's own schema (each app's `<thing>_out` and
its ninja Schema), with `customer_id` added for records that belong to a customer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ninja import Schema

if TYPE_CHECKING:
    from accountdesk.activity.models import Activity


def _new_status(entry: Activity) -> str | None:
    change = (entry.details or {}).get("status")
    return change[1] if isinstance(change, list) and len(change) == 2 else None


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    group: str
    kinds: tuple[str, ...]
    # Which entries of those kinds make the event (all of them when None).
    when: Callable[[Activity], bool] | None = None
    # The record: (the API schema, its dict) from the entry.
    record: Callable[[Activity], tuple[type[Schema], dict[str, Any]]] = field(default=lambda e: _customer(e))

    def made_from(self, entry: Activity) -> bool:
        return entry.kind in self.kinds and (self.when is None or self.when(entry))


def _subject_id(entry: Activity) -> int:
    if entry.subject_id is None:
        raise ValueError(f"{entry.kind} entry {entry.pk} names no record")
    return entry.subject_id


def _customer(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    from accountdesk.customers.models import Customer
    from accountdesk.customers.schemas import CustomerDetailOut, customer_detail_out

    customer = Customer.objects.select_related("group", "account_manager").get(pk=entry.customer_id)
    return CustomerDetailOut, customer_detail_out(customer)


def _of_customer(entry: Activity, schema: type[Schema], data: dict[str, Any]) -> tuple[type[Schema], dict]:
    return schema, {**data, "customer_id": entry.customer_id}


def _invoice(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    from accountdesk.billing.models import Invoice
    from accountdesk.billing.schemas import InvoiceOut, invoice_out

    return _of_customer(entry, InvoiceOut, invoice_out(Invoice.objects.get(pk=_subject_id(entry))))


def _payment(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    from accountdesk.billing.models import Payment
    from accountdesk.billing.schemas import PaymentOut, payment_out

    return _of_customer(entry, PaymentOut, payment_out(Payment.objects.get(pk=_subject_id(entry))))


def _credit(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    from accountdesk.billing.models import Credit
    from accountdesk.billing.schemas import CreditOut, credit_out

    return _of_customer(entry, CreditOut, credit_out(Credit.objects.get(pk=_subject_id(entry))))


def _subscription(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    from accountdesk.subscriptions.models import Subscription
    from accountdesk.subscriptions.schemas import SubscriptionOut, subscription_out

    row = Subscription.objects.select_related("package").get(pk=_subject_id(entry))
    return _of_customer(entry, SubscriptionOut, subscription_out(row))


def _ticket(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    from accountdesk.servicedesk.models import Ticket
    from accountdesk.servicedesk.schemas import TicketOut, ticket_out

    row = Ticket.objects.select_related("assignee").get(pk=_subject_id(entry))
    return _of_customer(entry, TicketOut, ticket_out(row))


def _job(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    from accountdesk.fieldservice.models import Job
    from accountdesk.fieldservice.schemas import JobOut, job_out

    row = Job.objects.select_related("technician").get(pk=_subject_id(entry))
    return _of_customer(entry, JobOut, job_out(row))


def _contract(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    from accountdesk.contracts.models import Contract
    from accountdesk.contracts.schemas import ContractOut, contract_out

    row = Contract.objects.select_related("template").get(pk=_subject_id(entry))
    return _of_customer(entry, ContractOut, contract_out(row))


def _payment_failed(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    from accountdesk.payments.models import PaymentAttempt
    from accountdesk.webhooks.schemas import PaymentFailedOut

    row = PaymentAttempt.objects.get(pk=_subject_id(entry))
    data = {
        "id": row.pk,
        "status": row.status,
        "amount": f"{row.amount:.2f}",
        "currency": row.currency,
        "gateway": row.gateway,
        "reference": row.gateway_reference,
        "reason": row.reason,
        "invoice_id": row.invoice_id,
    }
    return _of_customer(entry, PaymentFailedOut, data)


def _portal_contact(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    from accountdesk.customers.models import Contact
    from accountdesk.customers.schemas import ContactOut, contact_out

    # The subject is the portal's account of the contact (one each); the portal sits beside this
    # app, so its account is reached through the contact's side of the relation.
    contact = Contact.objects.get(portal_account=_subject_id(entry))
    return _of_customer(entry, ContactOut, contact_out(contact))


def _job_scheduled(entry: Activity) -> bool:
    details = entry.details or {}
    if entry.kind == "job.created":
        return bool(details.get("scheduled_start")) and "status" not in details
    return entry.kind == "job.rescheduled" or _new_status(entry) == "scheduled"


def _job_completed(entry: Activity) -> bool:
    details = entry.details or {}
    if entry.kind == "job.created":
        return details.get("status") == "completed"
    return _new_status(entry) == "completed"


EVENT_TYPES: tuple[EventType, ...] = (
    EventType("customer.created", "Customer created", "Customers", ("customer.created",)),
    EventType("customer.updated", "Customer updated", "Customers", ("customer.updated",)),
    EventType(
        "customer.status_changed", "Customer status changed", "Customers", ("customer.status_changed",)
    ),
    EventType("invoice.approved", "Invoice approved", "Billing", ("invoice.approved",), record=_invoice),
    EventType("invoice.voided", "Invoice voided", "Billing", ("invoice.voided",), record=_invoice),
    EventType("payment.recorded", "Payment recorded", "Billing", ("payment.recorded",), record=_payment),
    EventType("payment.refunded", "Payment refunded", "Billing", ("payment.refunded",), record=_payment),
    EventType("credit.issued", "Credit issued", "Billing", ("credit.issued",), record=_credit),
    EventType(
        "subscription.created",
        "Subscription created",
        "Subscriptions",
        ("subscription.created",),
        record=_subscription,
    ),
    EventType(
        "subscription.changed",
        "Subscription changed",
        "Subscriptions",
        ("subscription.changed",),
        record=_subscription,
    ),
    EventType(
        "subscription.cancelled",
        "Subscription cancelled",
        "Subscriptions",
        ("subscription.cancelled",),
        record=_subscription,
    ),
    EventType("ticket.opened", "Ticket opened", "Service desk", ("ticket.opened",), record=_ticket),
    EventType(
        "ticket.closed",
        "Ticket closed",
        "Service desk",
        ("ticket.status_changed",),
        when=lambda e: _new_status(e) == "closed",
        record=_ticket,
    ),
    EventType(
        "job.scheduled",
        "Job scheduled or moved",
        "Field service",
        ("job.created", "job.rescheduled", "job.status_changed"),
        when=_job_scheduled,
        record=_job,
    ),
    EventType(
        "job.completed",
        "Job completed",
        "Field service",
        ("job.created", "job.status_changed"),
        when=_job_completed,
        record=_job,
    ),
    EventType(
        "payment.failed",
        "Card payment not through (portal)",
        "Portal",
        ("payment.card_declined", "payment.card_failed"),
        record=_payment_failed,
    ),
    EventType("contract.signed", "Contract signed", "Portal", ("contract.signed",), record=_contract),
    EventType(
        "portal.access_granted",
        "Portal access granted",
        "Portal",
        ("portal.access_granted",),
        record=_portal_contact,
    ),
    EventType(
        "portal.access_revoked",
        "Portal access revoked",
        "Portal",
        ("portal.access_revoked",),
        record=_portal_contact,
    ),
)

EVENTS: dict[str, EventType] = {event.name: event for event in EVENT_TYPES}
KINDS_HEARD: frozenset[str] = frozenset(kind for event in EVENT_TYPES for kind in event.kinds)


def event_type_of(entry: Activity) -> EventType | None:
    """The event an activity entry makes, if any (an entry makes at most one)."""
    for event in EVENT_TYPES:
        if event.made_from(entry):
            return event
    return None


def event_data(event: EventType, entry: Activity) -> dict[str, Any]:
    """The event's record as the API shows it, in JSON types."""
    schema, data = event.record(entry)
    out: dict[str, Any] = schema.model_validate(data).model_dump(mode="json")
    if "customer_id" in data:  # a customer's record: which customer (not a field of its schema)
        out["customer_id"] = data["customer_id"]
    return out


def event_choices() -> list[tuple[str, str]]:
    return [(event.name, event.label) for event in EVENT_TYPES]
