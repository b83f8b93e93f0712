"""The event types a webhook endpoint may choose, each made from activity entries.

Every write records its activity entry (accountdesk.activity); an event type names the kinds it is
made from, optionally only some of their entries (a ticket's status change that closes it), and
how its record reads: `data` is the record in the API's own schema (each app's `<thing>_out` and
its ninja Schema), with `customer_id` added for records that belong to a customer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from ninja import Schema

from accountdesk.billing.models import Credit, Invoice, Payment
from accountdesk.billing.schemas import (
    CreditOut,
    InvoiceOut,
    PaymentOut,
    credit_out,
    invoice_out,
    payment_out,
)
from accountdesk.contracts.models import Contract
from accountdesk.contracts.schemas import ContractOut, contract_out
from accountdesk.customers.models import Contact, Customer
from accountdesk.customers.schemas import ContactOut, CustomerDetailOut, contact_out, customer_detail_out
from accountdesk.fieldservice.models import Job
from accountdesk.fieldservice.schemas import JobOut, job_out
from accountdesk.payments.models import PaymentAttempt
from accountdesk.servicedesk.models import Ticket
from accountdesk.servicedesk.schemas import TicketOut, ticket_out
from accountdesk.subscriptions.models import Subscription
from accountdesk.subscriptions.schemas import SubscriptionOut, subscription_out
from accountdesk.webhooks.schemas import PaymentFailedOut

if TYPE_CHECKING:
    from accountdesk.activity.models import Activity


def _new_status(entry: Activity) -> str | None:
    change = (entry.details or {}).get("status")
    return change[1] if isinstance(change, list) and len(change) == 2 else None


Record = Callable[["Activity"], tuple[type[Schema], dict[str, Any]]]


def _subject_id(entry: Activity) -> int:
    if entry.subject_id is None:
        raise ValueError(f"{entry.kind} entry {entry.pk} names no record")
    return entry.subject_id


def _customer(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
    customer = Customer.objects.select_related("group", "account_manager").get(pk=entry.customer_id)
    return CustomerDetailOut, customer_detail_out(customer)


def _of_customer(
    queryset: QuerySet[Any],
    schema: type[Schema],
    serialize: Callable[[Any], dict[str, Any]],
    *,
    by: str = "pk",
) -> Record:
    """The entry's subject, read from `queryset` (by its id, or `by` another lookup of it) and shown
    by the API's `serialize`, with its customer's id."""

    def record(entry: Activity) -> tuple[type[Schema], dict[str, Any]]:
        row = queryset.get(**{by: _subject_id(entry)})
        return schema, {**serialize(row), "customer_id": entry.customer_id}

    return record


def _payment_failed_out(row: PaymentAttempt) -> dict[str, Any]:
    return {
        "id": row.pk,
        "status": row.status,
        "amount": f"{row.amount:.2f}",
        "currency": row.currency,
        "gateway": row.gateway,
        "reference": row.gateway_reference,
        "reason": row.reason,
        "invoice_id": row.invoice_id,
    }


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    group: str
    kinds: tuple[str, ...]
    # The record: (the API schema, its dict) from the entry; the customer's by default.
    record: Record = _customer
    # Which entries of those kinds make the event (all of them when None).
    when: Callable[[Activity], bool] | None = None

    def made_from(self, entry: Activity) -> bool:
        return entry.kind in self.kinds and (self.when is None or self.when(entry))


_invoice = _of_customer(Invoice.objects.all(), InvoiceOut, invoice_out)
_payment = _of_customer(Payment.objects.all(), PaymentOut, payment_out)
_credit = _of_customer(Credit.objects.all(), CreditOut, credit_out)
_subscription = _of_customer(
    Subscription.objects.select_related("package"), SubscriptionOut, subscription_out
)
_ticket = _of_customer(Ticket.objects.select_related("assignee"), TicketOut, ticket_out)
_job = _of_customer(Job.objects.select_related("technician"), JobOut, job_out)
_contract = _of_customer(Contract.objects.select_related("template"), ContractOut, contract_out)
_payment_failed = _of_customer(PaymentAttempt.objects.all(), PaymentFailedOut, _payment_failed_out)
# The subject is the portal's account of the contact (one each); the portal sits beside this app,
# so its account is reached from the contact's side of the relation.
_portal_contact = _of_customer(Contact.objects.all(), ContactOut, contact_out, by="portal_account")


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


# fmt: off
EVENT_TYPES: tuple[EventType, ...] = (
    EventType("customer.created", "Customer created", "Customers", ("customer.created",)),
    EventType("customer.updated", "Customer updated", "Customers", ("customer.updated",)),
    EventType("customer.status_changed", "Customer status changed", "Customers",
              ("customer.status_changed",)),
    EventType("invoice.approved", "Invoice approved", "Billing", ("invoice.approved",), _invoice),
    EventType("invoice.voided", "Invoice voided", "Billing", ("invoice.voided",), _invoice),
    EventType("payment.recorded", "Payment recorded", "Billing", ("payment.recorded",), _payment),
    EventType("payment.refunded", "Payment refunded", "Billing", ("payment.refunded",), _payment),
    EventType("credit.issued", "Credit issued", "Billing", ("credit.issued",), _credit),
    EventType("subscription.created", "Subscription created", "Subscriptions", ("subscription.created",),
              _subscription),
    EventType("subscription.changed", "Subscription changed", "Subscriptions", ("subscription.changed",),
              _subscription),
    EventType("subscription.cancelled", "Subscription cancelled", "Subscriptions",
              ("subscription.cancelled",), _subscription),
    EventType("ticket.opened", "Ticket opened", "Service desk", ("ticket.opened",), _ticket),
    EventType("ticket.closed", "Ticket closed", "Service desk", ("ticket.status_changed",), _ticket,
              when=lambda e: _new_status(e) == "closed"),
    EventType("job.scheduled", "Job scheduled or moved", "Field service",
              ("job.created", "job.rescheduled", "job.status_changed"), _job, when=_job_scheduled),
    EventType("job.completed", "Job completed", "Field service", ("job.created", "job.status_changed"), _job,
              when=_job_completed),
    # What customers do in the portal: pay (a payment that went through is payment.recorded), sign
    # contracts; and staff giving or taking their portal access.
    EventType("payment.failed", "Card payment not through (portal)", "Portal",
              ("payment.card_declined", "payment.card_failed"), _payment_failed),
    EventType("contract.signed", "Contract signed", "Portal", ("contract.signed",), _contract),
    EventType("portal.access_granted", "Portal access granted", "Portal", ("portal.access_granted",),
              _portal_contact),
    EventType("portal.access_revoked", "Portal access revoked", "Portal", ("portal.access_revoked",),
              _portal_contact),
)
# fmt: on

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
