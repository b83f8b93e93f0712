"""The Activity tab (tiles filtered by the predefined groupings) and the Event log tab (the same
entries as a searchable table): customer pages over the activity log, served here because the log
(accountdesk.activity) sits under customers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accountdesk.activity import selectors
from accountdesk.activity.kinds import GROUPS
from accountdesk.core.actors import ActorType
from accountdesk.core.pagination import BadCursor
from accountdesk.core.views_support import is_htmx, pager_links
from accountdesk.core.visibility import sees_money
from accountdesk.customers.page import customer_page

PAGE_SIZE = 30
SEARCH_MAX = 200
ACTOR_TYPES = dict(ActorType.CHOICES)


def _filters(request) -> dict:
    group = request.GET.get("group") or ""
    actor_type = request.GET.get("actor_type") or ""
    return {
        "group": group if group in GROUPS else "",
        "actor_type": actor_type if actor_type in ACTOR_TYPES else "",
        "q": (request.GET.get("q") or "").strip()[:SEARCH_MAX],
    }


def _page(request, customer, filters: dict):
    args = {k: v or None for k, v in filters.items()}
    shows_money = sees_money(request.user)
    try:
        return selectors.activity_list(
            customer=customer,
            limit=PAGE_SIZE,
            cursor=request.GET.get("cursor") or None,
            shows_money=shows_money,
            **args,
        )
    except BadCursor:
        return selectors.activity_list(customer=customer, limit=PAGE_SIZE, shows_money=shows_money, **args)


def _render(request, customer_id: int, *, tab: str, template: str, partial: str):
    context = customer_page(request, customer_id, tab=tab)
    filters = _filters(request)
    page = _page(request, context["customer"], filters)
    context.update(
        {
            "page": page,
            "entries": page.items,
            "filters": filters,
            "groups": GROUPS,
            "actor_types": ACTOR_TYPES,
            "filtered": any(filters.values()),
            **pager_links(request, page),
        }
    )
    return render(request, partial if is_htmx(request) else template, context)


@login_required
@require_GET
def activity_feed(request, customer_id: int):
    return _render(
        request,
        customer_id,
        tab="activity",
        template="activity/feed.html",
        partial="activity/_feed_results.html",
    )


@login_required
@require_GET
def event_log(request, customer_id: int):
    return _render(
        request,
        customer_id,
        tab="event_log",
        template="activity/events.html",
        partial="activity/_events_results.html",
    )
