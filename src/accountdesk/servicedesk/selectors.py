"""Reads of tickets and call logs. Each is bounded and scoped to the customer's provider."""

from django.db.models import QuerySet

from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers.models import Customer
from accountdesk.servicedesk.models import CallLog, Ticket, TicketComment


def ticket_list(
    *, customer: Customer, status: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page[Ticket]:
    qs = Ticket.objects.filter(provider_id=customer.provider_id, customer=customer).select_related("assignee")
    if status:
        qs = qs.filter(status=status)
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)


def ticket_get(*, customer: Customer, pk: object) -> Ticket:
    qs = Ticket.objects.filter(customer=customer).select_related("assignee", "customer")
    return get_scoped(qs, provider=customer.provider, pk=pk)


def ticket_comments(
    *, ticket: Ticket, include_internal: bool = True, limit: int = 200
) -> list[TicketComment]:
    """The ticket's comments, oldest first; without staff's internal notes for the customer."""
    qs = ticket.comments.all() if include_internal else ticket.comments.filter(internal=False)
    return list(qs.order_by("created_at", "id")[:limit])


def ticket_recent(*, customer: Customer, limit: int = 3) -> QuerySet[Ticket]:
    """The dashboard's Recent service requests: the most recently created tickets, any status (a
    bounded queryset, read with its assignee)."""
    qs = Ticket.objects.filter(provider_id=customer.provider_id, customer=customer).select_related("assignee")
    return qs.order_by("-created_at", "-id")[:limit]


def call_log_list(
    *, customer: Customer, limit: int | None = None, cursor: str | None = None
) -> Page[CallLog]:
    qs = CallLog.objects.filter(provider_id=customer.provider_id, customer=customer).select_related("contact")
    return keyset_page(qs, ordering=("-at", "-id"), limit=limit, cursor=cursor)
