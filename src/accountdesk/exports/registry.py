"""What each customer tab exports: its list selector, its API serializer, who may read it.

An export is the tab's own rows (the same selector and the same fields as its API list), read page
by page with the keyset cursor, at most MAX_ROWS of them.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from accountdesk.activity.kinds import GROUPS
from accountdesk.activity.schemas import activity_out
from accountdesk.activity.selectors import activity_list
from accountdesk.billing import schemas as billing_out
from accountdesk.billing import selectors as billing
from accountdesk.contracts.schemas import contract_out
from accountdesk.contracts.selectors import contract_list
from accountdesk.core.pagination import Page
from accountdesk.core.visibility import sees_money, shown_to
from accountdesk.customers.models import Customer
from accountdesk.customers.schemas import contact_out, status_change_out
from accountdesk.customers.selectors import contact_list, status_history
from accountdesk.fieldservice.schemas import job_out
from accountdesk.fieldservice.selectors import job_list
from accountdesk.network.schemas import equipment_out
from accountdesk.network.selectors import equipment_list
from accountdesk.notes.schemas import note_out
from accountdesk.notes.selectors import note_list
from accountdesk.servicedesk.schemas import call_log_out, ticket_out
from accountdesk.servicedesk.selectors import call_log_list, ticket_list
from accountdesk.subscriptions.schemas import subscription_out
from accountdesk.subscriptions.selectors import subscription_list
from accountdesk.usage.schemas import usage_notification_out
from accountdesk.usage.selectors import usage_notification_list

MAX_ROWS = 10_000
PAGE = 500


@dataclass(frozen=True)
class Exportable:
    title: str
    selector: Callable[..., Page]
    serialize: Callable[..., dict[str, Any]]
    permission: str = "customers.view"
    module: str | None = None
    # Query parameters passed to the selector, each with the values it accepts (None: any text).
    filters: dict[str, frozenset[str] | None] = field(default_factory=dict)
    # The selector searches text as the viewer reads it: it takes shows_money (the activity log).
    searches_money: bool = False


def _contacts(*, customer: Customer, limit=None, cursor=None) -> Page:
    return Page(contact_list(customer=customer), None)  # a handful per customer: no paging


def _values(*values: str) -> frozenset[str]:
    return frozenset(values)


EXPORTS: dict[str, Exportable] = {
    "contacts": Exportable("Contacts", _contacts, contact_out),
    "notes": Exportable("Notes", note_list, note_out, "notes.view"),
    "activity": Exportable(
        "Activity",
        activity_list,
        activity_out,
        "activity.view",
        filters={
            "group": frozenset(GROUPS),
            "actor_type": _values("staff", "system", "customer", "api"),
            "kind": None,
            "q": None,
        },
        searches_money=True,
    ),
    "status-history": Exportable("Status history", status_history, status_change_out),
    "invoices": Exportable(
        "Invoices",
        billing.invoice_list,
        billing_out.invoice_out,
        "billing.view",
        filters={"status": _values("draft", "approved", "void")},
    ),
    "payments": Exportable(
        "Payments",
        billing.payment_list,
        billing_out.payment_out,
        "billing.view",
        filters={"kind": _values("payment", "refund")},
    ),
    "credits": Exportable("Credits", billing.credit_list, billing_out.credit_out, "billing.view"),
    "ledger": Exportable("Ledger", billing.ledger_list, billing_out.ledger_entry_out, "billing.view"),
    "instalments": Exportable(
        "Instalment purchases",
        billing.instalment_list,
        billing_out.instalment_out,
        "billing.view",
        module="instalments",
    ),
    "recurring-invoices": Exportable(
        "Recurring invoices",
        billing.recurring_invoice_list,
        billing_out.recurring_invoice_out,
        "billing.view",
    ),
    "estimates": Exportable(
        "Estimates", billing.estimate_list, billing_out.estimate_out, "billing.view", module="field_service"
    ),
    "agreements": Exportable(
        "Agreements",
        billing.agreement_list,
        billing_out.agreement_out,
        "billing.view",
        module="field_service",
    ),
    "subscriptions": Exportable(
        "Subscriptions",
        subscription_list,
        subscription_out,
        filters={"status": _values("pending", "active", "suspended", "cancelled")},
    ),
    "usage-notifications": Exportable(
        "Usage notifications", usage_notification_list, usage_notification_out, module="usage"
    ),
    "tickets": Exportable(
        "Tickets",
        ticket_list,
        ticket_out,
        module="service_desk",
        filters={"status": _values("open", "pending", "resolved", "closed")},
    ),
    "call-logs": Exportable("Call logs", call_log_list, call_log_out, module="service_desk"),
    "jobs": Exportable(
        "Jobs", job_list, job_out, module="field_service", filters={"when": _values("future", "past")}
    ),
    "equipment": Exportable("Equipment", equipment_list, equipment_out, module="network"),
    "contracts": Exportable(
        "Contracts",
        contract_list,
        contract_out,
        module="contracts",
        filters={"status": _values("queued", "sent", "signed", "voided")},
    ),
}

# The customer page's tabs that export, and what they export (tab key -> export key, filters).
TAB_EXPORTS: dict[str, tuple[str, dict[str, str]]] = {
    **{key.replace("-", "_"): (key, {}) for key in EXPORTS},
    "event_log": ("activity", {}),
    "future_jobs": ("jobs", {"when": "future"}),
    "usage": ("usage-notifications", {}),
}


def export_rows(
    exportable: Exportable, *, customer: Customer, filters: dict[str, str], viewer
) -> tuple[list[dict], bool]:
    """The rows (at most MAX_ROWS) and whether there were more, as `viewer` may see them: without
    the money columns (and amounts in activity text) for a role without billing.view."""
    rows: list[dict] = []
    if exportable.searches_money:
        filters = {**filters, "shows_money": sees_money(viewer)}  # type: ignore[dict-item]
    for row in _walk(exportable, customer, filters, shown_to(exportable.serialize, viewer, drop=True)):
        if len(rows) == MAX_ROWS:
            return rows, True
        rows.append(row)
    return rows, False


def _walk(exportable: Exportable, customer: Customer, filters: dict[str, str], serialize) -> Iterator[dict]:
    cursor = None
    while True:
        page = exportable.selector(customer=customer, limit=PAGE, cursor=cursor, **filters)
        yield from (serialize(item) for item in page.items)
        if not page.next_cursor:
            return
        cursor = page.next_cursor
