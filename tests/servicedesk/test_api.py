import pytest

from accountdesk.activity.models import Activity
from accountdesk.servicedesk.models import CallLog, Ticket, TicketComment
from tests.conftest import ApiClient
from tests.factories import ContactFactory, CustomerFactory, UserFactory
from tests.servicedesk.factories import CallLogFactory, TicketFactory


def url(customer, tail: str = "tickets") -> str:
    return f"/api/v1/customers/{customer.pk}/{tail}"


def test_it_lists_tickets_newest_first_with_ties_by_id(api_as, customer):
    older = TicketFactory(customer=customer)
    a = TicketFactory(customer=customer)
    b = TicketFactory(customer=customer, created_at=a.created_at)
    TicketFactory(customer=CustomerFactory(provider=customer.provider))
    body = api_as("readonly").get(url(customer)).json()
    assert [t["id"] for t in body["items"]] == [b.pk, a.pk, older.pk]
    assert set(body["items"][0]) >= {"id", "number", "subject", "status", "created_at"}


def test_it_filters_tickets_by_status_and_pages_them(api_as, customer):
    TicketFactory.create_batch(3, customer=customer, status="closed")
    TicketFactory(customer=customer, status="open")
    client = api_as("agent")
    assert len(client.get(url(customer), status="closed").json()["items"]) == 3
    first = client.get(url(customer), limit=2).json()
    second = client.get(url(customer), limit=2, cursor=first["next_cursor"]).json()
    assert len({t["id"] for t in first["items"] + second["items"]}) == 4 and second["next_cursor"] is None
    assert client.get(url(customer), status="lost").status_code == 422


def test_it_opens_a_ticket(api_as, customer, staff):
    response = api_as("agent").post(
        url(customer), {"subject": "Modem lights red", "priority": "urgent", "assignee_id": staff["admin"].pk}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "T-000001" and body["assignee"] == staff["admin"].display_name
    assert Activity.objects.get(kind="ticket.opened").actor_type == "api"


@pytest.mark.parametrize("role", ["technician", "billing", "readonly"])
def test_it_refuses_ticket_writes_by_role(api_as, customer, role):
    ticket = TicketFactory(customer=customer)
    client = api_as(role)
    responses = [
        client.post(url(customer), {"subject": "x"}),
        client.post(url(customer, f"tickets/{ticket.pk}/comments"), {"body": "x"}),
        client.post(url(customer, f"tickets/{ticket.pk}/status"), {"status": "closed"}),
        client.post(url(customer, f"tickets/{ticket.pk}/assign"), {"assignee_id": None}),
    ]
    assert [r.status_code for r in responses] == [403] * 4
    assert all(r.json()["error"]["code"] == "permission_denied" for r in responses)
    assert Ticket.objects.count() == 1 and not TicketComment.objects.exists()
    ticket.refresh_from_db()
    assert ticket.status == "open"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "subject"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"subject": "ok", "priority": "meh"}, "priority"),
        ({"subject": "ok", "assignee_id": "nobody"}, "assignee_id"),
        ({"subject": "ok", "description": "x" * 10_001}, "description"),
    ],
)
def test_it_rejects_bad_tickets_in_the_error_format(api_as, customer, payload, field):
    response = api_as("agent").post(url(customer), payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]
    assert not Ticket.objects.exists()


def test_it_rejects_an_assignee_of_another_provider(api_as, customer, other_provider):
    stranger = UserFactory(provider=other_provider)
    response = api_as("agent").post(url(customer), {"subject": "x", "assignee_id": stranger.pk})
    assert response.status_code == 422 and "assignee" in response.json()["error"]["fields"]
    assert not Ticket.objects.exists()


