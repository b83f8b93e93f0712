"""Sign-in by email with throttling of repeated failures."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from accountdesk.tenancy.models import User


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = (email or username or "").strip().lower()
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


def _keys(email: str, address: str) -> list[str]:
    return [f"signin-fail:email:{email.lower()}", f"signin-fail:ip:{address}"]


def signin_blocked(email: str, address: str) -> bool:
    # One address may serve a whole office, so it gets a wider allowance than one email.
    email_key, address_key = _keys(email, address)
    counts = cache.get_many([email_key, address_key])
    limit = settings.SIGNIN_MAX_FAILURES
    return counts.get(email_key, 0) >= limit or counts.get(address_key, 0) >= limit * 4


def signin_failed(email: str, address: str) -> None:
    for key in _keys(email, address):
        if cache.add(key, 1, settings.SIGNIN_FAILURE_WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.SIGNIN_FAILURE_WINDOW)


def signin_succeeded(email: str) -> None:
    cache.delete(f"signin-fail:email:{email.lower()}")
