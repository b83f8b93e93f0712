"""Limits on expensive work: request and usage-file sizes, and per-user rates for exports, ask and
statements (API and pages alike), each a setting with a clear error."""

import json
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accountdesk.notes.models import Note
from accountdesk.usage.models import UsageRecord

FIFTY_SECONDS_INTO_A_MINUTE = 1_700_000_030.0  # 1_700_000_000 is 20 s into its minute
RATES = {"exports": 2, "ask": 2, "statements": 2}


@pytest.fixture
def two_a_minute():
    """Two of each kind of work a minute, on a clock 50 s into one minute (no window turns)."""
    clock = mock.patch("accountdesk.core.limits.time.time", return_value=FIFTY_SECONDS_INTO_A_MINUTE)
    with override_settings(WORK_RATES_PER_MINUTE=RATES), clock:
        yield


def assert_throttled(response, work: str) -> None:
    assert response.status_code == 429, response.content
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["message"] == f"At most 2 {work} a minute per user. Try again in 10 seconds."
    assert response["Retry-After"] == "10"


@pytest.mark.parametrize(
    ("work", "method", "path", "body"),
    [
        ("exports", "GET", "/api/v1/customers/{c}/notes/export?format=csv", None),
        ("statements", "GET", "/api/v1/customers/{c}/statement", None),
        ("statements", "GET", "/api/v1/customers/{c}/statement.pdf", None),
        ("questions", "POST", "/api/v1/customers/{c}/ask", {"question": "what's the balance"}),
    ],
)
def test_the_api_refuses_expensive_work_past_the_users_rate(
    two_a_minute, api_as, customer, work, method, path, body
):
    api = api_as("billing")
    url = path.format(c=customer.pk)

    def send():
        return api.get(url) if method == "GET" else api.post(url, body)

    assert [send().status_code for _ in range(2)] == [200, 200]
    assert_throttled(send(), work)


def test_each_user_has_their_own_allowance_for_each_kind_of_work(two_a_minute, api_as, customer):
    billing, admin = api_as("billing"), api_as("admin")
    for _ in range(3):
        billing.get(f"/api/v1/customers/{customer.pk}/statement")
    assert admin.get(f"/api/v1/customers/{customer.pk}/statement").status_code == 200
    assert billing.get(f"/api/v1/customers/{customer.pk}/notes/export?format=csv").status_code == 200
    assert billing.get(f"/api/v1/customers/{customer.pk}/notes").status_code == 200  # reads stay open


def test_a_limit_of_zero_is_no_limit(api_as, customer):
    api = api_as("billing")
    with override_settings(WORK_RATES_PER_MINUTE={**RATES, "statements": 0}):
        codes = {api.get(f"/api/v1/customers/{customer.pk}/statement").status_code for _ in range(5)}
    assert codes == {200}


def test_the_statement_pdf_page_answers_our_429_page(two_a_minute, browser_client, staff, customer):
    client = browser_client(staff["billing"])
    url = f"/customers/{customer.pk}/statement.pdf"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"
    assert b"At most 2 statements a minute per user." in refused.content


def test_the_ask_box_says_to_wait_and_answers_nothing(two_a_minute, browser_client, staff, customer):
    client = browser_client(staff["agent"])
    url = f"/customers/{customer.pk}/ask/"
    for _ in range(2):
        assert client.post(url, {"question": "what's the balance"}).status_code == 200
    refused = client.post(url, {"question": "what's the balance"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"
    assert b"At most 2 questions a minute per user." in refused.content
    assert refused.context["answer"] is None


def test_the_export_menu_says_to_wait(two_a_minute, browser_client, staff, customer):
    client = browser_client(staff["agent"])
    url = f"/account/exports/start/?customer={customer.pk}&tab=notes&format=pdf"
    assert [client.post(url).status_code for _ in range(2)] == [200, 200]
    refused = client.post(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"
    assert b"At most 2 exports a minute per user." in refused.content


def test_a_body_past_the_request_cap_is_413_and_changes_nothing(api_as, customer):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = api_as("agent").post(f"/api/v1/customers/{customer.pk}/notes", {"body": "x" * 2000})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert "larger than 1,000 bytes (ACCOUNTDESK_MAX_REQUEST_BYTES)" in error["message"]
    assert not Note.objects.filter(customer=customer).exists()


def test_a_body_within_the_cap_goes_through(api_as, customer):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=3000):
        response = api_as("agent").post(f"/api/v1/customers/{customer.pk}/notes", {"body": "x" * 2000})
    assert response.status_code == 201


def test_a_usage_file_past_the_cap_is_refused_before_it_is_read(tmp_path, provider):
    path = tmp_path / "usage.json"
    path.write_text(
        json.dumps({"rows": [{"subscription_id": 1, "at": "2025-03-02T10:00Z", "quantity": 5}] * 20})
    )
    with (
        override_settings(USAGE_IMPORT_MAX_BYTES=100),
        pytest.raises(CommandError, match=r"usage.json is larger than 100 bytes .*; split it"),
    ):
        call_command("usage", "import", str(path), "--provider", provider.slug)
    assert not UsageRecord.objects.exists()
