import datetime as dt

import pytest

from accountdesk.fieldservice.models import Job
from tests.conftest import ApiClient
from tests.factories import UserFactory
from tests.fieldservice.factories import JobFactory

NOW = dt.datetime(2025, 3, 15, 12, 0, tzinfo=dt.UTC)


def url(customer, tail: str = "jobs") -> str:
    return f"/api/v1/customers/{customer.pk}/{tail}"


def test_it_lists_future_and_past_jobs(api_as, customer):
    future = JobFactory(customer=customer, scheduled_start=NOW + dt.timedelta(days=1))
    past = JobFactory(customer=customer, scheduled_start=NOW - dt.timedelta(days=1))
    client = api_as("readonly")
    assert [j["id"] for j in client.get(url(customer), when="future").json()["items"]] == [future.pk]
    assert [j["id"] for j in client.get(url(customer), when="past").json()["items"]] == [past.pk]
    items = client.get(url(customer)).json()["items"]
    assert len(items) == 2
    assert set(items[0]) >= {
        "id",
        "number",
        "kind",
        "status",
        "scheduled_start",
        "scheduled_end",
        "technician",
        "address",
    }
    assert client.get(url(customer), when="someday").status_code == 422


def test_it_creates_a_service_call(api_as, customer, staff):
    response = api_as("technician").post(
        url(customer),
        {
            "kind": "service",
            "scheduled_start": "2025-03-20T09:00:00+00:00",
            "scheduled_end": "2025-03-20T11:00:00+00:00",
            "technician_id": staff["technician"].pk,
            "address": "Unit 4, Dock Rd",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "J-000001" and body["status"] == "scheduled"
    assert body["technician"] == staff["technician"].display_name


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({}, "kind"),
        ({"kind": "service", "scheduled_start": "2025-03-20T09:00:00+00:00",
          "scheduled_end": "2025-03-20T08:00:00+00:00"}, "scheduled_end"),
        ({"kind": "service", "scheduled_start": "tomorrow"}, "scheduled_start"),
        ({"kind": "service", "address": "x" * 301}, "address"),
        ({"kind": "service", "technician_id": 987_654}, "technician"),
    ],
)  # fmt: skip
def test_it_rejects_bad_jobs_in_the_error_format(api_as, customer, payload, field):
    response = api_as("agent").post(url(customer), payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and any(f.startswith(field) for f in error["fields"])
    assert not Job.objects.exists()


def test_it_rejects_a_technician_of_another_provider(api_as, customer, other_provider):
    stranger = UserFactory(provider=other_provider, role="technician")
    response = api_as("agent").post(url(customer), {"kind": "install", "technician_id": stranger.pk})
    assert response.status_code == 422 and "technician" in response.json()["error"]["fields"]
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", ["billing", "readonly"])
def test_it_refuses_job_writes_by_role(api_as, customer, role):
    job = JobFactory(customer=customer)
    client = api_as(role)
    responses = [
        client.post(url(customer), {"kind": "service"}),
        client.post(url(customer, f"jobs/{job.pk}/status"), {"status": "cancelled"}),
        client.post(url(customer, f"jobs/{job.pk}/reschedule"), {"scheduled_start": "2025-04-01T09:00:00Z"}),
        client.post(url(customer, f"jobs/{job.pk}/assign"), {"technician_id": None}),
    ]
    assert [r.status_code for r in responses] == [403] * 4
    assert Job.objects.count() == 1
    job.refresh_from_db()
    assert job.status == "scheduled"


def test_it_changes_status_reschedules_and_assigns(api_as, customer, staff):
    job = JobFactory(customer=customer)
    client = api_as("technician")
    moved = client.post(
        url(customer, f"jobs/{job.pk}/reschedule"),
        {"scheduled_start": "2025-03-21T10:00:00Z", "scheduled_end": "2025-03-21T12:00:00Z"},
    )
    assert moved.status_code == 200 and moved.json()["scheduled_start"].startswith("2025-03-21T10:00")
    assigned = client.post(url(customer, f"jobs/{job.pk}/assign"), {"technician_id": staff["technician"].pk})
    assert assigned.json()["technician_id"] == staff["technician"].pk
    assert client.post(url(customer, f"jobs/{job.pk}/status"), {"status": "completed"}).status_code == 200
    again = client.post(url(customer, f"jobs/{job.pk}/status"), {"status": "cancelled"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    backwards = client.post(
        url(customer, f"jobs/{job.pk}/reschedule"),
        {"scheduled_start": "2025-03-21T10:00:00Z", "scheduled_end": "2025-03-21T09:00:00Z"},
    )
    assert backwards.status_code == 422


def test_it_hides_other_providers_customers_and_jobs(api_as, customer, foreign_customer):
    foreign_job = JobFactory(customer=foreign_customer)
    client = api_as("admin")
    responses = [
        client.get(url(foreign_customer)),
        client.post(url(foreign_customer), {"kind": "service"}),
        client.get(url(customer, f"jobs/{foreign_job.pk}")),
        client.post(url(customer, f"jobs/{foreign_job.pk}/status"), {"status": "cancelled"}),
        client.post(url(foreign_customer, f"jobs/{foreign_job.pk}/assign"), {"technician_id": None}),
    ]
    assert [r.status_code for r in responses] == [404] * 5
    assert {r.json()["error"]["code"] for r in responses} == {"not_found"}
    foreign_job.refresh_from_db()
    assert foreign_job.status == "scheduled" and Job.objects.count() == 1


def test_it_answers_module_not_enabled_without_the_module(
    bare_customer, bare_agent, django_assert_num_queries
):
    client = ApiClient(bare_agent)
    for response in (client.get(url(bare_customer)), client.post(url(bare_customer), {"kind": "service"})):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "module_not_enabled"
    with django_assert_num_queries(1):  # the token lookup only
        client.get(url(bare_customer), when="future")
    assert not Job.objects.exists()


def test_it_answers_a_job_booked_in_the_past_with_422_and_stores_nothing(api_as, customer):
    body = {"kind": "install", "scheduled_start": "2020-06-01T09:00Z"}
    response = api_as("technician").post(url(customer), body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"] == {
        "scheduled_start": "This start is in the past. Book a future time, or record it as completed work."
    }
    assert not Job.objects.exists()


def test_it_records_past_work_as_a_completed_job(api_as, customer):
    response = api_as("technician").post(
        url(customer), {"kind": "repair", "scheduled_start": "2020-06-01T09:00Z", "completed": True}
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "completed"
    assert api_as("readonly").get(url(customer)).json()["items"][0]["status"] == "completed"


def test_it_answers_a_reschedule_into_the_past_with_422(api_as, customer):
    job = JobFactory(customer=customer)
    response = api_as("technician").post(
        url(customer, f"jobs/{job.pk}/reschedule"), {"scheduled_start": "2020-06-01T09:00Z"}
    )
    assert response.status_code == 422
    assert "scheduled_start" in response.json()["error"]["fields"]
