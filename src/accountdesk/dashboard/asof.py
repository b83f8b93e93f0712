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
from collections.abc import Callable
from functools import partial
from types import SimpleNamespace
from typing import Any

from django.db.models import BigIntegerField, CharField, DateTimeField, Q, QuerySet, Value

from accountdesk.activity.models import Activity
from accountdesk.billing.models import AccountSummary, Invoice, InvoiceStatus, Payment, PaymentKind
from accountdesk.core import clock
from accountdesk.core.bundle import Bundle, Part
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.parse import parse_date
from accountdesk.core.tenancy import scoped_pk
from accountdesk.core.visibility import sees_money
from accountdesk.customers.models import (
    AlertDefinition,
    Contact,
    Customer,
    CustomerGroup,
    ManualAlert,
    StatusChange,
    Tag,
)
from accountdesk.customers.schemas import customer_out
from accountdesk.customers.selectors import CUSTOMER_IDS, alert_banners_from, customer_part, frame_customer
from accountdesk.dashboard.selectors import (
    ACTIVITY,
    ADDRESS_FIELDS,
    CONTACTS,
    NOTES,
    READS,
    RECENT,
    Dashboard,
    _ticket_as_note,
    _with_customer,
    dashboard_contacts,
    merge_notes,
)
from accountdesk.history.money import MoneyState, day_end, money_as_of
from accountdesk.history.undo import (
    EDITS_UNDONE,
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


def _contact_row(c: Contact) -> dict[str, Any]:
    parts = [getattr(c, f"pa_{f}") or "" for f in ADDRESS_FIELDS]
    return {
        "id": c.pk,
        "name": c.name,
        "title": c.title,
        "email": c.email,
        "phone": c.phone,
        "is_primary": c.is_primary,
        "primary_address": ", ".join(p for p in parts if p) or None,
    }


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


def _with_balances(invoices: list[Invoice], state: MoneyState, day: dt.date) -> list[Invoice]:
    """The invoices as they were then: approved, with that day's balance, overdue by that day."""
    for invoice in invoices:
        invoice.status = InvoiceStatus.APPROVED
        invoice.balance = state.balance_of(invoice.pk)
        # Templates ask is_overdue() without a day, which is today's: ask it of that day instead.
        invoice.is_overdue = partial(_overdue_on, invoice, day)  # type: ignore[method-assign]
    return invoices


def _overdue_on(invoice: Invoice, day: dt.date, today: dt.date | None = None) -> bool:
    return Invoice.is_overdue(invoice, today or day)


def _banner_rows(c: Customer, end: dt.datetime):
    """alert_banner_rows() as of `end`: the rules, and the manual alerts open then."""
    text = CharField()
    rules = (
        AlertDefinition.objects.filter(provider_id=c.provider_id, is_active=True)
        .order_by()
        .values_list(
            "name", "level", "message", "rule", "value",
            Value(None, output_field=BigIntegerField()), Value(None, output_field=DateTimeField()),
        )
    )  # fmt: skip
    manual = (
        ManualAlert.objects.filter(provider_id=c.provider_id, customer=c, created_at__lt=end)
        .filter(Q(dismissed_at__isnull=True) | Q(dismissed_at__gte=end))
        .order_by()
        .values_list(
            Value("", output_field=text), "level", "message", Value("", output_field=text),
            Value("", output_field=text), "id", "created_at",
        )
    )  # fmt: skip
    return rules.union(manual, all=True)


def _subscription_rows(c: Customer, end: dt.datetime):
    """Today's current subscriptions and every one changed since `end` (whose edits are undone)."""
    touched = (
        Activity.objects.filter(provider_id=c.provider_id, customer=c, group="subscriptions", at__gte=end)
        .order_by()
        .values("subject_id")
    )
    return (
        Subscription.objects.filter(provider_id=c.provider_id, customer=c)
        .filter(Q(status__in=CURRENT_STATUSES) | Q(pk__in=touched))
        .order_by("-started_on", "-id")
    )


def _then(query: Callable[[Customer, dt.datetime], QuerySet[Any, Any]], **options: Any) -> Part:
    """A part of AS_OF's statement: a query of the customer's rows as of the instant `end`."""
    return Part(
        lambda provider_id, customer_id, end: query(Customer(pk=customer_id, provider_id=provider_id), end),
        **options,
    )


def _today(part: Part) -> Part:
    """One of today's dashboard reads, in AS_OF's statement."""
    return Part(
        lambda provider_id, customer_id, end: part.query(provider_id=provider_id, customer_id=customer_id),
        related=part.related,
        annotations=part.annotations,
    )


def _at(model, field: str, limit: int) -> Callable[[Customer, dt.datetime], QuerySet[Any, Any]]:
    return lambda c, end: model._default_manager.filter(
        provider_id=c.provider_id, customer=c, **{f"{field}__lt": end}
    ).order_by(f"-{field}", "-id")[:limit]


# Every read of the dashboard as of the instant `end`, in one statement (core.bundle), besides the
# money (history.money): today's rows of what is rebuilt by undoing the edits since, or shown as
# today's when nothing has changed it since, and the rows dated before `end`.
AS_OF = Bundle(
    ids=CUSTOMER_IDS,
    instants=("end",),
    parts={
        **{
            name: _today(READS.parts[name])
            for name in (
                "customer",
                "tags",
                "custom_fields",
                "open_jobs",
                "billing_profile",
                "payment_method",
            )
        },
        "instalments": _today(READS.parts["instalments"]),
        "contacts": _today(
            customer_part(
                lambda c: dashboard_contacts(customer=c, limit=CONTACTS_READ),
                annotations=tuple(f"pa_{f}" for f in ADDRESS_FIELDS),
            )
        ),
        "edits": _then(
            lambda c, end: entries_since(customer=c, since=end).values_list(
                "kind", "group", "subject_id", "details"
            )
        ),
        "status_before": _then(
            lambda c, end: (
                StatusChange.objects.filter(provider_id=c.provider_id, customer=c, at__lt=end)
                .order_by("-at", "-id")
                .values_list("new")[:1]
            )
        ),
        "status_first": _today(
            customer_part(
                lambda c: (
                    StatusChange.objects.filter(provider_id=c.provider_id, customer=c)
                    .order_by("at", "id")
                    .values_list("old")[:1]
                )
            )
        ),
        "subscriptions": _then(_subscription_rows, related=("package",)),
        "tickets": _then(_at(Ticket, "created_at", NOTES), related=("assignee",)),
        "notes": _then(_at(Note, "created_at", NOTES)),
        "activity": _then(_at(Activity, "at", ACTIVITY)),
        "alerts": _then(
            lambda c, end: (
                UsageNotification.objects.filter(provider_id=c.provider_id, customer=c, sent_at__lt=end)
                .filter(Q(folded_into__isnull=True) | Q(folded_into__sent_at__gte=end))
                .order_by("-sent_at", "-id")[:RECENT]
            )
        ),
        "banners": _then(_banner_rows),
        "invoices": _then(
            lambda c, end: (
                Invoice.objects.filter(provider_id=c.provider_id, customer=c, approved_at__lt=end)
                .filter(Q(voided_at__isnull=True) | Q(voided_at__gte=end))
                .order_by("-issued_on", "-id")[:RECENT]
            )
        ),
        "payments": _then(
            lambda c, end: Payment.objects.filter(
                provider_id=c.provider_id, customer=c, kind=PaymentKind.PAYMENT, created_at__lt=end
            ).order_by("-received_on", "-id")[:RECENT]
        ),
    },
)


def _status_then(read: dict[str, list[Any]], customer: Customer) -> str | None:
    """The status the last change before the day's end set; without one, the status the first
    change after it left (None: the account was entered later, with that status); without any
    change, the status it has."""
    if read["status_before"]:
        return read["status_before"][0][0]
    if read["status_first"]:
        return read["status_first"][0][0] or None
    return customer.status


def _flag_unchanged(unknown: Unknown, entries: list[Any]) -> None:
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
    parts = {"customer", "tags", "custom_fields", "contacts", "edits", "status_before", "status_first"}
    parts |= {"subscriptions", "notes", "activity", "banners"}
    modules = {"field_service": "open_jobs", "service_desk": "tickets", "usage": "alerts"}
    parts |= {part for module, part in modules.items() if provider.has_module(module)}
    if shows_money:
        parts |= {"billing_profile", "payment_method", "invoices", "payments"}
        if provider.has_module("instalments"):
            parts.add("instalments")
    end = day_end(day)
    read = AS_OF.read(parts, provider_id=provider.pk, customer_id=scoped_pk(customer_id), end=end)
    customer = frame_customer(read=read, provider=provider)
    if day < customer.joined_on:
        raise ValidationFailed(NOT_JOINED, fields={"as_of": NOT_JOINED})
    unknown = Unknown()
    entries = [SimpleNamespace(kind=k, group=g, subject_id=s, details=d) for k, g, s, d in read["edits"]]
    if len(entries) == EDITS_UNDONE:
        unknown.add("customer", "Too many edits since to undo them all.")

    # The account: fields and tags put back, the status from its history.
    doc = customer_then(customer_out(customer, read["tags"]), entries)
    status = _status_then(read, customer)
    if status is None:
        unknown.add("customer", "The account was entered later than this day; its status then is not known.")
        status = customer.status
    doc["status"] = status
    _apply_customer(customer, doc)
    tags = [Tag(provider_id=provider.pk, name=name) for name in doc["tags"]]

    custom = custom_values_then({d.name: d.value for d in read["custom_fields"]}, entries)
    custom_fields = [
        {"definition": d, "name": d.name, "kind": d.kind, "value": custom.get(d.name)}
        for d in read["custom_fields"]
    ]
    contacts = contacts_then([_contact_row(c) for c in read["contacts"]], entries, unknown)
    subscriptions = [
        s for s in subscriptions_then(read["subscriptions"], entries, unknown) if s.status in CURRENT_STATUSES
    ]
    subscriptions.sort(key=lambda s: (s.started_on, s.pk), reverse=True)
    _flag_unchanged(unknown, entries)

    tickets = read.get("tickets")
    open_job_rows = read.get("open_jobs")
    values = [(name, value) for name, value in custom.items() if value]
    board = Dashboard(
        customer=customer,
        tags=tags,
        banners=alert_banners_from(read["banners"], customer=customer, tags=tags, custom_values=values),
        contacts=[_contact_view(r) for r in contacts[:CONTACTS]],
        notes=merge_notes(
            read["notes"], [_ticket_as_note(t) for t in tickets or []] if include_tickets else None
        ),
        include_tickets_in_notes=include_tickets,
        activity=_with_customer(read["activity"], customer),
        custom_fields=custom_fields,
        subscriptions=subscriptions[:RECENT],
        subscriptions_total=len(subscriptions),
        service_requests=None if tickets is None else tickets[:RECENT],
        alerts=read.get("alerts"),
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
        board.payment_method = _first(read["payment_method"])
        board.recent_invoices = _with_balances(read["invoices"], state, day)
        board.payments = read["payments"]
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
