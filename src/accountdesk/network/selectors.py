from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers.models import Customer
from accountdesk.network.models import DeviceType, Equipment
from accountdesk.tenancy.models import Provider


def equipment_list(
    *, customer: Customer, limit: int | None = None, cursor: str | None = None
) -> Page[Equipment]:
    qs = Equipment.objects.filter(provider_id=customer.provider_id, customer=customer).select_related(
        "device_type"
    )
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)


def equipment_get(*, customer: Customer, pk: object) -> Equipment:
    qs = Equipment.objects.filter(customer=customer).select_related("device_type", "customer")
    return get_scoped(qs, provider=customer.provider, pk=pk)


def device_type_list(*, provider: Provider, limit: int = 500) -> list[DeviceType]:
    return list(DeviceType.objects.filter(provider=provider)[:limit])
