"""Provider administration, inside the product, for admins of that provider. Every object is looked
up within the admin's provider (another provider's id is a 404); every write goes through a service.

Tenancy's own sections live here; an app serves its own sections (its `settings_urlpatterns`, in
the "settings" namespace) with `admin_page` and `settings_page`."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accountdesk.core.errors import DomainError, NotFound
from accountdesk.core.tenancy import get_scoped
from accountdesk.core.views_support import actor_for, form_add_domain_error, require_perm
from accountdesk.tenancy import services
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


def settings_status(request) -> int:
    """A settings page drawn again after a POST shows a form with errors: 400."""
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
    return settings_page(
        request, "tenancy/settings_overview.html", "overview", {"form": form}, status=settings_status(request)
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
    return settings_page(
        request,
        "tenancy/settings_staff.html",
        "staff",
        {"form": form, "staff": staff},
        status=settings_status(request),
    )


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
    return settings_page(
        request,
        "tenancy/settings_staff_edit.html",
        "staff",
        {"form": form, "title": f"Edit {member.display_name}", "back": "settings:staff", "member": member},
        status=settings_status(request),
    )


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
                provider=provider,
                roles=form.cleaned_data["mfa_required_roles"],
                actor=actor_for(request),
                request=request,
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Sign-in security saved.")
            return redirect("settings:security")
    return settings_page(
        request, "tenancy/settings_security.html", "security", {"form": form}, status=settings_status(request)
    )
