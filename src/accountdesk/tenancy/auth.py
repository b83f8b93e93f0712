"""Sign-in by email, and the throttle on guessing passwords.

The throttle counts in the database (`SignInCounter`), each count under a row lock, and an attempt
is counted *before* its password is checked: of many parallel guesses only the allowed number get a
password check. Keys are sha256 digests, so an email of any length fits.

Three counts, each within SIGNIN_FAILURE_WINDOW:
- one address trying one email: SIGNIN_MAX_FAILURES free tries, then an exponential back-off;
- one address trying any email: four times that (an office shares one address), then the same;
- one account from anywhere: never blocks (an attacker could otherwise keep its owner out), but at
  SIGNIN_ALERT_FAILURES failures the provider's security log gets one `signin.locked` alert.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F

from accountdesk.core import clock
from accountdesk.tenancy.models import SignInCounter, User


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = normalize_email(email or username or "")
        if not email or password is None:
            return None
        user = User.objects.select_related("provider").filter(email=email).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        user = User.objects.select_related("provider").filter(pk=user_id).first()
        return user if user and self.user_can_authenticate(user) else None


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _key(kind: str, *parts: str) -> str:
    return hashlib.sha256("\x00".join((kind, *parts)).encode()).hexdigest()


def _pair_key(email: str, address: str) -> str:
    return _key("pair", address, normalize_email(email))


def _address_key(address: str) -> str:
    return _key("address", address)


def _account_key(email: str) -> str:
    return _key("account", normalize_email(email))


@dataclass(frozen=True)
class Attempt:
    allowed: bool
    retry_after: int = 0  # seconds, when not allowed


def _count(key: str, *, limit: int | None, now: dt.datetime) -> tuple[bool, int, int]:
    """Count one attempt under `key`. Returns (allowed, count, retry_after seconds).

    An attempt made while backing off is refused and not counted. From the limit on, each counted
    attempt starts a back-off of SIGNIN_BACKOFF_SECONDS doubled per attempt past the limit, at most
    the window. Without a limit (the account's count) the window is fixed: it starts at the first
    failure. Must run inside a transaction (the row stays locked until it ends).
    """
    window = dt.timedelta(seconds=settings.SIGNIN_FAILURE_WINDOW)
    row, _ = SignInCounter.objects.select_for_update().get_or_create(
        key=key, defaults={"count": 0, "expires_at": now + window}
    )
    if row.expires_at <= now:
        row.count, row.blocked_until, row.expires_at = 0, None, now + window
    if row.blocked_until is not None and row.blocked_until > now:
        return False, row.count, max(1, int((row.blocked_until - now).total_seconds() + 0.999))
    row.count += 1
    if limit is not None:
        # The count is forgotten only after a quiet window past the last back-off, so someone who
        # keeps guessing stays at one try per window.
        row.expires_at = now + window
        if row.count >= limit:
            backoff = settings.SIGNIN_BACKOFF_SECONDS * 2 ** min(row.count - limit, 20)
            row.blocked_until = now + min(dt.timedelta(seconds=backoff), window)
            row.expires_at = row.blocked_until + window
    row.save()
    return True, row.count, 0


def signin_attempt(email: str, address: str) -> Attempt:
    """Count a sign-in attempt before its password is checked; refuse it while backing off."""
    limit = settings.SIGNIN_MAX_FAILURES
    now = clock.now()
    with transaction.atomic():
        # Address first, then the pair: every caller locks in the same order.
        allowed_address, _, wait_address = _count(_address_key(address), limit=limit * 4, now=now)
        if not allowed_address:
            return Attempt(False, wait_address)
        allowed_pair, _, wait_pair = _count(_pair_key(email, address), limit=limit, now=now)
        if not allowed_pair:
            # Not tried after all: give the address its count back.
            SignInCounter.objects.filter(key=_address_key(address)).update(count=F("count") - 1)
            return Attempt(False, wait_pair)
    return Attempt(True)


def signin_failed(email: str) -> int:
    """A failed password (the attempt is already counted): count it against the account too.
    Returns the account's failures within the window."""
    with transaction.atomic():
        _, count, _ = _count(_account_key(email), limit=None, now=clock.now())
    return count


def signin_succeeded(email: str, address: str) -> None:
    """The password was right: the pair starts afresh and the address gets this attempt back."""
    now = clock.now()
    with transaction.atomic():
        SignInCounter.objects.filter(key=_pair_key(email, address)).delete()
        SignInCounter.objects.filter(key=_address_key(address), count__gt=0).update(count=F("count") - 1)
        SignInCounter.objects.filter(expires_at__lt=now).delete()


def signin_alert_due(failures: int) -> bool:
    """Once per window: when the account's failures reach the alert threshold."""
    return failures == settings.SIGNIN_ALERT_FAILURES
