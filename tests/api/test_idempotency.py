import json

import pytest

from accountdesk.activity.models import Activity
from accountdesk.api.idempotency import body_hash
from accountdesk.api.models import IdempotencyKey
from accountdesk.notes.models import Note


def _notes_url(customer) -> str:
    return f"/api/v1/customers/{customer.pk}/notes"


def test_it_answers_a_retry_with_the_first_response_and_records_once(api_as, customer):
    api = api_as("agent")
    first = api.post(
        _notes_url(customer), {"body": "Called about the outage"}, headers={"Idempotency-Key": "k1"}
    )
    again = api.post(
        _notes_url(customer), {"body": "Called about the outage"}, headers={"Idempotency-Key": "k1"}
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Note.objects.filter(customer=customer).count() == 1
    assert Activity.objects.filter(customer=customer, kind="note.added").count() == 1


def test_it_treats_reformatted_json_as_the_same_body(api_as, customer):
    api = api_as("agent")
    api.post(_notes_url(customer), raw='{"body": "Same"}', headers={"Idempotency-Key": "k2"})
    again = api.post(_notes_url(customer), raw='{ "body":"Same" }', headers={"Idempotency-Key": "k2"})
    assert again.status_code == 201
    assert Note.objects.filter(customer=customer).count() == 1


def test_it_refuses_the_same_key_with_another_body(api_as, customer):
    api = api_as("agent")
    api.post(_notes_url(customer), {"body": "First"}, headers={"Idempotency-Key": "k3"})
    other = api.post(_notes_url(customer), {"body": "Second"}, headers={"Idempotency-Key": "k3"})
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "conflict"
    assert list(Note.objects.values_list("body", flat=True)) == ["First"]


def test_it_refuses_the_same_key_on_another_endpoint(api_as, customer):
    api = api_as("agent")
    api.post(_notes_url(customer), {"body": "First"}, headers={"Idempotency-Key": "k4"})
    other = api.post(
        f"/api/v1/customers/{customer.pk}/status",
        {"status": "blocked", "reason": "First"},
        headers={"Idempotency-Key": "k4"},
    )
    assert other.status_code == 409
    customer.refresh_from_db()
    assert customer.status == "active"


def test_it_writes_twice_without_a_key(api_as, customer):
    api = api_as("agent")
    api.post(_notes_url(customer), {"body": "Once"})
    api.post(_notes_url(customer), {"body": "Once"})
    assert Note.objects.filter(customer=customer).count() == 2


def test_it_scopes_keys_to_the_user(api_as, customer):
    api_as("agent").post(_notes_url(customer), {"body": "By agent"}, headers={"Idempotency-Key": "shared"})
    response = api_as("billing").post(
        _notes_url(customer), {"body": "By billing"}, headers={"Idempotency-Key": "shared"}
    )
    assert response.status_code == 201
    assert Note.objects.filter(customer=customer).count() == 2


def test_it_does_not_remember_a_failed_write(api_as, customer):
    api = api_as("agent")
    failed = api.post(_notes_url(customer), {"body": "   "}, headers={"Idempotency-Key": "k5"})
    assert failed.status_code == 422
    assert not IdempotencyKey.objects.exists()
    fixed = api.post(_notes_url(customer), {"body": "Now with text"}, headers={"Idempotency-Key": "k5"})
    assert fixed.status_code == 201
    assert Note.objects.filter(customer=customer).count() == 1


def test_it_does_not_let_a_forbidden_caller_replay_or_store(api_as, customer):
    response = api_as("readonly").post(
        _notes_url(customer), {"body": "Not allowed"}, headers={"Idempotency-Key": "k6"}
    )
    assert response.status_code == 403
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 256, "bad\nkey"])
def test_it_rejects_an_invalid_key(api_as, customer, key):
    api = api_as("agent")
    response = api.client.post(
        _notes_url(customer),
        json.dumps({"body": "Hello"}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert not Note.objects.exists()


def test_it_replays_a_status_change_once(api_as, customer):
    api = api_as("agent")
    payload = {"status": "blocked", "reason": "Unpaid"}
    url = f"/api/v1/customers/{customer.pk}/status"
    first = api.post(url, payload, headers={"Idempotency-Key": "block-1"})
    again = api.post(url, payload, headers={"Idempotency-Key": "block-1"})
    assert first.status_code == again.status_code == 200
    assert customer.status_changes.count() == 1
    assert again.json()["status"] == "blocked"


def test_it_hashes_json_canonically_and_other_bytes_raw():
    assert body_hash(b'{"a":1,"b":2}') == body_hash(b'{ "b": 2, "a": 1 }')
    assert body_hash(b"{not json") != body_hash(b"{not json ")


def test_a_retried_delete_answers_204_again(api_as, customer):
    from tests.factories import ContactFactory

    contact = ContactFactory(customer=customer, is_primary=True)
    api = api_as("agent")
    url = f"/api/v1/customers/{customer.pk}/contacts/{contact.pk}"
    first = api.client.delete(url, headers={"Idempotency-Key": "del-1"})
    again = api.client.delete(url, headers={"Idempotency-Key": "del-1"})
    assert first.status_code == again.status_code == 204
    assert again["Idempotent-Replayed"] == "true"
    assert Activity.objects.filter(kind="contact.removed").count() == 1
    assert api.client.delete(url).status_code == 404  # without the key it is an ordinary request


def test_the_purge_command_forgets_old_keys(api_as, customer):
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command

    from accountdesk.core import clock

    api = api_as("agent")
    clock.freeze(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    try:
        api.post(_notes_url(customer), {"body": "old"}, headers={"Idempotency-Key": "old"})
    finally:
        clock.freeze(None)
    api.post(_notes_url(customer), {"body": "new"}, headers={"Idempotency-Key": "new"})
    out = StringIO()
    call_command("idempotency_purge", stdout=out)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert "Forgot 1" in out.getvalue()
