import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.core.actors import Actor
from accountdesk.usage.models import UsageRecord
from accountdesk.usage.selectors import usage_series
from accountdesk.usage.services import usage_ingest


def url(customer, rest=""):
    return f"/api/v1/customers/{customer.pk}/usage{rest}"


def minutes(start: dt.datetime, count: int, quantity: int = 1000) -> list[dict]:
    return [{"at": (start + dt.timedelta(minutes=i)).isoformat(), "quantity": quantity} for i in range(count)]


def test_it_ingests_a_batch(api_as, customer, subscription):
    response = api_as("billing").post(
        url(customer),
        {"subscription_id": subscription.pk, "rows": minutes(dt.datetime(2025, 3, 2, tzinfo=dt.UTC), 5)},
    )
    assert response.status_code == 201, response.json()
    assert response.json() == {"records": 5, "notifications": []}


def test_it_rejects_a_batch_with_one_bad_row_and_stores_nothing(api_as, customer, subscription):
    rows = minutes(dt.datetime(2025, 3, 2, tzinfo=dt.UTC), 5)
    rows[3]["quantity"] = -5
    response = api_as("billing").post(url(customer), {"subscription_id": subscription.pk, "rows": rows})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and "rows[4].quantity" in error["fields"]
    assert not UsageRecord.objects.exists()


def test_it_rejects_another_customers_subscription(api_as, customer, foreign_subscription):
    rows = minutes(dt.datetime(2025, 3, 2, tzinfo=dt.UTC), 1)
    response = api_as("billing").post(
        url(customer), {"subscription_id": foreign_subscription.pk, "rows": rows}
    )
    assert response.status_code == 422 and "subscription_id" in response.json()["error"]["fields"]
    assert not UsageRecord.objects.exists()


@pytest.mark.parametrize("role", ["agent", "technician", "readonly"])
def test_it_forbids_ingest_to_other_roles(api_as, customer, subscription, role):
    rows = minutes(dt.datetime(2025, 3, 2, tzinfo=dt.UTC), 1)
    response = api_as(role).post(url(customer), {"subscription_id": subscription.pk, "rows": rows})
    assert response.status_code == 403 and not UsageRecord.objects.exists()


def test_it_answers_not_found_for_another_providers_customer(api_as, foreign_customer):
    client = api_as("admin")
    assert client.get(url(foreign_customer)).json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/customers/{foreign_customer.pk}/usage-notifications").status_code == 404
    assert client.post(url(foreign_customer), {"rows": []}).status_code == 404


def test_it_draws_the_current_period_by_day(api_as, provider, customer, subscription):
    usage_ingest(
        provider=provider,
        subscription=subscription,
        actor=Actor.system(provider),
        rows=minutes(dt.datetime(2025, 3, 2, 10, tzinfo=dt.UTC), 3)
        + minutes(dt.datetime(2025, 3, 5, tzinfo=dt.UTC), 2),
    )
    body = api_as("readonly").get(url(customer)).json()
    assert body["resolution"] == "day" and body["unit"] == "bytes" and body["allowance"] == 10_000_000_000
    assert len(body["points"]) == 31 and body["points"][0]["t"].startswith("2025-03-01T00:00:00")
    assert [p["value"] for p in body["points"][:5]] == [0, 3000, 0, 0, 2000]


def test_it_draws_minutes_in_a_short_window_only(api_as, provider, customer, subscription):
    usage_ingest(
        provider=provider,
        subscription=subscription,
        actor=Actor.system(provider),
        rows=minutes(dt.datetime(2025, 3, 2, 10, tzinfo=dt.UTC), 3, quantity=7),
    )
    client = api_as("readonly")
    body = client.get(
        url(customer), resolution="minute", **{"from": "2025-03-02T10:00:00Z", "to": "2025-03-02T10:05:00Z"}
    ).json()
    assert [p["value"] for p in body["points"]] == [7, 7, 7, 0, 0]
    too_long = client.get(url(customer), resolution="minute", **{"from": "2025-03-01", "to": "2025-03-10"})
    assert too_long.status_code == 422 and too_long.json()["error"]["code"] == "validation_error"
    assert client.get(url(customer), resolution="week").status_code == 422
    assert client.get(url(customer), **{"from": "garbage"}).status_code == 422


def test_it_draws_a_month_from_the_rollups_only(provider, subscription):
    usage_ingest(
        provider=provider,
        subscription=subscription,
        actor=Actor.system(provider),
        rows=minutes(dt.datetime(2025, 3, 1, tzinfo=dt.UTC), 600),
    )
    start, end = dt.datetime(2025, 3, 1, tzinfo=dt.UTC), dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    with CaptureQueriesContext(connection) as queries:
        series = usage_series(subscription=subscription, start=start, end=end, resolution="day")
    assert len(queries) == 1
    [sql] = [q["sql"] for q in queries.captured_queries]
    assert "usage_usagerollup" in sql and "usage_usagerecord" not in sql
    assert series["points"][0]["value"] == 600_000 and len(series["points"]) == 31


def test_it_lists_usage_notifications(api_as, provider, customer, subscription):
    usage_ingest(
        provider=provider,
        subscription=subscription,
        actor=Actor.system(provider),
        rows=[{"at": "2025-03-02T10:00:00Z", "quantity": 8_000_000_000}],
    )
    items = api_as("readonly").get(f"/api/v1/customers/{customer.pk}/usage-notifications").json()["items"]
    assert [i["threshold"] for i in items] == [80, 50]
    assert set(items[0]) >= {"id", "sent_at", "channel", "message"}


def test_it_sets_the_notification_channel(api_as, customer):
    client = api_as("agent")
    assert client.post(url(customer, "-preference"), {"channel": "sms"}).json() == {"channel": "sms"}
    assert client.post(url(customer, "-preference"), {"channel": "pigeon"}).status_code == 422
    assert api_as("readonly").post(url(customer, "-preference"), {"channel": "email"}).status_code == 403


def test_it_lets_admins_set_thresholds(api_as):
    assert api_as("agent").post("/api/v1/usage-settings", {"thresholds": [75]}).status_code == 403
    assert api_as("admin").post("/api/v1/usage-settings", {"thresholds": [100, 75]}).json() == {
        "thresholds": [75, 100]
    }
    assert api_as("admin").post("/api/v1/usage-settings", {"thresholds": [0]}).status_code == 422
    assert api_as("readonly").get("/api/v1/usage-settings").json() == {"thresholds": [75, 100]}
