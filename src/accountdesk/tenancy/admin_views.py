"""Provider administration, inside the product, for admins of that provider. Every object is looked
up within the admin's provider (another provider's id is a 404); every write goes through a service.

Tenancy's own sections live here; an app serves its own sections (its `settings_urlpatterns`, in
the "settings" namespace) with `admin_page` and `settings_dialog` (writes) or `settings_page` (reads)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import Dialog, bound, dialog_respond
from accountdesk.core.errors import NotFound
from accountdesk.core.forms import ConfirmForm
from accountdesk.core.tenancy import get_scoped
from accountdesk.core.views_support import actor_for, require_perm
from accountdesk.tenancy import selectors, services
from accountdesk.tenancy.admin_forms import MfaRolesForm, ProviderForm, StaffAddForm, StaffEditForm
from accountdesk.tenancy.models import MODULES, User
from accountdesk.tenancy.settings_sections import settings_context


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


def settings_page(request, template: str, section: str, context: dict, *, status: int = 200):
    """A settings page (of tenancy or of the app that registered `section`), drawn in the settings
    layout with `section` current in its menu."""
    return render(request, template, {**settings_context(request, section), **context}, status=status)


def settings_dialog(request, *, section: str, template: str, form, perform, title: str, success_url: str,
                    submit: str = "Save", context: dict | None = None, done=None):  # fmt: skip
    """A settings page's write through the one dialog (core.dialogs): the page is the dialog's
    template, drawn in the settings layout under `section`. `done` answers a success itself (a
    secret shown once) instead of the redirect to `success_url`."""
    dialog = Dialog(
        form=form,
        perform=perform,
        title=title,
        submit=submit,
        template=template,
        context={**settings_context(request, section), "title": title, **(context or {})},
    )
    return dialog_respond(request, dialog, success_url=success_url, done=done)


@admin_page
@require_http_methods(["GET", "POST"])
def overview(request):
    provider = request.user.provider
    initial = {
        "agent_credit_limit": provider.agent_credit_limit,
        "agent_credit_limit_30d": provider.agent_credit_limit_30d,
        "credit_auto_apply": provider.credit_auto_apply,
        "address": provider.address,
        "tax_number": provider.tax_number,
        "payment_instructions": provider.payment_instructions,
        **provider.modules,
    }

    def perform(data) -> str:
        services.provider_update(
            provider=provider,
            modules={m: data[m] for m in MODULES},
            agent_credit_limit=data["agent_credit_limit"],
            agent_credit_limit_30d=data["agent_credit_limit_30d"],
            credit_auto_apply=data["credit_auto_apply"],
            invoice_texts={name: data[name] for name in ("address", "tax_number", "payment_instructions")},
            logo=data["logo"],
            logo_remove=data["logo_remove"],
            actor=actor_for(request),
        )
        return "Settings saved."

    return settings_dialog(
        request, section="overview", template="tenancy/settings_overview.html",
        form=bound(ProviderForm, request, initial=initial), perform=perform, title="Settings",
        success_url=reverse("settings:overview"),
        context={"logo": selectors.provider_logo(provider=provider)},
    )  # fmt: skip


@admin_page
@require_http_methods(["GET", "POST"])
def staff_list(request):
    provider = request.user.provider

    def perform(data) -> str:
        user = services.staff_add(provider=provider, actor=actor_for(request), request=request, **data)
        return f"{user.display_name} can now sign in as {user.get_role_display()}."

    return settings_dialog(
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

    return settings_dialog(
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

    return settings_dialog(
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

    return settings_dialog(
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
    return settings_dialog(
        request, section="security", template="tenancy/settings_security.html",
        form=bound(MfaRolesForm, request, initial=initial), perform=perform, title="Sign-in security",
        success_url=reverse("settings:security"),
    )  # fmt: skip
