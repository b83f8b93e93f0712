"""Settings > Security log: the provider's log for admins, newest first, filtered (the exports app
serves its export, with the same filters)."""

from urllib.parse import urlencode

from django.views.decorators.http import require_GET

from accountdesk.audit import selectors
from accountdesk.audit.kinds import SECURITY_KINDS
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.pagination import BadCursor
from accountdesk.core.views_support import pager_links
from accountdesk.tenancy.admin_views import admin_page, settings_page

PAGE_SIZE = 50


def security_log_filters(request) -> tuple[dict, dict, dict]:
    """(what was typed, the filters to apply, errors by field): a bad filter is shown and ignored."""
    typed = {name: (request.GET.get(name) or "").strip()[:254] for name in ("kind", "actor", "since")}
    try:
        return typed, selectors.clean_filters(**typed), {}
    except ValidationFailed as error:
        return typed, selectors.clean_filters(), error.fields


@admin_page
@require_GET
def security_log(request):
    provider = request.user.provider
    typed, filters, errors = security_log_filters(request)
    try:
        page = selectors.security_event_list(
            provider=provider, limit=PAGE_SIZE, cursor=request.GET.get("cursor") or None, **filters
        )
    except BadCursor:
        page = selectors.security_event_list(provider=provider, limit=PAGE_SIZE, **filters)
    for entry in page.items:
        entry.kind_label = SECURITY_KINDS.get(entry.kind, entry.kind)
    query = urlencode({k: v for k, v in typed.items() if v and k not in errors})
    context = {
        "page": page,
        "entries": page.items,
        "typed": typed,
        "errors": errors,
        "kinds": SECURITY_KINDS,
        "staff": selectors.actor_choices(provider=provider),
        "filtered": any(typed.values()),
        "export_query": query,
        **pager_links(request, page),
    }
    return settings_page(request, "audit/security_log.html", "security_log", context)
