"""Every entered date lies within 1900-01-01 .. 2100-12-31: outside it is a 422 or a form error,
never a 500 from a calendar overflow (year 9999 plus a day)."""

import datetime as dt

import pytest

from accountdesk.core import clock
from accountdesk.core.dates import InvalidDate, check_date, date_field, parse_date, parse_datetime
from accountdesk.core.errors import ValidationFailed
from accountdesk.fieldservice.models import Job
from accountdesk.subscriptions.models import Subscription
from tests.subscriptions.factories import PackageFactory, SubscriptionFactory


@pytest.fixture(autouse=True)
def frozen_now():
    clock.freeze(dt.datetime(2025, 3, 20, 12, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


def test_it_accepts_the_range_ends_and_refuses_past_them():
    assert parse_date("1900-01-01") == dt.date(1900, 1, 1)
    assert parse_date("2100-12-31") == dt.date(2100, 12, 31)
    for raw in ["1899-12-31", "2101-01-01", "9999-12-31", "0001-01-01"]:
        with pytest.raises(InvalidDate, match="between 1900-01-01 and 2100-12-31"):
            parse_date(raw)
    with pytest.raises(InvalidDate):
        check_date(dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC))


def test_it_reads_a_naive_time_in_the_sites_zone_and_bounds_it():
    assert parse_datetime("2025-03-01T14:30") == dt.datetime(2025, 3, 1, 14, 30, tzinfo=dt.UTC)
    for raw in ["9999-12-31T23:30", "0001-01-01T00:00+05:00", "yesterday", 20250301]:
        with pytest.raises(InvalidDate):
            parse_datetime(raw)


def test_the_service_helper_names_the_field():
    assert date_field("", "due_on") is None
    with pytest.raises(ValidationFailed) as error:
        date_field("9999-12-31", "due_on")
    assert error.value.fields == {"due_on": "Enter a date between 1900-01-01 and 2100-12-31."}


# ---------------------------------------------------------------- the API


@pytest.mark.parametrize(
    "params", [{"to": "9999-12-31"}, {"from": "0001-01-01"}, {"from": "1899-12-31", "to": "2025-01-01"}]
)
@pytest.mark.parametrize("tail", ["statement", "statement.pdf"])
def test_a_statement_to_the_end_of_the_calendar_is_a_422(api_as, customer, params, tail):
    response = api_as("billing").get(f"/api/v1/customers/{customer.pk}/{tail}", **params)
    assert response.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "install", "scheduled_start": "9999-12-31T23:30:00+00:00"},
        {"kind": "install", "scheduled_start": "2025-04-01T09:00Z", "scheduled_end": "9999-01-01T00:00Z"},
        {"kind": "install", "scheduled_start": "0001-01-01T00:00:00+00:00"},
    ],
)
def test_a_job_in_year_9999_is_a_422_and_stores_nothing(api_as, customer, body):
    response = api_as("technician").post(f"/api/v1/customers/{customer.pk}/jobs", body)
    assert response.status_code == 422
    assert "scheduled_" in str(response.json())
    assert not Job.objects.exists()


def test_a_job_rescheduled_to_year_9999_is_a_422(api_as, customer):
    created = api_as("technician").post(
        f"/api/v1/customers/{customer.pk}/jobs",
        {"kind": "install", "scheduled_start": "2025-04-01T09:00:00+00:00"},
    )
    assert created.status_code == 201
    job_id = created.json()["id"]
    response = api_as("technician").post(
        f"/api/v1/customers/{customer.pk}/jobs/{job_id}/reschedule",
        {"scheduled_start": "9999-12-31T23:30:00+00:00"},
    )
    assert response.status_code == 422
    assert Job.objects.get().scheduled_start.year == 2025


@pytest.mark.parametrize(
    "params",
    [
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"to": "9999-12-31"},
        {"from": "0001-01-01T00:00:00"},
        {"from": "9999-12-31T23:59:59", "resolution": "minute"},
        {"from": "1900-01-01", "to": "1900-01-02", "resolution": "minute"},
    ],
)
def test_an_extreme_usage_window_is_a_422(api_as, customer, params):
    package = PackageFactory(provider=customer.provider, usage_allowance=10**9, usage_unit="bytes")
    SubscriptionFactory(customer=customer, package=package, started_on=dt.date(2025, 1, 1))
    response = api_as("agent").get(f"/api/v1/customers/{customer.pk}/usage", **params)
    expected = 200 if params.get("from") == "1900-01-01" else 422
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("subscriptions", {"package_id": None, "started_on": "9999-12-31"}),
        ("payments", {"amount": "5.00", "method": "cash", "received_on": "9999-12-31"}),
        ("call-logs", {"direction": "inbound", "summary": "hi", "at": "9999-12-31T23:59:00Z"}),
        ("equipment", {"name": "Router", "last_seen": "9999-12-31T23:59:00Z"}),
    ],
)
def test_other_dates_in_bodies_are_bounded(api_as, customer, path, body):
    if "package_id" in body:
        body["package_id"] = PackageFactory(provider=customer.provider).pk
    response = api_as("admin").post(f"/api/v1/customers/{customer.pk}/{path}", body)
    assert response.status_code == 422, response.content
    assert not Subscription.objects.exists()


