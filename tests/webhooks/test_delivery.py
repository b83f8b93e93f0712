"""Delivering: signed per Standard Webhooks, each attempt logged, retried with growing waits for
about a day, the endpoint disabled (and its admins emailed) when it keeps failing, replayable."""

import datetime as dt
import itertools
import json

import pytest
from django.core import mail
from standardwebhooks.webhooks import Webhook

from accountdesk.audit.models import SecurityEvent
from accountdesk.core import clock
from accountdesk.core.errors import Conflict
from accountdesk.customers.services import customer_status_change
from accountdesk.webhooks import services
from accountdesk.webhooks.models import Attempt, Delivery, DeliveryStatus, Endpoint
from accountdesk.webhooks.services import RETRY_DELAYS, delivery_attempt, delivery_replay

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock_at():
    """clock_at(moment) freezes the product's clock; real time again after the test."""
    yield clock.freeze
    clock.freeze(None)


@pytest.fixture
def hooked(allow_private, receiver, make_endpoint):
    """An endpoint on a local receiver (answering the statuses given) that heard one status change."""

    def make(statuses, customer, actor):
        local = receiver(statuses)
        endpoint = make_endpoint(url=local.url, events=["customer.status_changed"])
        local.secret = endpoint.secret
        customer_status_change(customer=customer, status="blocked", reason="Unpaid", actor=actor)
        return local, endpoint, Delivery.objects.get(endpoint=endpoint)

    return make


def test_a_delivery_is_signed_and_logged(hooked, customer, admin_actor):
    local, _endpoint, delivery = hooked([200], customer, admin_actor)
    delivery_attempt(delivery_id=delivery.pk)
    got = local.got[0]
    assert got.verified == json.loads(delivery.body)  # standardwebhooks accepted the signature
    assert (
        got.headers["webhook-id"] == delivery.event_id and got.headers["content-type"] == "application/json"
    )
    assert got.path == "/hooks/accountdesk"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempt_count == 1
    attempt = Attempt.objects.get(delivery=delivery)
    assert (attempt.succeeded, attempt.status_code, attempt.response_head, attempt.error) == (
        True,
        200,
        "ok",
        "",
    )


def test_another_secret_does_not_verify(hooked, customer, admin_actor):
    local, _endpoint, delivery = hooked([200], customer, admin_actor)
    local.secret = services.secret_new()
    delivery_attempt(delivery_id=delivery.pk)
    assert local.got[0].verified == "refused: No matching signature found"


def test_a_failure_is_logged_and_retried_after_a_wait(hooked, customer, admin_actor, clock_at):
    local, endpoint, delivery = hooked([500, 200], customer, admin_actor)
    start = clock.now()
    clock_at(start)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at == start + RETRY_DELAYS[0]
    assert (endpoint.failure_count, endpoint.failing_since) == (1, start)
    failed = Attempt.objects.get(delivery=delivery)
    assert (failed.succeeded, failed.status_code, failed.response_head) == (False, 500, "receiver says no")
    # Not yet due: a task run early sends nothing.
    assert delivery_attempt(delivery_id=delivery.pk) is None and len(local.got) == 1
    clock_at(start + RETRY_DELAYS[0])
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempt_count == 2
    assert (endpoint.failure_count, endpoint.failing_since) == (0, None)
    assert [g.verified for g in local.got] == [json.loads(delivery.body)] * 2
    assert local.got[0].headers["webhook-id"] == local.got[1].headers["webhook-id"]


