"""Years of history for the heavy demo accounts, written in bulk.

Thousands of rows through the services would cost minutes, so these rows are built here with the
very field values the services write (note_add, customer_status_change, customer_update,
contact_update and the self-service edit) and saved with bulk_create, oldest first so ids rise
with time. Every chain of edits ends at the value the account holds now, so the log and the
account agree.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import TYPE_CHECKING

from accountdesk.activity.models import Activity
from accountdesk.activity.services import event_bulk_record, event_entry
from accountdesk.core.actors import Actor
from accountdesk.core.details import field_label
from accountdesk.customers.models import Customer, Status, StatusChange
from accountdesk.demo import data
from accountdesk.notes.models import Note

if TYPE_CHECKING:
    from accountdesk.demo.generator import CustomerState, ProviderBuilder

DAY = dt.timedelta(days=1)


def heavy_history(builder: ProviderBuilder, state: CustomerState) -> None:
    customer = state.created()
    assert state.activated_at is not None, "heavy accounts are active or blocked: they were activated"
    start = state.activated_at + 2 * DAY
    # The ordinary timeline keeps the last weeks (a recent block, say); the bulk years end before.
    end = builder.now - 25 * DAY
    entries: list[Activity] = []
    entries += _notes(builder, customer, start, end)
    entries += _status_cycles(builder, customer, start, end)
    entries += _customer_edits(builder, state, start, end)
    entries += _contact_edits(builder, state, start, end)
    entries.sort(key=lambda e: e.at)
    event_bulk_record(entries, batch_size=1000)


def _entry(
    customer: Customer, actor: Actor, kind: str, summary: str, at: dt.datetime, *, subject=None, details=None
) -> Activity:
    """The row event_record() would write."""
    subject_type, subject_id = subject or ("", None)
    entry = event_entry(
        provider_id=customer.provider_id, customer_id=customer.pk, actor=actor, kind=kind, summary=summary,
        at=at, subject_type=subject_type, subject_id=subject_id, details=details,
    )  # fmt: skip
    entry.customer = customer
    return entry


def _moments(builder: ProviderBuilder, count: int, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    return sorted(builder.ctx.moment_between(start, end) for _ in range(count))


def _notes(
    builder: ProviderBuilder, customer: Customer, start: dt.datetime, end: dt.datetime
) -> list[Activity]:
    notes, authors = [], []
    for moment in _moments(builder, builder.rng.randint(1800, 2600), start, end):
        author = builder.author()
        authors.append(author)
        notes.append(
            Note(
                provider_id=customer.provider_id,
                customer=customer,
                created_at=moment,
                author=author,
                author_name=author.display_name,
                body=builder.note_body(author, moment, customer),
            )
        )
    Note.objects.bulk_create(notes, batch_size=1000)
    return [
        _entry(
            customer,
            Actor.staff(author),
            "note.added",
            f"Note added: {n.excerpt}",
            n.created_at,
            subject=("note", n.pk),
        )
        for n, author in zip(notes, authors, strict=True)
    ]


def _status_cycles(
    builder: ProviderBuilder, customer: Customer, start: dt.datetime, end: dt.datetime
) -> list[Activity]:
    """Blocks for overdue bills and their lifting, one pair per slot of the years so none overlap."""
    rng, ctx = builder.rng, builder.ctx
    cycles = rng.randint(14, 24)
    slot = (end - start) / cycles
    changes = []
    for i in range(cycles):
        slot_start = start + slot * i
        blocked = ctx.moment_between(slot_start, slot_start + slot * 0.6)
        back = min(
            blocked + dt.timedelta(days=rng.randint(2, 21), hours=rng.randint(1, 8)), slot_start + slot * 0.95
        )
        if rng.random() < 0.6:
            blocker, reason = ctx.system(), rng.choice(data.BLOCK_REASONS_SYSTEM)
        else:
            blocker, reason = Actor.staff(builder.author("agent")), rng.choice(data.BLOCK_REASONS_STAFF)
        lifter = Actor.staff(builder.author("admin" if rng.random() < 0.2 else "agent"))
        changes.append(_change(customer, blocked, Status.ACTIVE, Status.BLOCKED, reason, blocker))
        changes.append(
            _change(customer, back, Status.BLOCKED, Status.ACTIVE, rng.choice(data.UNBLOCK_REASONS), lifter)
        )
    StatusChange.objects.bulk_create(changes)
    entries = []
    for change, actor in zip(changes, _actors_of(changes, builder), strict=True):
        entries.append(
            _entry(
                customer,
                actor,
                "customer.status_changed",
                f"Status changed from {change.old} to {change.new}: {change.reason}",
                change.at,
                subject=("statuschange", change.pk),
                details={"status": [change.old, change.new], "reason": change.reason},
            )
        )
    return entries


def _change(customer, at, old, new, reason, actor: Actor) -> StatusChange:
    return StatusChange(
        provider_id=customer.provider_id,
        customer=customer,
        at=at,
        old=old,
        new=new,
        reason=reason,
        actor_type=actor.type,
        actor=actor.user,
        actor_name=actor.name,
        actor_email=actor.email,
    )


def _actors_of(changes: list[StatusChange], builder: ProviderBuilder) -> list[Actor]:
    return [Actor.staff(c.actor) if c.actor is not None else builder.ctx.system() for c in changes]


def _chain(current, make, count: int) -> list[tuple]:
    """`count` earlier values, each replaced by the next, the last by the value held now."""
    values = [make() for _ in range(count)] + [current]
    return [(old, new) for old, new in pairwise(values) if old != new]


def _customer_edits(
    builder: ProviderBuilder, state: CustomerState, start: dt.datetime, end: dt.datetime
) -> list[Activity]:
    rng, customer = builder.rng, state.created()
    town = next((t for t in builder.spec.towns if t.name == customer.service_city), builder.spec.towns[0])
    entries = []
    for field, make, count in (
        ("phone", lambda: builder._phone(town, mobile=rng.random() < 0.5), rng.randint(5, 9)),
        ("email", lambda: builder._personal_email(*builder._person(), "example.net"), rng.randint(2, 4)),
    ):
        pairs = _chain(getattr(customer, field), make, count)
        for (old, new), moment in zip(pairs, _moments(builder, len(pairs), start, end), strict=True):
            actor = Actor.staff(builder.author("agent" if rng.random() < 0.7 else "billing"))
            label = field_label(Customer, field)
            entries.append(
                _entry(
                    customer,
                    actor,
                    "customer.updated",
                    f"Account edited: {label}",
                    moment,
                    subject=("customer", customer.pk),
                    details={field: [old, new]},
                )
            )
    # Billing address moves the customer made in self-service.
    primary = next(c for c in state.contacts if c.is_primary)
    as_customer = Actor.customer(
        builder.provider, contact_id=primary.pk, name=primary.name, email=primary.email
    )
    keys = ("line1", "line2", "city", "region", "postcode", "country")
    current = tuple(getattr(customer, f"billing_{k}") for k in keys)

    def earlier_address() -> tuple:
        address = builder._street_address(rng.choice(builder.spec.towns))
        return tuple(address[k] for k in keys)

    pairs = _chain(current, earlier_address, rng.randint(2, 5))
    for (old, new), moment in zip(pairs, _moments(builder, len(pairs), start, end), strict=True):
        details = {f"billing_{k}": [o, n] for k, o, n in zip(keys, old, new, strict=True) if o != n}
        entries.append(
            _entry(
                customer,
                as_customer,
                "customer.updated",
                "Billing address updated in self-service",
                moment,
                subject=("customer", customer.pk),
                details=details,
            )
        )
    return entries


def _contact_edits(
    builder: ProviderBuilder, state: CustomerState, start: dt.datetime, end: dt.datetime
) -> list[Activity]:
    rng = builder.rng
    primary = next(c for c in state.contacts if c.is_primary)
    town = builder.spec.towns[0]
    as_customer = Actor.customer(
        builder.provider, contact_id=primary.pk, name=primary.name, email=primary.email
    )
    pairs = _chain(primary.phone, lambda: builder._phone(town, mobile=True), rng.randint(3, 7))
    entries = []
    for (old, new), moment in zip(pairs, _moments(builder, len(pairs), start, end), strict=True):
        actor = as_customer if rng.random() < 0.5 else Actor.staff(builder.author("agent"))
        entries.append(
            _entry(
                state.created(),
                actor,
                "contact.updated",
                f"Contact edited: {primary.name}",
                moment,
                subject=("contact", primary.pk),
                details={"phone": [old, new]},
            )
        )
    return entries
