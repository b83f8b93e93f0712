"""An id in a path that cannot be a record (not a number, 0, negative, past 2**63-1) is answered
404 not_found, exactly as an id that does not exist; query and body problems stay 422."""

import re

import pytest

from accountdesk.activity.models import Activity
from accountdesk.api.api import api

BAD_IDS = ["abc", "0", "-1", "1.5", "9223372036854775808", "99999999999999999999"]
NOT_FOUND = {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def assert_not_found(response) -> None:
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/customers/abc",
        "/api/v1/customers/0/dashboard",
        "/api/v1/customers/99999999999999999999",
        "/api/v1/customers/-7/dashboard",
        "/api/v1/customers/abc/invoices",
        "/api/v1/customers/9223372036854775808/invoices",
    ],
)
def test_it_answers_not_found_for_a_path_id_that_cannot_be_a_record(api_as, path):
    assert_not_found(api_as("agent").get(path))


def test_it_answers_not_found_for_a_bad_id_in_a_post_whatever_the_body(api_as, customer):
    client = api_as("agent")
    assert_not_found(client.post("/api/v1/customers/abc/notes", {"body": "Called back"}))
    assert_not_found(client.post("/api/v1/customers/0/notes", {"body": "Called back"}))
    assert_not_found(client.post("/api/v1/customers/abc/notes", {}))
    assert_not_found(client.post("/api/v1/customers/0/notes", {}))
    assert_not_found(client.post(f"/api/v1/customers/{customer.pk}/contracts/x1/send"))
    assert not Activity.objects.exists()


def test_it_answers_not_found_for_a_path_word_that_names_nothing(api_as, customer):
    assert_not_found(api_as("agent").post(f"/api/v1/customers/{customer.pk}/contracts/1/explode"))


def test_it_keeps_query_and_body_problems_at_422(api_as, customer):
    client = api_as("agent")
    listing = client.get(f"/api/v1/customers/{customer.pk}/invoices", limit="0")
    note = client.post(f"/api/v1/customers/{customer.pk}/notes", {})
    for response in (listing, note):
        assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"
    assert "limit" in listing.json()["error"]["fields"]
    assert not Activity.objects.exists()


def test_it_still_asks_for_a_token_first(client):
    response = client.get("/api/v1/customers/abc")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


def call(client, method: str, path: str):
    body = "" if method == "GET" else "{}"
    return client.client.generic(method, path, body, content_type="application/json")


def _routes() -> list[tuple[str, str]]:
    """Every (method, path) of the API with an id in its path."""
    routes = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "_id}" in path:
            routes += [(method.upper(), path) for method in operations]
    return routes


def test_it_answers_not_found_on_every_endpoint_with_an_id(api_as, customer):
    client = api_as("admin")
    routes = _routes()
    assert len(routes) > 30
    failures = []
    for method, template in routes:
        for bad in BAD_IDS:
            path = re.sub(r"\{customer_id\}", bad, template)
            path = re.sub(r"\{tab\}", "invoices", re.sub(r"\{action\}", "send", path))
            path = re.sub(r"\{\w+_id\}", "1", path)
            response = call(client, method, path)
            if response.status_code != 404 or response.json()["error"]["code"] != "not_found":
                failures.append((method, path, response.status_code))
    assert failures == []
    assert not Activity.objects.exists()


def test_it_answers_not_found_for_a_bad_inner_id_of_a_real_customer(api_as, customer):
    client = api_as("admin")
    failures = []
    for method, template in _routes():
        inner = re.findall(r"\{(\w+_id)\}", template)
        if inner == ["customer_id"]:
            continue
        for bad in BAD_IDS:
            path = template.replace("{customer_id}", str(customer.pk))
            path = re.sub(r"\{tab\}", "invoices", re.sub(r"\{action\}", "send", path))
            path = re.sub(r"\{\w+_id\}", bad, path)
            response = call(client, method, path)
            if response.status_code != 404:
                failures.append((method, path, response.status_code))
    assert failures == []
    assert not Activity.objects.exists()
