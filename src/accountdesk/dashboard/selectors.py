"""The customer dashboard: every section, read once, for the page and the JSON document alike.

Each section is one bounded read on an indexed "most recent N" (or shares one), so the cost does
not grow with the account's history, and all of them travel in one statement (see READS).
Sections of modules the provider lacks are None and are not read; sections the user's role may
not see are left out and not read either.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import F, FilteredRelation, Model, Q, QuerySet

from accountdesk.activity.selectors import activity_recent
from accountdesk.billing import selectors as billing
from accountdesk.billing.explain import EXPLAINERS
from accountdesk.billing.models import AccountSummary, BillingProfile, PaymentMethod, account_is_current
from accountdesk.core import clock
from accountdesk.core.bundle import Bundle
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.explain import Explanation
from accountdesk.core.tenancy import get_scoped, require_module, scoped_pk
from accountdesk.core.visibility import sees_money
from accountdesk.customers.models import Contact, Customer, CustomFieldDefinition
from accountdesk.customers.selectors import (
    CUSTOMER_IDS,
    FRAME_PARTS,
    customer_part,
    frame_banners,
    frame_customer,
)
from accountdesk.dunning.models import DunningState
from accountdesk.fieldservice.selectors import job_open_count, job_open_explain
from accountdesk.notes.models import Note
from accountdesk.notes.selectors import note_recent
from accountdesk.servicedesk.models import Ticket
from accountdesk.servicedesk.selectors import ticket_recent
from accountdesk.subscriptions.selectors import subscription_current
from accountdesk.tenancy.models import Provider, User
from accountdesk.usage.selectors import usage_notification_recent

RECENT = 3
CONTACTS = 3
NOTES = 5
ACTIVITY = 8


@dataclass
class NoteRow:
    """A line of the dashboard's notes section: a note, or (when asked) a service desk ticket."""

    id: int
    kind: str  # "note" | "ticket"
    created_at: dt.datetime
    author: str
    excerpt: str
    number: str = ""


@dataclass
class Dashboard:
    customer: Customer
    tags: list[Any]
    banners: list[Any]
    contacts: list[Any]
    notes: list[NoteRow]
    include_tickets_in_notes: bool
    activity: list[Any]
    custom_fields: list[dict[str, Any]]
    subscriptions: list[Any]
    subscriptions_total: int
    service_requests: list[Any] | None
    alerts: list[Any] | None
    open_jobs: int | None
    viewer: User
    shows_money: bool
    # Financial sections: only for roles that see money (None otherwise).
    summary: AccountSummary | None = None
    billing_profile: BillingProfile | None = None
    payment_method: PaymentMethod | None = None
    recent_invoices: list[Any] | None = None
    payments: list[Any] | None = None
    instalments: list[Any] | None = field(default=None)
    # Where the customer stands in collections (None: never been): read with the key metrics.
    dunning: DunningState | None = None
    today: dt.date = field(default_factory=clock.today)
    # As of a past day (dashboard.asof): the day, the sections not rebuilt exactly {section: why},
    # and the account's document as it was then.
    as_of: dt.date | None = None
    not_rebuilt: dict[str, str] = field(default_factory=dict)
    customer_doc: dict[str, Any] | None = None

    @property
    def collections_badge(self) -> tuple[str, str] | None:
        return self.dunning.badge(self.today) if self.dunning is not None else None

    @property
    def account_current(self) -> bool:
        return account_is_current(self.summary, self.today)


M = TypeVar("M", bound=Model)


def _one_row(model: type[M]) -> Callable[[Customer], QuerySet[M, M]]:
    return lambda c: model._default_manager.filter(provider_id=c.provider_id, customer=c).order_by("pk")[:1]


ADDRESS_FIELDS = ("line1", "line2", "city", "region", "postcode", "country")


def dashboard_contacts(*, customer: Customer, limit: int = CONTACTS) -> QuerySet[Contact]:
    """Up to `limit` contacts, the primary first, each with its primary address."""
    return (
        Contact.objects.filter(provider_id=customer.provider_id, customer=customer)
        .annotate(pa=FilteredRelation("addresses", condition=Q(addresses__is_primary=True)))
        .annotate(**{f"pa_{f}": F(f"pa__{f}") for f in ADDRESS_FIELDS})
        .order_by("-is_primary", "id")[:limit]
    )


