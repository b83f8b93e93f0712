"""Signing in by email, the throttle on repeated failures, and the password hasher."""

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.test import override_settings

import accountdesk.settings as production_settings
from accountdesk.tenancy.auth import EmailBackend, signin_blocked, signin_failed, signin_succeeded
from tests.factories import UserFactory

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "auth-tests"}}


@pytest.fixture(autouse=True)
def _fresh_cache():
    with override_settings(CACHES=LOCMEM, SIGNIN_MAX_FAILURES=3, SIGNIN_FAILURE_WINDOW=900):
        cache.clear()
        yield
        cache.clear()


class TestBackend:
    @pytest.fixture
    def user(self, provider):
        return UserFactory(provider=provider, email="ada@acme.test")

    def test_it_signs_in_by_email_whatever_the_case(self, user):
        assert (
            EmailBackend().authenticate(None, username="  ADA@Acme.test ", password="correct-horse-battery")
            == user
        )

    def test_it_refuses_a_wrong_password(self, user):
        assert EmailBackend().authenticate(None, username="ada@acme.test", password="wrong") is None

    def test_it_refuses_an_unknown_email(self, db):
        assert EmailBackend().authenticate(None, username="nobody@acme.test", password="x") is None

    def test_it_refuses_an_inactive_user(self, user):
        user.is_active = False
        user.save()
        assert (
            EmailBackend().authenticate(None, username="ada@acme.test", password="correct-horse-battery")
            is None
        )
        assert EmailBackend().get_user(user.pk) is None

    def test_it_refuses_a_missing_password(self, user):
        assert EmailBackend().authenticate(None, username="ada@acme.test", password=None) is None


class TestThrottle:
    def test_it_blocks_an_email_after_the_allowed_failures(self, db):
        for _ in range(2):
            signin_failed("ada@acme.test", "10.0.0.1")
        assert not signin_blocked("ada@acme.test", "10.0.0.1")
        signin_failed("ada@acme.test", "10.0.0.1")
        assert signin_blocked("ada@acme.test", "10.0.0.1")
        assert signin_blocked("ADA@acme.test", "10.9.9.9")  # from anywhere: the email is the target
        assert not signin_blocked("grace@acme.test", "10.9.9.9")

    def test_it_blocks_an_address_trying_many_emails(self, db):
        for i in range(11):
            signin_failed(f"user{i}@acme.test", "10.0.0.2")
        assert not signin_blocked("new@acme.test", "10.0.0.2")
        signin_failed("user11@acme.test", "10.0.0.2")  # 12 = 4 x 3: one office, but a generous limit
        assert signin_blocked("new@acme.test", "10.0.0.2")
        assert not signin_blocked("new@acme.test", "10.0.0.3")

    def test_a_success_clears_the_email_count(self, db):
        for _ in range(2):
            signin_failed("ada@acme.test", "10.0.0.1")
        signin_succeeded("ada@acme.test")
        signin_failed("ada@acme.test", "10.0.0.1")
        assert not signin_blocked("ada@acme.test", "10.0.0.1")

    def test_the_block_ends_with_the_window(self, db, monkeypatch):
        import django.core.cache.backends.locmem as locmem

        now = [1_000_000.0]
        monkeypatch.setattr(locmem.time, "time", lambda: now[0])
        for _ in range(3):
            signin_failed("ada@acme.test", "10.0.0.1")
        assert signin_blocked("ada@acme.test", "10.0.0.1")
        now[0] += 901
        assert not signin_blocked("ada@acme.test", "10.0.0.1")


def test_production_hashes_passwords_with_argon2():
    assert production_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@override_settings(PASSWORD_HASHERS=production_settings.PASSWORD_HASHERS)
def test_the_production_hasher_really_works():
    hashed = make_password("s3cret-pass")
    assert hashed.startswith("argon2$argon2id$")
    assert check_password("s3cret-pass", hashed) and not check_password("other", hashed)


def test_production_sessions_expire_and_cookies_are_strict():
    assert 0 < production_settings.SESSION_COOKIE_AGE <= 24 * 3600
    assert production_settings.SESSION_COOKIE_HTTPONLY is True
