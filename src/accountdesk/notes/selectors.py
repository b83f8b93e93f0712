from django.db.models import QuerySet

from accountdesk.core.pagination import Page, keyset_page
from accountdesk.customers.models import Customer
from accountdesk.notes.models import Note


def note_list(*, customer: Customer, limit: int | None = None, cursor: str | None = None) -> Page[Note]:
    qs = Note.objects.filter(provider_id=customer.provider_id, customer=customer)
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)


def note_recent(*, customer: Customer, limit: int = 5) -> QuerySet[Note]:
    """The latest notes, newest first (a bounded queryset, for the dashboard to bundle)."""
    qs = Note.objects.filter(provider_id=customer.provider_id, customer=customer)
    return qs.order_by("-created_at", "-id")[:limit]
