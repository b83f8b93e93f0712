"""Settings > Usage notifications, registered in the Settings menu by this app."""

from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import bound
from accountdesk.core.views_support import actor_for
from accountdesk.tenancy.admin_views import admin_page, settings_dialog
from accountdesk.usage import services
from accountdesk.usage.forms import UsageThresholdsForm


@admin_page
@require_http_methods(["GET", "POST"])
def thresholds(request):
    """Settings > Usage notifications: at which shares of the allowance customers are told."""
    provider = request.user.provider
    if not provider.has_module("usage"):
        raise Http404()
    current = services.usage_thresholds(provider=provider)

    def perform(data) -> str:
        services.usage_thresholds_set(
            provider=provider, thresholds=data["thresholds"], actor=actor_for(request)
        )
        return "Usage notification thresholds saved."

    return settings_dialog(
        request, section="usage", template="usage/settings_usage.html",
        form=bound(UsageThresholdsForm, request, initial={"thresholds": ", ".join(map(str, current))}),
        perform=perform, title="Usage notifications", success_url=reverse("settings:usage"),
        context={"thresholds": current},
    )  # fmt: skip