def dashboard_custom_fields(*, customer: Customer) -> QuerySet[CustomFieldDefinition]:
    """The custom fields flagged "show on overview", each with this customer's `value`."""
    return (
        CustomFieldDefinition.objects.filter(provider_id=customer.provider_id, show_on_overview=True)
        .annotate(v=FilteredRelation("values", condition=Q(values__customer=customer)))
        .annotate(value=F("v__value"))
        .order_by("position", "id")
    )


# Every section's read, in one statement (see core.bundle): a dashboard costs one round trip
# whatever its sections, and a section the user may not see or a module the provider lacks is
# simply not part of it.
READS = Bundle(
    ids=CUSTOMER_IDS,
    parts={
        **FRAME_PARTS,  # the customer, its tags and banners, as every customer page reads them
        "contacts": customer_part(
            lambda c: dashboard_contacts(customer=c), annotations=tuple(f"pa_{f}" for f in ADDRESS_FIELDS)
        ),
        "custom_fields": customer_part(lambda c: dashboard_custom_fields(customer=c), annotations=("value",)),
        "activity": customer_part(lambda c: activity_recent(customer=c, limit=ACTIVITY)),
        # One ticket read serves the service requests (3) and, when asked, the notes (5).
        "tickets": customer_part(lambda c: ticket_recent(customer=c, limit=NOTES), related=("assignee",)),
        "alerts": customer_part(lambda c: usage_notification_recent(customer=c, limit=RECENT)),
        "notes": customer_part(lambda c: note_recent(customer=c, limit=NOTES)),
        "subscriptions": customer_part(
            lambda c: subscription_current(customer=c, limit=RECENT),
            related=("package",),
            annotations=("current_total",),
        ),
        "open_jobs": customer_part(lambda c: job_open_count(customer=c)),
        "summary": customer_part(_one_row(AccountSummary)),
        "dunning": customer_part(_one_row(DunningState)),
        "billing_profile": customer_part(_one_row(BillingProfile)),
        "payment_method": customer_part(lambda c: billing.payment_method_default(customer=c)),
        "invoices": customer_part(lambda c: billing.invoice_recent_approved(customer=c, limit=RECENT)),
        "payments": customer_part(lambda c: billing.payment_recent(customer=c, limit=RECENT)),
        "instalments": customer_part(lambda c: billing.instalment_recent(customer=c, limit=RECENT)),
    },
)


def merge_notes(notes: list[Any], tickets: list[dict[str, Any]] | None, limit: int = NOTES) -> list[NoteRow]:
    """Notes and tickets in one list[Any] by date, newest first; at the same instant a note comes
    before a ticket, and within a kind the higher id first."""
    rows = [NoteRow(n.pk, "note", n.created_at, n.author_name, n.excerpt) for n in notes]
    for t in tickets or []:
        rows.append(NoteRow(t["id"], "ticket", t["created_at"], t["author"], t["subject"], t["number"]))
    rows.sort(key=lambda r: (r.created_at, r.kind == "note", r.id), reverse=True)
    return rows[:limit]


SECTIONS = (
    "banners",
    "summary",
    "metrics",
    "alerts",
    "payment_method",
    "billing",
    "contacts",
    "subscriptions",
    "invoices",
    "instalments",
    "payments",
    "service_requests",
    "notes",
    "activity",
)
MONEY_SECTIONS = {"payment_method", "billing", "invoices", "instalments", "payments"}


def _parts(want: set[str], provider: Provider, *, shows_money: bool, include_tickets: bool) -> set[str]:
    """The bundle parts the wanted sections read, for this provider's modules."""
    parts = {"customer"}
    if want & {"banners", "summary"}:
        parts.add("tags")
    if "banners" in want:
        parts.add("custom_values")
    if "summary" in want:
        parts.add("custom_fields")
    if "metrics" in want and provider.has_module("field_service"):
        parts.add("open_jobs")
    if "alerts" in want and provider.has_module("usage"):
        parts.add("alerts")
    if provider.has_module("service_desk") and ("service_requests" in want or include_tickets):
        parts.add("tickets")
    parts |= want & {"banners", "contacts", "activity", "notes", "subscriptions"}
    if shows_money:
        parts |= {"summary", "billing_profile"} | (want & {"payment_method", "invoices", "payments"})
        if "metrics" in want:
            parts.add("dunning")
        if "instalments" in want and provider.has_module("instalments"):
            parts.add("instalments")
    return parts


