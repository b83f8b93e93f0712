"""/api/v1/webhooks: admins register, list, read, change, delete and rotate endpoints; the secret is
in the answers to creating and rotating only; bad input is a 422 naming the field."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.webhooks.models import Endpoint
from tests.webhooks.history import grow_endpoints

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks"
GOOD = {
    "url": "https://hooks.example.com/in",
    "events": ["invoice.approved", "payment.recorded"],
    "description": "Accounting",
}


@pytest.fixture
def api(api_as, resolve_to):
    return api_as("admin")


def patch(api, path, data):
    import json

    return api.client.patch(path, json.dumps(data), content_type="application/json")


def test_an_admin_registers_an_endpoint_and_gets_its_secret_once(api):
    response = api.post(URL, GOOD)
    assert response.status_code == 201, response.content
    body = response.json()
    endpoint = Endpoint.objects.get()
    assert (
        body["id"] == endpoint.pk
        and body["secret"] == endpoint.secret
        and body["secret"].startswith("whsec_")
    )
    assert body["events"] == ["invoice.approved", "payment.recorded"] and body["enabled"] is True
    for read in (api.get(f"{URL}/{endpoint.pk}").json(), api.get(URL).json()["items"][0]):
        assert "secret" not in read and read["url"] == GOOD["url"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"events": ["invoice.paid"]}, "events"),
        ({"events": []}, "events"),
        ({"url": "ftp://hooks.example.com/in"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "http://127.0.0.1/in"}, "url"),
        ({"url": "http://169.254.169.254/latest/meta-data"}, "url"),
        ({"url": "http://[fd00::1]/in"}, "url"),
        ({"url": "x" * 2001}, "url"),
        ({"events": "invoice.approved"}, "events"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_made(api, change, field):
    response = api.post(URL, GOOD | change)
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert not Endpoint.objects.exists()


def test_an_unknown_event_is_named(api):
    fields = api.post(URL, GOOD | {"events": ["invoice.approved", "invoice.paid"]}).json()["error"]["fields"]
    assert fields["events"].startswith("Unknown event: invoice.paid. Choose from: customer.created,")


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_only_admins_may(api_as, resolve_to, role, make_endpoint):
    endpoint = make_endpoint()
    client = api_as(role)
    assert client.post(URL, GOOD).status_code == 403
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}/{endpoint.pk}").status_code == 403
    assert client.post(f"{URL}/{endpoint.pk}/rotate").status_code == 403
    assert Endpoint.objects.count() == 1


def test_another_providers_endpoint_is_not_found(api, other_provider):
    from tests.conftest import ApiClient
    from tests.factories import UserFactory

    theirs = ApiClient(UserFactory(provider=other_provider, role="admin")).post(URL, GOOD).json()
    for response in (
        api.get(f"{URL}/{theirs['id']}"),
        patch(api, f"{URL}/{theirs['id']}", {"description": "mine"}),
        api.client.delete(f"{URL}/{theirs['id']}"),
        api.post(f"{URL}/{theirs['id']}/rotate"),
    ):
        assert response.status_code == 404
    assert api.get(URL).json()["items"] == []
    assert Endpoint.objects.get(pk=theirs["id"]).description == "Accounting"


def test_it_updates_rotates_and_deletes(api):
    created = api.post(URL, GOOD).json()
    path = f"{URL}/{created['id']}"
    changed = patch(api, path, {"events": ["ticket.opened"], "description": "Helpdesk"})
    assert changed.status_code == 200 and changed.json()["events"] == ["ticket.opened"]
    assert changed.json()["url"] == GOOD["url"] and "secret" not in changed.json()
    assert patch(api, path, {"url": "gopher://x"}).json()["error"]["fields"] == {
        "url": "Use an http:// or https:// URL."
    }
    off = patch(api, path, {"enabled": False}).json()
    assert off["enabled"] is False and off["disabled_reason"].startswith("Disabled by ")
    assert patch(api, path, {"enabled": True}).json()["enabled"] is True
    rotated = api.post(f"{path}/rotate")
    assert rotated.status_code == 200 and rotated.json()["secret"] not in (created["secret"], None)
    assert Endpoint.objects.get().secret == rotated.json()["secret"]
    assert api.client.delete(path).status_code == 204
    assert api.get(path).status_code == 404 and not Endpoint.objects.exists()


def test_an_idempotency_key_registers_once(api):
    first = api.post(URL, GOOD, headers={"Idempotency-Key": "hook-1"})
    again = api.post(URL, GOOD, headers={"Idempotency-Key": "hook-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Endpoint.objects.count() == 1


def _count(api, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


# The token (user and provider joined), then one page of endpoints, or the endpoint.
READS = {"list": 2, "one": 2}


@pytest.mark.parametrize("read", READS)
def test_reads_cost_the_same_for_few_and_many_endpoints(api, provider, read):
    created = api.post(URL, GOOD).json()
    path = URL if read == "list" else f"{URL}/{created['id']}"
    small = _count(api, path)
    grow_endpoints(provider, 120)
    large = _count(api, path)
    assert small == large == READS[read]
    if read == "list":
        assert len(api.get(path).json()["items"]) == 50 and api.get(path).json()["next_cursor"]
