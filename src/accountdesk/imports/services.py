"""Writing a customer import: all of the file or nothing.

`customers_import` checks the whole file first (imports.plan), inside the transaction that then
writes it, so a file with any problem writes nothing. New customers are written in bulk (the rows
of each table in batches, one activity entry per customer through event_bulk_record, each opening
balance as an approved opening invoice or an issued credit with its ledger entry and account
summary computed once), so a file of 100,000 customers takes a couple of minutes at most. Customers
already imported (matched by external id) are updated with what their row changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from collections.abc import Sequence as Seq
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.db import models, transaction
from django.db.models.functions import Length

from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import changed_fields, event_bulk_record, event_entry
from accountdesk.billing import ledger
from accountdesk.billing.models import (
    AccountSummary,
    BillingProfile,
    Credit,
    CreditOrigin,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LedgerEntry,
    LedgerKind,
    Terms,
)
from accountdesk.core import clock
from accountdesk.core.actors import Actor, ActorType
from accountdesk.core.bulk import rows_insert
from accountdesk.core.details import field_label
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.money import ZERO, to_str
from accountdesk.core.permissions import require
from accountdesk.core.security_log import settings_record
from accountdesk.customers.models import Contact, Customer, CustomFieldValue, Status, StatusChange
from accountdesk.customers.search_index import customer_search_refresh, search_text_of
from accountdesk.imports.plan import OPENING_DESCRIPTION, Device, ImportPlan, Problem, RowPlan, import_plan
from accountdesk.imports.reader import Table
from accountdesk.network.models import Equipment
from accountdesk.network.search import equipment_terms
from accountdesk.subscriptions.billable import profile_next_bill_sync
from accountdesk.subscriptions.models import Subscription, SubscriptionStatus
from accountdesk.tenancy.models import Provider, Sequence

BATCH = 2000
# Customers whose activity entries are chained at once (the chain heads are locked and moved per batch).
ACTIVITY_BATCH = 5000
PERMISSION = "provider.manage"

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


class ImportRefused(ValidationFailed):
    """The file has problems: nothing was imported. `problems` names each by row and column."""

    def __init__(self, problems: list[Problem]) -> None:
        rows = len({p.row for p in problems})
        message = (
            f"{len(problems):,} problem{'s' if len(problems) != 1 else ''} on {rows:,} "
            f"row{'s' if rows != 1 else ''}; nothing was imported."
        )
        super().__init__(message, fields={"file": message})
        self.problems = problems


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    opening_balances: int = 0
    subscriptions: int = 0
    equipment: int = 0
    customer_ids: list[int] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        return (
            f"{self.created:,} customers created, {self.updated:,} updated, {self.unchanged:,} unchanged; "
            f"{self.opening_balances:,} opening balances, {self.subscriptions:,} subscriptions and "
            f"{self.equipment:,} devices added."
        )


def _batches(items: Seq[T], size: int = BATCH) -> Iterator[Seq[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _import_lock(provider: Provider) -> Sequence:
    """The provider's customer number sequence, locked until the import commits: imports (and new
    customers) of one provider queue behind each other."""
    seq, _ = Sequence.objects.select_for_update().get_or_create(provider=provider, name="customer")
    return seq


def import_check(*, provider: Provider, table: Table, actor: Actor) -> ImportPlan:
    """A dry run: what the import would do, and every problem, with nothing written."""
    require(actor, PERMISSION)
    return import_plan(provider=provider, table=table)


@transaction.atomic
def customers_import(*, provider: Provider, table: Table, actor: Actor) -> ImportResult:
    """Import the file's customers, or refuse it whole (ImportRefused) when any row has a problem.

    `actor` (an admin, or the system for the command) must be allowed to; what the import writes is
    written by the system, each activity entry saying "import" (and naming who started it), and the
    import itself is one entry in the security log under `actor`."""
    require(actor, PERMISSION)
    sequence = _import_lock(provider)
    plan = import_plan(provider=provider, table=table)
    if not plan.ok:
        raise ImportRefused(plan.problems)
    writer = Actor.system(provider)
    started_by = {} if actor.type == ActorType.SYSTEM else {"imported_by": actor.name}
    result = ImportResult()
    new = [row for row in plan.rows if row.is_new]
    if new:
        _create(provider, new, sequence, writer, result, started_by)
    existing = [row for row in plan.rows if not row.is_new]
    if existing:
        _update(provider, existing, writer, result, started_by)
    settings_record(
        provider=provider,
        actor=actor,
        summary=f"Customers imported: {result.sentence}",
        new={"created": result.created, "updated": result.updated, "rows": len(plan.rows)},
    )
    return result


# ---------------------------------------------------------------------------- new customers


def _first_free_number(provider: Provider, sequence: Sequence) -> int:
    """The sequence's next value, past any C- number given outside it (the demo data, a restore)."""
    highest = (
        Customer.objects.filter(provider=provider, number__regex=r"^C-[0-9]+$")
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    return max(sequence.last_value, int(highest[2:]) if highest else 0) + 1


def _reserve(sequence: Sequence, first: int, count: int) -> None:
    sequence.last_value = first + count - 1
    sequence.save(update_fields=["last_value"])


def _create(
    provider: Provider,
    rows: list[RowPlan],
    sequence: Sequence,
    actor: Actor,
    result: ImportResult,
    started_by: dict[str, str],
) -> None:
    now, today = clock.now(), clock.today()
    first = _first_free_number(provider, sequence)
    _reserve(sequence, first, len(rows))
    network = provider.has_module("network")
    who = {
        "actor_type": actor.type,
        "actor_id": actor.user.pk if actor.user else None,
        "actor_name": actor.name,
    }
    base = {"provider_id": provider.pk}
    customers = []
    for offset, row in enumerate(rows):
        values: dict[str, Any] = {
            **base,
            "number": f"C-{first + offset:06d}",
            "external_id": row.external_id,
            "currency": provider.currency,
            "joined_on": today,
            "status": Status.ACTIVE,
            "created_at": now,
            "updated_at": now,
        }
        for name, value in row.fields.items():
            values["group_id" if name == "group" else name] = value.pk if name == "group" and value else value
        names = [c["name"] for c in row.contacts.values() if c and c.get("name")]
        extra = equipment_terms((d.mac, d.ip) for d in row.equipment) if network else []
        values["search_text"] = search_text_of(
            number=values["number"],
            name=values.get("name", ""),
            email=values.get("email", ""),
            phone=values.get("phone", ""),
            contact_names=names,
            extra=extra,
        )
        customers.append(values)
    ids = rows_insert(Customer, customers, ids=True)
    result.created = len(ids)
    result.customer_ids.extend(ids)
    pairs = list(zip(rows, ids, strict=True))
    numbers = {pk: c["number"] for pk, c in zip(ids, customers, strict=True)}
    statuses = {pk: c["status"] for pk, c in zip(ids, customers, strict=True)}

    rows_insert(
        StatusChange,
        [
            {
                **base,
                **who,
                "actor_email": actor.email,
                "customer_id": pk,
                "at": now,
                "old": "",
                "new": statuses[pk],
                "reason": "Imported",
            }
            for _, pk in pairs
        ],
    )
    rows_insert(
        CustomFieldValue,
        [
            {**base, "customer_id": pk, "definition_id": definition.pk, "value": value}
            for row, pk in pairs
            for definition, value in row.custom.values()
            if value
        ],
    )
    rows_insert(
        Contact,
        [
            {
                **base,
                "customer_id": pk,
                "is_primary": n == 1,
                "is_billing": False,
                "created_at": now,
                "name": "",
                "title": "",
                "email": "",
                "phone": "",
                **contact,
            }
            for row, pk in pairs
            for n, contact in sorted(row.contacts.items())
            if contact
        ],
    )
    subscriptions = [
        {
            **base,
            "customer_id": pk,
            "package_id": s.package.pk,
            "price": s.price,
            "started_on": s.started_on,
            "next_bill_on": s.started_on,
            "created_at": now,
            "updated_at": now,
            "status": SubscriptionStatus.PENDING if s.started_on > today else SubscriptionStatus.ACTIVE,
        }
        for row, pk in pairs
        for s in row.subscriptions
    ]
    rows_insert(Subscription, subscriptions)
    result.subscriptions += len(subscriptions)
    rows_insert(
        BillingProfile,
        [
            {
                **base,
                "customer_id": pk,
                "currency": provider.currency,
                "updated_at": now,
                **row.profile,
                "next_bill_date": min((s.started_on for s in row.subscriptions), default=None),
            }
            for row, pk in pairs
        ],
    )
    devices = [
        {
            **base,
            "customer_id": pk,
            "name": d.name,
            "device_type_id": d.device_type.pk if d.device_type else None,
            "mac": d.mac,
            "ip": d.ip,
            "created_at": now,
        }
        for row, pk in pairs
        for d in row.equipment
    ]
    rows_insert(Equipment, devices)
    result.equipment += len(devices)
    result.opening_balances += _openings_bulk(
        provider, [(row, pk) for row, pk in pairs if row.opening], actor, now, today
    )

    entries = []
    for row, pk in pairs:
        details: dict[str, Any] = {"external_id": row.external_id, **started_by}
        summary = f"Customer {numbers[pk]} created by import"
        if row.opening:
            details["opening_balance"] = to_str(row.opening)
            summary += f", opening balance {amount_slot('opening_balance')}"
        if row.subscriptions:
            details["packages"] = [s.package.name for s in row.subscriptions]
        entries.append(_activity(provider, pk, actor, "customer.imported", summary, details, now))
    for batch in _batches(entries, ACTIVITY_BATCH):
        event_bulk_record(batch, batch_size=BATCH)


def _device(customer: Customer, device: Device, now: dt.datetime) -> Equipment:
    return Equipment(
        provider_id=customer.provider_id,
        customer=customer,
        name=device.name,
        device_type=device.device_type,
        mac=device.mac,
        ip=device.ip,
        created_at=now,
    )


def _activity(
    provider: Provider,
    customer_id: int,
    actor: Actor,
    kind: str,
    summary: str,
    details: dict[str, Any],
    now: dt.datetime,
) -> Activity:
    return event_entry(
        provider_id=provider.pk, customer_id=customer_id, actor=actor, kind=kind, summary=summary, at=now,
        subject_type="customer", subject_id=customer_id, details=details,
    )  # fmt: skip


def _opening_invoice(
    customer_id: int, row: RowPlan, number: int, now: dt.datetime, today: dt.date
) -> dict[str, Any]:
    assert row.opening is not None
    return {
        "customer_id": customer_id,
        "number": f"INV-{number:06d}",
        "status": InvoiceStatus.APPROVED,
        "issued_on": today,
        "due_on": row.opening_due or today,
        "terms": Terms.DUE_ON_RECEIPT,
        "total": row.opening,
        "balance": row.opening,
        "memo": "Opening balance brought from the previous system",
        "source_key": f"opening:{customer_id}",
        "approved_at": now,
        "created_at": now,
    }


def _opening_line(invoice_id: int, amount: Decimal) -> dict[str, Any]:
    return {
        "invoice_id": invoice_id,
        "position": 0,
        "description": OPENING_DESCRIPTION,
        "quantity": Decimal(1),
        "unit_price": amount,
        "tax_rate": ZERO,
        "net": amount,
        "tax": ZERO,
    }


def _opening_credit(
    customer_id: int, amount: Decimal, actor: Actor, now: dt.datetime, today: dt.date, *, remaining: Decimal
) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "issued_on": today,
        "amount": amount,
        "remaining": remaining,
        "refunded": ZERO,
        "reason": OPENING_DESCRIPTION,
        "origin": CreditOrigin.ISSUED,
        "actor_type": actor.type,
        "actor_id": actor.user.pk if actor.user else None,
        "actor_name": actor.name,
        "created_at": now,
    }


