"""Bad input is a 4xx in the error format and changes nothing; never a 500."""

import json
import re

import pytest

from accountdesk.api.api import api as ninja_api
from tests.api.conftest import ENDPOINTS, assert_error, call, endpoint_id, fill, snapshot

WRITES = [e for e in ENDPOINTS if e[0] != "GET" and e[0] != "DELETE"]
LISTS = [
    "/api/v1/customers",
    "/api/v1/customers/{c}/notes",
    "/api/v1/customers/{c}/activity",
    "/api/v1/customers/{c}/status-history",
]


@pytest.mark.parametrize("endpoint", WRITES, ids=endpoint_id)
@pytest.mark.parametrize("raw", ["{not json", '{"name": "x",}', "\x00\xff", "[1, 2"])
def test_it_answers_malformed_json_with_400(api_as, world, endpoint, raw):
    method, path, _, _, _ = endpoint
    before = snapshot(world["ours"]["customer"])
    assert_error(call(api_as("admin"), method, fill(path, world["ours"]), raw=raw), 400, "bad_request")
    assert snapshot(world["ours"]["customer"]) == before


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/v1/customers/{c}/status", {"status": "frozen", "reason": "x"}, "status"),
        ("POST", "/api/v1/customers/{c}/status", {"status": 3, "reason": "x"}, "status"),
        ("POST", "/api/v1/customers/{c}/status", {"status": "blocked", "reason": "x" * 501}, "reason"),
        ("POST", "/api/v1/customers/{c}/status", {"status": "blocked", "reason": ""}, "reason"),
        ("POST", "/api/v1/customers/{c}/status", {"reason": "no status"}, "status"),
        ("POST", "/api/v1/customers/{c}/notes", {"body": "x" * 10_001}, "body"),
        ("POST", "/api/v1/customers/{c}/notes", {"body": ["a list"]}, "body"),
        ("POST", "/api/v1/customers/{c}/notes", {"body": "   "}, "body"),
        ("POST", "/api/v1/customers/{c}/notes", {}, "body"),
        ("PATCH", "/api/v1/customers/{c}", {"name": "x" * 201}, "name"),
        ("PATCH", "/api/v1/customers/{c}", {"name": None}, "name"),
        ("PATCH", "/api/v1/customers/{c}", {"name": ""}, "name"),
        ("PATCH", "/api/v1/customers/{c}", {"email": "not-an-email"}, "email"),
        ("PATCH", "/api/v1/customers/{c}", {"type": "martian"}, "type"),
        ("PATCH", "/api/v1/customers/{c}", {"status": "blocked"}, "status"),
        ("PATCH", "/api/v1/customers/{c}", {"number": "C-1"}, "number"),
        ("PATCH", "/api/v1/customers/{c}", {"service_latitude": "91"}, "service_latitude"),
        ("PATCH", "/api/v1/customers/{c}", {"service_longitude": "1.1234567"}, "service_longitude"),
        ("PATCH", "/api/v1/customers/{c}", {"joined_on": "2024-02-30"}, "joined_on"),
        ("PATCH", "/api/v1/customers/{c}", {"billing_country": "USA"}, "billing_country"),
        ("PATCH", "/api/v1/customers/{c}", {"group_id": 999999}, "group_id"),
        ("PATCH", "/api/v1/customers/{c}", {"account_manager_id": "abc"}, "account_manager_id"),
        ("PUT", "/api/v1/customers/{c}/tags", {"tags": ["no-such-tag"]}, "tags"),
        ("PUT", "/api/v1/customers/{c}/tags", {"tags": "vip"}, "tags"),
        ("POST", "/api/v1/customers/{c}/contacts", {"name": ""}, "name"),
        ("POST", "/api/v1/customers/{c}/contacts", {"name": "A", "email": "nope"}, "email"),
        ("POST", "/api/v1/customers/{c}/contacts", {"name": "A", "is_primary": "maybe"}, "is_primary"),
        (
            "POST",
            "/api/v1/customers/{c}/contacts",
            {"name": "A", "primary_address": {"zip": "1"}},
            "primary_address.zip",
        ),
        ("PATCH", "/api/v1/customers/{c}/contacts/{contact}", {"name": "x" * 151}, "name"),
        ("PUT", "/api/v1/customers/{c}/custom-fields/{field}", {"value": "x" * 501}, "value"),
        ("POST", "/api/v1/customers/{c}/archive", {}, "reason"),
    ],
)
def test_it_answers_invalid_fields_with_422_naming_the_field(api_as, world, method, path, body, field):
    before = snapshot(world["ours"]["customer"])
    error = assert_error(
        call(api_as("admin"), method, fill(path, world["ours"]), body), 422, "validation_error"
    )
    assert field in error["fields"], error
    assert snapshot(world["ours"]["customer"]) == before


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "A", "status": "blocked"},
        {"name": "A", "currency": "dollars"},
        {"name": "A", "tags": ["nope"]},
        {"name": "A", "group_id": 0},
        {"type": "business"},
    ],
)
def test_it_refuses_a_bad_new_customer(api_as, provider, body):
    from accountdesk.customers.models import Customer

    response = call(api_as("admin"), "POST", "/api/v1/customers", body)
    assert_error(response, 422, "validation_error")
    assert not Customer.objects.filter(provider=provider).exclude(name="Grace Hopper").exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=endpoint_id)
