"""Settings > Usage notifications, registered in the Settings menu by this app."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accountdesk.core.errors import DomainError
from accountdesk.core.views_support import actor_for, form_add_domain_error
from accountdesk.tenancy.admin_views import admin_page, settings_page, settings_status
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
    form = UsageThresholdsForm(request.POST or None, initial={"thresholds": ", ".join(map(str, current))})
    if request.method == "POST" and form.is_valid():
        try:
            services.usage_thresholds_set(
                provider=provider, thresholds=form.cleaned_data["thresholds"], actor=actor_for(request)
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Usage notification thresholds saved.")
            return redirect("settings:usage")
    return settings_page(
        request,
        "usage/settings_usage.html",
        "usage",
        {"form": form, "thresholds": current},
        status=settings_status(request),
    )