def _invoice_numbers(provider: Provider, count: int) -> int:
    """Reserve `count` invoice numbers; the first of them."""
    sequence, _ = Sequence.objects.select_for_update().get_or_create(provider=provider, name="invoice")
    first = sequence.last_value + 1
    _reserve(sequence, first, count)
    return first


def _openings_bulk(
    provider: Provider, pairs: list[tuple[RowPlan, int]], actor: Actor, now: dt.datetime, today: dt.date
) -> int:
    """New customers' opening balances: what is owed as an approved opening invoice, credit as an
    issued credit; one ledger entry each and the account summary it leaves."""
    base = {"provider_id": provider.pk}
    owed = [(row, pk) for row, pk in pairs if row.opening and row.opening > 0]
    credit = [(row, pk, -row.opening) for row, pk in pairs if row.opening and row.opening < 0]
    first = _invoice_numbers(provider, len(owed)) if owed else 0
    invoices = [
        {**base, **_opening_invoice(pk, row, first + i, now, today)} for i, (row, pk) in enumerate(owed)
    ]
    invoice_ids = rows_insert(Invoice, invoices, ids=True)
    rows_insert(
        InvoiceLine,
        [{**base, **_opening_line(pk, i["total"])} for pk, i in zip(invoice_ids, invoices, strict=True)],
    )
    credit_ids = rows_insert(
        Credit,
        [
            {**base, **_opening_credit(pk, amount, actor, now, today, remaining=amount)}
            for _, pk, amount in credit
        ],
        ids=True,
    )
    entries = [
        (i["customer_id"], LedgerKind.INVOICE_APPROVED, i["total"], "invoice", pk, i["due_on"])
        for pk, i in zip(invoice_ids, invoices, strict=True)
    ] + [
        (customer_id, LedgerKind.CREDIT_ISSUED, -amount, "credit", pk, None)
        for pk, (_, customer_id, amount) in zip(credit_ids, credit, strict=True)
    ]
    entry_ids = rows_insert(
        LedgerEntry,
        [
            {
                **base,
                "customer_id": customer_id,
                "at": now,
                "kind": kind,
                "description": OPENING_DESCRIPTION,
                "amount": amount,
                "running_balance": amount,
                "subject_type": subject,
                "subject_id": subject_id,
            }
            for customer_id, kind, amount, subject, subject_id, _ in entries
        ],
        ids=True,
    )
    rows_insert(
        AccountSummary,
        [
            {
                **base,
                "customer_id": customer_id,
                "ledger_balance": amount,
                "total_due": max(amount, ZERO),
                "account_credit": max(-amount, ZERO),
                "lifetime_value": ZERO,
                "open_invoice_count": 1 if amount > 0 else 0,
                "earliest_open_due_on": due,
                "last_entry_id": entry_id,
                "last_entry_at": now,
            }
            for entry_id, (customer_id, _, amount, _, _, due) in zip(entry_ids, entries, strict=True)
        ],
    )
    return len(entries)


