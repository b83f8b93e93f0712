"""Two-factor sign-in on every staff page: a user with an authenticator reaches nothing but the code
step until the session is verified; a user whose role requires one reaches nothing but the set-up."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accountdesk.tenancy.services import mfa_state

# Paths open whatever the session still needs. The API checks the session itself (api/auth.py),
# so a Bearer token call is never turned away here.
OPEN_PREFIXES = ("/static/", "/api/", "/healthz", "/logout/")


class TwoFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(OPEN_PREFIXES):
            state = mfa_state(request.user)
            if state == "verify" and path != reverse("login_code"):
                return _send(request, reverse("login_code"), request.get_full_path())
            if state == "enrol" and not path.startswith(reverse("account:security")):
                return _send(request, reverse("account:security"))
        return self.get_response(request)


def _send(request, url: str, next_url: str = ""):
    if next_url and request.method == "GET" and next_url != "/":
        url = f"{url}?{urlencode({'next': next_url})}"
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
