"""A staff member turns on two-factor sign-in with an authenticator app, signs out, signs in with a
code from the app, then with a recovery code, and finds that recovery code used up."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accountdesk.audit.models import SecurityEvent
from tests.factories import ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "accountdesk-demo"
EMAIL = "agent@acme.test"


@pytest.fixture
def agent(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    return UserFactory(provider=provider, role="agent", email=EMAIL, name="Alex Agent", password=PASSWORD)


def app_code(key: bytes, steps_ahead: int = 0) -> str:
    """What the authenticator app shows, from the key the page showed. The drift the server learnt
    at enrolment is read back, as a phone's clock would simply be where it is."""
    drift = TOTPDevice.objects.get(user__email=EMAIL).drift
    return f"{totp(key, drift=drift + steps_ahead):06d}"


def password_step(page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    page.locator("summary", has_text="Account menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login/$"))


def test_it_enrols_and_signs_in_with_a_code_then_a_single_use_recovery_code(page, live_server, agent, shot):
    base = live_server.url
    password_step(page, base)
    page.wait_for_url(re.compile(r"/customers/$"))

    page.locator("summary", has_text="Account menu").click()
    page.get_by_role("link", name="Password and two-factor").click()
    page.get_by_role("button", name="Set up an authenticator app").click()
    secret = page.locator("[data-totp-secret]").inner_text()
    assert page.locator(".qr svg").is_visible()
    shot(page, "mfa-01-enrolment", full_page=True)
    key = b32decode(secret.replace(" ", ""))

    page.get_by_label("Code from the app").fill("000000")
    page.get_by_role("button", name="Confirm and turn on").click()
    assert page.get_by_text("That code is not right").is_visible()
    page.get_by_label("Code from the app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirm and turn on").click()
    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    shot(page, "mfa-02-recovery-codes")
    page.get_by_role("link", name="I have saved them").click()
    assert page.get_by_text("10 unused recovery codes left").is_visible()
    sign_out(page)

    # With the app: the next code (the one used at enrolment works only once).
    password_step(page, base)
    page.wait_for_url(re.compile(r"/login/code/"))
    page.goto(f"{base}/customers/")  # nothing else opens before the code
    page.wait_for_url(re.compile(r"/login/code/"))
    shot(page, "mfa-03-code-step")
    page.get_by_label("Code").fill(app_code(key, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r"/customers/"))
    sign_out(page)

    # With a recovery code, typed as printed.
    password_step(page, base)
    page.wait_for_url(re.compile(r"/login/code/"))
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r"/customers/"))
    sign_out(page)

    # The same recovery code again: refused.
    password_step(page, base)
    page.wait_for_url(re.compile(r"/login/code/"))
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    assert page.get_by_text("That code is not right").is_visible()
    assert "/login/code/" in page.url

    kinds = list(SecurityEvent.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds == [
        "signin.succeeded",
        "mfa.enabled",
        "signout",
        "signin.succeeded",
        "signout",
        "mfa.recovery_used",
        "signin.succeeded",
        "signout",
        "signin.failed",
    ]
