import pytest
from django.urls import reverse

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