@pytest.mark.parametrize("bad_id", ["abc", "1.5", "-1", "0", "99999999999999999999999"])
def test_it_answers_a_bad_customer_id_with_a_4xx(api_as, world, endpoint, bad_id):
    method, path, body, _, _ = endpoint
    items = {**world["ours"], "customer": type("C", (), {"pk": bad_id})}
    before = snapshot(world["ours"]["customer"])
    response = call(api_as("admin"), method, fill(path, items), body)
    assert response.status_code in (404, 422), response.content
    assert_error(
        response, response.status_code, "not_found" if response.status_code == 404 else "validation_error"
    )
    assert snapshot(world["ours"]["customer"]) == before


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if "{contact}" in e[1] or "{field}" in e[1]], ids=endpoint_id
)
def test_it_answers_an_unknown_sub_id_with_404(api_as, world, endpoint):
    method, path, body, _, _ = endpoint
    items = {
        **world["ours"],
        "contact": type("X", (), {"pk": 987654})(),
        "field": type("X", (), {"pk": 987654})(),
    }
    before = snapshot(world["ours"]["customer"])
    assert_error(call(api_as("admin"), method, fill(path, items), body), 404, "not_found")
    assert snapshot(world["ours"]["customer"]) == before


def test_it_answers_an_unknown_customer_id_with_404(api_as, world):
    assert_error(api_as("admin").get("/api/v1/customers/987654"), 404, "not_found")


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"limit": 0}, 422),
        ({"limit": 501}, 422),
        ({"limit": "ten"}, 422),
        ({"cursor": "not-a-cursor"}, 400),
        ({"cursor": "W10"}, 400),
        ({"cursor": "x" * 501}, 422),
    ],
)
def test_it_refuses_bad_paging(api_as, world, path, params, status):
    response = api_as("admin").get(fill(path, world["ours"]), **params)
    assert_error(response, status, "bad_request" if status == 400 else "validation_error")


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/customers", {"status": "frozen"}),
        ("/api/v1/customers", {"q": "x" * 201}),
        ("/api/v1/customers", {"group_id": "abc"}),
        ("/api/v1/customers", {"tag_id": 10**30}),
        ("/api/v1/customers", {"sort": "random"}),
        ("/api/v1/customers/{c}/activity", {"group": "nonsense"}),
        ("/api/v1/customers/{c}/activity", {"actor_type": "robot"}),
    ],
)
def test_it_refuses_bad_filters_with_422(api_as, world, path, params):
    assert_error(api_as("admin").get(fill(path, world["ours"]), **params), 422, "validation_error")


def test_it_answers_an_unknown_path_in_the_error_format(api_as):
    assert_error(api_as("admin").get("/api/v1/no-such-thing"), 404, "not_found")


def test_it_answers_a_wrong_method_in_the_error_format(api_as, customer):
    response = call(api_as("admin"), "PUT", f"/api/v1/customers/{customer.pk}/notes", {"body": "x"})
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


# --- Junk at every endpoint of the API, the foundation's and every other app's. -------------------


def _routes() -> list[tuple[str, str]]:
    routes = []
    for prefix, router in ninja_api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    routes.append((method, "/api" + prefix.rstrip("/") + path))
    return sorted(set(routes))


JUNK_BODIES = [
    "{not json",
    "[]",
    "null",
    '{"amount": [1], "status": {}, "body": 7, "name": null}',
    json.dumps({k: "x" * 20_000 for k in ("name", "body", "reason", "amount", "status", "value")}),
]
JUNK_QUERIES = [
    {"limit": 0},
    {"limit": "x"},
    {"cursor": "!!"},
    {"status": "\x00"},
    {"from": "2024-13-01", "to": "x"},
    {"resolution": "century", "when": "then", "format": "exe"},
]


def _with_ids(path: str, customer_id: int, junk: str) -> str:
    return re.sub(r"\{[a-z_]+\}", junk, path.replace("{customer_id}", str(customer_id)))


@pytest.mark.parametrize(("method", "path"), _routes(), ids=[f"{m} {p}" for m, p in _routes()])
def test_it_never_answers_junk_with_a_500(api_as, world, method, path):
    api = api_as("admin")
    ours = world["ours"]["customer"].pk
    target = _with_ids(path, ours, "99999999999999999999")
    if method == "GET":
        attempts = [call(api, "GET", target, query) for query in JUNK_QUERIES]
    else:
        attempts = [call(api, method, target, raw=body) for body in JUNK_BODIES]
    # Then junk ids everywhere, the customer's included.
    attempts += [call(api, method, _with_ids(path, junk, junk), {}) for junk in ("abc", "-1", "0")]
    for response in attempts:
        assert response.status_code < 500, (method, path, response.status_code, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) == {"error"}, (method, path, response.content[:300])


@pytest.mark.parametrize("path", [*LISTS, "/api/v1/customers?sort=name"])
@pytest.mark.parametrize("values", [["abc", "xyz"], [None, None], ["x"], [{"dt": "2025-01-01T00:00:00"}, 1]])
def test_it_refuses_a_forged_cursor_with_400(api_as, world, path, values):
    from accountdesk.core.pagination import encode_cursor

    url = fill(path, world["ours"]) + ("&" if "?" in path else "?") + "cursor=" + encode_cursor(values)
    assert_error(api_as("admin").client.get(url), 400, "bad_request")
