"""Two-factor sign-in: enrolling an authenticator, signing in with a code or a recovery code, turning it
off, and a provider requiring it for roles."""

import re

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accountdesk.audit.models import SecurityEvent
from accountdesk.tenancy import services
from accountdesk.tenancy.models import User
from accountdesk.tenancy.services import mfa

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """What the authenticator app shows now, `offset` time steps ahead (a code is accepted once: the
    step after the last one used is the next that works)."""
    device.refresh_from_db()
    drift = device.drift + offset
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    services.mfa_totp_start(user=user)
    device = services.totp_device_pending(user)
    return services.mfa_totp_confirm(user=user, code=code_for(device))


def kinds(provider) -> list[str]:
    return list(
        SecurityEvent.objects.filter(provider=provider).order_by("seq").values_list("kind", flat=True)
    )


def password_step(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


class TestEnrolment:
    def test_it_shows_the_key_and_a_qr_code_then_turns_on_with_a_right_code(self, client, agent, provider):
        client.force_login(agent)
        page = client.get(reverse("account:security")).content.decode()
        assert "Set up an authenticator app" in page
        assert client.post(reverse("account:totp_start")).status_code == 302
        page = client.get(reverse("account:security")).content.decode()
        device = services.totp_device_pending(agent)
        assert "otpauth://totp/" in page and "<svg" in page and "data-totp-secret" in page

        wrong = client.post(reverse("account:totp_confirm"), {"code": "000000"})
        assert wrong.status_code == 400 and "not right" in wrong.content.decode()
        agent.refresh_from_db()
        assert not agent.mfa_enabled

        response = client.post(reverse("account:totp_confirm"), {"code": code_for(device)})
        assert response.status_code == 200
        codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())
        assert len(codes) == 10 and len(set(codes)) == 10
        agent.refresh_from_db()
        assert agent.mfa_enabled and TOTPDevice.objects.get(user=agent).confirmed
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # this session is verified
        assert client.get(reverse("customers:list")).status_code == 200
        assert kinds(provider) == ["mfa.enabled"]

    def test_recovery_codes_are_stored_as_keyed_digests_not_as_codes(self, agent):
        _, codes = enrol(agent)
        stored = set(StaticToken.objects.values_list("token", flat=True))
        assert len(stored) == 10
        assert not stored & {c for code in codes for c in (code, code.replace("-", ""))}

    def test_regenerating_replaces_every_recovery_code(self, client, agent, provider):
        _, old_codes = enrol(agent)
        new_codes = services.mfa_recovery_regenerate(user=agent)
        assert not set(old_codes) & set(new_codes)
        assert mfa._device_verify(agent, old_codes[0])[0] is None
        StaticDevice.objects.filter(user=agent).update(throttling_failure_count=0)  # skip the wait
        assert mfa._device_verify(agent, new_codes[0])[0] is not None
        assert kinds(provider) == ["mfa.enabled", "mfa.recovery_regenerated"]

    def test_it_turns_off_only_with_the_password_or_a_current_code(self, client, agent, provider):
        device, _ = enrol(agent)
        client.force_login(agent)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        response = client.post(reverse("account:mfa_disable"), {"password": "wrong", "code": ""})
        assert response.status_code == 400
        agent.refresh_from_db()
        assert agent.mfa_enabled
        assert client.post(reverse("account:mfa_disable"), {"password": PASSWORD}).status_code == 302
        agent.refresh_from_db()
        assert not agent.mfa_enabled
        assert not TOTPDevice.objects.filter(user=agent).exists()
        assert not StaticDevice.objects.filter(user=agent).exists()
        assert kinds(provider) == ["mfa.enabled", "mfa.disabled"]

    def test_a_code_turns_it_off_too(self, agent):
        device, _ = enrol(agent)
        services.mfa_disable(user=agent, code=code_for(device, offset=1))
        assert not User.objects.get(pk=agent.pk).mfa_enabled


