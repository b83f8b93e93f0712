"""What equipment adds to the customer search: MACs in every usual notation, and IPs."""

from accountdesk.customers.models import Customer
from accountdesk.network.addresses import mac_search_forms
from accountdesk.network.models import Equipment


def equipment_search_terms(customer: Customer) -> list[str]:
    # Without the Network module the customer's equipment is not searchable (and costs nothing).
    if not customer.provider.has_module("network"):
        return []
    terms: list[str] = []
    for mac, ip in Equipment.objects.filter(customer=customer).values_list("mac", "ip")[:200]:
        terms.extend(mac_search_forms(mac))
        if ip:
            terms.append(ip)
    return terms
