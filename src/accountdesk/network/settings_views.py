"""Settings > Device types, registered in the Settings menu by this app."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accountdesk.core.errors import DomainError
from accountdesk.core.tenancy import get_scoped
from accountdesk.core.views_support import actor_for, form_add_domain_error
from accountdesk.network import selectors, services
from accountdesk.network.forms import DeviceTypeForm
from accountdesk.network.models import DeviceType
from accountdesk.tenancy.admin_views import admin_page, settings_page, settings_status


@admin_page
@require_http_methods(["GET", "POST"])
def device_types(request, item_id: int | None = None):
    """The Network module's device registry: the list with an add form, or one type's rename form."""
    provider = request.user.provider
    if not provider.has_module("network"):
        raise Http404()
    item = get_scoped(DeviceType, provider=provider, pk=item_id) if item_id else None
    form = DeviceTypeForm(
        request.POST or None, initial={"name": item.name, "vendor": item.vendor} if item else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            if item:
                services.device_type_update(device_type=item, actor=actor_for(request), **form.cleaned_data)
            else:
                services.device_type_add(provider=provider, actor=actor_for(request), **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"Device type {form.cleaned_data['name'].strip()} saved.")
            return redirect("settings:device_types")
    if item:
        return settings_page(
            request,
            "tenancy/settings_edit.html",
            "device_types",
            {"form": form, "title": f"Rename {item.name}", "back": "settings:device_types"},
            status=settings_status(request),
        )
    items = selectors.device_type_list(provider=provider)
    return settings_page(
        request,
        "network/settings_device_types.html",
        "device_types",
        {"form": form, "items": items},
        status=settings_status(request),
    )
