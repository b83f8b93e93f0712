from django.core import mail

from accountdesk.messaging.models import Message


def test_it_sends_an_email_from_the_dialog(client, agent, customer, django_capture_on_commit_callbacks):
    client.force_login(agent)
    assert (
        b'name="subject"'
        in client.get(f"/customers/{customer.pk}/messages/email/", HTTP_HX_REQUEST="true").content
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/customers/{customer.pk}/messages/email/",
            {"to": customer.email, "subject": "Hello", "body": "Your order shipped."},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 204
    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_it_shows_a_bad_number_inline_and_sends_nothing(client, agent, customer):
    client.force_login(agent)
    response = client.post(
        f"/customers/{customer.pk}/messages/sms/", {"to": "call me", "body": "Hi"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and b"phone number" in response.content
    assert not Message.objects.exists()


def test_it_forbids_sending_to_readonly_and_technicians(client, staff, customer):
    for role in ("readonly", "technician"):
        client.force_login(staff[role])
        response = client.post(f"/customers/{customer.pk}/messages/sms/", {"to": "+1 555 0100", "body": "Hi"})
        assert response.status_code == 403
    assert not Message.objects.exists()


def test_it_lists_messages_and_hides_other_providers(client, agent, customer, foreign_customer):
    Message.objects.create(
        provider=customer.provider,
        customer=customer,
        channel="sms",
        to="+15550100",
        body="Outage fixed",
        created_at="2025-03-01T10:00:00Z",
        author_name="Agent",
    )
    client.force_login(agent)
    assert b"Outage fixed" in client.get(f"/customers/{customer.pk}/messages/").content
    assert client.get(f"/customers/{foreign_customer.pk}/messages/").status_code == 404
    assert client.get(f"/customers/{foreign_customer.pk}/messages/email/").status_code == 404
