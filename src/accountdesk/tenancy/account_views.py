"""The signed-in user's own account security: two-factor sign-in, recovery codes, password."""

import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from accountdesk.core.dialogs import Dialog, Page, bound, dialog_respond
from accountdesk.core.forms import ConfirmForm
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


def _security_context(request) -> dict:
    user = request.user
    pending = None if user.mfa_enabled else services.totp_device_pending(user)
    context = {
        "required": user.provider.mfa_required_for(user.role),
        "pending": pending,
        "start_form": ConfirmForm(),
        "confirm_form": TotpConfirmForm(),
        "regenerate_form": ConfirmForm(),
        "disable_form": MfaDisableForm(),
        "password_form": PasswordChangeForm(),
        "codes_left": services.recovery_codes_left(user) if user.mfa_enabled else 0,
    }
    if pending is not None:
        context.update(
            otpauth_uri=pending.config_url, qr_svg=_qr_svg(pending.config_url), secret=_secret_text(pending)
        )
    return context


def _security_write(request, name: str, form_class, perform, *, done=None):
    """One of the security page's forms (`name` in its template) through the one dialog: an error
    shows the page again with the message on that form (400)."""
    form = bound(form_class, request)
    dialog = Dialog(
        form=form,
        perform=perform,
        title="Password and two-factor sign-in",
        submit="Save",
        template="tenancy/account_security.html",
        context={name: form},
    )
    page = Page("tenancy/account_security.html", lambda: _security_context(request))
    return dialog_respond(request, dialog, page=page, success_url=reverse("account:security"), done=done)


@never_cache
@login_required
@require_GET
def security(request):
    return render(request, "tenancy/account_security.html", _security_context(request))


@never_cache
@login_required
@require_POST
def totp_start(request):
    def perform(data) -> str:
        services.mfa_totp_start(user=request.user)
        return ""

    return _security_write(request, "start_form", ConfirmForm, perform)


def _codes_page(request, codes: list[str], *, first: bool):
    return render(request, "tenancy/account_recovery_codes.html", {"codes": codes, "first": first})


@never_cache
@login_required
@require_POST
def totp_confirm(request):
    confirmed = []

    def perform(data) -> str:
        confirmed.append(services.mfa_totp_confirm(user=request.user, code=data["code"], request=request))
        return ""

    def done(message: str):
        device, codes = confirmed[0]
        otp_login(request, device)  # this session proved the new factor just now
        return _codes_page(request, codes, first=True)

    return _security_write(request, "confirm_form", TotpConfirmForm, perform, done=done)


@never_cache
@login_required
@require_POST
def recovery_regenerate(request):
    made = []

    def perform(data) -> str:
        made.extend(services.mfa_recovery_regenerate(user=request.user, request=request))
        return ""

    return _security_write(
        request,
        "regenerate_form",
        ConfirmForm,
        perform,
        done=lambda message: _codes_page(request, made, first=False),
    )


@never_cache
@login_required
@require_POST
def mfa_disable(request):
    def perform(data) -> str:
        services.mfa_disable(user=request.user, password=data["password"], code=data["code"], request=request)
        return "Two-factor sign-in is off."

    return _security_write(request, "disable_form", MfaDisableForm, perform)


@never_cache
@login_required
@require_POST
def password_change(request):
    def perform(data) -> str:
        services.password_change(
            user=request.user,
            current_password=data["current_password"],
            new_password=data["new_password"],
            request=request,
        )
        device = getattr(request.user, "otp_device", None)
        update_session_auth_hash(request, request.user)  # this session stays; the others end
        if device is not None:
            otp_login(request, device)
        return "Password changed. Your other sessions have been signed out."

    return _security_write(request, "password_form", PasswordChangeForm, perform)
