"""The customer dashboard: every section, read once, for the page and the JSON document alike.

Each section is one bounded query on an indexed "most recent N" read (or shares one), so the
cost does not grow with the account's history. Sections of modules the provider lacks are None
and cost no query; sections the user's role may not see are left out (and cost nothing).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, F, FilteredRelation, IntegerField, Q, Value, When

from accountdesk.activity.selectors import activity_recent
from accountdesk.billing import selectors as billing
from accountdesk.billing.models import AccountSummary, BillingProfile
from accountdesk.core import clock
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers import selectors as customers
from accountdesk.customers.models import Contact, Customer, CustomFieldDefinition
from accountdesk.fieldservice.selectors import open_jobs_expression
from accountdesk.notes.models import Note
from accountdesk.notes.selectors import note_recent
from accountdesk.servicedesk.selectors import ticket_recent
from accountdesk.subscriptions.selectors import subscription_current
from accountdesk.tenancy.models import User
from accountdesk.usage.selectors import usage_notification_recent

RECENT = 3
CONTACTS = 3
NOTES = 5
ACTIVITY = 8
FINANCE_PERMISSION = "billing.view"


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
    tags: list
    banners: list
    contacts: list
    notes: list[NoteRow]
    include_tickets_in_notes: bool
    activity: list
    custom_fields: list[dict]
    subscriptions: list
    subscriptions_total: int
    service_requests: list | None
    alerts: list | None
    open_jobs: int | None
    shows_money: bool
    # Financial sections: only for roles that see money (None otherwise).
    summary: AccountSummary | None = None
    billing_profile: BillingProfile | None = None
    payment_method: object | None = None
    recent_invoices: list | None = None
    payments: list | None = None
    instalments: list | None = field(default=None)
    today: dt.date = field(default_factory=clock.today)

    @property
    def account_current(self) -> bool:
        return self.summary is None or self.summary.is_current(self.today)


def _customer(user, customer_id: object, *, with_money: bool, with_open_jobs: bool) -> Customer:
    """The customer row, with what rides along on it for free: group, manager, the financial
    one-to-ones for roles that see money, and the open jobs count with Field Service."""
    related = ["group", "account_manager"]
    if with_money:
        related += ["billing_profile", "account_summary"]
    qs = Customer.objects.select_related(*related)
    if with_open_jobs:
        qs = qs.annotate(open_jobs=open_jobs_expression())
    return get_scoped(qs, provider=user.provider, pk=customer_id)


def _one_to_one(customer: Customer, name: str):
    try:
        return getattr(customer, name)
    except (AccountSummary.DoesNotExist, BillingProfile.DoesNotExist):
        return None


def dashboard_contacts(*, customer: Customer, limit: int = CONTACTS) -> list[Contact]:
    """Up to `limit` contacts, the primary first, each with its primary address, in one query."""
    address_fields = ("line1", "line2", "city", "region", "postcode", "country")
    qs = (
        Contact.objects.filter(provider_id=customer.provider_id, customer=customer)
        .annotate(pa=FilteredRelation("addresses", condition=Q(addresses__is_primary=True)))
        .annotate(**{f"pa_{f}": F(f"pa__{f}") for f in address_fields})
        .order_by("-is_primary", "id")
    )
    contacts = list(qs[:limit])
    for contact in contacts:
        parts = [getattr(contact, f"pa_{f}") or "" for f in address_fields]
        contact.primary_address_text = ", ".join(p for p in parts if p) or None
    return contacts


def dashboard_custom_fields(*, customer: Customer) -> list[dict]:
    """The custom fields flagged "show on overview" with this customer's values, in one query."""
    rows = (
        CustomFieldDefinition.objects.filter(provider_id=customer.provider_id, show_on_overview=True)
        .annotate(v=FilteredRelation("values", condition=Q(values__customer=customer)))
        .annotate(value=F("v__value"))
        .order_by("position", "id")
    )
    return [{"definition": d, "name": d.name, "kind": d.kind, "value": d.value} for d in rows]


