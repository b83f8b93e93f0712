from accountdesk.core.pagination import Page, keyset_page
from accountdesk.customers.models import Customer
from accountdesk.messaging.models import Message


def message_list(
    *, customer: Customer, channel: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page[Message]:
    qs = Message.objects.filter(provider_id=customer.provider_id, customer=customer)
    if channel:
        qs = qs.filter(channel=channel)
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)
