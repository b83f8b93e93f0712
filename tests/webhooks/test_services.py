"""Webhook endpoints: registered, changed, rotated, enabled and deleted by admins through the
services, each change in the security log; bad input refused with nothing changed."""

import pytest
from standardwebhooks.webhooks import Webhook

from accountdesk.audit.models import SecurityEvent
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accountdesk.webhooks import services
from accountdesk.webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


def logged(provider, kind) -> SecurityEvent:
    return SecurityEvent.objects.filter(provider=provider, kind=kind).latest("id")


def test_it_registers_an_endpoint_with_a_secret_of_its_own(provider, admin_actor, resolve_to):
    endpoint = services.endpoint_create(
        provider=provider,
        url="https://hooks.example.com/in",
        actor=admin_actor,
        events=["payment.recorded", "customer.created", "payment.recorded"],
        description="  CRM  sync ",
    )
    assert endpoint.enabled and endpoint.description == "CRM sync"
    # The events in the product's order, each once.
    assert endpoint.events == ["customer.created", "payment.recorded"]
    assert endpoint.secret.startswith("whsec_") and len(Webhook(endpoint.secret)._whsecret) == 32
    other = services.endpoint_create(
        provider=provider, url="https://b.example.com/", events=["credit.issued"], actor=admin_actor
    )
    assert other.secret != endpoint.secret
    event = SecurityEvent.objects.get(
        provider=provider, kind="webhook.created", details__endpoint=endpoint.pk
    )
    assert event.summary == "Webhook endpoint https://hooks.example.com/in added"
    assert event.actor_id == admin_actor.user.pk and endpoint.secret not in str(event.details)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"events": ["invoice.paid"]}, "events", "Unknown event: invoice.paid."),
        ({"events": []}, "events", "Choose at least one event."),
        ({"url": "ftp://hooks.example.com/"}, "url", "Use an http:// or https:// URL."),
        ({"url": "http://10.0.0.1/in"}, "url", "10.0.0.1 resolves to 10.0.0.1, a private address."),
        ({"description": "x" * 201}, "description", "At most 200 characters."),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_made(
    provider, admin_actor, resolve_to, fields, field, message
):
    data = {"url": "https://hooks.example.com/in", "events": ["customer.created"], "description": ""} | fields
    with pytest.raises(ValidationFailed) as refused:
        services.endpoint_create(provider=provider, actor=admin_actor, **data)
    assert refused.value.fields[field].startswith(message)
    assert not Endpoint.objects.exists() and not SecurityEvent.objects.filter(kind="webhook.created").exists()


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_only_admins_manage_endpoints(provider, staff, resolve_to, role):
    with pytest.raises(PermissionDenied):
        services.endpoint_create(
            provider=provider,
            url="https://hooks.example.com/in",
            events=["customer.created"],
            actor=Actor.staff(staff[role]),
        )


def test_another_providers_endpoint_is_not_found(make_endpoint, resolve_to, other_provider):
    endpoint = make_endpoint()
    from tests.factories import UserFactory

    stranger = Actor.staff(UserFactory(provider=other_provider, role="admin"))
    for call in (
        lambda: services.endpoint_update(endpoint=endpoint, description="mine", actor=stranger),
        lambda: services.endpoint_delete(endpoint=endpoint, actor=stranger),
        lambda: services.endpoint_secret_rotate(endpoint=endpoint, actor=stranger),
    ):
        with pytest.raises(NotFound):
            call()
    assert Endpoint.objects.get().description == ""


def test_it_changes_what_is_given_and_logs_the_change(make_endpoint, resolve_to, admin_actor, provider):
    endpoint = make_endpoint(events=["customer.created"])
    services.endpoint_update(
        endpoint=endpoint,
        events=["ticket.opened", "ticket.closed"],
        description="Helpdesk",
        actor=admin_actor,
    )
    endpoint.refresh_from_db()
    assert endpoint.events == ["ticket.opened", "ticket.closed"] and endpoint.url.endswith("/accountdesk")
    event = logged(provider, "webhook.updated")
    assert event.summary == f"Webhook endpoint {endpoint.url} changed: events, description"
    assert event.details["events"] == [["customer.created"], ["ticket.opened", "ticket.closed"]]


def test_a_change_to_a_private_url_is_refused_and_nothing_changes(make_endpoint, resolve_to, admin_actor):
    endpoint = make_endpoint()
    resolve_to("192.168.0.10")
    with pytest.raises(ValidationFailed) as refused:
        services.endpoint_update(
            endpoint=endpoint, url="https://moved.example.com/", description="x", actor=admin_actor
        )
    assert "a private address" in refused.value.fields["url"]
    endpoint.refresh_from_db()
    assert endpoint.url == "https://hooks.example.com/accountdesk" and endpoint.description == ""


def test_rotating_makes_a_new_secret_and_logs_it_without_the_secret(
    make_endpoint, resolve_to, admin_actor, provider
):
    endpoint = make_endpoint()
    old = endpoint.secret
    rotated = services.endpoint_secret_rotate(endpoint=endpoint, actor=admin_actor)
    assert rotated.secret != old and Endpoint.objects.get().secret == rotated.secret
    event = logged(provider, "webhook.secret_rotated")
    assert event.summary == f"Signing secret of webhook endpoint {endpoint.url} rotated"
    assert rotated.secret not in str(event.details) and old not in str(event.details)


def test_deleting_takes_the_delivery_log_with_it(make_endpoint, resolve_to, admin_actor, provider):
    endpoint = make_endpoint()
    Delivery.objects.create(
        provider=provider,
        endpoint=endpoint,
        event_id="evt_1",
        event_type="customer.updated",
        created_at=endpoint.created_at,
        body="{}",
    )
    services.endpoint_delete(endpoint=endpoint, actor=admin_actor)
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()
    assert logged(provider, "webhook.deleted").summary == f"Webhook endpoint {endpoint.url} deleted"


def test_an_admin_turns_an_endpoint_off_and_on(make_endpoint, resolve_to, admin_actor, provider):
    endpoint = make_endpoint()
    services.endpoint_update(endpoint=endpoint, enabled=False, actor=admin_actor)
    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.disabled_reason == f"Disabled by {admin_actor.name}."
    assert logged(provider, "webhook.disabled").summary.endswith(f"disabled: Disabled by {admin_actor.name}.")
    services.endpoint_enable(endpoint=endpoint, actor=admin_actor)
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.disabled_reason == "" and endpoint.failure_count == 0
    assert logged(provider, "webhook.enabled").summary == f"Webhook endpoint {endpoint.url} enabled"
    with pytest.raises(Conflict):
        services.endpoint_enable(endpoint=endpoint, actor=admin_actor)
