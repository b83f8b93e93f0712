"""Email and SMS go to the customer's own addresses and numbers (theirs or a contact's). Sending
anywhere else needs messages.send_any, which only admins hold; a refused send stores nothing, logs
nothing as sent and delivers nothing."""

import pytest

from accountdesk.activity.models import Activity
from accountdesk.core.actors import Actor
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.permissions import ROLE_PERMISSIONS
from accountdesk.messaging.models import Message
from accountdesk.messaging.services import message_send_email, message_send_sms
from tests.factories import ContactFactory


@pytest.fixture
def reachable(customer):
    customer.email, customer.phone = "grace@example.com", "+1 555 0100"
    customer.save()
    ContactFactory(customer=customer, name="Ann", email="Ann@Example.com", phone="+44 20 7946 0958")
    return customer


def test_only_admins_may_send_anywhere():
    assert {role for role, perms in ROLE_PERMISSIONS.items() if "messages.send_any" in perms} == {"admin"}


@pytest.mark.parametrize("role", ["agent", "billing"])
@pytest.mark.parametrize("to", [None, "grace@example.com", "GRACE@example.com ", "ann@example.com"])
def test_staff_email_the_customer_and_their_contacts(staff, reachable, role, to):
    message = message_send_email(
        customer=reachable, to=to, subject="Hello", body="Hi", actor=Actor.staff(staff[role])
    )
    assert message.to.lower().strip() in {"grace@example.com", "ann@example.com"}


@pytest.mark.parametrize("to", [None, "+1 555 0100", "+15550100", "+44 (20) 7946-0958"])
def test_staff_text_the_customer_and_their_contacts(agent, reachable, to):
    assert message_send_sms(customer=reachable, to=to, body="Hi", actor=Actor.staff(agent)).pk


@pytest.mark.parametrize("role", ["agent", "billing"])
def test_an_email_elsewhere_is_refused_and_leaves_no_trace(
    staff, reachable, foreign_customer, role, django_capture_on_commit_callbacks, mailoutbox
):
    foreign_customer.email = "someone@other.example"
    foreign_customer.save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed) as error:
        message_send_email(
            customer=reachable,
            to="someone@other.example",
            subject="Hi",
            body="x",
            actor=Actor.staff(staff[role]),
        )
    assert "not one of this customer's email addresses" in error.value.fields["to"]
    assert not Message.objects.exists() and not Activity.objects.filter(kind__startswith="message.").exists()
    assert mailoutbox == []


def test_an_sms_elsewhere_is_refused(agent, reachable):
    with pytest.raises(ValidationFailed) as error:
        message_send_sms(customer=reachable, to="+1 555 0199", body="Hi", actor=Actor.staff(agent))
    assert "phone numbers" in error.value.fields["to"]
    assert not Message.objects.exists()


def test_an_admin_may_send_anywhere(admin, reachable):
    email = message_send_email(
        customer=reachable, to="lawyer@elsewhere.example", subject="Hi", body="x", actor=Actor.staff(admin)
    )
    sms = message_send_sms(customer=reachable, to="+1 555 0199", body="Hi", actor=Actor.staff(admin))
    assert (email.to, sms.to) == ("lawyer@elsewhere.example", "+1 555 0199")


def test_the_api_refuses_with_422_and_sends_nothing(api_as, reachable):
    response = api_as("agent").post(
        f"/api/v1/customers/{reachable.pk}/messages/email",
        {"to": "attacker@evil.example", "subject": "Statement", "body": "Your balance"},
    )
    assert response.status_code == 422
    assert "to" in response.json()["error"]["fields"]
    assert (
        api_as("agent")
        .post(f"/api/v1/customers/{reachable.pk}/messages/sms", {"to": "+1 555 0199", "body": "x"})
        .status_code
        == 422
    )
    assert (
        api_as("admin")
        .post(f"/api/v1/customers/{reachable.pk}/messages/sms", {"to": "+1 555 0199", "body": "x"})
        .status_code
        == 201
    )
    assert Message.objects.count() == 1


def test_the_send_dialog_shows_the_refusal_on_the_to_field(browser_client, agent, reachable):
    response = browser_client(agent).post(
        f"/customers/{reachable.pk}/messages/email/",
        {"to": "attacker@evil.example", "subject": "Hi", "body": "x"},
    )
    assert response.status_code == 400
    assert "not one of this customer" in response.content.decode()
    assert not Message.objects.exists()


def test_the_dashboard_dialog_refuses_too(browser_client, agent, reachable):
    response = browser_client(agent).post(
        f"/customers/{reachable.pk}/dashboard/actions/email/",
        {"to": "attacker@evil.example", "subject": "Hi", "body": "x"},
    )
    assert response.status_code in (400, 422)
    assert not Message.objects.exists()
