import time

import pytest
from django.core.mail.backends.smtp import EmailBackend

from accountdesk.activity.models import Activity
from accountdesk.core.actors import Actor
from accountdesk.core.errors import PermissionDenied, ValidationFailed
from accountdesk.messaging.models import Message
from accountdesk.messaging.services import message_send_email, message_send_sms


def test_it_delivers_email_to_a_real_smtp_server(
    smtp_server, agent, customer, django_capture_on_commit_callbacks
):
    assert EmailBackend  # the SMTP backend, not a stand-in
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send_email(
            customer=customer, subject="Your new router", body="It ships today.", actor=Actor.staff(agent)
        )
    for _ in range(50):
        if smtp_server.envelopes:
            break
        time.sleep(0.05)
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == [customer.email]
    assert b"Subject: Your new router" in envelope.content and b"It ships today." in envelope.content
    message.refresh_from_db()
    assert message.status == "sent" and message.backend == "smtp"
    assert Activity.objects.get(kind="message.email_sent").group == "messages"


def test_it_posts_sms_to_a_twilio_style_gateway(
    sms_gateway, agent, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send_sms(
            customer=customer, to="+1 555 0100", body="Technician at 2pm", actor=Actor.staff(agent)
        )
    [request] = sms_gateway.requests
    assert request["path"] == "/2010-04-01/Accounts/AC42/Messages.json"
    assert request["auth"] == "Basic QUM0MjpzZWNyZXQ="  # AC42:secret
    assert request["form"] == {"To": ["+1 555 0100"], "From": ["+15550001111"], "Body": ["Technician at 2pm"]}
    message.refresh_from_db()
    assert (message.status, message.external_id, message.backend) == ("sent", "SM123", "rest")


def test_it_records_the_gateways_refusal(sms_gateway, agent, customer, django_capture_on_commit_callbacks):
    sms_gateway.answer = (400, {"code": 21211, "message": "The 'To' number is not valid."})
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send_sms(customer=customer, to="+1 555 0100", body="Hi", actor=Actor.staff(agent))
    message.refresh_from_db()
    assert message.status == "failed" and "not valid" in message.error


def test_it_keeps_sms_in_the_outbox_by_default(agent, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send_sms(customer=customer, body="Hello", actor=Actor.staff(agent))
    message.refresh_from_db()
    assert message.to == customer.phone and message.status == "sent" and message.backend == "outbox"
    assert Activity.objects.get(kind="message.sms_sent").group == "messages"


@pytest.mark.parametrize("role", ["technician", "readonly"])
def test_it_forbids_sending_to_roles_without_the_permission(staff, customer, role):
    with pytest.raises(PermissionDenied):
        message_send_email(customer=customer, subject="S", body="B", actor=Actor.staff(staff[role]))
    with pytest.raises(PermissionDenied):
        message_send_sms(customer=customer, body="B", actor=Actor.staff(staff[role]))
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to": "not-an-email", "subject": "S", "body": "B"}, "to"),
        ({"subject": "", "body": "B"}, "subject"),
        ({"subject": "Two\nlines", "body": "B"}, "subject"),
        ({"subject": "S", "body": "  "}, "body"),
    ],
)
def test_it_rejects_bad_email_input(agent, customer, kwargs, field):
    with pytest.raises(ValidationFailed) as error:
        message_send_email(customer=customer, actor=Actor.staff(agent), **kwargs)
    assert field in error.value.fields and not Message.objects.exists()


def test_it_rejects_a_bad_phone_number(agent, customer):
    with pytest.raises(ValidationFailed) as error:
        message_send_sms(customer=customer, to="call me", body="B", actor=Actor.staff(agent))
    assert "to" in error.value.fields and not Message.objects.exists()
