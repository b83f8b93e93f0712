"""Reads of tickets and call logs. Each is bounded and scoped to the customer's provider.

The dashboard helpers answer None when the provider lacks the Service Desk module, without
touching the database, so the dashboard can show `null` for free.
"""

from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.servicedesk.models import CallLog, Ticket, TicketComment

MODULE = "service_desk"


def _enabled(customer) -> bool:
    return customer.provider.has_module(MODULE)


def ticket_list(
    *, customer, status: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page:
    qs = Ticket.objects.filter(provider_id=customer.provider_id, customer=customer).select_related("assignee")
    if status:
        qs = qs.filter(status=status)
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)


def ticket_get(*, customer, pk: object) -> Ticket:
    qs = Ticket.objects.filter(customer=customer).select_related("assignee", "customer")
    return get_scoped(qs, provider=customer.provider, pk=pk)


def ticket_comments(*, ticket: Ticket, limit: int = 200) -> list[TicketComment]:
    return list(ticket.comments.order_by("created_at", "id")[:limit])


def ticket_recent(*, customer, limit: int = 3) -> list[Ticket] | None:
    """The dashboard's Recent service requests: the most recently created tickets, any status."""
    if not _enabled(customer):
        return None
    qs = Ticket.objects.filter(provider_id=customer.provider_id, customer=customer).select_related("assignee")
    return list(qs.order_by("-created_at", "-id")[:limit])


def ticket_recent_for_notes(*, customer, limit: int = 5) -> list[dict] | None:
    """Tickets shaped for the dashboard's notes list, which merges them with notes by date."""
    if not _enabled(customer):
        return None
    qs = Ticket.objects.filter(provider_id=customer.provider_id, customer=customer)
    rows = qs.order_by("-created_at", "-id").values(
        "id", "number", "subject", "created_at", "created_by_name"
    )[:limit]
    return [
        {
            "id": r["id"],
            "number": r["number"],
            "subject": r["subject"],
            "created_at": r["created_at"],
            "author": r["created_by_name"],
        }
        for r in rows
    ]


def call_log_list(*, customer, limit: int | None = None, cursor: str | None = None) -> Page:
    qs = CallLog.objects.filter(provider_id=customer.provider_id, customer=customer).select_related("contact")
    return keyset_page(qs, ordering=("-at", "-id"), limit=limit, cursor=cursor)
