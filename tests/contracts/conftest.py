import pytest

from accountdesk.core.actors import Actor
from tests.factories import CustomerFactory, ProviderFactory, UserFactory


@pytest.fixture
def bare_provider(db):
    """A provider with no optional module at all."""
    return ProviderFactory(name="Bluegum Services", slug="bluegum")


@pytest.fixture
def bare_customer(bare_provider):
    return CustomerFactory(provider=bare_provider, name="Bare Customer")


@pytest.fixture
def bare_agent(bare_provider):
    return UserFactory(provider=bare_provider, role="agent", email="agent@bluegum.test")


@pytest.fixture
def actor_as(staff):
    return lambda role: Actor.staff(staff[role])
