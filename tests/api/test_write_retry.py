"""A write that loses a deadlock or a serialisation conflict runs again; the client never sees it."""

import pytest
from django.db.utils import OperationalError
from django.test import Client

from accountdesk.api import idempotency
from accountdesk.notes import services
from accountdesk.notes.models import Note
from accountdesk.tenancy.models import ApiToken


class _DatabaseSaid(Exception):
    def __init__(self, sqlstate):
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


def _losing(times, sqlstate, monkeypatch):
    """note_add that loses `times` times with `sqlstate` after writing its note, then works."""
    real = services.note_add
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        note = real(**kwargs)
        if calls["n"] <= times:
            error = OperationalError(f"lost: {sqlstate}")
            error.__cause__ = _DatabaseSaid(sqlstate)
            raise error
        return note

    monkeypatch.setattr(services, "note_add", flaky)
    monkeypatch.setattr(idempotency.time, "sleep", lambda seconds: None)
    return calls


def _post(customer, agent, **headers):
    _, token = ApiToken.objects.issue(agent)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
    return client.post(
        f"/api/v1/customers/{customer.pk}/notes",
        {"body": "Called about the bill"},
        content_type="application/json",
        headers=headers,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "retry-1"}])
def test_a_lost_deadlock_is_retried_and_writes_once(customer, agent, monkeypatch, sqlstate, headers):
    calls = _losing(2, sqlstate, monkeypatch)
    response = _post(customer, agent, **headers)
    assert response.status_code == 201
    assert calls["n"] == 3
    assert Note.objects.filter(customer=customer).count() == 1  # the lost attempts left nothing


@pytest.mark.django_db(transaction=True)
def test_a_conflict_that_keeps_losing_ends_in_503_and_nothing_written(customer, agent, monkeypatch):
    calls = _losing(99, "40P01", monkeypatch)
    response = _post(customer, agent)
    assert response.status_code == 503 and response["Retry-After"]
    assert calls["n"] == idempotency.WRITE_ATTEMPTS
    assert not Note.objects.filter(customer=customer).exists()


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_are_not_retried(customer, agent, monkeypatch):
    calls = _losing(1, "53100", monkeypatch)  # disk full: running it again will not help
    response = _post(customer, agent)
    assert response.status_code == 503
    assert calls["n"] == 1
    assert not Note.objects.filter(customer=customer).exists()
