"""Settings > Device types, registered in the Settings menu by this app."""

from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import bound
from accountdesk.core.tenancy import get_scoped
from accountdesk.core.views_support import actor_for
from accountdesk.network import selectors, services
from accountdesk.network.forms import DeviceTypeForm
from accountdesk.network.models import DeviceType
from accountdesk.tenancy.admin_views import admin_page, settings_dialog


@admin_page
@require_http_methods(["GET", "POST"])
def device_types(request, item_id: int | None = None):
    """The Network module's device registry: the list with an add form, or one type's rename form."""
    provider = request.user.provider
    if not provider.has_module("network"):
        raise Http404()
    item = get_scoped(DeviceType, provider=provider, pk=item_id) if item_id else None
    initial = {"name": item.name, "vendor": item.vendor} if item else None

    def perform(data) -> str:
        if item:
            services.device_type_update(device_type=item, actor=actor_for(request), **data)
        else:
            services.device_type_add(provider=provider, actor=actor_for(request), **data)
        return f"Device type {data['name'].strip()} saved."

    form, success_url = bound(DeviceTypeForm, request, initial=initial), reverse("settings:device_types")
    if item:
        return settings_dialog(
            request, section="device_types", template="tenancy/settings_edit.html", form=form,
            perform=perform, title=f"Rename {item.name}", success_url=success_url,
            context={"back": "settings:device_types"},
        )  # fmt: skip
    return settings_dialog(
        request, section="device_types", template="network/settings_device_types.html", form=form,
        perform=perform, title="Add a device type", submit="Add", success_url=success_url,
        context={"items": selectors.device_type_list(provider=provider)},
    )  # fmt: skip
