"""Writes on the customer account itself: create, edit, status, archive, tags."""

from typing import Any

from django.db import transaction
from django.db.models.functions import Length

from accountdesk.activity.services import changed_fields, event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.details import field_label
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_same_provider
from accountdesk.core.text import refuse_card_number, refuse_card_numbers
from accountdesk.customers.models import Customer, Status, StatusChange, Tag
from accountdesk.customers.search_index import customer_search_refresh
from accountdesk.tenancy.models import Provider, Sequence, sequence_next

REASON_MAX = 500
# Which statuses a status change may lead to from each status (archive has its own service).
TRANSITIONS: dict[str, set[str]] = {
    Status.PROSPECT: {Status.ACTIVE, Status.DEACTIVATED},
    Status.ACTIVE: {Status.BLOCKED, Status.DEACTIVATED},
    Status.BLOCKED: {Status.ACTIVE, Status.DEACTIVATED},
    Status.DEACTIVATED: {Status.ACTIVE},
    Status.ARCHIVED: set(),
}
REASON_REQUIRED = {Status.BLOCKED, Status.DEACTIVATED, Status.ARCHIVED}

# Phone numbers and email addresses are not free text (a long phone number may pass Luhn by chance).
CARD_CHECK_SKIP = ("phone", "email")


def _lock(customer: Customer) -> Customer:
    """Serialise writes on one customer (a row lock on PostgreSQL).

    Only the customer's row: PostgreSQL refuses FOR UPDATE on the outer joins of the nullable
    group and manager, and they need no lock."""
    qs = Customer.objects.select_for_update(of=("self",)).select_related("group", "account_manager")
    return qs.get(pk=customer.pk)


def _record_status(customer: Customer, old: str, new: str, reason: str, actor: Actor) -> StatusChange:
    return StatusChange.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        at=clock.now(),
        old=old,
        new=new,
        reason=reason,
        actor_type=actor.type,
        actor=actor.user,
        actor_name=actor.name,
        actor_email=actor.email,
    )


def _next_customer_number(provider: Provider) -> str:
    number = f"C-{sequence_next(provider=provider, name='customer'):06d}"
    taken = Customer.objects.filter(provider=provider, number__regex=r"^C-[0-9]+$")
    if not taken.filter(number=number).exists():
        return number
    # Numbers were given outside the sequence (an import, the demo data): carry on after the
    # highest one. The zero-padded numbers sort by length, then text.
    highest = taken.order_by(Length("number").desc(), "-number").values_list("number", flat=True).first()
    assert highest is not None, "`number` itself is taken"
    Sequence.objects.filter(provider=provider, name="customer").update(last_value=int(highest[2:]))
    return f"C-{sequence_next(provider=provider, name='customer'):06d}"


JOINED_IN_FUTURE = "A customer cannot join in the future."


def _check_joined(data: dict[str, Any]) -> None:
    """An account's join date is the day it started: today or earlier."""
    joined = data.get("joined_on")
    if joined is None and "joined_on" in data:
        raise ValidationFailed(fields={"joined_on": "Enter a date as YYYY-MM-DD."})
    if joined is not None and joined > clock.today():
        raise ValidationFailed(JOINED_IN_FUTURE, fields={"joined_on": JOINED_IN_FUTURE})


@transaction.atomic
def customer_create(
    *, provider: Provider, data: dict[str, Any], tags: list[Tag] | None = None, actor: Actor
) -> Customer:
    require(actor, "customers.create")
    refuse_card_numbers(data, skip=CARD_CHECK_SKIP)
    number = _next_customer_number(provider)
    data = {"currency": provider.currency, "joined_on": clock.today(), **data}
    _check_joined(data)
    customer = Customer.objects.create(provider=provider, number=number, **data)
    if tags:
        customer.tags.set(tags)
    _record_status(customer, "", customer.status, "Account created", actor)
    customer_search_refresh(customer)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.created",
        summary=f"Customer {number} created",
        subject=customer,
    )
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, data: dict[str, Any], actor: Actor) -> Customer:
    """Edit account fields; records each changed field's old and new value."""
    require(actor, "customers.edit")
    customer = _lock(customer)
    data = {k: v for k, v in data.items() if k not in {"status", "number", "provider", "tags"}}
    refuse_card_numbers(data, skip=CARD_CHECK_SKIP)
    _check_joined(data)
    require_same_provider(customer, data.get("account_manager"), data.get("group"))
    changes = changed_fields(customer, data)
    if not changes:
        return customer
    customer.save(update_fields=[*changes, "updated_at"])
    customer_search_refresh(customer)
    labels = ", ".join(field_label(Customer, f) for f in changes)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.updated",
        summary=f"Account edited: {labels}",
        subject=customer,
        details=changes,
    )
    return customer


