"""Settings > Custom fields, Alert banners, Groups and Tags: the customer catalogues of a provider,
registered in the Settings menu by this app (see CustomersConfig.ready)."""

from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import bound
from accountdesk.core.forms import ConfirmForm
from accountdesk.core.tenancy import get_scoped
from accountdesk.core.views_support import actor_for
from accountdesk.customers import services
from accountdesk.customers.forms import AlertDefinitionForm, CustomFieldDefinitionForm, NameForm
from accountdesk.customers.models import AlertDefinition, CustomerGroup, CustomFieldDefinition, Tag
from accountdesk.tenancy.admin_views import admin_page, settings_dialog


def _catalogue(request, *, model, section: str, label: str, save, item_id=None):
    """Groups and tags: a list with an add form, or one item's rename form."""
    provider = request.user.provider
    item = get_scoped(model, provider=provider, pk=item_id) if item_id else None

    def perform(data) -> str:
        save(
            provider=provider,
            name=data["name"],
            actor=actor_for(request),
            **({section[:-1]: item} if item else {}),
        )
        return f"{label} saved."

    form = bound(NameForm, request, initial={"name": item.name} if item else None)
    success_url = reverse(f"settings:{section}")
    if item is not None:
        return settings_dialog(
            request, section=section, template="tenancy/settings_edit.html", form=form, perform=perform,
            title=f"Rename {item.name}", success_url=success_url, context={"back": f"settings:{section}"},
        )  # fmt: skip
    items = model.objects.filter(provider=provider).order_by("name")[:1000]
    return settings_dialog(
        request, section=section, template="customers/settings_catalogue.html", form=form, perform=perform,
        title=f"Add a {label.lower()}", submit="Add", success_url=success_url,
        context={"items": items, "label": label},
    )  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def groups(request, item_id: int | None = None):
    return _catalogue(request, model=CustomerGroup, section="groups", label="Group",
                      save=services.group_save, item_id=item_id)  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def tags(request, item_id: int | None = None):
    return _catalogue(request, model=Tag, section="tags", label="Tag",
                      save=services.tag_save, item_id=item_id)  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def catalogue_delete(request, section: str, item_id: int):
    """A group or a tag: GET asks for confirmation on a page of its own (no script needed), POST
    deletes; one that customers use stays, with the reason on the page."""
    provider = request.user.provider
    item: CustomerGroup | Tag
    if section == "groups":
        item, label = get_scoped(CustomerGroup, provider=provider, pk=item_id), "group"
    elif section == "tags":
        item, label = get_scoped(Tag, provider=provider, pk=item_id), "tag"
    else:
        raise Http404()

    def perform(data) -> str:
        services.catalogue_delete(item=item, actor=actor_for(request))
        return f"{item.name} deleted."

    return settings_dialog(
        request, section=section, template="customers/settings_confirm_delete.html",
        form=bound(ConfirmForm, request), perform=perform, title=f"Delete {item.name}",
        submit=f"Delete {label}", success_url=reverse(f"settings:{section}"),
        context={"item": item, "label": label, "back": f"settings:{section}"},
    )  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def custom_fields(request, item_id: int | None = None):
    provider = request.user.provider
    item = get_scoped(CustomFieldDefinition, provider=provider, pk=item_id) if item_id else None
    initial = None
    if item:
        initial = {"name": item.name, "kind": item.kind, "choices": "\n".join(item.choices),
                   "show_on_overview": item.show_on_overview, "position": item.position}  # fmt: skip
    form = bound(CustomFieldDefinitionForm, request, initial=initial)

    def perform(data) -> str:
        services.custom_field_definition_save(
            provider=provider, data=form.data_for_service(), definition=item, actor=actor_for(request)
        )
        return "Custom field saved."

    return _definitions(
        request, section="custom_fields", label="custom field", item=item, form=form, perform=perform,
        template="customers/settings_custom_fields.html",
        items=lambda: CustomFieldDefinition.objects.filter(provider=provider)[:500],
    )  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def alerts(request, item_id: int | None = None):
    provider = request.user.provider
    item = get_scoped(AlertDefinition, provider=provider, pk=item_id) if item_id else None
    initial = None
    if item:
        initial = {f: getattr(item, f) for f in ("name", "rule", "value", "level", "message", "is_active")}
    form = bound(AlertDefinitionForm, request, initial=initial)

    def perform(data) -> str:
        actor = actor_for(request)
        services.alert_definition_save(provider=provider, data=data, definition=item, actor=actor)
        return "Alert banner rule saved."

    return _definitions(
        request, section="alerts", label="alert banner rule", item=item, form=form, perform=perform,
        template="customers/settings_alerts.html",
        items=lambda: AlertDefinition.objects.filter(provider=provider)[:500],
    )  # fmt: skip


def _definitions(request, *, section: str, label: str, item, form, perform, template: str, items):
    """Custom fields and alert rules: the list with an add form, or one definition's edit form."""
    success_url = reverse(f"settings:{section}")
    if item is not None:
        return settings_dialog(
            request, section=section, template="tenancy/settings_edit.html", form=form, perform=perform,
            title=f"Edit {item.name}", success_url=success_url, context={"back": f"settings:{section}"},
        )  # fmt: skip
    return settings_dialog(
        request, section=section, template=template, form=form, perform=perform,
        title=f"Add a {label}", submit="Add", success_url=success_url, context={"items": items()},
    )  # fmt: skip
