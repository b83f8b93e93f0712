import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.activity.models import Activity
from accountdesk.core import clock
from accountdesk.subscriptions.models import Subscription
from tests.subscriptions.factories import PackageFactory, SubscriptionFactory


@pytest.fixture(autouse=True)
def frozen_today():
    clock.freeze(dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


def url(customer, rest=""):
    return f"/api/v1/customers/{customer.pk}/subscriptions{rest}"


def test_it_adds_a_subscription_at_the_package_price(api_as, customer, package):
    response = api_as("agent").post(url(customer), {"package_id": package.pk, "started_on": "2025-03-01"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["package"] == "Fibre 100" and body["price"] == "31.00" and body["status"] == "active"
    assert body["next_bill_on"] == "2025-03-01"
    event = Activity.objects.get(kind="subscription.created")
    assert event.group == "subscriptions" and event.actor_type == "api"


def test_it_makes_a_future_subscription_pending(api_as, customer, package):
    response = api_as("agent").post(url(customer), {"package_id": package.pk, "started_on": "2025-04-01"})
    assert response.json()["status"] == "pending"


def test_it_takes_a_negotiated_price(api_as, customer, package):
    response = api_as("billing").post(
        url(customer), {"package_id": package.pk, "started_on": "2025-03-01", "price": "25.50"}
    )
    assert response.json()["price"] == "25.50"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"package_id": 999999, "started_on": "2025-03-01"}, "package_id"),
        ({"started_on": "2025-03-01"}, "package_id"),
        ({"package_id": "PKG", "started_on": "2025-03-01", "ends_on": "2025-02-28"}, "ends_on"),
        ({"package_id": "PKG", "started_on": "not a date"}, "started_on"),
        ({"package_id": "PKG", "started_on": "2025-03-01", "price": "-1"}, "price"),
        ({"package_id": "PKG", "started_on": "2025-03-01", "price": "1.234"}, "price"),
    ],
)
def test_it_rejects_bad_input_and_stores_nothing(api_as, customer, package, payload, field):
    payload = {k: (package.pk if v == "PKG" else v) for k, v in payload.items()}
    response = api_as("agent").post(url(customer), payload)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert not Subscription.objects.exists() and not Activity.objects.exists()


def test_it_refuses_a_package_no_longer_offered(api_as, customer, package):
    package.active = False
    package.save()
    response = api_as("agent").post(url(customer), {"package_id": package.pk, "started_on": "2025-03-01"})
    assert response.status_code == 422 and not Subscription.objects.exists()


