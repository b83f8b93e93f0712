"""The API's rate limit: at most settings.API_RATE_PER_MINUTE requests per user (whether by token or
by session) in each clock minute; past it, 429 `throttled` with a Retry-After header."""

import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

WINDOW = 60


class UserRateThrottle(BaseThrottle):
    def __init__(self) -> None:
        self._refused = threading.local()  # the wait of the request just refused, for wait()

    def allow_request(self, request: HttpRequest) -> bool:
        limit = settings.API_RATE_PER_MINUTE
        user = getattr(request, "auth", None)
        if not limit or user is None:
            return True
        now = time.time()
        cache = caches[settings.API_RATE_CACHE]
        key = f"api-rate:{user.pk}:{int(now // WINDOW)}"
        cache.add(key, 0, WINDOW * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, WINDOW * 2)
            count = 1
        if count <= limit:
            return True
        self._refused.wait = WINDOW - now % WINDOW
        return False

    def wait(self) -> float | None:
        return getattr(self._refused, "wait", None)
