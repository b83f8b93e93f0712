"""Settings > Custom fields, Alert banners, Groups and Tags: the customer catalogues of a provider,
registered in the Settings menu by this app (see CustomersConfig.ready)."""

from typing import cast

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accountdesk.core.errors import DomainError
from accountdesk.core.tenancy import get_scoped
from accountdesk.core.views_support import actor_for, form_add_domain_error
from accountdesk.customers import services
from accountdesk.customers.forms import AlertDefinitionForm, CustomFieldDefinitionForm, NameForm
from accountdesk.customers.models import AlertDefinition, CustomerGroup, CustomFieldDefinition, Tag
from accountdesk.tenancy.admin_views import admin_page, settings_page, settings_status


def _catalogue(request, *, model, section: str, label: str, save, item_id=None):
    """Groups and tags: a list with an add form, or one item's rename form."""
    provider = request.user.provider
    item = get_scoped(model, provider=provider, pk=item_id) if item_id else None
    form = NameForm(request.POST or None, initial={"name": item.name} if item else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(
                provider=provider,
                name=form.cleaned_data["name"],
                actor=actor_for(request),
                **({section[:-1]: item} if item else {}),
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"{label} saved.")
            return redirect(f"settings:{section}")
    if item is not None:
        return settings_page(
            request,
            "tenancy/settings_edit.html",
            section,
            {"form": form, "title": f"Rename {item.name}", "back": f"settings:{section}"},
            status=settings_status(request),
        )
    items = model.objects.filter(provider=provider).order_by("name")[:1000]
    return settings_page(
        request,
        "customers/settings_catalogue.html",
        section,
        {"form": form, "items": items, "label": label},
        status=settings_status(request),
    )


@admin_page
@require_http_methods(["GET", "POST"])
def groups(request, item_id: int | None = None):
    return _catalogue(
        request,
        model=CustomerGroup,
        section="groups",
        label="Group",
        save=services.group_save,
        item_id=item_id,
    )


@admin_page
@require_http_methods(["GET", "POST"])
def tags(request, item_id: int | None = None):
    return _catalogue(
        request, model=Tag, section="tags", label="Tag", save=services.tag_save, item_id=item_id
    )


@admin_page
@require_http_methods(["GET", "POST"])
def catalogue_delete(request, section: str, item_id: int):
    """A group or a tag: GET asks for confirmation on a page of its own (no script needed), POST
    deletes."""
    catalogues: dict[str, tuple[type[CustomerGroup] | type[Tag], str]] = {
        "groups": (CustomerGroup, "group"),
        "tags": (Tag, "tag"),
    }
    if section not in catalogues:
        raise Http404()
    model, label = catalogues[section]
    item = cast("CustomerGroup | Tag", get_scoped(model, provider=request.user.provider, pk=item_id))
    if request.method == "GET":
        return settings_page(
            request,
            "customers/settings_confirm_delete.html",
            section,
            {"item": item, "label": label, "back": f"settings:{section}"},
        )
    try:
        services.catalogue_delete(item=item, actor=actor_for(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{item.name} deleted.")
    return redirect(f"settings:{section}")


@admin_page
@require_http_methods(["GET", "POST"])
def custom_fields(request, item_id: int | None = None):
    provider = request.user.provider
    item = get_scoped(CustomFieldDefinition, provider=provider, pk=item_id) if item_id else None
    initial = None
    if item:
        initial = {
            "name": item.name,
            "kind": item.kind,
            "choices": "\n".join(item.choices),
            "show_on_overview": item.show_on_overview,
            "position": item.position,
        }
    form = CustomFieldDefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.custom_field_definition_save(
                provider=provider, data=form.data_for_service(), definition=item, actor=actor_for(request)
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Custom field saved.")
            return redirect("settings:custom_fields")
    if item:
        return settings_page(
            request,
            "tenancy/settings_edit.html",
            "custom_fields",
            {"form": form, "title": f"Edit {item.name}", "back": "settings:custom_fields"},
            status=settings_status(request),
        )
    items = CustomFieldDefinition.objects.filter(provider=provider)[:500]
    return settings_page(
        request,
        "customers/settings_custom_fields.html",
        "custom_fields",
        {"form": form, "items": items},
        status=settings_status(request),
    )


@admin_page
@require_http_methods(["GET", "POST"])
def alerts(request, item_id: int | None = None):
    provider = request.user.provider
    item = get_scoped(AlertDefinition, provider=provider, pk=item_id) if item_id else None
    initial = None
    if item:
        initial = {f: getattr(item, f) for f in ("name", "rule", "value", "level", "message", "is_active")}
    form = AlertDefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_definition_save(
                provider=provider, data=form.cleaned_data, definition=item, actor=actor_for(request)
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Alert banner rule saved.")
            return redirect("settings:alerts")
    if item:
        return settings_page(
            request,
            "tenancy/settings_edit.html",
            "alerts",
            {"form": form, "title": f"Edit {item.name}", "back": "settings:alerts"},
            status=settings_status(request),
        )
    items = AlertDefinition.objects.filter(provider=provider)[:500]
    return settings_page(
        request,
        "customers/settings_alerts.html",
        "alerts",
        {"form": form, "items": items},
        status=settings_status(request),
    )
