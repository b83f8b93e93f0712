"""The dashboard as it stood at the end of a past day: the same Dashboard, so the same page and
the same document, rebuilt from what the account keeps of its past.

- money (the metrics, and the balances the invoices had then): the ledger, through the monthly
  snapshots of history.money;
- the status: the status history; the account fields, tags, custom fields, contacts and
  subscriptions: today's values with every logged edit since put back (history.undo);
- invoices, payments, notes, tickets, usage alerts, manual alerts and activity: the rows dated by
  then;
- the billing profile, payment method, instalments and open jobs: today's rows when nothing has
  changed them since, and otherwise a note that the section cannot be rebuilt exactly.

A section that cannot be rebuilt exactly is named in `Dashboard.not_rebuilt` with the reason,
which the document and the page both show.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.db.models import Q

from accountdesk.activity.models import Activity
from accountdesk.billing.models import AccountSummary, Invoice, InvoiceStatus, Payment, PaymentKind
from accountdesk.core import clock
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.parse import parse_date
from accountdesk.core.tenancy import scoped_pk
from accountdesk.core.visibility import sees_money
from accountdesk.customers.models import (
    AlertDefinition,
    Customer,
    CustomerGroup,
    ManualAlert,
    StatusChange,
)
from accountdesk.customers.schemas import customer_out
from accountdesk.customers.selectors import alert_banners_from, frame_customer
from accountdesk.dashboard.selectors import (
    ACTIVITY,
    ADDRESS_FIELDS,
    NOTES,
    READS,
    RECENT,
    Dashboard,
    _ticket_as_note,
    _with_customer,
    dashboard_contacts,
    merge_notes,
)
from accountdesk.history.money import day_end, money_as_of
from accountdesk.history.undo import (
    Unknown,
    contacts_then,
    custom_values_then,
    customer_then,
    entries_since,
    subscriptions_then,
)
from accountdesk.notes.models import Note
from accountdesk.servicedesk.models import Ticket
from accountdesk.subscriptions.models import CURRENT_STATUSES, Subscription
from accountdesk.tenancy.models import User
from accountdesk.usage.models import UsageNotification

NOT_JOINED = "The customer had not joined by then."
IN_FUTURE = "Choose today or a day before."
# Every contact is read to rebuild the first few: a customer has a handful.
CONTACTS_READ = 200


def as_of_parse(raw: object) -> dt.date | None:
    """The day asked for, or None for today (no day, or today's date). A day after today is
    refused naming the field (dashboard_as_of refuses a day before the customer joined)."""
    if raw in (None, ""):
        return None
    day = parse_date(raw, field="as_of")
    today = clock.today()
    if day > today:
        raise ValidationFailed(IN_FUTURE, fields={"as_of": IN_FUTURE})
    return None if day == today else day


def _status_then(customer: Customer, end: dt.datetime) -> str | None:
    """The status the last change before `end` set; without one, the status the first change
    after it left (None: the account was entered with that status later than `end`); without
    any change, the status it has."""
    changes = StatusChange.objects.filter(customer=customer)
    before = changes.filter(at__lt=end).order_by("-at", "-id").values_list("new", flat=True).first()
    if before is not None:
        return before
    after = changes.order_by("at", "id").values_list("old", flat=True).first()
    if after is None:
        return customer.status
    return after or None


def _contact_rows(customer: Customer) -> list[dict[str, Any]]:
    rows = []
    for c in dashboard_contacts(customer=customer, limit=CONTACTS_READ):
        parts = [getattr(c, f"pa_{f}") or "" for f in ADDRESS_FIELDS]
        rows.append(
            {
                "id": c.pk,
                "name": c.name,
                "title": c.title,
                "email": c.email,
                "phone": c.phone,
                "is_primary": c.is_primary,
                "primary_address": ", ".join(p for p in parts if p) or None,
            }
        )
    return rows


def _contact_view(row: dict[str, Any]) -> SimpleNamespace:
    """A contact as the dashboard's template and document read one."""
    return SimpleNamespace(
        pk=row["id"],
        name=row["name"],
        title=row["title"],
        email=row["email"],
        phone=row["phone"],
        is_primary=row["is_primary"],
        primary_address_text=row["primary_address"],
    )


def _subscriptions_then(customer: Customer, entries: list[Activity], unknown: Unknown) -> list[Any]:
    touched = {e.subject_id for e in entries if e.group == "subscriptions" and e.subject_id}
    rows = list(
        Subscription.objects.filter(provider_id=customer.provider_id, customer=customer)
        .filter(Q(status__in=CURRENT_STATUSES) | Q(pk__in=touched))
        .select_related("package")
    )
    rows = subscriptions_then(rows, entries, unknown)
    current = [s for s in rows if s.status in CURRENT_STATUSES]
    current.sort(key=lambda s: (s.started_on, s.pk), reverse=True)
    return current


def _invoices_then(customer: Customer, end: dt.datetime, state) -> list[Invoice]:
    qs = (
        Invoice.objects.filter(provider_id=customer.provider_id, customer=customer, approved_at__lt=end)
        .filter(Q(voided_at__isnull=True) | Q(voided_at__gte=end))
        .order_by("-issued_on", "-id")[:RECENT]
    )
    invoices = list(qs)
    for invoice in invoices:
        invoice.status = InvoiceStatus.APPROVED
        invoice.balance = state.balance_of(invoice.pk)
    return invoices


def _payments_then(customer: Customer, day: dt.date, end: dt.datetime) -> list[Payment]:
    # Nothing is received after the day it is recorded: received_on bounds the index scan.
    qs = Payment.objects.filter(
        provider_id=customer.provider_id,
        customer=customer,
        kind=PaymentKind.PAYMENT,
        received_on__lte=day,
        created_at__lt=end,
    )
    return list(qs.order_by("-received_on", "-id")[:RECENT])


def _banners_then(
    customer: Customer, end: dt.datetime, tags: list[Any], custom: dict[str, str | None]
) -> list:
    rules = AlertDefinition.objects.filter(provider_id=customer.provider_id, is_active=True).values_list(
        "name", "level", "message", "rule", "value"
    )
    manual = ManualAlert.objects.filter(
        provider_id=customer.provider_id, customer=customer, created_at__lt=end
    ).filter(Q(dismissed_at__isnull=True) | Q(dismissed_at__gte=end))
    rows = [(*r, None, None) for r in rules]
    rows += [("", m.level, m.message, "", "", m.pk, m.created_at) for m in manual]
    values = [(name, value) for name, value in custom.items() if value]
    return alert_banners_from(rows, customer=customer, tags=tags, custom_values=values)


def _flag_unchanged(unknown: Unknown, entries: list[Activity]) -> None:
    """The sections read as today's rows: exact unless something changed them since."""
    kinds = {e.kind for e in entries}
    groups = {e.group for e in entries}
    if "billing.profile_updated" in kinds or "subscriptions" in groups:
        unknown.add("billing", "The billing profile or its next bill date changed since.")
    if kinds & {"payment_method.added", "payment_method.default_set", "payment_method.removed"}:
        unknown.add("payment_method", "The payment methods changed since.")
    if kinds & {"instalment.created", "instalment.billed"}:
        unknown.add("instalments", "The instalments changed since.")
    if "field_service" in groups:
        unknown.add("metrics.open_jobs", "Jobs changed since; the count shown is today's.")
    if "service_desk" in groups:
        unknown.add("service_requests", "Tickets changed since; their status shown is today's.")


def dashboard_as_of(
    *, user: User, customer_id: object, day: dt.date, include_tickets_in_notes: bool = False
) -> Dashboard:
    """The dashboard at the end of `day` (a past day; today is dashboard_get's), for this user.
    Raises NotFound for another provider's id, ValidationFailed for a day before the customer
    joined."""
    provider = user.provider
    shows_money = sees_money(user)
    include_tickets = include_tickets_in_notes and provider.has_module("service_desk")
    # Today's rows of what is rebuilt by undoing the edits since, or shown as today's when nothing
    # has changed it since.
    parts = {"customer", "tags", "custom_fields"}
    if provider.has_module("field_service"):
        parts.add("open_jobs")
    if shows_money:
        parts |= {"billing_profile", "payment_method"}
        if provider.has_module("instalments"):
            parts.add("instalments")
    read = READS.read(parts, provider_id=provider.pk, customer_id=scoped_pk(customer_id))
    customer = frame_customer(read=read, provider=provider)
    if day < customer.joined_on:
        raise ValidationFailed(NOT_JOINED, fields={"as_of": NOT_JOINED})
    end = day_end(day)
    unknown = Unknown()
    entries = entries_since(customer=customer, since=end)

    # The account: fields and tags put back, the status from its history.
    doc = customer_then(customer_out(customer, read.get("tags", [])), entries)
    status = _status_then(customer, end)
    if status is None:
        unknown.add("customer", "The account was entered later than this day; its status then is not known.")
        status = customer.status
    doc["status"] = status
    _apply_customer(customer, doc)
    tags = [SimpleNamespace(name=name) for name in doc["tags"]]

    custom = custom_values_then({d.name: d.value for d in read.get("custom_fields", [])}, entries)
    custom_fields = [
        {"definition": d, "name": d.name, "kind": d.kind, "value": custom.get(d.name)}
        for d in read.get("custom_fields", [])
    ]
    contacts = [_contact_view(r) for r in contacts_then(_contact_rows(customer), entries, unknown)[:3]]
    subscriptions = _subscriptions_then(customer, entries, unknown)
    _flag_unchanged(unknown, entries)

    tickets = None
    if provider.has_module("service_desk"):
        tickets = list(
            Ticket.objects.filter(provider_id=provider.pk, customer=customer, created_at__lt=end)
            .select_related("assignee")
            .order_by("-created_at", "-id")[:NOTES]
        )
    notes = list(
        Note.objects.filter(provider_id=provider.pk, customer=customer, created_at__lt=end).order_by(
            "-created_at", "-id"
        )[:NOTES]
    )
    activity = list(
        Activity.objects.filter(provider_id=provider.pk, customer=customer, at__lt=end).order_by(
            "-at", "-id"
        )[:ACTIVITY]
    )
    alerts = None
    if provider.has_module("usage"):
        alerts = list(
            UsageNotification.objects.filter(provider_id=provider.pk, customer=customer, sent_at__lt=end)
            .filter(Q(folded_into__isnull=True) | Q(folded_into__sent_at__gte=end))
            .order_by("-sent_at", "-id")[:RECENT]
        )
    open_job_rows = read.get("open_jobs")
    board = Dashboard(
        customer=customer,
        tags=tags,
        banners=_banners_then(customer, end, tags, custom),
        contacts=contacts,
        notes=merge_notes(notes, [_ticket_as_note(t) for t in tickets or []] if include_tickets else None),
        include_tickets_in_notes=include_tickets,
        activity=_with_customer(activity, customer),
        custom_fields=custom_fields,
        subscriptions=subscriptions[:RECENT],
        subscriptions_total=len(subscriptions),
        service_requests=None if tickets is None else tickets[:RECENT],
        alerts=alerts,
        open_jobs=None if open_job_rows is None else sum(n for (n,) in open_job_rows),
        viewer=user,
        shows_money=shows_money,
        today=day,
        as_of=day,
    )
    if shows_money:
        state = money_as_of(customer=customer, day=day)
        board.summary = AccountSummary(
            customer_id=customer.pk,
            total_due=state.total_due,
            account_credit=state.account_credit,
            ledger_balance=state.ledger_balance,
            lifetime_value=state.lifetime_value,
            earliest_open_due_on=state.earliest_open_due_on,
            open_invoice_count=len(state.open),
        )
        board.billing_profile = _first(read["billing_profile"])
        board.payment_method = _first(read.get("payment_method", []))
        board.recent_invoices = _invoices_then(customer, end, state)
        board.payments = _payments_then(customer, day, end)
        board.instalments = read.get("instalments")
    board.not_rebuilt = unknown.reasons
    board.customer_doc = doc
    return board


def _first(rows: list[Any]) -> Any:
    return rows[0] if rows else None


def _apply_customer(customer: Customer, doc: dict[str, Any]) -> None:
    """Show the account's fields then on the page's frame too (in memory only)."""
    for name in ("name", "type", "status", "email", "phone", "joined_on", "currency"):
        setattr(customer, name, doc[name])
    if doc["group"] is None:
        customer.group = None
    elif customer.group is None or customer.group.name != doc["group"]:
        customer.group = CustomerGroup(pk=-1, provider_id=customer.provider_id, name=doc["group"])
