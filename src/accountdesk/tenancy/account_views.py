"""The signed-in user's own account security: two-factor sign-in, recovery codes, password."""

import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from accountdesk.core.errors import DomainError
from accountdesk.core.views_support import form_add_domain_error
from accountdesk.tenancy import services
from accountdesk.tenancy.forms import MfaDisableForm, PasswordChangeForm, TotpConfirmForm


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    # Sized by its box on the page rather than in millimetres.
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg width="100%" height="100%"', svg, count=1)


def _secret_text(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _page(request, *, status: int = 200, **forms):
    user = request.user
    pending = None if user.mfa_enabled else services.totp_device_pending(user)
    context = {
        "required": user.provider.mfa_required_for(user.role),
        "pending": pending,
        "confirm_form": forms.get("confirm_form") or TotpConfirmForm(),
        "disable_form": forms.get("disable_form") or MfaDisableForm(),
        "password_form": forms.get("password_form") or PasswordChangeForm(),
        "codes_left": services.recovery_codes_left(user) if user.mfa_enabled else 0,
    }
    if pending is not None:
        context.update(
            otpauth_uri=pending.config_url, qr_svg=_qr_svg(pending.config_url), secret=_secret_text(pending)
        )
    return render(request, "tenancy/account_security.html", context, status=status)


@never_cache
@login_required
@require_GET
def security(request):
    return _page(request)


@never_cache
@login_required
@require_POST
def totp_start(request):
    try:
        services.mfa_totp_start(user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("account:security")


def _codes_page(request, codes: list[str], *, first: bool):
    return render(request, "tenancy/account_recovery_codes.html", {"codes": codes, "first": first})


@never_cache
@login_required
@require_POST
def totp_confirm(request):
    form = TotpConfirmForm(request.POST)
    if form.is_valid():
        try:
            device, codes = services.mfa_totp_confirm(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            otp_login(request, device)  # this session proved the new factor just now
            return _codes_page(request, codes, first=True)
    return _page(request, confirm_form=form, status=400)


@never_cache
@login_required
@require_POST
def recovery_regenerate(request):
    try:
        codes = services.mfa_recovery_regenerate(user=request.user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("account:security")
    return _codes_page(request, codes, first=False)


@never_cache
@login_required
@require_POST
def mfa_disable(request):
    form = MfaDisableForm(request.POST)
    if form.is_valid():
        try:
            services.mfa_disable(
                user=request.user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                request=request,
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Two-factor sign-in is off.")
            return redirect("account:security")
    return _page(request, disable_form=form, status=400)


@never_cache
@login_required
@require_POST
def password_change(request):
    form = PasswordChangeForm(request.POST)
    if form.is_valid():
        try:
            services.password_change(
                user=request.user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
                request=request,
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            device = getattr(request.user, "otp_device", None)
            update_session_auth_hash(request, request.user)  # this session stays; the others end
            if device is not None:
                otp_login(request, device)
            messages.success(request, "Password changed. Your other sessions have been signed out.")
            return redirect("account:security")
    return _page(request, password_form=form, status=400)
