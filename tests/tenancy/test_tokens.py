"""API tokens expire, remember their last use (at most one write a minute), may be read-only, and
their owner lists, creates and revokes them on /account/tokens/; creating and revoking is logged."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountdesk.audit.models import SecurityEvent
from accountdesk.core.actors import Actor
from accountdesk.core.errors import NotFound
from accountdesk.notes.models import Note
from accountdesk.tenancy import services
from accountdesk.tenancy.models import ApiToken, TokenScope
from tests.factories import ContactFactory


def _bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _customers(token: str):
    return _bearer(token).get("/api/v1/customers")


def test_a_token_expires_after_the_configured_days(agent, settings):
    settings.ACCOUNTDESK_TOKEN_DAYS = 7
    row, _ = ApiToken.objects.issue(agent)
    assert row.expires_at - row.created_at == dt.timedelta(days=7)
    settings.ACCOUNTDESK_TOKEN_DAYS = 90
    row, _ = ApiToken.objects.issue(agent)
    assert row.expires_at - row.created_at == dt.timedelta(days=90)


def test_an_expired_token_answers_401(agent):
    row, token = ApiToken.objects.issue(agent)
    assert _customers(token).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = _customers(token)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


def test_a_revoked_token_answers_401(agent):
    row, token = ApiToken.objects.issue(agent)
    services.token_revoke(token=row, actor=Actor.staff(agent))
    assert _customers(token).status_code == 401


def test_a_revoked_token_is_a_401_even_beside_a_signed_in_session(client, agent):
    row, token = ApiToken.objects.issue(agent)
    services.token_revoke(token=row, actor=Actor.staff(agent))
    client.force_login(agent)
    assert client.get("/api/v1/customers").status_code == 200  # the session alone
    response = client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


def _queries(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_it_records_the_last_use_at_most_once_a_minute(agent, customer):
    row, token = ApiToken.objects.issue(agent)
    assert row.last_used_at is None
    client, path = _bearer(token), f"/api/v1/customers/{customer.pk}"
    first = _queries(client, path)
    row.refresh_from_db()
    assert row.last_used_at is not None
    second = _queries(client, path)
    # The first use writes last_used_at (one UPDATE); a request within the minute writes nothing.
    assert len(first) == len(second) + 1
    assert sum(q.startswith("UPDATE") for q in first) == 1
    assert not any(q.startswith("UPDATE") for q in second)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now() - dt.timedelta(seconds=61))
    third = _queries(client, path)
    assert len(third) == len(first)
    row.refresh_from_db()
    assert timezone.now() - row.last_used_at < dt.timedelta(seconds=5)


def test_a_read_only_token_reads_but_never_writes(agent, customer):
    _, token = ApiToken.objects.issue(agent, scope=TokenScope.READ)
    client = _bearer(token)
    assert client.get(f"/api/v1/customers/{customer.pk}").status_code == 200
    contact = ContactFactory(customer=customer)
    base = f"/api/v1/customers/{customer.pk}"
    writes = [
        ("post", f"{base}/notes", {"body": "x"}),
        ("patch", base, {"name": "Renamed"}),
        ("put", f"{base}/tags", {"tags": ["vip"]}),
        ("delete", f"{base}/contacts/{contact.pk}", None),
    ]
    for method, url, body in writes:
        data = json.dumps(body) if body is not None else ""
        response = getattr(client, method)(url, data, content_type="application/json")
        assert response.status_code == 403, (method, response.content)
        error = response.json()["error"]
        assert error["code"] == "read_only_token" and "read-only" in error["message"]
    customer.refresh_from_db()
    assert not Note.objects.exists() and customer.name == "Grace Hopper"
    assert customer.contacts.filter(pk=contact.pk).exists()


def test_creating_and_revoking_are_in_the_security_log(agent, provider):
    actor = Actor.staff(agent)
    row, _ = services.token_create(user=agent, name="Export script", read_only=True, actor=actor)
    services.token_revoke(token=row, actor=actor)
    services.token_revoke(token=row, actor=actor)  # again: nothing more happens
    events = list(SecurityEvent.objects.filter(provider=provider).order_by("seq"))
    assert [e.kind for e in events] == ["token.created", "token.revoked"]
    assert all(e.actor_id == agent.pk for e in events)
    assert events[0].details["token"] == row.prefix and events[0].details["scope"] == "read"


def test_staff_cannot_create_or_revoke_someone_elses_token(staff):
    agent, billing = staff["agent"], staff["billing"]
    row, _ = ApiToken.objects.issue(billing)
    with pytest.raises(NotFound):
        services.token_revoke(token=row, actor=Actor.staff(agent))
    with pytest.raises(NotFound):
        services.token_create(user=billing, name="", actor=Actor.staff(agent))
    row.refresh_from_db()
    assert row.revoked_at is None and ApiToken.objects.count() == 1


# ---------------------------------------------------------------- the page


def test_the_user_menu_links_to_the_tokens_page(client, agent):
    client.force_login(agent)
    assert reverse("tokens:list") in client.get(reverse("customers:list")).content.decode()


def test_the_page_needs_a_signed_in_user(client):
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_user_creates_a_token_shown_once_and_it_works(client, agent, customer):
    client.force_login(agent)
    response = client.post(reverse("tokens:list"), {"name": "Report", "read_only": "on"})
    assert response.status_code == 201
    token = response.context["created"]["token"]
    assert token in response.content.decode() and "no-store" in response["Cache-Control"]
    row = ApiToken.objects.get(user=agent)
    assert row.name == "Report" and row.scope == TokenScope.READ
    assert _bearer(token).get(f"/api/v1/customers/{customer.pk}").status_code == 200
    listing = client.get(reverse("tokens:list")).content.decode()
    assert row.prefix in listing and token not in listing
    assert SecurityEvent.objects.filter(kind="token.created", actor=agent).count() == 1


def test_a_user_sees_and_revokes_only_their_own_tokens(client, staff):
    agent, billing = staff["agent"], staff["billing"]
    mine, token = ApiToken.objects.issue(agent, name="mine")
    theirs, _ = ApiToken.objects.issue(billing, name="theirs")
    client.force_login(agent)
    page = client.get(reverse("tokens:list")).content.decode()
    assert mine.prefix in page and theirs.prefix not in page
    assert client.post(reverse("tokens:revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    response = client.post(reverse("tokens:revoke", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None and _customers(token).status_code == 401
    assert SecurityEvent.objects.filter(kind="token.revoked", actor=agent).count() == 1
    assert "Revoked" in client.get(reverse("tokens:list")).content.decode()


def test_a_name_too_long_is_a_form_error(client, agent):
    client.force_login(agent)
    response = client.post(reverse("tokens:list"), {"name": "x" * 101})
    assert response.status_code == 400 and not ApiToken.objects.exists()
