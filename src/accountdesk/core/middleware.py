"""Server-Timing (database time, queries, total), session lifetimes, Permissions-Policy."""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from accountdesk.core import clock
from accountdesk.core.redirects import safe_next
from accountdesk.core.views_support import is_htmx

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class _QueryTimer:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


def _is_staff_request(request: HttpRequest) -> bool:
    """Signed in by the API's Bearer token (which sets request.actor) or by the staff session."""
    if getattr(request, "actor", None) is not None:
        return True
    user = getattr(request, "user", None)
    return user is not None and bool(user.is_authenticated)


class ServerTimingMiddleware:
    """The timing says how much work a request cost, which helps an attacker probe (a lookup that
    finds a row costs more than one that does not): it goes to signed-in staff only, unless
    ACCOUNTDESK_SERVER_TIMING_PUBLIC is set."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        timer = _QueryTimer()
        start = time.perf_counter()
        with connections["default"].execute_wrapper(timer):
            response = self.get_response(request)
        total_ms = (time.perf_counter() - start) * 1000
        if settings.ACCOUNTDESK_SERVER_TIMING_PUBLIC or _is_staff_request(request):
            response["Server-Timing"] = (
                f'db;dur={timer.seconds * 1000:.1f};desc="{timer.count} queries", total;dur={total_ms:.1f}'
            )
        return response


SEEN_KEY = "_seen"
SIGNED_IN_KEY = "_signed_in_at"


def session_stamp(request: HttpRequest) -> None:
    request.session[SEEN_KEY] = int(clock.now().timestamp())


def stamp_session_at_sign_in(
    sender: object, request: HttpRequest | None, user: object, **kwargs: Any
) -> None:
    """Connected to user_logged_in: the session is saved at sign-in anyway, so the first pages
    after it need not save it again. The sign-in time bounds the session's whole life."""
    if request is not None and hasattr(request, "session"):
        session_stamp(request)
        request.session[SIGNED_IN_KEY] = int(clock.now().timestamp())


def _signed_out_answer(request: HttpRequest) -> HttpResponseBase | None:
    """Where an ended session goes: sign-in, then back to the page (a path on this site) it was on.
    HTMX asks for a fragment, so it gets HX-Redirect to take the whole window there; the API
    carries on unauthenticated and answers 401 by itself."""
    if request.path_info.startswith("/api/"):
        return None
    if is_htmx(request):
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        here = current.path + (f"?{current.query}" if current.query else "")
        response = HttpResponse(status=204)
        response["HX-Redirect"] = redirect_to_login(safe_next(here, "/"))["Location"]
        return response
    return redirect_to_login(safe_next(request.get_full_path(), "/"))


class SlidingSessionMiddleware:
    """Keep a signed-in staff session alive while it is used (SESSION_COOKIE_AGE after the last
    activity), saving it at most once every few minutes: saving it on every request would cost
    three queries on every page. However busy, a session ends ACCOUNTDESK_SESSION_ABSOLUTE_AGE
    after sign-in (a session with no sign-in time is from before that rule, and ends now)."""

    REFRESH_EVERY = 300  # seconds

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in:
            now = clock.now().timestamp()
            signed_in_at = request.session.get(SIGNED_IN_KEY)
            if signed_in_at is None or now - signed_in_at >= settings.ACCOUNTDESK_SESSION_ABSOLUTE_AGE:
                logout(request)
                answer = _signed_out_answer(request)
                if answer is not None:
                    return answer
            elif now - request.session.get(SEEN_KEY, 0) >= self.REFRESH_EVERY:
                session_stamp(request)  # modified: saved with a fresh expiry
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response (settings.PERMISSIONS_POLICY): camera, microphone,
    geolocation, payment and the like are off, so an injected script or frame cannot ask for them."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.policy:
            response.setdefault("Permissions-Policy", self.policy)
        return response
