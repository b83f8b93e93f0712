import datetime as dt

import pytest

from accountdesk.core import clock
from accountdesk.core.actors import Actor


@pytest.fixture
def actors(staff):
    """One staff Actor per role: actors["billing"] ..."""
    return {role: Actor.staff(user) for role, user in staff.items()}


@pytest.fixture
def billing_actor(actors):
    return actors["billing"]


@pytest.fixture(autouse=True)
def frozen_clock():
    """Billing tests run on 15 March 2025, noon UTC, unless they move the clock themselves."""
    clock.freeze(dt.datetime(2025, 3, 15, 12, 0, tzinfo=dt.UTC))
    yield
    clock.freeze(None)
