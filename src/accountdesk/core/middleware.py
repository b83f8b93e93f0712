"""Server-Timing on every response: the database time, the number of queries, the total."""

import time

from django.db import connections

from accountdesk.core import clock


class _QueryTimer:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class ServerTimingMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        timer = _QueryTimer()
        start = time.perf_counter()
        with connections["default"].execute_wrapper(timer):
            response = self.get_response(request)
        total_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = (
            f'db;dur={timer.seconds * 1000:.1f};desc="{timer.count} queries", total;dur={total_ms:.1f}'
        )
        return response


def session_stamp(request) -> None:
    request.session["_seen"] = int(clock.now().timestamp())


def stamp_session_at_sign_in(sender, request, user, **kwargs) -> None:
    """Connected to user_logged_in: the session is saved at sign-in anyway, so the first pages
    after it need not save it again."""
    if request is not None and hasattr(request, "session"):
        session_stamp(request)


class SlidingSessionMiddleware:
    """Keep a signed-in staff session alive while it is used (SESSION_COOKIE_AGE after the last
    activity), saving it at most once every few minutes: saving it on every request would cost
    three queries on every page."""

    REFRESH_EVERY = 300  # seconds

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and clock.now().timestamp() - request.session.get("_seen", 0) >= self.REFRESH_EVERY:
            session_stamp(request)  # modified: saved with a fresh expiry
        return self.get_response(request)
