"""Tickets and call logs: every write checks the role, validates, and records its activity."""

import datetime as dt

from django.db import models, transaction

from accountdesk.activity.services import event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_module
from accountdesk.core.text import refuse_card_number
from accountdesk.customers.models import Contact, Customer
from accountdesk.servicedesk.models import (
    CALL_DURATION_MAX_S,
    CALL_SUMMARY_MAX,
    SUBJECT_MAX,
    TEXT_MAX,
    CallDirection,
    CallLog,
    Ticket,
    TicketComment,
    TicketPriority,
    TicketStatus,
)
from accountdesk.tenancy.models import Provider, User, sequence_next

MODULE = "service_desk"
# Which statuses a ticket may move to from each status. A closed ticket is reopened, not edited.
TRANSITIONS: dict[str, set[str]] = {
    TicketStatus.OPEN: {TicketStatus.PENDING, TicketStatus.RESOLVED, TicketStatus.CLOSED},
    TicketStatus.PENDING: {TicketStatus.OPEN, TicketStatus.RESOLVED, TicketStatus.CLOSED},
    TicketStatus.RESOLVED: {TicketStatus.OPEN, TicketStatus.CLOSED},
    TicketStatus.CLOSED: {TicketStatus.OPEN},
}


def _text(value: str | None, *, field: str, limit: int, required: bool, missing: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(fields={field: missing})
    if len(text) > limit:
        raise ValidationFailed(fields={field: f"At most {limit:,} characters."})
    return refuse_card_number(text, field)


def _staff_member(provider: Provider, user: User | int | None, *, field: str) -> User | None:
    """A staff user of the provider (by instance or id); another provider's user is unknown."""
    if user is None or user == "":
        return None
    user_id = user.pk if isinstance(user, User) else user
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        raise ValidationFailed(fields={field: "Unknown staff member."}) from None
    found = User.objects.filter(provider=provider, pk=user_id, is_active=True).first()
    if found is None:
        raise ValidationFailed(fields={field: "Unknown staff member."})
    return found


def _choice(value: str, choices: type[models.TextChoices], *, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(fields={field: f"Choose one of: {', '.join(choices.values)}."})
    return value


def _lock_ticket(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer", "assignee")
        .get(pk=ticket.pk)
    )


@transaction.atomic
def ticket_open(
    *,
    customer: Customer,
    subject: str,
    description: str = "",
    priority: str = TicketPriority.NORMAL,
    assignee: User | int | None = None,
    actor: Actor,
) -> Ticket:
    require(actor, "servicedesk.edit")
    require_module(customer.provider, MODULE)
    subject = _text(subject, field="subject", limit=SUBJECT_MAX, required=True, missing="Give a subject.")
    description = _text(description, field="description", limit=TEXT_MAX, required=False, missing="")
    priority = _choice(priority or TicketPriority.NORMAL, TicketPriority, field="priority")
    assignee = _staff_member(customer.provider, assignee, field="assignee")
    now = clock.now()
    number = f"T-{sequence_next(provider=customer.provider, name='ticket'):06d}"
    ticket = Ticket.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        number=number,
        subject=subject,
        description=description,
        priority=priority,
        assignee=assignee,
        created_by=actor.user,
        created_by_name=actor.name,
        created_at=now,
        updated_at=now,
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="ticket.opened",
        summary=f"Ticket {number} opened: {subject}",
        subject=ticket,
        details={"priority": priority, "assignee": assignee.display_name if assignee else None},
    )
    return ticket


@transaction.atomic
def ticket_comment(*, ticket: Ticket, body: str, actor: Actor) -> TicketComment:
    require(actor, "servicedesk.edit")
    body = _text(body, field="body", limit=TEXT_MAX, required=True, missing="Write the comment.")
    ticket = _lock_ticket(ticket)
    now = clock.now()
    comment = TicketComment.objects.create(
        provider_id=ticket.provider_id,
        ticket=ticket,
        author=actor.user,
        author_name=actor.name,
        body=body,
        created_at=now,
    )
    ticket.updated_at = now
    ticket.save(update_fields=["updated_at"])
    excerpt = " ".join(body.split())[:80]
    event_record(
        customer=ticket.customer,
        actor=actor,
        kind="ticket.commented",
        summary=f"Comment on {ticket.number}: {excerpt}",
        subject=ticket,
    )
    return comment


@transaction.atomic
def ticket_update_status(*, ticket: Ticket, status: str, actor: Actor) -> Ticket:
    require(actor, "servicedesk.edit")
    _choice(status, TicketStatus, field="status")
    ticket = _lock_ticket(ticket)
    old = ticket.status
    if old == status:
        raise Conflict(f"The ticket is already {ticket.get_status_display().lower()}.")
    if status not in TRANSITIONS[old]:
        raise Conflict(f"A {old} ticket cannot become {status}.")
    ticket.status = status
    ticket.updated_at = clock.now()
    ticket.save(update_fields=["status", "updated_at"])
    event_record(
        customer=ticket.customer,
        actor=actor,
        kind="ticket.status_changed",
        summary=f"Ticket {ticket.number} {old} → {status}",
        subject=ticket,
        details={"status": [old, status]},
    )
    return ticket


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee: User | int | None, actor: Actor) -> Ticket:
    require(actor, "servicedesk.edit")
    ticket = _lock_ticket(ticket)
    new = _staff_member(ticket.provider, assignee, field="assignee")
    old = ticket.assignee
    if (old.pk if old else None) == (new.pk if new else None):
        return ticket
    ticket.assignee = new
    ticket.updated_at = clock.now()
    ticket.save(update_fields=["assignee", "updated_at"])
    old_name = old.display_name if old else None
    new_name = new.display_name if new else None
    event_record(
        customer=ticket.customer,
        actor=actor,
        kind="ticket.assigned",
        summary=f"Ticket {ticket.number} assigned to {new_name or 'nobody'}",
        subject=ticket,
        details={"assignee": [old_name, new_name]},
    )
    return ticket


