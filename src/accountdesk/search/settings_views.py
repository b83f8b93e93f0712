"""Settings > Unanswered questions: what people asked the ask box that it could not answer."""

from django.views.decorators.http import require_GET

from accountdesk.core.pagination import BadCursor
from accountdesk.core.views_support import pager_links
from accountdesk.search import selectors
from accountdesk.tenancy.admin_views import admin_page, settings_page

PAGE_SIZE = 50


@admin_page
@require_GET
def unanswered(request):
    """The provider's unanswered questions, the most asked first, a page at a time."""
    provider = request.user.provider
    try:
        page = selectors.unanswered_list(
            provider=provider, limit=PAGE_SIZE, cursor=request.GET.get("cursor") or None
        )
    except BadCursor:
        page = selectors.unanswered_list(provider=provider, limit=PAGE_SIZE)
    context = {"page": page, "questions": page.items, **pager_links(request, page)}
    return settings_page(request, "search/settings_unanswered.html", "unanswered", context)
