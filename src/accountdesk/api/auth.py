"""API authentication: a Bearer token, or the browser's session (with CSRF on writes).

Authentication is the first thing an API request meets: nothing reads the body, looks up an
Idempotency-Key or touches a record before it. Once the caller is known, the body is checked
(JSON, not nested too deep) so that every endpoint refuses a bad body with the same 400.
"""

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from accountdesk.api.body import request_json
from accountdesk.core.actors import Actor
from accountdesk.core.errors import PermissionDenied
from accountdesk.tenancy.models import ApiToken
from accountdesk.tenancy.services import mfa_state

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ReadOnlyToken(PermissionDenied):
    code = "read_only_token"
    default_message = "This API token is read-only: it may only read (GET)."


def _signed_in(request: HttpRequest, actor: Actor):
    request.actor = actor
    request_json(request)  # a body that is not JSON, or nests too deep, is a 400 here
    return actor.user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        row = ApiToken.objects.lookup(token)
        if row is None:
            # A token was sent and is unknown, revoked or expired: that is the answer, even if the
            # same request also carries a browser session.
            raise AuthenticationError()
        if row.is_read_only and request.method not in SAFE_METHODS:
            raise ReadOnlyToken()
        request.api_token = row
        return _signed_in(request, Actor.api(row.user))


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
        if request.method not in SAFE_METHODS:
            # The session is a cookie the browser sends by itself: writes need the CSRF token.
            reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if reason is not None:
                return None
        return _signed_in(request, Actor.staff(user))


def actor_of(request: HttpRequest) -> Actor:
    return request.actor