def merge_notes(notes: list, tickets: list[dict] | None, limit: int = NOTES) -> list[NoteRow]:
    """Notes and tickets in one list by date, newest first; at the same instant a note comes
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


def dashboard_get(
    *, user, customer_id: object, include_tickets_in_notes: bool = False, sections: set[str] | None = None
) -> Dashboard:
    """What the dashboard shows, for this user: every section, or only `sections` (a refresh after
    an action reads just what it changed). Raises NotFound for another provider's id."""
    want = set(SECTIONS if sections is None else sections)
    provider = user.provider
    shows_money = user.can(FINANCE_PERMISSION)
    if not shows_money:
        want -= MONEY_SECTIONS
    with_open_jobs = "metrics" in want and provider.has_module("field_service")
    customer = _customer(user, customer_id, with_money=shows_money, with_open_jobs=with_open_jobs)
    customer.provider = provider
    tags = list(customer.tags.all()) if want & {"banners", "summary"} else []
    include_tickets = include_tickets_in_notes and provider.has_module("service_desk")
    tickets = None
    if "service_requests" in want or ("notes" in want and include_tickets):
        # One ticket query serves both the service requests (3) and, when asked, the notes (5).
        tickets = ticket_recent(customer=customer, limit=NOTES if include_tickets else RECENT)
    board = Dashboard(
        customer=customer,
        tags=tags,
        banners=customers.alert_banners(customer=customer, tags=tags) if "banners" in want else [],
        contacts=dashboard_contacts(customer=customer) if "contacts" in want else [],
        notes=[],
        include_tickets_in_notes=include_tickets,
        activity=activity_recent(customer=customer, limit=ACTIVITY) if "activity" in want else [],
        custom_fields=dashboard_custom_fields(customer=customer) if "summary" in want else [],
        subscriptions=[],
        subscriptions_total=0,
        service_requests=tickets[:RECENT] if tickets is not None else None,
        alerts=usage_notification_recent(customer=customer, limit=RECENT) if "alerts" in want else None,
        open_jobs=customer.open_jobs if with_open_jobs else None,
        shows_money=shows_money,
    )
    if "notes" in want:
        ticket_rows = (
            [_ticket_as_note(t) for t in tickets] if include_tickets and tickets is not None else None
        )
        board.notes = merge_notes(note_recent(customer=customer, limit=NOTES), ticket_rows)
    if "subscriptions" in want:
        board.subscriptions, board.subscriptions_total = subscription_current(customer=customer, limit=RECENT)
    if shows_money:
        board.summary = _one_to_one(customer, "account_summary")
        board.billing_profile = _one_to_one(customer, "billing_profile")
        if "payment_method" in want:
            board.payment_method = billing.payment_method_default(customer=customer)
        if "invoices" in want:
            board.recent_invoices = billing.invoice_recent_approved(customer=customer, limit=RECENT)
        if "payments" in want:
            board.payments = billing.payment_recent(customer=customer, limit=RECENT)
        if "instalments" in want and provider.has_module("instalments"):
            board.instalments = billing.instalment_recent(customer=customer, limit=RECENT)
    return board


def _ticket_as_note(ticket) -> dict:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "subject": ticket.subject,
        "created_at": ticket.created_at,
        "author": ticket.created_by_name,
    }


# ---- For the page's dialogs (not the document): reading one note, and whom a job may go to.


def dashboard_note(*, customer: Customer, note_id: object):
    """One note of this customer, for the notes section's "open the note" dialog; another
    customer's or provider's note is not found."""
    return get_scoped(Note.objects.filter(customer=customer), provider=customer.provider_id, pk=note_id)


def dashboard_technicians(*, provider, limit: int = 200) -> list:
    """Active staff who can take a job (technicians first), bounded for a select box."""
    qs = User.objects.filter(provider=provider, is_active=True, role__in=("technician", "admin", "agent"))
    first = Case(When(role="technician", then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(qs.annotate(first=first).order_by("first", "name", "id")[:limit])