# ---------------------------------------------------------------------------- customers imported before


def _locked(rows: list[RowPlan]) -> dict[int, Customer]:
    """The rows' customers, read again and locked for the rest of the transaction."""
    ids = [row.customer.pk for row in rows if row.customer]
    found: dict[int, Customer] = {}
    for batch in _batches(ids, 5000):
        qs = (
            Customer.objects.select_for_update(of=("self",))
            .filter(pk__in=batch)
            .select_related("provider", "group")
        )
        found.update((c.pk, c) for c in qs)
    return found


def _by_customer(model: type[M], ids: list[int], **filters: Any) -> dict[int, list[M]]:
    grouped: dict[int, list[M]] = defaultdict(list)
    for batch in _batches(ids, 5000):
        for item in model._default_manager.filter(customer_id__in=batch, **filters).order_by("id"):
            grouped[cast(Any, item).customer_id].append(item)
    return grouped


class _Changes:
    """What one customer's row changed, for its activity entry."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.details: dict[str, Any] = {}
        self.search = False  # the customer's search text must be refreshed

    def add(self, label: str, detail_key: str, value: Any) -> None:
        self.labels.append(label)
        self.details[detail_key] = value


def _update(
    provider: Provider, rows: list[RowPlan], actor: Actor, result: ImportResult, started_by: dict[str, str]
) -> None:
    now = clock.now()
    customers = _locked(rows)
    ids = list(customers)
    custom = _by_customer(CustomFieldValue, ids)
    contacts = _by_customer(Contact, ids)
    profiles = {
        p.customer_id: p
        for batch in _batches(ids, 5000)
        for p in BillingProfile.objects.filter(customer_id__in=batch)
    }
    subscriptions = _by_customer(
        Subscription, ids, status__in=[s for s in SubscriptionStatus.values if s != "cancelled"]
    )
    equipment = _by_customer(Equipment, ids)
    entries, touched_bills = [], []
    for row in rows:
        assert row.customer is not None
        customer = customers[row.customer.pk]
        changes = _Changes()
        _customer_fields(customer, row, changes, actor, now)
        _custom_values(customer, row, custom.get(customer.pk, []), changes)
        _contacts(customer, row, contacts.get(customer.pk, []), changes)
        _profile(customer, row, profiles.get(customer.pk), changes)
        if _subscriptions(customer, row, subscriptions.get(customer.pk, []), changes, result):
            touched_bills.append(customer)
        _equipment(customer, row, equipment.get(customer.pk, []), changes, now, result)
        if row.opening:
            _opening_post(customer, row, actor)
            result.opening_balances += 1
            changes.add("opening balance", "opening_balance", to_str(row.opening))
        if not changes.labels:
            result.unchanged += 1
            continue
        result.updated += 1
        result.customer_ids.append(customer.pk)
        if changes.search:
            customer_search_refresh(customer)
        summary = "Updated by import: " + ", ".join(changes.labels)
        changes.details.update(started_by)
        entries.append(
            _activity(provider, customer.pk, actor, "customer.import_updated", summary, changes.details, now)
        )
    for customer in touched_bills:
        profile_next_bill_sync(customer=customer)
    for batch in _batches(entries, ACTIVITY_BATCH):
        event_bulk_record(batch, batch_size=BATCH)


SEARCHED = {"name", "email", "phone"}


def _customer_fields(
    customer: Customer, row: RowPlan, changes: _Changes, actor: Actor, now: dt.datetime
) -> None:
    values = dict(row.fields)
    status = values.pop("status", None)
    found = changed_fields(customer, values)
    # An archived account stays archived: restoring it is a person's call (Restore on its page).
    if status is not None and status != customer.status and customer.status != Status.ARCHIVED:
        StatusChange.objects.create(
            provider_id=customer.provider_id,
            customer=customer,
            at=now,
            old=customer.status,
            new=status,
            reason="Changed by import",
            actor_type=actor.type,
            actor=actor.user,
            actor_name=actor.name,
            actor_email=actor.email,
        )
        found["status"] = [customer.status, status]
        customer.status = status
    if not found:
        return
    customer.save(update_fields=[*found, "updated_at"])
    for name, pair in found.items():
        changes.add(
            field_label(Customer, name).lower(), name, [str(v) if v is not None else None for v in pair]
        )
    changes.search |= bool(SEARCHED & set(found))


def _custom_values(
    customer: Customer, row: RowPlan, stored: list[CustomFieldValue], changes: _Changes
) -> None:
    have = {v.definition_id: v for v in stored}
    for definition_id, (definition, value) in row.custom.items():
        current = have.get(definition_id)
        old = current.value if current else ""
        if old == value:
            continue
        if current is None:
            CustomFieldValue.objects.create(
                provider_id=customer.provider_id, customer=customer, definition=definition, value=value
            )
        elif value == "":
            current.delete()
        else:
            current.value = value
            current.save(update_fields=["value"])
        changes.add(definition.name, definition.name, [old, value])


def _contacts(customer: Customer, row: RowPlan, stored: list[Contact], changes: _Changes) -> None:
    primary = next((c for c in stored if c.is_primary), None)
    others = [c for c in stored if not c.is_primary]
    for n, wanted in sorted(row.contacts.items()):
        if not wanted:
            continue  # empty cells remove no contact
        current = primary if n == 1 else (others[n - 2] if len(others) > n - 2 else None)
        label = "primary contact" if n == 1 else f"contact {n}"
        if current is None:
            Contact.objects.create(
                provider_id=customer.provider_id, customer=customer, is_primary=n == 1, **wanted
            )
            changes.add(label, label, wanted)
            changes.search = True
            continue
        found = changed_fields(current, wanted)
        if found:
            current.save(update_fields=list(found))
            changes.add(label, label, found)
            changes.search |= "name" in found


def _profile(customer: Customer, row: RowPlan, profile: BillingProfile | None, changes: _Changes) -> None:
    if not row.profile:
        return
    if profile is None:
        profile = BillingProfile(
            provider_id=customer.provider_id, customer=customer, currency=customer.currency
        )
        found = changed_fields(profile, row.profile)
        profile.save()
    else:
        found = changed_fields(profile, row.profile)
        if found:
            profile.save(update_fields=[*found, "updated_at"])
    if found:
        changes.add("billing profile", "billing_profile", found)


def _subscriptions(
    customer: Customer, row: RowPlan, current: list[Subscription], changes: _Changes, result: ImportResult
) -> bool:
    """Subscribe to the packages the customer has no current subscription to; a changed price on
    one it has is set. True when a new subscription moves the next bill date."""
    by_package = {s.package_id: s for s in current}
    added = False
    today = clock.today()
    for wanted in row.subscriptions:
        existing = by_package.get(wanted.package.pk)
        if existing is not None:
            if existing.price != wanted.price:
                changes.add(
                    f"{wanted.package.name} price",
                    f"price of {wanted.package.name}",
                    [to_str(existing.price), to_str(wanted.price)],
                )
                existing.price = wanted.price
                existing.save(update_fields=["price", "updated_at"])
            continue
        status = SubscriptionStatus.PENDING if wanted.started_on > today else SubscriptionStatus.ACTIVE
        by_package[wanted.package.pk] = Subscription.objects.create(
            provider_id=customer.provider_id,
            customer=customer,
            package=wanted.package,
            status=status,
            started_on=wanted.started_on,
            price=wanted.price,
            next_bill_on=wanted.started_on,
        )
        BillingProfile.objects.get_or_create(
            customer=customer, defaults={"provider_id": customer.provider_id, "currency": customer.currency}
        )
        changes.add(
            f"subscribed to {wanted.package.name}",
            f"subscribed to {wanted.package.name}",
            to_str(wanted.price),
        )
        result.subscriptions += 1
        added = True
    return added


def _equipment(
    customer: Customer,
    row: RowPlan,
    stored: list[Equipment],
    changes: _Changes,
    now: dt.datetime,
    result: ImportResult,
) -> None:
    by_mac = {e.mac: e for e in stored if e.mac}
    by_name = {e.name.lower(): e for e in stored if not e.mac}
    for device in row.equipment:
        current = by_mac.get(device.mac) if device.mac else by_name.get(device.name.lower())
        if current is None:
            _device(customer, device, now).save()
            changes.add(
                f"equipment {device.name}", f"equipment {device.mac or device.name}", device.mac or device.ip
            )
            changes.search = True
            result.equipment += 1
            continue
        found = changed_fields(
            current,
            {
                "name": device.name,
                "device_type_id": device.device_type.pk if device.device_type else None,
                "ip": device.ip,
            },
        )
        if found:
            current.save(update_fields=list(found))
            changes.add(
                f"equipment {device.name}",
                f"equipment {device.mac or device.name}",
                {k: [str(v) if v is not None else None for v in pair] for k, pair in found.items()},
            )
            changes.search |= "ip" in found


def _opening_post(customer: Customer, row: RowPlan, actor: Actor) -> None:
    """An opening balance for a customer imported before without one, through the books."""
    amount = row.opening
    assert amount is not None
    books = ledger.books_open(customer)
    now, today = clock.now(), clock.today()
    base = {"provider_id": customer.provider_id}
    if amount > 0:
        values = _opening_invoice(customer.pk, row, _invoice_numbers(customer.provider, 1), now, today)
        invoice = Invoice.objects.create(**base, **{**values, "balance": ZERO})
        InvoiceLine.objects.create(**base, **_opening_line(invoice.pk, amount))
        ledger.invoice_balance_move(books, invoice, amount)
        ledger.post(
            books,
            kind=LedgerKind.INVOICE_APPROVED,
            amount=amount,
            description=OPENING_DESCRIPTION,
            subject=invoice,
        )
    else:
        credit = Credit(**base, **_opening_credit(customer.pk, -amount, actor, now, today, remaining=ZERO))
        ledger.credit_move(books, credit, -amount)
        ledger.post(
            books,
            kind=LedgerKind.CREDIT_ISSUED,
            amount=amount,
            description=OPENING_DESCRIPTION,
            subject=credit,
        )
    ledger.books_close(books)
