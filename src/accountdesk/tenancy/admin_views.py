"""Provider administration, inside the product, for admins of that provider. Every object is looked
up within the admin's provider (another provider's id is a 404); every write goes through a service."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import Dialog, bound, dialog_respond
from accountdesk.core.errors import DomainError, NotFound
from accountdesk.core.forms import ConfirmForm
from accountdesk.core.tenancy import get_scoped
from accountdesk.core.views_support import actor_for, form_add_domain_error, require_perm
from accountdesk.customers import services as customer_services
from accountdesk.customers.models import AlertDefinition, CustomerGroup, CustomFieldDefinition, Tag
from accountdesk.network import selectors as network_selectors
from accountdesk.network import services as network_services
from accountdesk.network.models import DeviceType
from accountdesk.tenancy import services
from accountdesk.tenancy.admin_forms import (
    AlertDefinitionForm,
    CustomFieldDefinitionForm,
    DeviceTypeForm,
    MfaRolesForm,
    NameForm,
    ProviderForm,
    StaffAddForm,
    StaffEditForm,
    UsageThresholdsForm,
)
from accountdesk.tenancy.models import MODULES, User
from accountdesk.tenancy.settings_sections import settings_context
from accountdesk.usage import services as usage_services


def admin_page(view):
    @wraps(view)
    @login_required
    @require_perm("provider.manage")
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def _render(request, template: str, section: str, context: dict, *, status: int = 200):
    return render(request, template, {**settings_context(request, section), **context}, status=status)


def settings_page(request, template: str, section: str, context: dict, *, status: int = 200):
    """A settings page that another app serves, drawn in the settings layout under `section`."""
    return _render(request, template, section, context, status=status)


def _status(request) -> int:
    return 400 if request.method == "POST" else 200


def _settings_dialog(request, *, section: str, template: str, form, perform, title: str, success_url: str,
                     submit: str = "Save", context: dict | None = None):  # fmt: skip
    """A settings page's write through the one dialog (core.dialogs): the page is the dialog's
    template, drawn in the settings layout under `section`."""
    dialog = Dialog(
        form=form,
        perform=perform,
        title=title,
        submit=submit,
        template=template,
        context={**settings_context(request, section), "title": title, **(context or {})},
    )
    return dialog_respond(request, dialog, success_url=success_url)


@admin_page
@require_http_methods(["GET", "POST"])
def overview(request):
    provider = request.user.provider
    initial = {
        "agent_credit_limit": provider.agent_credit_limit,
        "agent_credit_limit_30d": provider.agent_credit_limit_30d,
        "credit_auto_apply": provider.credit_auto_apply,
        **provider.modules,
    }

    def perform(data) -> str:
        services.provider_update(
            provider=provider,
            modules={m: data[m] for m in MODULES},
            agent_credit_limit=data["agent_credit_limit"],
            agent_credit_limit_30d=data["agent_credit_limit_30d"],
            credit_auto_apply=data["credit_auto_apply"],
            actor=actor_for(request),
        )
        return "Settings saved."

    return _settings_dialog(
        request, section="overview", template="tenancy/settings_overview.html",
        form=bound(ProviderForm, request, initial=initial), perform=perform, title="Settings",
        success_url=reverse("settings:overview"),
    )  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def staff_list(request):
    provider = request.user.provider

    def perform(data) -> str:
        user = services.staff_add(provider=provider, actor=actor_for(request), request=request, **data)
        return f"{user.display_name} can now sign in as {user.get_role_display()}."

    return _settings_dialog(
        request, section="staff", template="tenancy/settings_staff.html", form=bound(StaffAddForm, request),
        perform=perform, title="Add staff", submit="Add", success_url=reverse("settings:staff"),
        context={"staff": User.objects.filter(provider=provider).order_by("name", "id")[:500]},
    )  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def staff_edit(request, user_id: int):
    member = get_scoped(User, provider=request.user.provider, pk=user_id)
    initial = {"name": member.name, "role": member.role, "is_active": member.is_active}

    def perform(data) -> str:
        services.staff_update(user=member, actor=actor_for(request), request=request, **data)
        return f"{member.display_name} saved."

    return _settings_dialog(
        request, section="staff", template="tenancy/settings_staff_edit.html",
        form=bound(StaffEditForm, request, initial=initial), perform=perform,
        title=f"Edit {member.display_name}", success_url=reverse("settings:staff"),
        context={"back": "settings:staff", "member": member},
    )  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def staff_password_reset(request, user_id: int):
    """Email a staff member a link to set a new password (GET asks first, on a page of its own)."""
    member = get_scoped(User, provider=request.user.provider, pk=user_id)

    def perform(data) -> str:
        services.staff_password_reset_send(
            user=member, base_url=request.build_absolute_uri("/"), actor=actor_for(request), request=request
        )
        return f"A link to set a new password has been emailed to {member.email}."

    return _settings_dialog(
        request, section="staff", template="tenancy/settings_edit.html", form=bound(ConfirmForm, request),
        perform=perform, title=f"Email {member.display_name} a reset link", submit="Email a reset link",
        success_url=reverse("settings:staff_edit", args=[member.pk]),
        context={"back": "settings:staff"},
    )  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def staff_mfa_reset(request, user_id: int):
    member = get_scoped(User, provider=request.user.provider, pk=user_id)

    def perform(data) -> str:
        services.staff_mfa_reset(user=member, actor=actor_for(request), request=request)
        return f"Two-factor sign-in of {member.display_name} is off."

    return _settings_dialog(
        request, section="staff", template="tenancy/settings_edit.html", form=bound(ConfirmForm, request),
        perform=perform, title=f"Turn off two-factor sign-in of {member.display_name}",
        submit="Turn off two-factor sign-in", success_url=reverse("settings:staff_edit", args=[member.pk]),
        context={"back": "settings:staff"},
    )  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def security(request):
    """Which roles must sign in with a second factor."""
    provider = request.user.provider

    def perform(data) -> str:
        services.provider_mfa_roles_set(
            provider=provider, roles=data["mfa_required_roles"], actor=actor_for(request), request=request
        )
        return "Sign-in security saved."

    initial = {"mfa_required_roles": provider.mfa_required_roles}
    return _settings_dialog(
        request, section="security", template="tenancy/settings_security.html",
        form=bound(MfaRolesForm, request, initial=initial), perform=perform, title="Sign-in security",
        success_url=reverse("settings:security"),
    )  # fmt: skip


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
        return _settings_dialog(
            request, section=section, template="tenancy/settings_edit.html", form=form, perform=perform,
            title=f"Rename {item.name}", success_url=success_url, context={"back": f"settings:{section}"},
        )  # fmt: skip
    items = model.objects.filter(provider=provider).order_by("name")[:1000]
    return _settings_dialog(
        request, section=section, template="tenancy/settings_catalogue.html", form=form, perform=perform,
        title=f"Add a {label.lower()}", submit="Add", success_url=success_url,
        context={"items": items, "label": label},
    )  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def groups(request, item_id: int | None = None):
    return _catalogue(request, model=CustomerGroup, section="groups", label="Group",
                      save=customer_services.group_save, item_id=item_id)  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def tags(request, item_id: int | None = None):
    return _catalogue(request, model=Tag, section="tags", label="Tag",
                      save=customer_services.tag_save, item_id=item_id)  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def catalogue_delete(request, section: str, item_id: int):
    """A group or a tag: GET asks for confirmation on a page of its own (no script needed), POST
    deletes; one that customers use stays, with the reason on the page."""
    model, label = {"groups": (CustomerGroup, "group"), "tags": (Tag, "tag")}.get(section, (None, ""))
    if model is None:
        raise Http404()
    item = get_scoped(model, provider=request.user.provider, pk=item_id)

    def perform(data) -> str:
        customer_services.catalogue_delete(item=item, actor=actor_for(request))
        return f"{item.name} deleted."

    return _settings_dialog(
        request, section=section, template="tenancy/settings_confirm_delete.html",
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
    form = CustomFieldDefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            customer_services.custom_field_definition_save(
                provider=provider, data=form.data_for_service(), definition=item, actor=actor_for(request)
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Custom field saved.")
            return redirect("settings:custom_fields")
    if item:
        return _render(request, "tenancy/settings_edit.html", "custom_fields",
                       {"form": form, "title": f"Edit {item.name}", "back": "settings:custom_fields"},
                       status=_status(request))  # fmt: skip
    items = CustomFieldDefinition.objects.filter(provider=provider)[:500]
    return _render(request, "tenancy/settings_custom_fields.html", "custom_fields",
                   {"form": form, "items": items}, status=_status(request))  # fmt: skip


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
            customer_services.alert_definition_save(
                provider=provider, data=form.cleaned_data, definition=item, actor=actor_for(request)
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Alert banner rule saved.")
            return redirect("settings:alerts")
    if item:
        return _render(request, "tenancy/settings_edit.html", "alerts",
                       {"form": form, "title": f"Edit {item.name}", "back": "settings:alerts"},
                       status=_status(request))  # fmt: skip
    items = AlertDefinition.objects.filter(provider=provider)[:500]
    return _render(request, "tenancy/settings_alerts.html", "alerts", {"form": form, "items": items},
                   status=_status(request))  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def usage(request):
    provider = request.user.provider
    if not provider.has_module("usage"):
        raise Http404()
    current = usage_services.usage_thresholds(provider)
    form = UsageThresholdsForm(request.POST or None, initial={"thresholds": ", ".join(map(str, current))})
    if request.method == "POST" and form.is_valid():
        try:
            usage_services.usage_thresholds_set(
                provider=provider, thresholds=form.cleaned_data["thresholds"], actor=actor_for(request)
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Usage notification thresholds saved.")
            return redirect("settings:usage")
    return _render(request, "tenancy/settings_usage.html", "usage", {"form": form, "thresholds": current},
                   status=_status(request))  # fmt: skip


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
                network_services.device_type_update(
                    device_type=item, actor=actor_for(request), **form.cleaned_data
                )
            else:
                network_services.device_type_add(
                    provider=provider, actor=actor_for(request), **form.cleaned_data
                )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"Device type {form.cleaned_data['name'].strip()} saved.")
            return redirect("settings:device_types")
    if item:
        return _render(request, "tenancy/settings_edit.html", "device_types",
                       {"form": form, "title": f"Rename {item.name}", "back": "settings:device_types"},
                       status=_status(request))  # fmt: skip
    items = network_selectors.device_type_list(provider=provider)
    return _render(request, "tenancy/settings_device_types.html", "device_types",
                   {"form": form, "items": items}, status=_status(request))  # fmt: skip