def test_the_waits_grow_to_about_a_day_then_the_delivery_fails_and_the_endpoint_is_disabled(
    hooked, customer, admin_actor, clock_at, staff, provider, django_capture_on_commit_callbacks
):
    local, endpoint, delivery = hooked([503], customer, admin_actor)
    moment = clock.now()
    waits = []
    for _ in range(len(RETRY_DELAYS) + 1):
        clock_at(moment)
        with django_capture_on_commit_callbacks(execute=True):
            delivery_attempt(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - moment)
            moment = delivery.next_attempt_at
    assert waits == list(RETRY_DELAYS) and all(a <= b for a, b in itertools.pairwise(waits))
    assert dt.timedelta(hours=24) <= sum(waits, dt.timedelta()) <= dt.timedelta(hours=30)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempt_count == len(RETRY_DELAYS) + 1
    assert len(local.got) == len(RETRY_DELAYS) + 1
    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.failure_count == 8
    assert endpoint.disabled_reason.startswith("8 attempts in a row failed since ")
    event = SecurityEvent.objects.get(provider=provider, kind="webhook.disabled")
    assert event.actor_type == "system" and endpoint.url in event.summary
    # The admins are told (by the task worker, after the commit).
    assert [m.to for m in mail.outbox] == [[staff["admin"].email]]
    assert mail.outbox[0].subject == f"Webhook endpoint disabled: {endpoint.url}"
    assert endpoint.disabled_reason in mail.outbox[0].body
    # Nothing more goes to it.
    customer_status_change(customer=customer, status="active", reason="Paid", actor=admin_actor)
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1


def test_a_failing_delivery_does_not_disable_an_endpoint_that_succeeds_meanwhile(
    hooked, customer, admin_actor, clock_at
):
    _local, endpoint, delivery = hooked([500], customer, admin_actor)
    moment = clock.now()
    for step in range(len(RETRY_DELAYS) + 1):
        clock_at(moment)
        if step == 6:  # another event gets through ten hours before this one gives up
            Endpoint.objects.filter(pk=endpoint.pk).update(failure_count=0, failing_since=moment)
        delivery_attempt(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        moment = delivery.next_attempt_at or moment
    endpoint.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and endpoint.enabled and mail.outbox == []


def test_a_delivery_taken_by_one_worker_is_not_sent_by_another(hooked, customer, admin_actor):
    local, _endpoint, delivery = hooked([200], customer, admin_actor)
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=clock.now())
    assert delivery_attempt(delivery_id=delivery.pk) is None and local.got == []
    # A claim older than the timeout is a worker that died mid-send: it is sent.
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=clock.now() - dt.timedelta(minutes=6))
    assert delivery_attempt(delivery_id=delivery.pk).status == DeliveryStatus.SUCCEEDED
    assert delivery_attempt(delivery_id=delivery.pk) is None and len(local.got) == 1


def test_a_replay_sends_the_same_event_again_signed_afresh(
    hooked, customer, admin_actor, provider, django_capture_on_commit_callbacks
):
    local, endpoint, delivery = hooked([200], customer, admin_actor)
    delivery_attempt(delivery_id=delivery.pk)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_replay(delivery=delivery, actor=admin_actor)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempt_count == 2
    assert [g.headers["webhook-id"] for g in local.got] == [delivery.event_id] * 2
    assert local.got[1].verified == json.loads(delivery.body)
    event = SecurityEvent.objects.get(provider=provider, kind="webhook.replayed")
    assert (
        event.summary == f"Webhook customer.status_changed {delivery.event_id} sent again to {endpoint.url}"
    )


def test_a_replay_on_a_disabled_endpoint_is_refused(hooked, customer, admin_actor):
    local, endpoint, delivery = hooked([500], customer, admin_actor)
    services.endpoint_update(endpoint=endpoint, enabled=False, actor=admin_actor)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED  # what waited fails with the endpoint
    with pytest.raises(Conflict, match="enable it first"):
        delivery_replay(delivery=delivery, actor=admin_actor)
    assert delivery_attempt(delivery_id=delivery.pk) is None and local.got == []


def test_rotating_signs_the_next_attempt_with_the_new_secret(hooked, customer, admin_actor, clock_at):
    local, endpoint, delivery = hooked([500, 200], customer, admin_actor)
    clock_at(clock.now())
    delivery_attempt(delivery_id=delivery.pk)
    rotated = services.endpoint_secret_rotate(endpoint=endpoint, actor=admin_actor)
    clock_at(clock.now() + RETRY_DELAYS[0])
    delivery_attempt(delivery_id=delivery.pk)
    second = local.got[1]
    assert Webhook(rotated.secret).verify(second.body, second.headers) == json.loads(delivery.body)
    assert local.got[1].verified == "refused: No matching signature found"  # the receiver had the old one


def test_the_command_sends_what_is_due(hooked, customer, admin_actor):
    from django.core.management import call_command

    local, _endpoint, delivery = hooked([200], customer, admin_actor)
    call_command("webhooks", "deliver")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and len(local.got) == 1
