"""Settings > Security log: the provider's log for admins, newest first, filtered and exported."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from accountdesk.audit import selectors
from accountdesk.audit.kinds import SECURITY_KINDS
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.pagination import BadCursor
from accountdesk.core.views_support import actor_for, pager_links
from accountdesk.tenancy.admin_views import admin_page, settings_page

PAGE_SIZE = 50


def _filters(request) -> tuple[dict, dict, dict]:
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
    typed, filters, errors = _filters(request)
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


@admin_page
@require_GET
def security_log_export(request):
    from accountdesk.exports.services import security_log_export as export

    _, filters, errors = _filters(request)
    if errors:
        messages.error(request, "Fix the filters before exporting.")
        return redirect("settings:security_log")
    try:
        file = export(
            provider=request.user.provider,
            file_format=request.GET.get("format") or "csv",
            filters=filters,
            actor=actor_for(request),
        )
    except ValidationFailed as error:
        return HttpResponse(error.message, status=422, content_type="text/plain")
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["X-Export-Rows"] = str(file.rows)
    response["X-Export-Truncated"] = "true" if file.truncated else "false"
    return response
