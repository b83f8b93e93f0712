import pytest
from django.urls import reverse

from accountdesk.audit.models import SecurityEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_signs_in_with_email_and_password(client, agent):
    response = client.post(reverse("login"), {"username": agent.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == reverse("customers:list")


def test_it_refuses_a_wrong_password_with_a_form_error(client, agent):
    response = client.post(reverse("login"), {"username": agent.email, "password": "wrong"})
    assert response.status_code == 400
    assert "do not match" in response.content.decode()


def test_it_throttles_repeated_failures(client, agent, settings):
    settings.SIGNIN_MAX_FAILURES = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": agent.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": agent.email, "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed attempts" in response.content.decode()


@pytest.mark.parametrize(
    "bad",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        "/\\evil.example/",
        "http://testserver/customers/",  # absolute, even to this host: only paths are followed
    ],
)
def test_it_ignores_an_offsite_next(client, agent, bad):
    response = client.post(
        reverse("login"), {"username": agent.email, "password": "correct-horse-battery", "next": bad}
    )
    assert response["Location"] == reverse("customers:list")


def test_it_follows_a_same_site_next(client, agent, customer):
    page = reverse("tabs:dashboard", args=[customer.pk])
    response = client.post(
        reverse("login"), {"username": agent.email, "password": "correct-horse-battery", "next": page}
    )
    assert response["Location"] == page


def test_it_signs_out_by_post_only(client, agent):
    client.force_login(agent)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("customers:list")).status_code == 302


def test_it_shows_the_header_with_provider_search_and_sign_out(client, agent):
    client.force_login(agent)
    body = client.get(reverse("customers:list")).content.decode()
    assert "Acme Telecom" in body and "data-global-search" in body and "Sign out" in body
    assert "Settings" not in body  # agents do not manage the provider


def test_a_failed_sign_in_is_logged_for_the_provider_of_the_email(client, agent, provider):
    data = {"username": agent.email, "password": "wrong"}
    client.post(reverse("login"), data, HTTP_USER_AGENT="Probe/1")
    event = SecurityEvent.objects.get(provider=provider)
    assert event.kind == "signin.failed" and event.actor_id is None and event.actor_name == "Anonymous"
    assert event.details == {"email": agent.email, "reason": "password"}
    assert event.user_agent == "Probe/1" and event.address == "127.0.0.1"


def test_a_failed_sign_in_for_an_unknown_email_is_in_no_providers_log(client, provider, other_provider):
    response = client.post(reverse("login"), {"username": "nobody@acme.test", "password": "wrong"})
    assert response.status_code == 400
    assert not SecurityEvent.objects.exists()


def test_an_email_longer_than_any_key_is_answered_not_a_500(client, provider):
    response = client.post(reverse("login"), {"username": "a" * 400 + "@acme.test", "password": "wrong"})
    assert response.status_code == 400


def test_the_email_tried_is_kept_short_in_the_log(client, provider):
    long_email = "a" * 150 + "@acme.test"
    UserFactory(provider=provider, email=long_email)
    client.post(reverse("login"), {"username": long_email, "password": "wrong"})
    assert SecurityEvent.objects.get(kind="signin.failed").details["email"] == long_email[:100]


def test_the_throttle_answers_429_with_retry_after(client, agent, settings):
    settings.SIGNIN_MAX_FAILURES = 1
    client.post(reverse("login"), {"username": agent.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": agent.email, "password": "wrong"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_the_throttle_keys_on_the_address_behind_the_trusted_proxy(client, agent, settings):
    settings.SIGNIN_MAX_FAILURES = 2
    settings.TRUSTED_PROXIES = 1
    for _ in range(2):
        client.post(
            reverse("login"),
            {"username": agent.email, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    blocked = client.post(
        reverse("login"), {"username": agent.email, "password": "wrong"}, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert blocked.status_code == 429
    # Same proxy (REMOTE_ADDR), another client behind it: not blocked.
    other = client.post(
        reverse("login"),
        {"username": agent.email, "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert other.status_code == 302