def test_it_shows_a_ticket_with_its_comments_and_changes_it(api_as, customer, staff):
    ticket = TicketFactory(customer=customer)
    client = api_as("agent")
    assert client.post(url(customer, f"tickets/{ticket.pk}/comments"), {"body": "On it"}).status_code == 201
    assert client.post(url(customer, f"tickets/{ticket.pk}/status"), {"status": "pending"}).json()[
        "status"
    ] == ("pending")
    assigned = client.post(url(customer, f"tickets/{ticket.pk}/assign"), {"assignee_id": staff["agent"].pk})
    assert assigned.json()["assignee_id"] == staff["agent"].pk
    detail = client.get(url(customer, f"tickets/{ticket.pk}")).json()
    assert [c["body"] for c in detail["comments"]] == ["On it"]
    conflict = client.post(url(customer, f"tickets/{ticket.pk}/status"), {"status": "pending"})
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "conflict"


def test_it_hides_other_providers_customers_and_tickets(api_as, customer, foreign_customer):
    foreign_ticket = TicketFactory(customer=foreign_customer)
    client = api_as("admin")
    responses = [
        client.get(url(foreign_customer)),
        client.post(url(foreign_customer), {"subject": "x"}),
        client.get(url(foreign_customer, "call-logs")),
        client.post(url(foreign_customer, "call-logs"), {"direction": "inbound", "summary": "x"}),
        client.get(url(customer, f"tickets/{foreign_ticket.pk}")),
        client.post(url(customer, f"tickets/{foreign_ticket.pk}/comments"), {"body": "x"}),
        client.post(url(foreign_customer, f"tickets/{foreign_ticket.pk}/status"), {"status": "closed"}),
    ]
    assert [r.status_code for r in responses] == [404] * 7
    assert {r.json()["error"]["code"] for r in responses} == {"not_found"}
    assert Ticket.objects.count() == 1 and not CallLog.objects.exists() and not TicketComment.objects.exists()


def test_it_lists_and_logs_calls(api_as, customer):
    contact = ContactFactory(customer=customer)
    CallLogFactory(customer=customer)
    response = api_as("technician").post(
        url(customer, "call-logs"),
        {"direction": "inbound", "summary": "Line noisy", "duration_s": 300, "contact_id": contact.pk},
    )
    assert response.status_code == 201
    assert response.json()["contact"] == contact.name
    items = api_as("readonly").get(url(customer, "call-logs")).json()["items"]
    assert items[0]["summary"] == "Line noisy" and len(items) == 2
    assert set(items[0]) >= {"id", "at", "direction", "contact", "duration_s", "summary", "staff"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"direction": "up", "summary": "x"}, "direction"),
        ({"direction": "inbound", "summary": "x", "duration_s": -5}, "duration_s"),
        ({"direction": "inbound", "summary": "x" * 2001}, "summary"),
        ({"direction": "inbound", "summary": "x", "at": "yesterday"}, "at"),
    ],
)
def test_it_rejects_bad_calls_in_the_error_format(api_as, customer, payload, field):
    response = api_as("agent").post(url(customer, "call-logs"), payload)
    assert response.status_code == 422 and field in response.json()["error"]["fields"]
    assert not CallLog.objects.exists()


def test_it_rejects_another_providers_contact_on_a_call(api_as, customer, foreign_customer):
    foreign_contact = ContactFactory(customer=foreign_customer)
    response = api_as("agent").post(
        url(customer, "call-logs"), {"direction": "inbound", "summary": "x", "contact_id": foreign_contact.pk}
    )
    assert response.status_code == 422 and "contact" in response.json()["error"]["fields"]
    assert not CallLog.objects.exists()


def test_it_refuses_call_logs_to_readonly(api_as, customer):
    response = api_as("readonly").post(url(customer, "call-logs"), {"direction": "inbound", "summary": "x"})
    assert response.status_code == 403 and not CallLog.objects.exists()


def test_it_answers_module_not_enabled_without_the_module(
    bare_customer, bare_agent, django_assert_num_queries
):
    client = ApiClient(bare_agent)
    for path in ("tickets", "call-logs", "tickets/1"):
        response = client.get(url(bare_customer, path))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "module_not_enabled"
    response = client.post(url(bare_customer), {"subject": "x"})
    assert response.json()["error"]["code"] == "module_not_enabled"
    # Only the token lookup: nothing of the service desk is read.
    with django_assert_num_queries(1):
        client.get(url(bare_customer))
    assert not Ticket.objects.exists()