class TestSignIn:
    def test_a_user_without_an_authenticator_signs_in_with_the_password_alone(self, client, agent, provider):
        response = password_step(client, agent)
        assert response["Location"] == reverse("customers:list")
        assert client.get(reverse("customers:list")).status_code == 200
        event = SecurityEvent.objects.get(provider=provider, kind="signin.succeeded")
        assert event.actor_id == agent.pk and event.details == {"method": "password"}

    def test_a_user_with_an_authenticator_needs_a_code_after_the_password(self, client, agent, provider):
        device, _ = enrol(agent)
        response = password_step(client, agent, next_url="/customers/?q=x")
        assert response["Location"] == reverse("login_code") + "?next=%2Fcustomers%2F%3Fq%3Dx"
        # Nothing else is open until the code is given: pages, HTMX and the session API.
        blocked = client.get(reverse("customers:list"))
        assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("login_code"))
        assert client.get(reverse("settings:overview")).status_code == 302
        htmx = client.get(reverse("customers:list"), headers={"HX-Request": "true"})
        assert htmx["HX-Redirect"].startswith(reverse("login_code"))
        assert client.get("/api/v1/customers").status_code == 401
        assert "signin.succeeded" not in kinds(provider)

        wrong = client.post(reverse("login_code"), {"code": "123456"})
        assert wrong.status_code == 400
        assert client.get(reverse("customers:list")).status_code == 302
        assert SecurityEvent.objects.get(kind="signin.failed").details["reason"] == "code (totp)"

        # One wrong code makes the device wait a second (django-otp's throttle): skip the wait.
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        right = client.post(reverse("login_code"), {"code": code_for(device, 1), "next": "/customers/?q=x"})
        assert right.status_code == 302 and right["Location"] == "/customers/?q=x"
        assert client.get(reverse("customers:list")).status_code == 200
        assert client.get("/api/v1/customers").status_code == 200
        event = SecurityEvent.objects.filter(kind="signin.succeeded").get()
        assert event.details == {"method": "totp"}

    def test_a_totp_code_works_once(self, client, agent):
        device, _ = enrol(agent)
        password_step(client, agent)
        used = code_for(device, offset=1)  # enrolment used the current step's code
        assert client.post(reverse("login_code"), {"code": used}).status_code == 302
        other = type(client)()
        password_step(other, agent)
        assert other.post(reverse("login_code"), {"code": used}).status_code == 400

    def test_a_recovery_code_signs_in_once(self, client, agent, provider):
        _, codes = enrol(agent)
        password_step(client, agent)
        response = client.post(reverse("login_code"), {"code": codes[3].upper().replace("-", " ")})
        assert response.status_code == 302
        assert client.get(reverse("customers:list")).status_code == 200
        event = SecurityEvent.objects.get(kind="mfa.recovery_used")
        assert event.details == {"left": 9}
        assert SecurityEvent.objects.get(kind="signin.succeeded").details == {"method": "recovery"}

        client.post(reverse("logout"))
        password_step(client, agent)
        StaticDevice.objects.filter(user=agent).update(throttling_failure_count=0)
        again = client.post(reverse("login_code"), {"code": codes[3]})
        assert again.status_code == 400
        assert client.get(reverse("customers:list")).status_code == 302

    def test_wrong_codes_slow_down(self, client, agent):
        enrol(agent)
        password_step(client, agent)
        client.post(reverse("login_code"), {"code": "000000"})
        response = client.post(reverse("login_code"), {"code": "000001"})
        assert "Too many wrong codes" in response.content.decode()

    def test_a_forced_login_without_an_authenticator_reaches_every_page(self, client, agent):
        client.force_login(agent)
        page = client.get(reverse("customers:list"))
        assert page.status_code == 200 and "<h1>Customers</h1>" in page.content.decode()
        answer = client.get("/api/v1/customers")
        assert answer.status_code == 200 and answer.json()["items"] == []

    def test_a_session_signed_in_before_enrolment_elsewhere_must_give_a_code(self, client, agent):
        client.force_login(agent)
        assert client.get(reverse("customers:list")).status_code == 200
        enrol(agent)  # from another session
        assert client.get(reverse("customers:list"))["Location"].startswith(reverse("login_code"))

    def test_bearer_tokens_are_not_asked_for_a_code(self, agent):
        from tests.conftest import ApiClient

        enrol(agent)
        answer = ApiClient(agent).get("/api/v1/customers")
        assert answer.status_code == 200 and answer.json() == {"items": [], "next_cursor": None}

    def test_signing_out_is_logged(self, client, agent, provider):
        client.force_login(agent)
        client.post(reverse("logout"))
        assert kinds(provider) == ["signout"]