@transaction.atomic
def call_log_add(
    *,
    customer: Customer,
    direction: str,
    summary: str,
    duration_s: int = 0,
    contact: Contact | int | None = None,
    at: dt.datetime | None = None,
    actor: Actor,
) -> CallLog:
    """Log a call. Technicians may do this too (servicedesk.call_log), unlike opening tickets."""
    require(actor, "servicedesk.call_log")
    require_module(customer.provider, MODULE)
    direction = _choice(direction, CallDirection, field="direction")
    summary = _text(
        summary, field="summary", limit=CALL_SUMMARY_MAX, required=True, missing="Summarise the call."
    )
    if isinstance(duration_s, bool) or not isinstance(duration_s, int):
        raise ValidationFailed(fields={"duration_s": "Give the duration in whole seconds."})
    if not 0 <= duration_s <= CALL_DURATION_MAX_S:
        raise ValidationFailed(fields={"duration_s": "Between 0 and 43,200 seconds (12 hours)."})
    now = clock.now()
    at = at or now
    if at.tzinfo is None:
        raise ValidationFailed(fields={"at": "Give the time with its UTC offset."})
    if at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(fields={"at": "A call cannot be logged in the future."})
    contact_row = None
    if contact is not None and contact != "":
        contact_id = contact.pk if isinstance(contact, Contact) else contact
        try:
            contact_row = Contact.objects.filter(customer=customer, pk=int(contact_id)).first()
        except (TypeError, ValueError):
            contact_row = None
        if contact_row is None:
            raise ValidationFailed(fields={"contact": "Choose one of this customer's contacts."})
    call = CallLog.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        at=at,
        direction=direction,
        contact=contact_row,
        duration_s=duration_s,
        summary=summary,
        staff=actor.user,
        staff_name=actor.name,
    )
    who = f" with {contact_row.name}" if contact_row else ""
    event_record(
        customer=customer,
        actor=actor,
        kind="call.logged",
        summary=f"{call.get_direction_display()} call{who}: {' '.join(summary.split())[:80]}",
        subject=call,
        details={"duration_s": duration_s, "direction": direction},
    )
    return call
