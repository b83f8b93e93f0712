import json

import pytest

from accountdesk.activity.models import Activity
from accountdesk.customers.models import (
    Contact,
    CustomFieldDefinition,
    CustomFieldValue,
    StatusChange,
)
from accountdesk.notes.models import Note
from tests.factories import ContactFactory, TagFactory


@pytest.fixture
def world(provider, other_provider, customer, foreign_customer):
    """Our customer and another provider's, each with a contact, a custom field and a tag."""

    def furnish(c):
        contact = ContactFactory(customer=c, name=f"{c.name} Contact", is_primary=True)
        field = CustomFieldDefinition.objects.create(provider=c.provider, name="Segment", kind="text")
        tag = TagFactory(provider=c.provider, name="vip")
        return {"customer": c, "contact": contact, "field": field, "tag": tag}

    return {"ours": furnish(customer), "theirs": furnish(foreign_customer)}


def snapshot(customer) -> dict:
    """Everything the foundation's writes can change about one customer."""
    customer.refresh_from_db()
    return {
        "customer": (customer.name, customer.status, customer.email, customer.group_id),
        "tags": sorted(customer.tags.values_list("name", flat=True)),
        "contacts": sorted(Contact.objects.filter(customer=customer).values_list("id", "name", "is_primary")),
        "notes": Note.objects.filter(customer=customer).count(),
        "activity": Activity.objects.filter(customer=customer).count(),
        "status_changes": StatusChange.objects.filter(customer=customer).count(),
        "custom_values": sorted(
            CustomFieldValue.objects.filter(customer=customer).values_list("value", flat=True)
        ),
    }


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    return body["error"]


def call(api, method: str, path: str, body=None, *, raw: str | None = None, headers: dict | None = None):
    """Any method through the Bearer-token client; a dict body is sent as JSON."""
    if method == "GET":
        return api.client.get(path, body or {}, headers=headers or {})
    payload = raw if raw is not None else (json.dumps(body) if body is not None else "")
    return api.client.generic(method, path, payload, content_type="application/json", headers=headers or {})


# The foundation's endpoints. {c}: a customer id; {contact}, {field}: ids within that customer's provider.
# `roles`: who may call it (the others get 403 and nothing changes); `ok`: the success status.
ENDPOINTS = [
    ("GET", "/api/v1/customers/{c}", None, "all", 200),
    ("PATCH", "/api/v1/customers/{c}", {"name": "Renamed Ltd"}, {"admin", "billing", "agent"}, 200),
    ("PUT", "/api/v1/customers/{c}/tags", {"tags": ["vip"]}, {"admin", "agent"}, 200),
    ("GET", "/api/v1/customers/{c}/contacts", None, "all", 200),
    ("POST", "/api/v1/customers/{c}/contacts", {"name": "New Person"}, {"admin", "agent"}, 201),
    ("PATCH", "/api/v1/customers/{c}/contacts/{contact}", {"title": "CTO"}, {"admin", "agent"}, 200),
    ("DELETE", "/api/v1/customers/{c}/contacts/{contact}", None, {"admin", "agent"}, 204),
    ("GET", "/api/v1/customers/{c}/custom-fields", None, "all", 200),
    ("PUT", "/api/v1/customers/{c}/custom-fields/{field}", {"value": "Gold"}, {"admin", "agent"}, 200),
    ("GET", "/api/v1/customers/{c}/status-history", None, "all", 200),
    (
        "POST",
        "/api/v1/customers/{c}/status",
        {"status": "blocked", "reason": "Unpaid"},
        {"admin", "agent"},
        200,
    ),
    ("POST", "/api/v1/customers/{c}/archive", {"reason": "Moved away"}, {"admin"}, 200),
    ("GET", "/api/v1/customers/{c}/notes", None, "all", 200),
    (
        "POST",
        "/api/v1/customers/{c}/notes",
        {"body": "Called back"},
        {"admin", "billing", "agent", "technician"},
        201,
    ),
    ("GET", "/api/v1/customers/{c}/activity", None, "all", 200),
]
ROLES = ["admin", "billing", "agent", "technician", "readonly"]


def endpoint_id(endpoint) -> str:
    return f"{endpoint[0]} {endpoint[1].removeprefix('/api/v1/customers/{c}') or '/'}"


def fill(path: str, items: dict) -> str:
    return path.format(c=items["customer"].pk, contact=items["contact"].pk, field=items["field"].pk)
