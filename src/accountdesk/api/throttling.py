"""The API's rate limit: at most settings.API_RATE_PER_MINUTE requests per user (whether by token or
by session) in each clock minute; past it, 429 `throttled` with a Retry-After header. Expensive work
(exports, ask, statements) has its own, lower limit per user: `api_rate_limited`."""

import threading
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from accountdesk.core.limits import window_count, work_rate_check


class UserRateThrottle(BaseThrottle):
    def __init__(self) -> None:
        self._refused = threading.local()  # the wait of the request just refused, for wait()

    def allow_request(self, request: HttpRequest) -> bool:
        limit = settings.API_RATE_PER_MINUTE
        user = getattr(request, "auth", None)
        if not limit or user is None:
            return True
        count, left = window_count(f"api-rate:{user.pk}")
        if count <= limit:
            return True
        self._refused.wait = left
        return False

    def wait(self) -> float | None:
        return getattr(self._refused, "wait", None)


def api_rate_limited(work: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """An API handler that starts `work`: past the user's rate, 429 `throttled` with Retry-After
    (core.limits.RateLimited, answered by the API's error handler)."""

    def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(handler)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            user = getattr(request, "auth", None)  # set by authentication, which runs first
            if user is not None:
                work_rate_check(user_id=user.pk, work=work)
            return handler(request, *args, **kwargs)

        return wrapped

    return decorate