@transaction.atomic
def customer_status_change(*, customer: Customer, status: str, reason: str, actor: Actor) -> Customer:
    require(actor, "customers.change_status")
    reason = refuse_card_number((reason or "").strip(), "reason")
    if status not in Status.values:
        raise ValidationFailed(fields={"status": f"Unknown status. Use one of: {', '.join(Status.values)}."})
    if status == Status.ARCHIVED:
        return customer_archive(customer=customer, reason=reason, actor=actor)
    if len(reason) > REASON_MAX:
        raise ValidationFailed(fields={"reason": f"At most {REASON_MAX} characters."})
    customer = _lock(customer)
    old = customer.status
    if old == status:
        raise Conflict(f"The customer is already {customer.get_status_display().lower()}.")
    if status not in TRANSITIONS[old]:
        raise Conflict(f"A {old} customer cannot become {status}.")
    if status in REASON_REQUIRED and not reason:
        raise ValidationFailed(fields={"reason": "Give a reason for this change."})
    customer.status = status
    customer.save(update_fields=["status", "updated_at"])
    change = _record_status(customer, old, status, reason, actor)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.status_changed",
        summary=f"Status changed from {old} to {status}" + (f": {reason}" if reason else ""),
        subject=change,
        details={"status": [old, status], "reason": reason},
    )
    return customer


@transaction.atomic
def customer_archive(*, customer: Customer, reason: str, actor: Actor) -> Customer:
    require(actor, "customers.archive")
    customer = _lock(customer)
    reason = refuse_card_number((reason or "").strip(), "reason")
    if customer.is_archived:
        raise Conflict("The customer is already archived.")
    if not reason:
        raise ValidationFailed(fields={"reason": "Give a reason for archiving."})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(fields={"reason": f"At most {REASON_MAX} characters."})
    old = customer.status
    customer.status_before_archive = old
    customer.status = Status.ARCHIVED
    customer.save(update_fields=["status", "status_before_archive", "updated_at"])
    change = _record_status(customer, old, Status.ARCHIVED, reason, actor)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.archived",
        summary=f"Customer archived: {reason}",
        subject=change,
        details={"status": [old, Status.ARCHIVED], "reason": reason},
    )
    return customer


@transaction.atomic
def customer_unarchive(*, customer: Customer, actor: Actor) -> Customer:
    require(actor, "customers.archive")
    customer = _lock(customer)
    if not customer.is_archived:
        raise Conflict("The customer is not archived.")
    restored = customer.status_before_archive or Status.ACTIVE
    customer.status = restored
    customer.status_before_archive = ""
    customer.save(update_fields=["status", "status_before_archive", "updated_at"])
    change = _record_status(customer, Status.ARCHIVED, restored, "Archive undone", actor)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.unarchived",
        summary=f"Archive undone; status back to {restored}",
        subject=change,
        details={"status": [Status.ARCHIVED, restored]},
    )
    return customer


@transaction.atomic
def customer_tags_set(*, customer: Customer, tags: list[Tag], actor: Actor) -> Customer:
    require(actor, "customers.tags")
    require_same_provider(customer, *tags)
    customer = _lock(customer)
    old = sorted(customer.tags.values_list("name", flat=True))
    new = sorted(t.name for t in tags)
    if old == new:
        return customer
    customer.tags.set(tags)
    event_record(
        customer=customer,
        actor=actor,
        kind="customer.tags_changed",
        summary=f"Tags: {', '.join(new) or 'none'}",
        subject=customer,
        details={"tags": [old, new]},
    )
    return customer


@transaction.atomic
def customer_account_save(
    *, customer: Customer, data: dict[str, Any], tags: list[Tag] | None, actor: Actor
) -> Customer:
    """The Details edit, all or nothing: the account fields and, when given, the tags (`None`
    leaves them: the role may not tag), each change recorded as customer_update and
    customer_tags_set record it."""
    customer = customer_update(customer=customer, data=data, actor=actor)
    if tags is not None:
        customer = customer_tags_set(customer=customer, tags=tags, actor=actor)
    return customer
