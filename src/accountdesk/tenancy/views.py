from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accountdesk.core.redirects import safe_next
from accountdesk.tenancy.auth import signin_blocked, signin_failed, signin_succeeded
from accountdesk.tenancy.forms import SignInForm


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.user.is_authenticated:
        return redirect("customers:list")
    form = SignInForm(request, data=request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    blocked_message = ""
    if request.method == "POST":
        email = (request.POST.get("username") or "").strip().lower()
        address = _client_address(request)
        if signin_blocked(email, address):
            # An unbound form (no password check at all while throttled) with the message beside it.
            form = SignInForm(request, initial={"username": email})
            blocked_message = "Too many failed attempts. Wait 15 minutes and try again."
            status = 429
        elif form.is_valid():
            signin_succeeded(email)
            login(request, form.get_user())
            return redirect(safe_next(next_url, reverse("customers:list")))
        else:
            signin_failed(email, address)
            status = 400
    return render(
        request,
        "tenancy/sign_in.html",
        {"form": form, "next": next_url, "blocked_message": blocked_message},
        status=status,
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("login")
