"""Pages of the customer account that read: the list, the status history, Details, Contacts.
Thin: parse, call one selector, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accountdesk.core.errors import DomainError
from accountdesk.core.views_support import is_htmx, pager_links, require_perm
from accountdesk.customers import list_columns, selectors
from accountdesk.customers.contact_extras import contact_extras_for
from accountdesk.customers.models import Status
from accountdesk.customers.page import customer_page

STATUS_HISTORY_LIMIT = 20
SEARCH_MAX = 200


def _int_or_none(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


def _sort_headers(request, current: str, descending: bool) -> dict[str, dict]:
    """For each column the user may sort by: the link that sorts by it (ascending, or descending
    when it is the current ascending sort) with the other filters kept, and its aria-sort state."""
    headers = {}
    for column in list_columns.columns_for(request.user.can):
        params = request.GET.copy()
        for name in ("cursor", "back"):
            params.pop(name, None)
        is_current = column.key == current
        params["sort"] = f"-{column.key}" if is_current and not descending else column.key
        state = ("descending" if descending else "ascending") if is_current else None
        headers[column.key] = {"label": column.label, "url": "?" + params.urlencode(), "state": state,
                               "kind": column.kind}  # fmt: skip
    return headers


@login_required
@require_perm("customers.view")
@require_GET
def customer_list(request):
    provider = request.user.provider
    q = (request.GET.get("q") or "")[:SEARCH_MAX]
    status = request.GET.get("status") or ""
    if status not in Status.values:
        status = ""
    group_id = _int_or_none(request.GET.get("group"))
    tag_id = _int_or_none(request.GET.get("tag"))
    include_archived = request.GET.get("archived") == "1"
    column, descending = list_columns.sort_parse(request.GET.get("sort"), user_can=request.user.can) or (
        list_columns.COLUMNS[list_columns.DEFAULT_SORT],
        False,
    )
    sort = f"{'-' if descending else ''}{column.key}"
    extra = [c for c in list_columns.columns_for(request.user.can) if c.extra]
    options = {"provider": provider, "q": q, "status": status or None, "group_id": group_id,
               "tag_id": tag_id, "include_archived": include_archived, "limit": 50, "ordering": sort,
               "columns": extra}  # fmt: skip
    try:
        page = selectors.customer_list(**options, cursor=request.GET.get("cursor") or None)
    except DomainError:  # a damaged cursor, or one of another order: start again from the first page
        page = selectors.customer_list(**options)
    tags = selectors.customer_tags(customers=page.items)
    rows = [
        {"customer": c, "tags": tags[c.pk], "extra": [(col, getattr(c, f"col_{col.key}")) for col in extra]}
        for c in page.items
    ]
    headers = _sort_headers(request, column.key, descending)
    context = {
        "rows": rows,
        "page": page,
        "q": q,
        "status": status,
        "group_id": group_id,
        "tag_id": tag_id,
        "include_archived": include_archived,
        "sort": sort if sort != list_columns.DEFAULT_SORT else "",
        "headers": headers,
        "extra_headers": [headers[c.key] for c in extra],
        "statuses": Status.choices,
        "groups": selectors.group_choices(provider=provider),
        "tags": selectors.tag_choices(provider=provider),
        "filtered": bool(q or status or group_id or tag_id or include_archived),
        **pager_links(request, page),
    }
    template = "customers/_list_results.html" if is_htmx(request) else "customers/list.html"
    return render(request, template, context)


@login_required
@require_perm("customers.view")
@require_GET
def status_history(request, customer_id: int):
    context = customer_page(request, customer_id, tab="details")
    page = selectors.status_history(customer=context["customer"], limit=STATUS_HISTORY_LIMIT)
    context.update(changes=page.items, more=page.next_cursor is not None)
    template = "customers/_status_history.html" if is_htmx(request) else "customers/status_history.html"
    return render(request, template, context)


@login_required
@require_GET
def customer_details(request, customer_id: int):
    context = customer_page(request, customer_id, tab="details")
    customer = context["customer"]
    context["customer_tags"] = list(customer.tags.all())
    context["open_alerts"] = [b for b in context["banners"] if b["manual_id"]]
    return render(request, "customers/details.html", context)


@login_required
@require_GET
def contact_list(request, customer_id: int):
    context = customer_page(request, customer_id, tab="contacts")
    contacts = selectors.contact_list(customer=context["customer"])
    extras = contact_extras_for(request.user, context["customer"], contacts)
    context["contacts"] = [
        {"contact": c, "address": selectors.primary_address(c), "extras": extras[c.pk]} for c in contacts
    ]
    return render(request, "customers/contacts.html", context)
