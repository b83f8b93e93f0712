import datetime as dt

import pytest

from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.search.engine import ask


@pytest.fixture(autouse=True)
def frozen_clock():
    """Friday 31 January 2025, noon UTC: this week runs Mon 27 Jan to Sun 2 Feb (across a month
    end), next week Mon 3 Feb to Sun 9 Feb."""
    clock.freeze(dt.datetime(2025, 1, 31, 12, 0, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


@pytest.fixture
def system(provider):
    return Actor.system(provider)


@pytest.fixture
def ask_as(staff, customer):
    """ask_as("agent", "what's the balance") -> the engine's Answer for that role's user."""

    def asking(role: str, question: str, *, about=None):
        return ask(viewer=staff[role], customer=about or customer, question=question)

    return asking
