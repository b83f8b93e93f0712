import pytest

from accountdesk.core.actors import Actor


@pytest.fixture
def actors(staff):
    """One staff Actor per role: actors["billing"] ..."""
    return {role: Actor.staff(user) for role, user in staff.items()}


@pytest.fixture
def billing_actor(actors):
    return actors["billing"]
