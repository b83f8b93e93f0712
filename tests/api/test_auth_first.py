"""Authentication comes before anything else, and every endpoint refuses a body that is not JSON or
nests too deep with a 400 in the error format (never a RecursionError and a 500)."""

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from accountdesk.api import idempotency
from accountdesk.api.body import MAX_DEPTH, nests_deeper_than
from accountdesk.api.models import IdempotencyKey
from accountdesk.notes.models import Note
from tests.api.conftest import assert_error, call, snapshot
from tests.factories import ContactFactory

DEEP = "[" * 100_000 + "]" * 100_000


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def _notes(customer) -> str:
    return f"/api/v1/customers/{customer.pk}/notes"


@pytest.fixture
def no_key_lookups(monkeypatch):
    """Fail the test if the Idempotency-Key machinery looks anything up or hashes a body."""

    def forbidden(*args, **kwargs):
        raise AssertionError("idempotency state touched")

    monkeypatch.setattr(idempotency, "_stored", forbidden)
    monkeypatch.setattr(idempotency, "_canonical_hash", forbidden)


@pytest.mark.parametrize("body", [DEEP, '{"body": "Hello"}', "{not json"])
def test_an_unauthenticated_write_is_a_401_before_the_idempotency_key(customer, no_key_lookups, body):
    response = Client().post(
        _notes(customer), body, content_type="application/json", headers={"Idempotency-Key": "k"}
    )
    assert_error(response, 401, "unauthorized")
    assert not IdempotencyKey.objects.exists() and not Note.objects.exists()


def test_a_bad_token_with_a_deep_body_is_a_401(customer):
    response = Client().post(
        _notes(customer),
        DEEP,
        content_type="application/json",
        headers={"Idempotency-Key": "k", "Authorization": "Bearer adk_nope"},
    )
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize("key", [None, "deep-1"])
def test_a_deep_body_with_a_token_is_a_400(api_as, customer, key):
    before = snapshot(customer)
    response = api_as("agent").post(
        _notes(customer), raw=DEEP, headers={"Idempotency-Key": key} if key else {}
    )
    error = assert_error(response, 400, "bad_request")
    assert str(MAX_DEPTH) in error["message"]
    assert snapshot(customer) == before and not IdempotencyKey.objects.exists()


def test_one_level_too_deep_is_refused_and_the_limit_itself_is_not(api_as, customer):
    api = api_as("agent")
    too_deep = '{"body": ' + _nested(MAX_DEPTH) + "}"  # MAX_DEPTH + 1 levels with the object
    assert_error(api.post(_notes(customer), raw=too_deep), 400, "bad_request")
    at_limit = '{"body": ' + _nested(MAX_DEPTH - 1) + "}"
    assert_error(api.post(_notes(customer), raw=at_limit), 422, "validation_error")
    assert not Note.objects.exists()


@pytest.mark.parametrize("raw", [DEEP, "{not json", "\x00\xff", '{"a": 1}}'])
def test_an_endpoint_without_a_body_refuses_a_bad_one_too(api_as, customer, raw):
    contact = ContactFactory(customer=customer)
    api = api_as("admin")
    response = call(api, "DELETE", f"/api/v1/customers/{customer.pk}/contacts/{contact.pk}", raw=raw)
    assert_error(response, 400, "bad_request")
    assert customer.contacts.filter(pk=contact.pk).exists()
    get = api.client.generic("GET", f"/api/v1/customers/{customer.pk}", raw, content_type="application/json")
    assert_error(get, 400, "bad_request")


def test_the_browser_session_gets_the_same_400(client, agent, customer):
    client.force_login(agent)
    response = client.post(_notes(customer), DEEP, content_type="application/json")
    assert_error(response, 400, "bad_request")


def test_a_valid_body_still_works_with_a_key_and_replays(api_as, customer):
    api = api_as("agent")
    body = {"body": "Nested", "extra": json.loads(_nested(10))}
    first = api.post(_notes(customer), body, headers={"Idempotency-Key": "ok-1"})
    again = api.post(_notes(customer), body, headers={"Idempotency-Key": "ok-1"})
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Note.objects.count() == 1


@pytest.mark.parametrize(
    ("raw", "deep"),
    [
        (b"[]", False),
        (_nested(MAX_DEPTH).encode(), False),
        (_nested(MAX_DEPTH + 1).encode(), True),
        (b'{"a": "' + b"[" * 100 + b'"}', False),  # brackets inside a string are text
        (b'{"a": "\\" [[[[", "b": []}', False),  # an escaped quote does not end the string
        (b'{"a": "\\\\", "b": ' + _nested(MAX_DEPTH).encode() + b"}", True),  # "\\" ends the string
        (b'{"a": "\\\\\\"' + b"[" * 40 + b'"}', False),  # \\ then \" : still inside the string
        (DEEP.encode(), True),
    ],
)
def test_it_measures_the_depth_without_parsing(raw, deep):
    assert nests_deeper_than(raw, MAX_DEPTH) is deep


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


_tricky_text = st.text(alphabet='[]{}"\\ a\u00e9', max_size=8)
_json_values = st.recursive(
    st.none() | st.integers() | _tricky_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_tricky_text, children, max_size=3),
    max_leaves=30,
)


@given(value=_json_values, limit=st.integers(0, 6), ascii_only=st.booleans())
def test_the_depth_it_measures_is_the_real_depth(value, limit, ascii_only):
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert nests_deeper_than(raw, limit) is (_depth(value) > limit)
