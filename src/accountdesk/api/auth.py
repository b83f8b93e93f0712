"""API authentication: a Bearer token, or the browser's session (with CSRF on writes)."""

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from ninja.security import APIKeyCookie, HttpBearer

from accountdesk.core.actors import Actor
from accountdesk.tenancy.models import ApiToken
from accountdesk.tenancy.services import mfa_state


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = ApiToken.objects.authenticate(token)
        if user is None:
            return None
        request.actor = Actor.api(user)
        return user


class BrowserSession(APIKeyCookie):
    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if mfa_state(user) != "ok":
            return None  # signed in with a password only: the second step is still due
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # The session is a cookie the browser sends by itself: writes need the CSRF token.
            reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if reason is not None:
                return None
        request.actor = Actor.staff(user)
        return user


def actor_of(request: HttpRequest) -> Actor:
    return request.actor
