"""Signing in (password, then a code when the user has an authenticator), signing out, and resetting
a forgotten password by an emailed link."""

import math

from django.contrib.auth import login, logout
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from accountdesk.core.client import client_address
from accountdesk.core.dialogs import Dialog, bound, dialog_respond
from accountdesk.core.redirects import safe_next
from accountdesk.tenancy import services
from accountdesk.tenancy.auth import normalize_email, signin_attempt, signin_succeeded
from accountdesk.tenancy.forms import PasswordResetRequestForm, SetPasswordForm, SignInCodeForm, SignInForm
from accountdesk.tenancy.models import User


def _next_param(next_url: str) -> str:
    from urllib.parse import urlencode

    return f"?{urlencode({'next': next_url})}" if next_url else ""


@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.user.is_authenticated:
        return redirect("customers:list")
    form = SignInForm(request, data=request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    blocked_message = ""
    response_headers = {}
    if request.method == "POST":
        email = normalize_email(request.POST.get("username") or "")
        address = client_address(request)
        attempt = signin_attempt(email, address)
        if not attempt.allowed:
            # An unbound form (no password check at all while throttled) with the message beside it.
            form = SignInForm(request, initial={"username": email[:254]})
            minutes = max(1, math.ceil(attempt.retry_after / 60))
            blocked_message = (
                f"Too many failed attempts. Wait {minutes} minute{'s' if minutes != 1 else ''} and try again."
            )
            response_headers["Retry-After"] = str(attempt.retry_after)
            status = 429
        elif form.is_valid():
            signin_succeeded(email, address)
            user = form.get_user()
            login(request, user)
            next_url = safe_next(next_url, "")
            if user.mfa_enabled:
                return redirect(reverse("login_code") + _next_param(next_url))
            services.signin_record(user=user, request=request, method="password")
            if user.provider.mfa_required_for(user.role):
                return redirect("account:security")
            return redirect(next_url or "customers:list")
        else:
            services.signin_failure_record(email=email, request=request)
            status = 400
    response = render(
        request,
        "tenancy/sign_in.html",
        {"form": form, "next": next_url, "blocked_message": blocked_message},
        status=status,
    )
    for name, value in response_headers.items():
        response[name] = value
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The second step: a code from the authenticator app, or a recovery code."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    next_url = safe_next(request.POST.get("next") or request.GET.get("next"), "")
    if services.mfa_state(user) != "verify":
        return redirect(next_url or "customers:list")
    form = SignInCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if services.mfa_device_throttled(user):
            # Each wrong code doubles the wait before the next is looked at (django-otp's throttle).
            form.add_error("code", "Too many wrong codes. Wait a little and try again.")
        else:
            device = services.mfa_sign_in_verify(user=user, code=form.cleaned_data["code"], request=request)
            if device is not None:
                otp_login(request, device)
                request.session.cycle_key()  # a new session id for the fully signed-in session
                return redirect(next_url or "customers:list")
            form.add_error("code", "That code is not right.")
    if request.method == "POST":
        status = 400
    return render(request, "tenancy/sign_in_code.html", {"form": form, "next": next_url}, status=status)


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        services.signout_record(user=request.user, request=request)
    logout(request)
    return redirect("login")


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Ask for a reset link. The answer is the same whether or not the email is known."""

    def perform(data) -> str:
        email = data["email"]
        attempt = signin_attempt(f"reset:{normalize_email(email)}", client_address(request))
        if attempt.allowed:
            services.password_reset_request(
                email=email, base_url=request.build_absolute_uri("/"), request=request
            )
        return ""

    dialog = Dialog(
        form=bound(PasswordResetRequestForm, request),
        perform=perform,
        title="Reset your password",
        submit="Email me a link",
        template="tenancy/password_reset.html",
    )
    return dialog_respond(request, dialog, success_url=reverse("password_reset_sent"))


def password_reset_sent(request):
    return render(request, "tenancy/password_reset_sent.html")


def _user_from_link(uidb64: str, token: str) -> User | None:
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.select_related("provider").filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, uidb64: str, token: str):
    user = _user_from_link(uidb64, token)
    if user is None:
        return render(request, "tenancy/password_reset_confirm.html", {"invalid": True}, status=400)

    def perform(data) -> str:
        services.password_reset_complete(user=user, new_password=data["new_password"], request=request)
        return ""

    def done(message: str):
        if request.user.is_authenticated:
            logout(request)
        return render(request, "tenancy/password_reset_confirm.html", {"done": True})

    dialog = Dialog(
        form=bound(SetPasswordForm, request),
        perform=perform,
        title="Set a new password",
        submit="Set password",
        template="tenancy/password_reset_confirm.html",
    )
    return dialog_respond(request, dialog, done=done)
