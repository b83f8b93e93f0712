import ipaddress

import pytest

from accountdesk.core.actors import Actor
from accountdesk.webhooks import guards, services
from tests.webhooks import receiver as receivers

PUBLIC = "93.184.215.14"


@pytest.fixture
def admin_actor(admin):
    return Actor.staff(admin)


@pytest.fixture
def resolve_to(monkeypatch):
    """resolve_to("10.0.0.1") -> every host name resolves to that address (no DNS in tests)."""

    def set_to(*addresses: str) -> None:
        monkeypatch.setattr(
            guards, "resolve", lambda host, port: [ipaddress.ip_address(a) for a in addresses]
        )

    set_to(PUBLIC)
    return set_to


@pytest.fixture
def allow_private(settings):
    settings.ACCOUNTDESK_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver():
    """receiver([500, 200], secret=...) -> a started local receiver, stopped after the test."""
    started = []

    def make(statuses=(200,), **kwargs):
        started.append(receivers.start(receivers.Receiver(list(statuses), **kwargs)))
        return started[-1]

    yield make
    for r in started:
        receivers.stop(r)


@pytest.fixture
def make_endpoint(provider, admin_actor):
    def make(url="https://hooks.example.com/accountdesk", events=("customer.updated",), **kwargs):
        return services.endpoint_create(
            provider=provider, url=url, events=list(events), actor=admin_actor, **kwargs
        )

    return make
