"""Signing in and out of the portal, passwords and emailed links. Messages are the same whatever
the email: nothing here says whether an address has an account."""

import math

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accountdesk.core.client import client_address
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.views_support import form_add_domain_error
from accountdesk.portal import selectors, services
from accountdesk.portal.forms import SignInForm
from accountdesk.portal.models import LinkPurpose
from accountdesk.portal.page import portal_next
from accountdesk.portal.sessions import cookie_clear, cookie_set, portal_session_of
from accountdesk.tenancy.auth import normalize_email, signin_attempt
from accountdesk.tenancy.forms import PasswordResetRequestForm, SetPasswordForm

SIGN_IN_FAILED = "That email and password do not match an account."
LINK_INVALID = "This link has expired or has already been used."


def _provider_of(request):
    """The provider named by `?provider=slug` (links in the portal's emails carry it), for its name."""
    return selectors.provider_by_slug(request.POST.get("provider") or request.GET.get("provider") or "")


def _signed_in(key: str, next_url: str = "") -> HttpResponse:
    response = redirect(portal_next(next_url))
    cookie_set(response, key)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if portal_session_of(request) is not None:
        return redirect("portal:home")
    provider = _provider_of(request)
    form = SignInForm(request.POST if request.method == "POST" else None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status, blocked, headers = 200, "", {}
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result = services.portal_sign_in(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                address=client_address(request),
                provider=provider,
            )
            if result.session_key:
                return _signed_in(result.session_key, next_url)
            if result.throttled:
                minutes = max(1, math.ceil(result.retry_after / 60))
                blocked = f"Too many tries. Wait {minutes} minute{'s' if minutes != 1 else ''} and try again."
                headers["Retry-After"] = str(result.retry_after)
                status = 429
            else:
                form.add_error(None, SIGN_IN_FAILED)
    context = {"form": form, "next": next_url, "blocked": blocked, "provider": provider}
    response = render(request, "portal/sign_in.html", context, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


@require_POST
def sign_out(request):
    """Sign out; for staff using the portal as a contact, back to the customer's Contacts tab."""
    session = portal_session_of(request)
    target = reverse("portal:sign_in")
    if session is not None:
        if session.is_impersonation:
            target = reverse("tabs:contacts", args=[session.contact.customer_id])
        services.portal_sign_out(session=session, request=request)
    response = redirect(target)
    cookie_clear(response)
    return response


def _link_request(request, purpose: str, template: str):
    provider = _provider_of(request)
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = normalize_email(form.cleaned_data["email"])
        if signin_attempt(f"portal-link:{email}", client_address(request)).allowed:
            services.portal_link_request(
                email=email, purpose=purpose, base_url=request.build_absolute_uri("/"), provider=provider
            )
        return render(request, "portal/link_sent.html", {"provider": provider, "purpose": purpose})
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, "provider": provider}, status=status)


@require_http_methods(["GET", "POST"])
def password_forgot(request):
    return _link_request(request, LinkPurpose.RESET, "portal/password_forgot.html")


@require_http_methods(["GET", "POST"])
def sign_in_link_request(request):
    return _link_request(request, LinkPurpose.SIGN_IN, "portal/sign_in_link_request.html")


@never_cache
@require_http_methods(["GET", "POST"])
def password_set(request, token: str):
    """Choose a password from an invitation or reset link; signed in straight after."""
    link = selectors.link_valid(token=token, purposes=services.LINK_PURPOSES_FOR_PASSWORD)
    if link is None:
        return render(request, "portal/link_invalid.html", {"message": LINK_INVALID}, status=400)
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            key = services.portal_password_set_by_link(
                token=token, password=form.cleaned_data["new_password"]
            )
        except ValidationFailed as error:
            form_add_domain_error(form, error)
        else:
            if key is None:
                return render(request, "portal/link_invalid.html", {"message": LINK_INVALID}, status=400)
            return _signed_in(key)
    context = {
        "form": form,
        "account": link.account,
        "provider": link.account.contact.customer.provider,
        "link": link,
    }
    return render(
        request, "portal/password_set.html", context, status=400 if request.method == "POST" else 200
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request, token: str):
    """An emailed sign-in link. GET only shows a button: mail scanners that fetch links must not use it up."""
    link = selectors.link_valid(token=token, purposes=(LinkPurpose.SIGN_IN,))
    if link is None:
        return render(request, "portal/link_invalid.html", {"message": LINK_INVALID}, status=400)
    if request.method == "POST":
        key = services.portal_sign_in_by_link(token=token)
        if key is None:
            return render(request, "portal/link_invalid.html", {"message": LINK_INVALID}, status=400)
        return _signed_in(key)
    return render(
        request,
        "portal/sign_in_link.html",
        {"account": link.account, "provider": link.account.contact.customer.provider},
    )