def _with_customer(entries: list[Any], customer: Customer) -> list[Any]:
    """Activity entries that know their customer (its currency shows their amounts), for free."""
    for entry in entries:
        entry.customer = customer
    return entries


def dashboard_get(
    *,
    user: User,
    customer_id: object,
    include_tickets_in_notes: bool = False,
    sections: set[str] | None = None,
) -> Dashboard:
    """What the dashboard shows, for this user: every section, or only `sections` (a refresh after
    an action reads just what it changed), in one statement. Raises NotFound for another
    provider's id."""
    want = set(SECTIONS if sections is None else sections)
    provider = user.provider
    shows_money = sees_money(user)
    if not shows_money:
        want -= MONEY_SECTIONS
    include_tickets = include_tickets_in_notes and provider.has_module("service_desk") and "notes" in want
    parts = _parts(want, provider, shows_money=shows_money, include_tickets=include_tickets)
    read = READS.read(parts, provider_id=provider.pk, customer_id=scoped_pk(customer_id))
    customer = frame_customer(read=read, provider=provider)
    tags = read.get("tags", [])
    tickets = read.get("tickets")
    open_job_rows = read.get("open_jobs")
    subscriptions = read.get("subscriptions", [])
    board = Dashboard(
        customer=customer,
        tags=tags,
        banners=frame_banners(read=read, customer=customer) if "banners" in read else [],
        contacts=[_with_address_text(c) for c in read.get("contacts", [])],
        notes=[],
        include_tickets_in_notes=include_tickets,
        activity=_with_customer(read.get("activity", []), customer),
        custom_fields=[
            {"definition": d, "name": d.name, "kind": d.kind, "value": d.value}
            for d in read.get("custom_fields", [])
        ],
        subscriptions=subscriptions,
        subscriptions_total=subscriptions[0].current_total if subscriptions else 0,
        service_requests=tickets[:RECENT] if "service_requests" in want and tickets is not None else None,
        alerts=read.get("alerts"),
        open_jobs=None if open_job_rows is None else sum(n for (n,) in open_job_rows),
        viewer=user,
        shows_money=shows_money,
    )
    if "notes" in want:
        ticket_rows = [_ticket_as_note(t) for t in tickets or []] if include_tickets else None
        board.notes = merge_notes(read["notes"], ticket_rows)
    if shows_money:
        board.summary = _first(read["summary"])
        board.billing_profile = _first(read["billing_profile"])
        board.payment_method = _first(read.get("payment_method", []))
        board.recent_invoices = read.get("invoices")
        board.payments = read.get("payments")
        board.instalments = read.get("instalments")
        board.dunning = _first(read.get("dunning", []))
    return board


def _first(rows: list[Any]) -> Any:
    return rows[0] if rows else None


def _with_address_text(contact: Contact) -> Contact:
    parts = [getattr(contact, f"pa_{f}") or "" for f in ADDRESS_FIELDS]
    contact.primary_address_text = ", ".join(p for p in parts if p) or None  # type: ignore[attr-defined]
    return contact


def _ticket_as_note(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "subject": ticket.subject,
        "created_at": ticket.created_at,
        "author": ticket.created_by_name,
    }


# ---- For the page's dialogs (not the document): reading one note, and whom a job may go to.


def dashboard_note(*, customer: Customer, note_id: object) -> Note:
    """One note of this customer, for the notes section's "open the note" dialog; another
    customer's or provider's note is not found."""
    return get_scoped(Note.objects.filter(customer=customer), provider=customer.provider_id, pk=note_id)


# ---- The key metrics, explained (the panel behind each figure, and the API's /explain).

METRICS = ("total_due", "account_credit", "lifetime_value", "account_current", "open_jobs")


def metric_check(metric: str) -> str:
    """`metric` if it is one of the key metrics; a 422 naming the field otherwise."""
    if metric not in METRICS:
        message = f"Choose one of: {', '.join(METRICS)}."
        raise ValidationFailed(message, fields={"metric": message})
    return metric


def metric_explain(*, user: User, customer: Customer, metric: str) -> Explanation:
    """Why the dashboard shows what it shows for `metric`: the same figure, in words, with the
    records it rests on (billing.explain for money, fieldservice for open jobs). Open jobs need
    Field Service; a role that may not see money gets the money metrics without figures."""
    metric_check(metric)
    if metric == "open_jobs":
        require_module(user.provider, "field_service")
        return job_open_explain(customer=customer)
    return EXPLAINERS[metric](customer=customer, shows_money=sees_money(user))
