"""Account fields as they stood at an instant, by undoing the activity log's edits since.

Every edit the services make is logged with {field: [old, new]} (activity.services.changed_fields).
Walking the entries written since the instant from the newest back and putting each old value back
gives the values as they were. An edit that did not record its old value cannot be undone: the
functions here then say what could not be rebuilt (`Unknown`) instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Q, QuerySet

from accountdesk.activity.models import Activity
from accountdesk.customers.models import Customer

# The groups whose entries change what the dashboard shows outside the money, and the billing
# kinds that change a billing section's rows (the rest of billing is rebuilt from the ledger).
GROUPS = ("account", "contacts", "subscriptions", "service_desk", "field_service")
BILLING_KINDS = (
    "billing.profile_updated",
    "payment_method.added",
    "payment_method.default_set",
    "payment_method.removed",
    "instalment.created",
    "instalment.billed",
)
CUSTOMER_FIELDS = ("name", "type", "email", "phone", "joined_on", "currency", "group", "account_manager")


# At most this many edits are undone: beyond, the oldest are not (and the dashboard says so).
EDITS_UNDONE = 5000


def entries_since(*, customer: Customer, since: dt.datetime) -> QuerySet[Activity]:
    """The customer's field-changing entries dated at or after `since`, newest first (on the
    by-group index: bounded by the edits since then rather than by the account's age)."""
    qs = Activity.objects.filter(provider_id=customer.provider_id, customer=customer, at__gte=since).filter(
        Q(group__in=GROUPS) | Q(group="billing", kind__in=BILLING_KINDS)
    )
    return qs.order_by("-at", "-id")[:EDITS_UNDONE]


class Edit(Protocol):
    """What the undoing reads of an entry (an Activity, or its columns alone)."""

    kind: str
    group: str
    subject_id: int | None
    details: Any


@dataclass
class Unknown:
    """What could not be put back, by section: {section: reason}."""

    reasons: dict[str, str] = field(default_factory=dict)

    def add(self, section: str, reason: str) -> None:
        self.reasons.setdefault(section, reason)


def _pair(value: Any) -> tuple[Any, Any] | None:
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1]
    return None


def customer_then(doc: dict[str, Any], entries: Sequence[Edit]) -> dict[str, Any]:
    """The customer_out() document with its edited fields put back (tags included; the status
    comes from the status history, not from here)."""
    doc = dict(doc)
    for entry in entries:
        if entry.kind == "customer.updated":
            for name, value in (entry.details or {}).items():
                pair = _pair(value)
                if name in CUSTOMER_FIELDS and pair is not None:
                    old = pair[0]
                    doc[name] = (
                        None if old in (None, "None") and name in ("group", "account_manager") else old
                    )
        elif entry.kind == "customer.tags_changed":
            pair = _pair((entry.details or {}).get("tags"))
            if pair is not None:
                doc["tags"] = sorted(pair[0] or [])
    if isinstance(doc.get("joined_on"), str):
        doc["joined_on"] = dt.date.fromisoformat(doc["joined_on"])
    return doc


def custom_values_then(values: dict[str, str | None], entries: Sequence[Edit]) -> dict[str, str | None]:
    """{field name: value} with every value set since put back (an empty old value: no value)."""
    values = dict(values)
    for entry in entries:
        if entry.kind != "customer.custom_field_set":
            continue
        for name, value in (entry.details or {}).items():
            pair = _pair(value)
            if pair is not None:
                values[name] = pair[0] or None
    return values


CONTACT_FIELDS = ("name", "title", "email", "phone", "is_primary", "primary_address")


def contacts_then(
    contacts: list[dict[str, Any]], entries: Sequence[Edit], unknown: Unknown
) -> list[dict[str, Any]]:
    """The contacts (dicts of CONTACT_FIELDS and id) as they were: those added since are taken out
    and edits are undone. A contact removed since, or a change of primary contact since, cannot be
    rebuilt (the log does not keep the other contact's side of it)."""
    rows = {c["id"]: dict(c) for c in contacts}
    for entry in entries:
        if entry.kind == "contact.added":
            rows.pop(entry.subject_id, None)
        elif entry.kind == "contact.removed":
            unknown.add("contacts", "A contact was removed since; its details are not kept.")
        elif entry.kind == "contact.updated" and entry.subject_id in rows:
            row = rows[entry.subject_id]
            for name, value in (entry.details or {}).items():
                pair = _pair(value)
                if name not in CONTACT_FIELDS or pair is None:
                    continue
                if name == "is_primary":
                    unknown.add("contacts", "The primary contact changed since.")
                row[name] = pair[0] if name != "primary_address" else (pair[0] or None)
    # Adding the first contact, or a primary one, moves the primary flag silently.
    added = any(e.kind == "contact.added" for e in entries)
    if added and rows and not any(r["is_primary"] for r in rows.values()):
        unknown.add("contacts", "The primary contact changed since.")
    return sorted(rows.values(), key=lambda r: (not r["is_primary"], r["id"]))


def subscriptions_then(rows: list[Any], entries: Sequence[Edit], unknown: Unknown) -> list[Any]:
    """The subscriptions (model instances, changed in memory only) as they were: those created
    since are taken out; status, price and next bill date changes are undone. A package change,
    a cancellation or a resumption since changed fields the log does not keep the old value of."""
    by_id = {s.pk: s for s in rows}
    for entry in entries:
        if entry.group != "subscriptions" or entry.subject_id not in by_id:
            continue
        sub = by_id[entry.subject_id]
        details = entry.details or {}
        if entry.kind == "subscription.created":
            del by_id[entry.subject_id]
            continue
        status = _pair(details.get("status"))
        if status is not None:
            sub.status = status[0]
        if entry.kind == "subscription.billed":
            sub.next_bill_on = dt.date.fromisoformat(details["from"])
        elif entry.kind == "subscription.changed":
            price = _pair(details.get("price"))
            if price is not None:
                sub.price = Decimal(price[0])
            if "package" in details:
                unknown.add("subscriptions", "A subscription moved to another package since.")
        elif entry.kind == "subscription.cancelled":
            sub.cancelled_on = None
            unknown.add("subscriptions", "A subscription was cancelled since; its end date then is not kept.")
        elif entry.kind == "subscription.resumed":
            unknown.add(
                "subscriptions", "A subscription was resumed since; its next bill date then is not kept."
            )
    return list(by_id.values())
