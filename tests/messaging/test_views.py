import pytest
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


BAD_NEXT = [
    "javascript:alert(document.domain)",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
]


@pytest.mark.parametrize("bad", BAD_NEXT)
def test_the_dialog_does_not_carry_an_offsite_next_into_its_form(client, agent, customer, bad):
    client.force_login(agent)
    response = client.get(f"/customers/{customer.pk}/messages/email/", {"next": bad}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'name="next" value=""' in response.content.decode()


def test_the_dialog_keeps_a_same_site_next(client, agent, customer):
    client.force_login(agent)
    page = f"/customers/{customer.pk}/dashboard/"
    response = client.get(f"/customers/{customer.pk}/messages/email/", {"next": page}, HTTP_HX_REQUEST="true")
    assert f'name="next" value="{page}"' in response.content.decode()
    sent = client.post(
        f"/customers/{customer.pk}/messages/email/",
        {"to": customer.email, "subject": "Hi", "body": "Hello", "next": page},
        HTTP_HX_REQUEST="true",
    )
    assert sent["HX-Redirect"] == page


@pytest.mark.parametrize("bad", BAD_NEXT)
@pytest.mark.parametrize("htmx", [True, False])
def test_sending_never_redirects_to_a_posted_offsite_next(client, agent, customer, bad, htmx):
    client.force_login(agent)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        f"/customers/{customer.pk}/messages/email/",
        {"to": customer.email, "subject": "Hello", "body": "Hi", "next": bad},
        **headers,
    )
    target = response["HX-Redirect"] if htmx else response["Location"]
    assert target == f"/customers/{customer.pk}/messages/"
    assert Message.objects.count() == 1  # the write itself still happens
