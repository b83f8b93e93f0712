"""What equipment adds to the customer search: MACs in every usual notation, and IPs."""

from collections.abc import Iterable

from accountdesk.customers.models import Customer
from accountdesk.network.addresses import mac_search_forms
from accountdesk.network.models import Equipment


def equipment_search_terms(customer: Customer) -> list[str]:
    # Without the Network module the customer's equipment is not searchable (and costs nothing).
    if not customer.provider.has_module("network"):
        return []
    return equipment_terms(Equipment.objects.filter(customer=customer).values_list("mac", "ip")[:200])


def equipment_terms(devices: Iterable[tuple[str, str | None]]) -> list[str]:
    """What devices given as (MAC, IP) add to their customer's search text."""
    terms: list[str] = []
    for mac, ip in devices:
        terms.extend(mac_search_forms(mac))
        if ip:
            terms.append(ip)
    return terms
