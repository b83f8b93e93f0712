"""Signing in by email, the throttle on repeated failures, and the password hasher."""

import datetime as dt
import threading

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.db import connection
from django.test import override_settings

import accountdesk.settings as production_settings
from accountdesk.audit.models import SecurityEvent
from accountdesk.core import clock
from accountdesk.tenancy.auth import EmailBackend, signin_attempt, signin_failed, signin_succeeded
from accountdesk.tenancy.models import SignInCounter
from tests.factories import UserFactory

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _throttle_settings():
    with override_settings(
        SIGNIN_MAX_FAILURES=3, SIGNIN_FAILURE_WINDOW=900, SIGNIN_BACKOFF_SECONDS=30, SIGNIN_ALERT_FAILURES=20
    ):
        yield


@pytest.fixture
def frozen():
    moment = [NOW]
    clock.freeze(NOW)

    def advance(seconds: int) -> None:
        moment[0] += dt.timedelta(seconds=seconds)
        clock.freeze(moment[0])

    yield advance
    clock.freeze(None)


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
    def test_one_address_gets_the_allowed_tries_on_one_email_then_waits(self, db, frozen):
        assert [signin_attempt("ada@acme.test", "10.0.0.1").allowed for _ in range(4)] == [
            True,
            True,
            True,
            False,
        ]
        refused = signin_attempt("ada@acme.test", "10.0.0.1")
        assert not refused.allowed and refused.retry_after == 30

    def test_the_owner_can_still_sign_in_from_another_address(self, db, frozen):
        for _ in range(10):
            signin_attempt("admin@acme.test", "10.6.6.6")  # an attacker hammering the admin
        assert signin_attempt("admin@acme.test", "10.0.0.1").allowed
        assert signin_attempt("ADMIN@acme.test ", "10.0.0.2").allowed

    def test_the_wait_doubles_with_each_further_failure(self, db, frozen):
        for _ in range(3):
            signin_attempt("ada@acme.test", "10.0.0.1")
        frozen(29)
        assert not signin_attempt("ada@acme.test", "10.0.0.1").allowed
        frozen(1)
        assert signin_attempt("ada@acme.test", "10.0.0.1").allowed  # 4th: now 60 s
        frozen(59)
        assert signin_attempt("ada@acme.test", "10.0.0.1").retry_after == 1
        frozen(1)
        assert signin_attempt("ada@acme.test", "10.0.0.1").allowed  # 5th: now 120 s
        assert signin_attempt("ada@acme.test", "10.0.0.1").retry_after == 120

    def test_the_wait_never_exceeds_the_window_and_the_window_forgets(self, db, frozen):
        for _ in range(3):
            signin_attempt("ada@acme.test", "10.0.0.1")
        for _ in range(6):  # 30, 60, 120, 240, 480, then capped at 900
            wait = signin_attempt("ada@acme.test", "10.0.0.1").retry_after
            frozen(wait)
            assert signin_attempt("ada@acme.test", "10.0.0.1").allowed
        assert signin_attempt("ada@acme.test", "10.0.0.1").retry_after == 900
        frozen(900)  # still guessing: one try per window
        assert [signin_attempt("ada@acme.test", "10.0.0.1").allowed for _ in range(2)] == [True, False]
        frozen(900 + 900)  # a quiet window after the wait: forgotten
        assert [signin_attempt("ada@acme.test", "10.0.0.1").allowed for _ in range(4)] == [True] * 3 + [False]

    def test_one_address_trying_many_emails_is_slowed_down_too(self, db, frozen):
        for i in range(12):  # 12 = 4 x 3: one office shares an address, so a generous allowance
            assert signin_attempt(f"user{i}@acme.test", "10.0.0.2").allowed
        assert not signin_attempt("new@acme.test", "10.0.0.2").allowed
        assert signin_attempt("new@acme.test", "10.0.0.3").allowed

    def test_a_success_gives_the_pair_a_fresh_start(self, db, frozen):
        for _ in range(2):
            signin_attempt("ada@acme.test", "10.0.0.1")
        signin_succeeded("ada@acme.test", "10.0.0.1")
        assert [signin_attempt("ada@acme.test", "10.0.0.1").allowed for _ in range(3)] == [True] * 3

    def test_successful_sign_ins_do_not_use_up_the_address_allowance(self, db, frozen):
        for i in range(30):
            assert signin_attempt(f"user{i}@acme.test", "10.0.0.2").allowed
            signin_succeeded(f"user{i}@acme.test", "10.0.0.2")

    def test_an_email_of_any_length_fits_the_key(self, db, frozen):
        email = "a" * 5000 + "@acme.test"
        for _ in range(3):
            assert signin_attempt(email, "10.0.0.1").allowed
        assert not signin_attempt(email, "10.0.0.1").allowed
        signin_failed(email)
        assert {len(key) for key in SignInCounter.objects.values_list("key", flat=True)} == {64}


def test_attempts_are_counted_before_their_password_is_checked(db, frozen):
    """The race, simulated: three guesses are in flight (counted, passwords not yet checked, no
    failure recorded); a fourth arriving now is refused, whatever the three turn out to be."""
    in_flight = [signin_attempt("ada@acme.test", "10.0.0.1") for _ in range(3)]
    assert all(attempt.allowed for attempt in in_flight)
    assert not signin_attempt("ada@acme.test", "10.0.0.1").allowed


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_cannot_pass_the_limit(settings):
    """Twelve guesses at once on one email from one address: only the allowed three are tried.
    Needs a database that threads can share with row locks (PostgreSQL); SQLite's in-memory test
    database locks whole tables, so there the test above stands in."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks across threads need PostgreSQL")
    results = []
    start = threading.Barrier(12)

    def guess():
        try:
            start.wait()
            results.append(signin_attempt("ada@acme.test", "10.0.0.1").allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 9 + [True] * 3


class TestAlert:
    def test_many_failures_on_one_account_write_one_alert_per_window(
        self, client, provider, frozen, settings
    ):
        from django.urls import reverse

        settings.SIGNIN_ALERT_FAILURES = 6
        UserFactory(provider=provider, email="ada@acme.test")

        def fail(address):
            data = {"username": "ada@acme.test", "password": "wrong"}
            client.post(reverse("login"), data, REMOTE_ADDR=address)

        for i in range(7):  # from many addresses: no single one is throttled
            fail(f"10.1.0.{i}")
        alerts = SecurityEvent.objects.filter(provider=provider, kind="signin.locked")
        assert alerts.count() == 1
        assert alerts.get().details["failures"] == 6 and alerts.get().actor_id is None
        assert SecurityEvent.objects.filter(kind="signin.failed").count() == 7
        frozen(901)
        for i in range(6):
            fail(f"10.2.0.{i}")
        assert alerts.count() == 2


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
