"""Provider administration, inside the product, for admins of that provider. Every object is looked
up within the admin's provider (another provider's id is a 404); every write goes through a service."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accountdesk.core.errors import DomainError, NotFound
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
    form = ProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(
                provider=provider,
                modules={m: form.cleaned_data[m] for m in MODULES},
                agent_credit_limit=form.cleaned_data["agent_credit_limit"],
                agent_credit_limit_30d=form.cleaned_data["agent_credit_limit_30d"],
                credit_auto_apply=form.cleaned_data["credit_auto_apply"],
                actor=actor_for(request),
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("settings:overview")
    return _render(
        request, "tenancy/settings_overview.html", "overview", {"form": form}, status=_status(request)
    )


@admin_page
@require_http_methods(["GET", "POST"])
def staff_list(request):
    provider = request.user.provider
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_add(
                provider=provider, actor=actor_for(request), request=request, **form.cleaned_data
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"{user.display_name} can now sign in as {user.get_role_display()}.")
            return redirect("settings:staff")
    staff = User.objects.filter(provider=provider).order_by("name", "id")[:500]
    return _render(request, "tenancy/settings_staff.html", "staff", {"form": form, "staff": staff},
                   status=_status(request))  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def staff_edit(request, user_id: int):
    provider = request.user.provider
    member = get_scoped(User, provider=provider, pk=user_id)
    initial = {"name": member.name, "role": member.role, "is_active": member.is_active}
    form = StaffEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(user=member, actor=actor_for(request), request=request, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"{member.display_name} saved.")
            return redirect("settings:staff")
    return _render(request, "tenancy/settings_staff_edit.html", "staff",
                   {"form": form, "title": f"Edit {member.display_name}", "back": "settings:staff",
                    "member": member}, status=_status(request))  # fmt: skip


@admin_page
@require_POST
def staff_password_reset(request, user_id: int):
    """Email a staff member a link to set a new password."""
    member = get_scoped(User, provider=request.user.provider, pk=user_id)
    try:
        services.staff_password_reset_send(
            user=member, base_url=request.build_absolute_uri("/"), actor=actor_for(request), request=request
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"A link to set a new password has been emailed to {member.email}.")
    return redirect("settings:staff_edit", user_id=member.pk)


@admin_page
@require_POST
def staff_mfa_reset(request, user_id: int):
    member = get_scoped(User, provider=request.user.provider, pk=user_id)
    try:
        services.staff_mfa_reset(user=member, actor=actor_for(request), request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Two-factor sign-in of {member.display_name} is off.")
    return redirect("settings:staff_edit", user_id=member.pk)


@admin_page
@require_http_methods(["GET", "POST"])
def security(request):
    """Which roles must sign in with a second factor."""
    provider = request.user.provider
    form = MfaRolesForm(request.POST or None, initial={"mfa_required_roles": provider.mfa_required_roles})
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_mfa_roles_set(
                provider=provider, roles=form.cleaned_data["mfa_required_roles"], actor=actor_for(request),
                request=request,
            )  # fmt: skip
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Sign-in security saved.")
            return redirect("settings:security")
    return _render(request, "tenancy/settings_security.html", "security", {"form": form},
                   status=_status(request))  # fmt: skip


def _catalogue(request, *, model, section: str, label: str, save, item_id=None):
    """Groups and tags: a list with an add form, or one item's rename form."""
    provider = request.user.provider
    item = get_scoped(model, provider=provider, pk=item_id) if item_id else None
    form = NameForm(request.POST or None, initial={"name": item.name} if item else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(provider=provider, name=form.cleaned_data["name"], actor=actor_for(request), **(
                {section[:-1]: item} if item else {}))  # fmt: skip
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"{label} saved.")
            return redirect(f"settings:{section}")
    if item is not None:
        return _render(request, "tenancy/settings_edit.html", section,
                       {"form": form, "title": f"Rename {item.name}", "back": f"settings:{section}"},
                       status=_status(request))  # fmt: skip
    items = model.objects.filter(provider=provider).order_by("name")[:1000]
    return _render(request, "tenancy/settings_catalogue.html", section,
                   {"form": form, "items": items, "label": label}, status=_status(request))  # fmt: skip


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
    deletes."""
    model, label = {"groups": (CustomerGroup, "group"), "tags": (Tag, "tag")}.get(section, (None, ""))
    if model is None:
        raise Http404()
    item = get_scoped(model, provider=request.user.provider, pk=item_id)
    if request.method == "GET":
        return _render(request, "tenancy/settings_confirm_delete.html", section,
                       {"item": item, "label": label, "back": f"settings:{section}"})  # fmt: skip
    try:
        customer_services.catalogue_delete(item=item, actor=actor_for(request))
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
