"""Tickets and call logs: every write checks the role, validates, and records its activity."""

import datetime as dt

from django.db import transaction

from accountdesk.activity.services import event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor, ActorType
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.parse import parse_choice, parse_text
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_module
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


def _staff_member(provider: Provider, user: User | int | str | None, *, field: str) -> User | None:
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
    assignee: User | int | str | None = None,
    actor: Actor,
) -> Ticket:
    require(actor, "servicedesk.edit")
    require_module(customer.provider, MODULE)
    subject = parse_text(
        subject, field="subject", max_length=SUBJECT_MAX, required=True, missing="Give a subject."
    )
    description = parse_text(description, field="description", max_length=TEXT_MAX)
    priority = parse_choice(priority or TicketPriority.NORMAL, field="priority", choices=TicketPriority)
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
def ticket_comment(*, ticket: Ticket, body: str, actor: Actor, internal: bool = False) -> TicketComment:
    """A comment on the ticket; an `internal` one is a staff note the customer never sees (a
    customer's own comment is never internal)."""
    require(actor, "servicedesk.edit")
    body = parse_text(body, field="body", max_length=TEXT_MAX, required=True, missing="Write the comment.")
    internal = internal and actor.type != ActorType.CUSTOMER
    ticket = _lock_ticket(ticket)
    now = clock.now()
    comment = TicketComment.objects.create(
        provider_id=ticket.provider_id,
        ticket=ticket,
        author=actor.user,
        author_name=actor.name,
        body=body,
        internal=internal,
        created_at=now,
    )
    ticket.updated_at = now
    ticket.save(update_fields=["updated_at"])
    excerpt = " ".join(body.split())[:80]
    event_record(
        customer=ticket.customer,
        actor=actor,
        kind="ticket.commented",
        summary=f"{'Internal note' if internal else 'Comment'} on {ticket.number}: {excerpt}",
        subject=ticket,
    )
    return comment


@transaction.atomic
def ticket_status_change(*, ticket: Ticket, status: str, actor: Actor) -> Ticket:
    require(actor, "servicedesk.edit")
    parse_choice(status, field="status", choices=TicketStatus)
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
def ticket_assign(*, ticket: Ticket, assignee: User | int | str | None, actor: Actor) -> Ticket:
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
    contact: Contact | int | str | None = None,
    at: dt.datetime | None = None,
    actor: Actor,
) -> CallLog:
    """Log a call. Technicians may do this too (servicedesk.call_log), unlike opening tickets."""
    require(actor, "servicedesk.call_log")
    require_module(customer.provider, MODULE)
    direction = parse_choice(direction, field="direction", choices=CallDirection)
    summary = parse_text(
        summary, field="summary", max_length=CALL_SUMMARY_MAX, required=True, missing="Summarise the call."
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
