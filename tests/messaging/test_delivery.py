"""Delivery that survives a mail server that is down, a busy gateway and a worker that dies:
bounded retries with back-off, a dedupe key on every attempt, a failed state staff can see and
resend."""

import datetime as dt
import time

import pytest
from django.test import Client

from accountdesk.activity.models import Activity
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, PermissionDenied
from accountdesk.messaging.models import Message, MessageStatus
from accountdesk.messaging.services import (
    message_deliver,
    message_recover,
    message_resend,
    message_send_email,
    message_send_sms,
)
from tests.activity.logged import assert_logged
from tests.messaging.conftest import free_port

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    clock.freeze(NOW)
    yield
    clock.freeze(None)


@pytest.fixture
def mail_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.ACCOUNTDESK_MESSAGE_RETRY_MINUTES = [1, 5, 30]
    return settings


def _email(customer, agent, capture):
    with capture(execute=True):
        return message_send_email(customer=customer, subject="Hello", body="Hi", actor=Actor.staff(agent))


def _wait_for(inbox, n=1):
    for _ in range(100):
        if len(inbox.envelopes) >= n:
            return
        time.sleep(0.05)


def test_a_mail_server_that_is_down_is_retried_with_back_off_then_fails(
    mail_down, agent, customer, django_capture_on_commit_callbacks
):
    message = _email(customer, agent, django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert (
        message.next_attempt_at == NOW + dt.timedelta(minutes=1) and "could not be reached" in message.error
    )
    assert not Activity.objects.filter(kind="message.failed").exists()

    # Too early: nothing happens. Then each retry at its time, with growing delays.
    assert message_deliver(message_id=message.pk).attempts == 1
    for attempt, (minutes, wait) in enumerate([(1, 5), (6, 30)], start=2):
        clock.freeze(NOW + dt.timedelta(minutes=minutes))
        message = message_deliver(message_id=message.pk)
        assert (message.status, message.attempts) == (MessageStatus.QUEUED, attempt)
        assert message.next_attempt_at == NOW + dt.timedelta(minutes=minutes + wait)
    clock.freeze(NOW + dt.timedelta(minutes=36))
    message = message_deliver(message_id=message.pk)
    assert (message.status, message.attempts, message.next_attempt_at) == (MessageStatus.FAILED, 4, None)
    entry = assert_logged(
        customer,
        "message.failed",
        f"Email to {customer.email} not delivered after 4 attempts: {message.error}",
        viewer=agent,
    )
    assert entry.actor_type == "system"


def test_staff_see_the_failure_and_send_it_again_once_the_server_is_back(
    mail_down, smtp_server, agent, customer, django_capture_on_commit_callbacks
):
    # smtp_server set the settings to a live server; take it down for the first delivery.
    live_port = mail_down.EMAIL_PORT
    mail_down.EMAIL_PORT = free_port()
    mail_down.ACCOUNTDESK_MESSAGE_RETRY_MINUTES = []
    message = _email(customer, agent, django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED

    client = Client()
    client.force_login(agent)
    page = client.get(f"/customers/{customer.pk}/messages/").content.decode()
    assert "Failed" in page and "could not be reached" in page and "Send again" in page

    mail_down.EMAIL_PORT = live_port
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/customers/{customer.pk}/messages/{message.pk}/resend/")
    assert response.status_code in (200, 302)
    _wait_for(smtp_server)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.error == ""
    assert len(smtp_server.envelopes) == 1
    entry = assert_logged(customer, "message.resent", f"Email to {customer.email} sent again", viewer=agent)
    assert entry.actor_type == "staff"
    with pytest.raises(Conflict):
        message_resend(message=message, actor=Actor.staff(agent))  # sent: nothing to resend


def test_only_senders_may_resend(staff, customer, mail_down, django_capture_on_commit_callbacks):
    mail_down.ACCOUNTDESK_MESSAGE_RETRY_MINUTES = []
    message = _email(customer, staff["agent"], django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        message_resend(message=message, actor=Actor.staff(staff["readonly"]))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_every_attempt_carries_the_same_message_id(
    smtp_server, agent, customer, django_capture_on_commit_callbacks
):
    message = _email(customer, agent, django_capture_on_commit_callbacks)
    _wait_for(smtp_server)
    expected = f"Message-ID: <accountdesk-message-{customer.provider_id}-{message.pk}@".encode()
    assert expected in smtp_server.envelopes[0].content


def test_a_worker_that_died_mid_send_is_recovered_and_the_message_sent_once(
    smtp_server, agent, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # queued; no worker ran it yet
        message = message_send_email(customer=customer, subject="Hi", body="x", actor=Actor.staff(agent))
    # A worker claimed it and died before recording the outcome.
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempts=1, sending_since=NOW - dt.timedelta(minutes=15)
    )
    # Another copy of the task finds it being sent and leaves it alone.
    assert message_deliver(message_id=message.pk).status == MessageStatus.SENDING
    assert not smtp_server.envelopes
    # A recent attempt is not touched: its worker may still be sending.
    assert message_recover(stuck_for=dt.timedelta(minutes=20)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert message_recover(stuck_for=dt.timedelta(minutes=10)) == 1
    _wait_for(smtp_server)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert len(smtp_server.envelopes) == 1
    assert message_recover(stuck_for=dt.timedelta(minutes=10)) == 0  # nothing left behind


def test_a_busy_sms_gateway_is_retried_and_a_refusal_is_final(
    sms_gateway, agent, customer, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNTDESK_MESSAGE_RETRY_MINUTES = [1]
    sms_gateway.answer = (503, {"message": "Try later"})
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send_sms(customer=customer, to="+1 555 0100", body="Hi", actor=Actor.staff(agent))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    sms_gateway.answer = (201, {"sid": "SM9"})
    clock.freeze(NOW + dt.timedelta(minutes=1))
    message = message_deliver(message_id=message.pk)
    assert (message.status, message.external_id) == (MessageStatus.SENT, "SM9")
    keys = {r["key"] for r in sms_gateway.requests}
    assert keys == {f"accountdesk-message-{customer.provider_id}-{message.pk}"}  # one key, two tries


def test_the_api_resends_a_failed_message_and_hides_another_providers(
    mail_down, agent, customer, foreign_customer, settings, django_capture_on_commit_callbacks
):
    from accountdesk.tenancy.models import ApiToken

    mail_down.ACCOUNTDESK_MESSAGE_RETRY_MINUTES = []
    message = _email(customer, agent, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _, token = ApiToken.objects.issue(agent)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/api/v1/customers/{customer.pk}/messages/{message.pk}/resend",
            {},
            content_type="application/json",
        )
    assert answer.status_code == 200 and answer.json()["attempts"] == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    again = client.post(
        f"/api/v1/customers/{customer.pk}/messages/{message.pk}/resend", {}, content_type="application/json"
    )
    assert again.status_code == 409
    elsewhere = client.post(
        f"/api/v1/customers/{foreign_customer.pk}/messages/{message.pk}/resend",
        {},
        content_type="application/json",
    )
    assert elsewhere.status_code == 404
