from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from accountdesk.activity.kinds import kind_of
from accountdesk.activity.listeners import notify
from accountdesk.activity.models import Activity, activity_chain_key
from accountdesk.audit.chain import chain_append, chain_extend
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.bulk import rows_insert
from accountdesk.core.details import plain_details

if TYPE_CHECKING:  # the activity log sits under customers
    from accountdesk.customers.models import Customer


def event_record(
    *,
    customer: Customer,
    actor: Actor,
    kind: str,
    summary: str,
    subject: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> Activity:
    """Append an entry to the customer's activity log. Call it inside the service's transaction."""
    assert transaction.get_connection().in_atomic_block, "event_record belongs inside the write"
    entry = event_entry(
        provider_id=customer.provider_id,
        customer_id=customer.pk,
        actor=actor,
        kind=kind,
        summary=summary,
        at=clock.now(),
        subject_type=(subject._meta.model_name or "") if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
    )
    entry.customer = customer
    entry.details = plain_details(details or {})
    entry.seq, entry.prev_hash, entry.hash = chain_append(
        activity_chain_key(customer.pk), entry.chained_content()
    )
    entry.save(force_insert=True)
    notify(entry)
    return entry


def event_entry(
    *,
    provider_id: int,
    customer_id: int,
    actor: Actor,
    kind: str,
    summary: str,
    at: dt.datetime,
    subject_type: str = "",
    subject_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> Activity:
    """The unsaved entry event_record writes: for event_bulk_record, which saves many at once."""
    return Activity(
        provider_id=provider_id,
        customer_id=customer_id,
        at=at,
        actor_type=actor.type,
        actor=actor.user,
        actor_name=actor.name,
        actor_email=actor.email,
        kind=kind,
        group=kind_of(kind).group,
        summary=summary[:300],
        subject_type=subject_type,
        subject_id=subject_id,
        details=details or {},
    )


@transaction.atomic
def event_bulk_record(entries: Iterable[Activity], *, batch_size: int = 2000) -> list[Activity]:
    """Save unsaved entries in bulk (the demo's years of history, benchmarks), each customer's in
    the given order, continuing that customer's hash chain as event_record would."""
    entries = list(entries)
    by_chain: dict[str, list[Activity]] = {}
    for entry in entries:
        entry.details = plain_details(entry.details or {})
        by_chain.setdefault(activity_chain_key(entry.customer_id), []).append(entry)
    links = chain_extend({key: [e.chained_content() for e in chain] for key, chain in by_chain.items()})
    for key, chain in by_chain.items():
        for entry, link in zip(chain, links[key], strict=True):
            entry.seq, entry.prev_hash, entry.hash = link
    ids = rows_insert(Activity, [_columns(entry) for entry in entries], ids=True, batch_size=batch_size)
    for entry, pk in zip(entries, ids, strict=True):
        entry.pk = pk
    return entries


_COLUMNS = [f.attname for f in Activity._meta.concrete_fields if not f.primary_key]


def _columns(entry: Activity) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in _COLUMNS}


def changed_fields(instance: models.Model, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply `new_values` to `instance`; return {field: [old, new]} for what really changed."""
    changes: dict[str, list[Any]] = {}
    for field, new in new_values.items():
        old = getattr(instance, field)
        if old != new:
            changes[field] = [old, new]
            setattr(instance, field, new)
    return changes
