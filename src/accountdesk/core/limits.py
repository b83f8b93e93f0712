"""Limits on expensive work, per user: exports, ask and statements may each be started at most
settings.WORK_RATES_PER_MINUTE[work] times in a clock minute (0: no limit). Past that, 429 with a
Retry-After header saying when the minute ends: the API answers in its error format
(`api.throttling.api_rate_limited`), pages with our 429 page (`rate_limited`).

The count is the API rate limit's: per worker process in settings.API_RATE_CACHE.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accountdesk.core.errors import DomainError

WINDOW = 60

# What the error message counts: (one, several).
WORK_NAMES = {
    "exports": ("export", "exports"),
    "ask": ("question", "questions"),
    "statements": ("statement", "statements"),
}


class RateLimited(DomainError):
    status = 429
    code = "throttled"
    default_message = "Too many requests. Try again in a minute."

    def __init__(self, message: str = "", *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def window_count(key: str) -> tuple[int, float]:
    """Count one more under `key` in this clock minute: (the count so far, seconds left in it)."""
    now = time.time()
    cache = caches[settings.API_RATE_CACHE]
    minute_key = f"{key}:{int(now // WINDOW)}"
    cache.add(minute_key, 0, WINDOW * 2)
    try:
        count = cache.incr(minute_key)
    except ValueError:  # expired between add() and incr()
        cache.set(minute_key, 1, WINDOW * 2)
        count = 1
    return count, WINDOW - now % WINDOW


def work_rate_check(*, user_id: int, work: str) -> None:
    """Count one start of `work` ("exports", "ask", "statements") by the user, or RateLimited."""
    limit: int = settings.WORK_RATES_PER_MINUTE[work]
    if not limit:
        return
    count, left = window_count(f"work-rate:{work}:{user_id}")
    if count > limit:
        wait = max(1, int(left + 0.999))
        raise RateLimited(
            f"At most {limit} {WORK_NAMES[work][limit != 1]} a minute per user. "
            f"Try again in {wait} second{'s' if wait != 1 else ''}.",
            retry_after=wait,
        )


def rate_limited_response(request: HttpRequest, error: RateLimited) -> HttpResponse:
    response = render(request, "429.html", {"message": error.message}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def rate_limited(work: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A page view that starts `work`: past the user's rate, our 429 page instead."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.user.is_authenticated:
                try:
                    work_rate_check(user_id=request.user.pk, work=work)
                except RateLimited as error:
                    return rate_limited_response(request, error)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
