import datetime as dt

import pytest

from accountdesk.core import clock
from tests.subscriptions.factories import PackageFactory, SubscriptionFactory

GB = 1_000_000_000


@pytest.fixture(autouse=True)
def frozen_now():
    clock.freeze(dt.datetime(2025, 3, 20, 12, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


@pytest.fixture
def metered(provider):
    return PackageFactory(provider=provider, name="Mobile 10 GB", usage_allowance=10 * GB, usage_unit="bytes")


@pytest.fixture
def subscription(customer, metered):
    return SubscriptionFactory(customer=customer, package=metered, started_on=dt.date(2025, 1, 1))


@pytest.fixture
def foreign_subscription(foreign_customer):
    package = PackageFactory(
        provider=foreign_customer.provider, name="Their plan", usage_allowance=GB, usage_unit="bytes"
    )
    return SubscriptionFactory(customer=foreign_customer, package=package)
