from django.db.models import Prefetch

from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.tenancy.models import Provider
from accountdesk.webhooks.models import Attempt, Delivery, Endpoint

# The attempts shown under each delivery of the log (the latest first).
ATTEMPTS_SHOWN = 10


def endpoint_list(
    *, provider: Provider, limit: int | None = None, cursor: str | None = None
) -> Page[Endpoint]:
    qs = Endpoint.objects.filter(provider=provider)
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)


def endpoint_get(*, provider: Provider, pk: object) -> Endpoint:
    return get_scoped(Endpoint, provider=provider, pk=pk)


def delivery_get(*, endpoint: Endpoint, pk: object) -> Delivery:
    return get_scoped(Delivery.objects.filter(endpoint=endpoint), provider=endpoint.provider_id, pk=pk)


def delivery_log(
    *, endpoint: Endpoint, limit: int | None = None, cursor: str | None = None
) -> Page[Delivery]:
    """The endpoint's deliveries, newest first, each with its latest attempts (`shown_attempts`)."""
    attempts = Attempt.objects.order_by("-at", "-id")
    qs = Delivery.objects.filter(provider_id=endpoint.provider_id, endpoint=endpoint).prefetch_related(
        Prefetch("attempts", queryset=attempts[:ATTEMPTS_SHOWN], to_attr="shown_attempts")
    )
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)
