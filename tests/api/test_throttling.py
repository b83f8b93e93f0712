"""The API's rate limit: per user, per clock minute, 429 `throttled` with Retry-After past it."""

from unittest import mock

import pytest
from django.test import override_settings

FIFTY_SECONDS_INTO_A_MINUTE = 1_700_000_030.0  # 1_700_000_000 is 20 s into its minute


@pytest.fixture
def three_a_minute():
    """A limit of 3, and a clock that stays 50 s into one minute (no window turns mid-test)."""
    clock = mock.patch("accountdesk.core.limits.time.time", return_value=FIFTY_SECONDS_INTO_A_MINUTE)
    with override_settings(API_RATE_PER_MINUTE=3), clock:
        yield


def test_it_answers_429_past_the_rate_and_says_when_to_retry(three_a_minute, api_as, customer):
    agent = api_as("agent")
    statuses = [agent.get(f"/api/v1/customers/{customer.pk}").status_code for _ in range(3)]
    refused = agent.get(f"/api/v1/customers/{customer.pk}")
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert refused["Retry-After"] == "10"  # the minute's last 10 seconds


def test_each_user_has_their_own_allowance(three_a_minute, api_as, customer):
    agent, billing = api_as("agent"), api_as("billing")
    for _ in range(4):
        agent.get(f"/api/v1/customers/{customer.pk}")
    response = billing.get(f"/api/v1/customers/{customer.pk}")
    assert response.status_code == 200 and response.json()["id"] == customer.pk


def test_a_new_minute_brings_a_new_allowance(three_a_minute, api_as, customer):
    agent = api_as("agent")
    for _ in range(4):
        agent.get(f"/api/v1/customers/{customer.pk}")
    with mock.patch("accountdesk.core.limits.time.time", return_value=FIFTY_SECONDS_INTO_A_MINUTE + 10):
        response = agent.get(f"/api/v1/customers/{customer.pk}")
    assert response.status_code == 200 and response.json()["id"] == customer.pk


def test_a_refused_write_changes_nothing(three_a_minute, api_as, customer):
    agent = api_as("agent")
    for _ in range(3):
        agent.get(f"/api/v1/customers/{customer.pk}")
    response = agent.post(f"/api/v1/customers/{customer.pk}/notes", {"body": "Called"})
    assert response.status_code == 429
    assert not customer.notes.exists()


def test_the_session_counts_as_its_user(three_a_minute, client, agent, customer):
    client.force_login(agent)
    codes = [client.get(f"/api/v1/customers/{customer.pk}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_no_credentials_is_401_not_429(three_a_minute, client, customer):
    codes = {client.get(f"/api/v1/customers/{customer.pk}").status_code for _ in range(5)}
    assert codes == {401}


@override_settings(API_RATE_PER_MINUTE=0)
def test_zero_turns_the_limit_off(api_as, customer):
    agent = api_as("agent")
    answers = [agent.get(f"/api/v1/customers/{customer.pk}") for _ in range(20)]
    assert {(r.status_code, r.json()["id"]) for r in answers} == {(200, customer.pk)}
