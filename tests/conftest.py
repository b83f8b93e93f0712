import os

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from hypothesis import settings

from accountdesk.core.actors import Actor
from accountdesk.tenancy.models import ApiToken
from tests.factories import CustomerFactory, ProviderFactory, UserFactory

ROLES = ["admin", "billing", "agent", "technician", "readonly"]

# HYPOTHESIS_PROFILE=long (`make fuzz-long`): property tests without their own example count run
# many more, and the money invariants play more and longer histories.
settings.register_profile("long", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _fresh_api_rate_counts():
    """Each test starts with no API requests counted against the rate limit (ids are reused)."""
    caches["throttle"].clear()


@pytest.fixture
def provider(db):
    return ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")


@pytest.fixture
def other_provider(db):
    return ProviderFactory.with_all_modules(name="Other Co", slug="other")


@pytest.fixture
def staff(provider):
    """One staff user per role in `provider`: staff["agent"] ..."""
    return {role: UserFactory(provider=provider, role=role, email=f"{role}@acme.test") for role in ROLES}


@pytest.fixture
def agent(staff):
    return staff["agent"]


@pytest.fixture
def admin(staff):
    return staff["admin"]


@pytest.fixture
def agent_actor(agent):
    return Actor.staff(agent)


@pytest.fixture
def customer(provider):
    return CustomerFactory(provider=provider, name="Grace Hopper", status="active")


@pytest.fixture
def foreign_customer(other_provider):
    return CustomerFactory(provider=other_provider, name="Foreign Customer", status="active")


class ApiClient:
    """A JSON client that authenticates with a Bearer token."""

    def __init__(self, user) -> None:
        row, self.token = ApiToken.objects.issue(user)
        # A token in use: its last use was just recorded, so a request costs what it costs in the
        # steady state (last_used_at is written at most once a minute; tests/api/test_tokens.py
        # pins that write separately).
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def get(self, path: str, **params):
        return self.client.get(path, params)

    def post(self, path: str, data=None, *, raw: str | None = None, headers: dict | None = None):
        body = raw if raw is not None else __import__("json").dumps(data or {})
        return self.client.post(path, body, content_type="application/json", headers=headers or {})


@pytest.fixture
def api_as(staff):
    """api_as("agent") -> an API client signed in as that role's user."""
    return lambda role: ApiClient(staff[role])


@pytest.fixture
def browser_client(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
