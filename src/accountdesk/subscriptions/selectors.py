from django.db.models import Count, QuerySet, Window

from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers.models import Customer
from accountdesk.subscriptions.models import CURRENT_STATUSES, Package, Subscription
from accountdesk.tenancy.models import Provider


def package_list(*, provider: Provider, active_only: bool = False, limit: int = 200) -> list[Package]:
    qs = Package.objects.filter(provider=provider)
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.order_by("name", "id")[:limit])


def package_get(*, provider: Provider, pk: object) -> Package:
    return get_scoped(Package, provider=provider, pk=pk)


def subscription_list(
    *, customer: Customer, status: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page[Subscription]:
    qs = Subscription.objects.filter(provider_id=customer.provider_id, customer=customer).select_related(
        "package"
    )
    if status:
        qs = qs.filter(status=status)
    return keyset_page(qs, ordering=("-started_on", "-id"), limit=limit, cursor=cursor)


def subscription_get(*, customer: Customer, pk: object) -> Subscription:
    qs = Subscription.objects.filter(customer=customer).select_related("package")
    return get_scoped(qs, provider=customer.provider, pk=pk)


def subscription_current(*, customer: Customer, limit: int = 3) -> QuerySet[Subscription]:
    """The most recent current (active or suspended) subscriptions, with their package, each
    carrying `current_total`, how many are current in all: a window count rides along on each row,
    so the total costs nothing extra (a bounded queryset)."""
    qs = Subscription.objects.filter(
        provider_id=customer.provider_id, customer=customer, status__in=CURRENT_STATUSES
    )
    return (
        qs.select_related("package")
        .annotate(current_total=Window(Count("id")))
        .order_by("-started_on", "-id")[:limit]
    )


def _metered(customer: Customer) -> QuerySet[Subscription]:
    """The customer's current subscriptions whose package meters usage, the most recent first."""
    qs = Subscription.objects.filter(
        provider_id=customer.provider_id,
        customer=customer,
        status__in=CURRENT_STATUSES,
        package__usage_unit__isnull=False,
    ).select_related("package")
    return qs.order_by("-started_on", "-id")


def subscription_metered(*, customer: Customer) -> Subscription | None:
    """The customer's most recent current subscription whose package meters usage."""
    return _metered(customer).first()


def subscription_metered_list(*, customer: Customer, limit: int = 50) -> list[Subscription]:
    """Every current subscription whose package meters usage, the most recent first (bounded)."""
    return list(_metered(customer)[:limit])
