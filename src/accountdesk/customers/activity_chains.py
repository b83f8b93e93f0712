"""Each customer's activity log is a hash chain: how `accountdesk audit verify` finds its heads and
walks its entries (registered in CustomersConfig.ready(); the activity log sits under customers, and
only customers knows which customers a provider has, chain or no chain)."""

from collections.abc import Iterator
from typing import Any

from accountdesk.activity.models import CHAINED_ATTRS, Activity, activity_chain_key, chained_content_of
from accountdesk.audit.verify import CHUNK, ChainSource, Heads, chain_heads
from accountdesk.customers.models import Customer
from accountdesk.tenancy.models import Provider


def activity_heads(provider: Provider | None) -> Heads:
    customers = Customer.objects.all() if provider is None else Customer.objects.filter(provider=provider)
    ids = customers.values_list("id", flat=True).iterator(chunk_size=CHUNK)
    return chain_heads({activity_chain_key(customer_id) for customer_id in ids})


def activity_entries(filters: dict[str, Any]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    qs = Activity.objects.filter(**{k.replace("owner", "customer"): v for k, v in filters.items()})
    rows = qs.order_by("customer_id", "seq").values_list("id", "seq", "prev_hash", "hash", *CHAINED_ATTRS)
    for row in rows.iterator(chunk_size=CHUNK):
        customer_id = row[5]
        entry = (f"activity entry {row[0]} (customer {customer_id})", row[1], row[2], row[3])
        yield activity_chain_key(customer_id), (*entry, chained_content_of(row[4:]))


ACTIVITY_CHAINS = ChainSource(heads=activity_heads, entries=activity_entries)