def test_a_customer_joined_in_year_9999_is_a_422(api_as, customer):
    response = api_as("admin").client.patch(
        f"/api/v1/customers/{customer.pk}", '{"joined_on": "9999-12-31"}', content_type="application/json"
    )
    assert response.status_code == 422


# ---------------------------------------------------------------- the pages


def test_the_statement_page_shows_an_out_of_range_date_as_an_error(browser_client, staff, customer):
    client = browser_client(staff["billing"])
    response = client.get(f"/customers/{customer.pk}/statement/", {"to": "9999-12-31"})
    assert response.status_code == 200
    assert "between 1900-01-01 and 2100-12-31" in response.content.decode()
    pdf = client.get(f"/customers/{customer.pk}/statement.pdf", {"to": "9999-12-31"})
    assert pdf.status_code == 200


def test_the_job_dialog_refuses_year_9999_with_a_form_error(browser_client, staff, customer):
    response = browser_client(staff["technician"]).post(
        f"/customers/{customer.pk}/jobs/", {"kind": "service", "scheduled_start": "9999-12-31T23:30"}
    )
    assert response.status_code == 400
    assert "between 1900-01-01 and 2100-12-31" in response.content.decode()
    assert not Job.objects.exists()


def test_the_dashboard_job_dialog_refuses_year_9999(browser_client, staff, customer):
    client = browser_client(staff["admin"])
    response = client.post(
        f"/customers/{customer.pk}/dashboard/actions/job/",
        {"kind": "service", "scheduled_start": "9999-12-31T23:30", "technician": "", "description": ""},
    )
    assert response.status_code in (400, 422)
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("tail", "data"),
    [
        ("payments/new/", {"amount": "5.00", "method": "cash", "received_on": "9999-12-31"}),
        (
            "recurring-invoices/new/",
            {"description": "x", "amount": "5", "schedule": "monthly", "next_run_on": "0001-01-01"},
        ),
    ],
)
def test_billing_dialogs_refuse_dates_out_of_range(browser_client, staff, customer, tail, data):
    response = browser_client(staff["admin"]).post(f"/customers/{customer.pk}/{tail}", data)
    assert response.status_code == 400
    assert "between 1900-01-01 and 2100-12-31" in response.content.decode()


def test_the_subscription_dialog_refuses_year_9999(browser_client, staff, customer):
    package = PackageFactory(provider=customer.provider)
    response = browser_client(staff["admin"]).post(
        f"/customers/{customer.pk}/subscriptions/add/", {"package": package.pk, "started_on": "9999-12-31"}
    )
    assert "between 1900-01-01 and 2100-12-31" in response.content.decode()
    assert not Subscription.objects.exists()


def test_date_text_reads_a_date_in_the_product_format():
    from accountdesk.core.dates import date_text

    assert date_text(dt.date(2026, 12, 28)) == "28 Dec 2026"
    assert date_text("2026-12-28") == "28 Dec 2026"
    assert date_text(None) == "" and date_text("soon") == "soon"


def test_date_text_follows_the_users_format():
    from accountdesk.core.dates import current_date_format, date_text

    token = current_date_format.set("%m/%d/%Y")
    try:
        assert date_text(dt.date(2026, 12, 28)) == "12/28/2026"
    finally:
        current_date_format.reset(token)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Invoice INV-1 approved: $5.00, due 2026-12-28", "Invoice INV-1 approved: $5.00, due 28 Dec 2026"),
        ("Statement 2026-01-01 to 2026-01-31.", "Statement 01 Jan 2026 to 31 Jan 2026."),
        # Not dates: part of a longer token, a time stamp, an impossible day.
        (
            "ref X2026-12-28 at 2026-12-28T10:00 or 2026-13-45",
            "ref X2026-12-28 at 2026-12-28T10:00 or 2026-13-45",
        ),
    ],
)
def test_iso_dates_in_a_sentence_read_in_words(text, read):
    from accountdesk.core.dates import iso_dates_as_text

    assert iso_dates_as_text(text) == read
