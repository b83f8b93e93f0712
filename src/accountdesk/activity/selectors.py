from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import summary_search
from accountdesk.core.pagination import Page, keyset_page

if TYPE_CHECKING:  # the activity log sits under customers
    from accountdesk.customers.models import Customer


def activity_list(
    *,
    customer: Customer,
    group: str | None = None,
    actor_type: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
    shows_money: bool = True,
) -> Page[Activity]:
    """The log, newest first. `q` searches the text as the viewer reads it (see
    rendering.summary_search): pass shows_money=False for a role without billing.view. Each entry
    comes with its customer and provider, whose currency and locale its amounts are shown in."""
    qs = Activity.objects.filter(provider_id=customer.provider_id, customer=customer).select_related(
        "customer__provider"
    )
    if group:
        qs = qs.filter(group=group)
    if actor_type:
        qs = qs.filter(actor_type=actor_type)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(
            summary_search(q, shows_money=shows_money) | Q(actor_name__icontains=q) | Q(kind__icontains=q)
        )
    return keyset_page(qs, ordering=("-at", "-id"), limit=limit, cursor=cursor)


def activity_recent(*, customer: Customer, limit: int = 8) -> QuerySet[Activity]:
    """The latest entries, newest first (a bounded queryset, for the dashboard to bundle; the
    dashboard gives each entry its customer, which rendering reads the currency from)."""
    qs = Activity.objects.filter(provider_id=customer.provider_id, customer=customer)
    return qs.order_by("-at", "-id")[:limit]