def test_it_treats_another_providers_package_as_unknown(api_as, customer, foreign_package):
    response = api_as("agent").post(
        url(customer), {"package_id": foreign_package.pk, "started_on": "2025-03-01"}
    )
    assert response.status_code == 422 and "package_id" in response.json()["error"]["fields"]
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("role", ["technician", "readonly"])
def test_it_forbids_roles_without_the_permission(api_as, customer, package, role):
    response = api_as(role).post(url(customer), {"package_id": package.pk, "started_on": "2025-03-01"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("role", ["admin", "billing", "agent"])
def test_it_lets_roles_with_the_permission_add(api_as, customer, package, role):
    response = api_as(role).post(url(customer), {"package_id": package.pk, "started_on": "2025-03-01"})
    assert response.status_code == 201


def test_it_answers_not_found_for_another_providers_customer_and_subscription(
    api_as, customer, foreign_customer
):
    theirs = SubscriptionFactory(customer=foreign_customer)
    client = api_as("admin")
    assert client.get(url(foreign_customer)).json()["error"]["code"] == "not_found"
    assert (
        client.post(url(foreign_customer), {"package_id": 1, "started_on": "2025-03-01"}).status_code == 404
    )
    response = client.post(url(customer, f"/{theirs.pk}/suspend"), {})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.status == "active"


def test_it_lists_by_start_date_newest_first_and_filters_by_status(api_as, customer, package):
    old = SubscriptionFactory(customer=customer, package=package, started_on=dt.date(2024, 1, 1))
    new = SubscriptionFactory(customer=customer, package=package, started_on=dt.date(2025, 1, 1))
    gone = SubscriptionFactory(customer=customer, package=package, status="cancelled")
    items = api_as("readonly").get(url(customer)).json()["items"]
    assert [i["id"] for i in items] == [gone.pk, new.pk, old.pk]  # same start: higher id first
    items = api_as("readonly").get(url(customer), status="cancelled").json()["items"]
    assert [i["id"] for i in items] == [gone.pk]
    assert api_as("readonly").get(url(customer), status="bogus").status_code == 422


def test_it_suspends_resumes_and_cancels(api_as, customer, package):
    sub = SubscriptionFactory(customer=customer, package=package, next_bill_on=dt.date(2025, 3, 1))
    client = api_as("agent")
    assert (
        client.post(url(customer, f"/{sub.pk}/suspend"), {"reason": "travel"}).json()["status"] == "suspended"
    )
    assert client.post(url(customer, f"/{sub.pk}/suspend"), {}).status_code == 409
    resumed = client.post(url(customer, f"/{sub.pk}/resume")).json()
    # billing restarts today: the suspended days are not billed
    assert resumed["status"] == "active" and resumed["next_bill_on"] == "2025-03-10"
    cancelled = client.post(url(customer, f"/{sub.pk}/cancel"), {"ends_on": "2025-03-20"}).json()
    assert cancelled["status"] == "cancelled" and cancelled["ends_on"] == "2025-03-20"
    assert client.post(url(customer, f"/{sub.pk}/cancel"), {}).status_code == 409
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {"subscription.suspended", "subscription.resumed", "subscription.cancelled"} <= kinds


def test_it_refuses_a_cancellation_ending_before_the_start(api_as, customer, package):
    sub = SubscriptionFactory(customer=customer, package=package, started_on=dt.date(2025, 2, 1))
    response = api_as("agent").post(url(customer, f"/{sub.pk}/cancel"), {"ends_on": "2025-01-31"})
    assert response.status_code == 422 and "ends_on" in response.json()["error"]["fields"]
    sub.refresh_from_db()
    assert sub.status == "active"


def test_it_reports_what_was_billed_beyond_a_cancellation(api_as, customer, package):
    # billed in advance to 31 March; cancelled with a last day of 20 March: 11 of 31 days of 31.00
    sub = SubscriptionFactory(customer=customer, package=package, next_bill_on=dt.date(2025, 4, 1))
    api_as("agent").post(url(customer, f"/{sub.pk}/cancel"), {"ends_on": "2025-03-20"})
    event = Activity.objects.get(kind="subscription.cancelled")
    assert event.details["billed_after_end"] == "11.00"


def test_it_changes_package_and_price(api_as, customer, package):
    sub = SubscriptionFactory(customer=customer, package=package)
    bigger = PackageFactory(provider=customer.provider, name="Fibre 500", price=Decimal("59.00"))
    body = api_as("agent").post(url(customer, f"/{sub.pk}/change"), {"package_id": bigger.pk}).json()
    assert body["package"] == "Fibre 500" and body["price"] == "59.00"
    body = api_as("agent").post(url(customer, f"/{sub.pk}/change"), {"price": "49.00"}).json()
    assert body["price"] == "49.00"
    changes = [a.details for a in Activity.objects.filter(kind="subscription.changed").order_by("id")]
    assert changes[0]["package"] == ["Fibre 100", "Fibre 500"] and changes[1]["price"] == ["59.00", "49.00"]


def test_it_lists_the_catalogue_of_the_callers_provider_only(api_as, package, foreign_package):
    names = [p["name"] for p in api_as("readonly").get("/api/v1/packages").json()["items"]]
    assert names == ["Fibre 100"]


def test_it_lets_only_admins_create_packages(api_as):
    payload = {
        "name": "Mobile 10",
        "price": "15.00",
        "usage_allowance": 10_000_000_000,
        "usage_unit": "bytes",
    }
    assert api_as("agent").post("/api/v1/packages", payload).status_code == 403
    response = api_as("admin").post("/api/v1/packages", payload)
    assert response.status_code == 201 and response.json()["usage_unit"] == "bytes"
    bad = api_as("admin").post("/api/v1/packages", {"name": "X", "price": "1.00", "usage_allowance": 5})
    assert bad.status_code == 422 and "usage_allowance" in bad.json()["error"]["fields"]
