"""The customer API checks the join date against its meaning: no account joins in the future."""

import datetime as dt

import pytest

from accountdesk.core import clock
from accountdesk.customers.models import Customer


@pytest.fixture(autouse=True)
def frozen():
    clock.freeze(dt.datetime(2025, 6, 1, 9, 30, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


def test_a_customer_joining_in_the_future_is_a_422_and_stores_nothing(api_as, customer):
    client = api_as("admin")
    created = client.post("/api/v1/customers", {"name": "Later Ltd", "joined_on": "2030-01-01"})
    assert created.status_code == 422, created.content
    assert created.json()["error"]["fields"] == {"joined_on": "A customer cannot join in the future."}
    assert not Customer.objects.filter(name="Later Ltd").exists()
    past = client.post("/api/v1/customers", {"name": "Older Ltd", "joined_on": "2024-01-01"})
    assert past.status_code == 201 and past.json()["joined_on"] == "2024-01-01"