class TestRequiredByRole:
    @pytest.fixture
    def required(self, provider):
        provider.mfa_required_roles = ["agent"]
        provider.save()
        return provider

    def test_a_user_of_that_role_enrols_right_after_the_password(self, client, agent, required):
        response = password_step(client, agent)
        assert response["Location"] == reverse("account:security")
        page = client.get(reverse("customers:list"))
        assert page.status_code == 302 and page["Location"] == reverse("account:security")
        assert client.get("/api/v1/customers").status_code == 401
        assert "requires two-factor sign-in" in client.get(reverse("account:security")).content.decode()

        client.post(reverse("account:totp_start"))
        device = services.totp_device_pending(agent)
        assert client.post(reverse("account:totp_confirm"), {"code": code_for(device)}).status_code == 200
        assert client.get(reverse("customers:list")).status_code == 200

    def test_other_roles_are_not_asked(self, client, staff, required):
        client.force_login(staff["billing"])
        page = client.get(reverse("customers:list"))
        assert page.status_code == 200 and "<h1>Customers</h1>" in page.content.decode()

    def test_it_cannot_be_turned_off_while_required(self, client, agent, required):
        enrol(agent)
        from accountdesk.core.errors import Conflict

        with pytest.raises(Conflict):
            services.mfa_disable(user=agent, password=PASSWORD)

    def test_admins_choose_the_roles_under_settings(self, client, admin, provider):
        client.force_login(admin)
        assert client.get(reverse("settings:security")).status_code == 200
        assert client.post(reverse("settings:security"), {"mfa_required_roles": ["root"]}).status_code == 400
        response = client.post(reverse("settings:security"), {"mfa_required_roles": ["billing", "admin"]})
        assert response.status_code == 302
        provider.refresh_from_db()
        assert provider.mfa_required_roles == ["admin", "billing"]
        event = SecurityEvent.objects.get(provider=provider, kind="settings.changed")
        assert event.details == {"mfa_required_roles": [[], ["admin", "billing"]]}
        # Now the admin's own role requires it: they set it up before anything else.
        assert client.get(reverse("settings:security"))["Location"] == reverse("account:security")

    def test_other_roles_cannot_change_it(self, client, agent, provider):
        client.force_login(agent)
        assert client.post(reverse("settings:security"), {"mfa_required_roles": ["agent"]}).status_code == 403
        provider.refresh_from_db()
        assert provider.mfa_required_roles == []


def test_pages_showing_secrets_are_not_cached(client, agent):
    client.force_login(agent)
    client.post(reverse("account:totp_start"))
    assert "no-store" in client.get(reverse("account:security"))["Cache-Control"]
    device = services.totp_device_pending(agent)
    codes_page = client.post(reverse("account:totp_confirm"), {"code": code_for(device)})
    assert "no-store" in codes_page["Cache-Control"]


class TestAdminTurnsItOff:
    def test_an_admin_turns_off_a_staff_members_two_factor(self, client, admin, agent, provider):
        enrol(agent)
        client.force_login(admin)
        page = client.get(reverse("settings:staff_edit", args=[agent.pk])).content.decode()
        assert "Turn off two-factor sign-in" in page
        assert client.post(reverse("settings:staff_mfa_reset", args=[agent.pk])).status_code == 302
        agent.refresh_from_db()
        assert not agent.mfa_enabled and not TOTPDevice.objects.filter(user=agent).exists()
        event = SecurityEvent.objects.get(kind="mfa.disabled")
        assert event.actor_id == admin.pk and event.details == {"user_id": agent.pk, "by": "admin"}

    def test_not_for_another_providers_staff_nor_by_other_roles(self, client, staff, other_provider):
        from tests.factories import UserFactory

        foreign = UserFactory(provider=other_provider, email="f@other.test")
        enrol(foreign)
        enrol(staff["agent"])
        client.force_login(staff["admin"])
        assert client.post(reverse("settings:staff_mfa_reset", args=[foreign.pk])).status_code == 404
        client.force_login(staff["billing"])
        assert client.post(reverse("settings:staff_mfa_reset", args=[staff["agent"].pk])).status_code == 403
        assert User.objects.filter(mfa_enabled=True).count() == 2
