from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers.models import Customer
from accountdesk.messaging.models import Message


def message_list(
    *, customer: Customer, channel: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page[Message]:
    qs = Message.objects.filter(provider_id=customer.provider_id, customer=customer)
    if channel:
        qs = qs.filter(channel=channel)
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)


def message_get(*, customer: Customer, pk: int) -> Message:
    """One of the customer's messages; another provider's or customer's is not found."""
    return get_scoped(Message.objects.filter(customer=customer), provider=customer.provider_id, pk=pk)
