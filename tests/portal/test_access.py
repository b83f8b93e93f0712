"""Staff grant and revoke portal access from the Contacts tab; the invitation link works once and
expires."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from accountdesk.activity.models import Activity
from accountdesk.audit.models import SecurityEvent
from accountdesk.core import clock
from accountdesk.portal.models import AccountStatus, PortalAccount, PortalLink, PortalSession
from tests.portal.conftest import sign_in

pytestmark = pytest.mark.django_db

NEW = "my own passphrase 7"


def _grant(client, customer, contact):
    return client.post(f"/customers/{customer.pk}/contacts/{contact.pk}/portal/grant/")


def _invitation_link() -> str:
    return re.search(r"http://testserver(/portal/password/\S+/)", mail.outbox[-1].body).group(1)


def test_granting_sends_an_invitation_and_is_audited(client, agent, customer, contact):
    client.force_login(agent)
    assert _grant(client, customer, contact).status_code == 302
    account = PortalAccount.objects.get(contact=contact)
    assert account.status == AccountStatus.INVITED and not account.password.startswith("md5$")
    assert mail.outbox[0].to == ["bob@example.test"]
    token = _invitation_link().rstrip("/").rsplit("/", 1)[1]
    assert not PortalLink.objects.filter(token_hash=token).exists()  # only its digest is kept
    entry = Activity.objects.get(kind="portal.access_granted")
    assert (entry.customer_id, entry.actor_type, entry.actor_id) == (customer.pk, "staff", agent.pk)
    event = SecurityEvent.objects.get(kind="portal.access_granted")
    assert event.actor_id == agent.pk and customer.number in event.summary


def test_the_invitation_sets_a_password_once_and_signs_in(client, agent, customer, contact):
    client.force_login(agent)
    _grant(client, customer, contact)
    link = _invitation_link()
    browser = Client()
    assert browser.get(link).status_code == 200
    response = browser.post(link, {"new_password": NEW, "new_password_again": NEW})
    assert response.status_code == 302 and settings.PORTAL_SESSION_COOKIE in response.cookies
    assert PortalAccount.objects.get(contact=contact).status == AccountStatus.ACTIVE
    assert Client().post(link, {"new_password": NEW, "new_password_again": NEW}).status_code == 400
    assert sign_in(Client(), password=NEW).status_code == 302


def test_the_invitation_expires(client, agent, customer, contact):
    client.force_login(agent)
    _grant(client, customer, contact)
    link = _invitation_link()
    clock.freeze(clock.now() + dt.timedelta(hours=settings.PORTAL_INVITE_HOURS, seconds=1))
    response = Client().post(link, {"new_password": NEW, "new_password_again": NEW})
    assert response.status_code == 400 and b"expired" in response.content
    assert PortalAccount.objects.get(contact=contact).status == AccountStatus.INVITED


def test_a_new_link_replaces_the_earlier_one_of_its_kind(account):
    from accountdesk.portal import services

    services.portal_link_request(email="bob@example.test", purpose="reset", base_url="http://testserver/")
    first = re.search(r"http://testserver(/portal/password/\S+/)", mail.outbox[-1].body).group(1)
    services.portal_link_request(email="bob@example.test", purpose="reset", base_url="http://testserver/")
    second = re.search(r"http://testserver(/portal/password/\S+/)", mail.outbox[-1].body).group(1)
    assert Client().get(first).status_code == 400
    assert Client().get(second).status_code == 200


def test_a_contact_without_an_email_gets_no_access(client, agent, customer, contact):
    contact.email = ""
    contact.save()
    client.force_login(agent)
    response = _grant(client, customer, contact)
    assert response.status_code == 400 and b"Add an email address" in response.content
    assert not PortalAccount.objects.exists()


def test_roles_without_customers_edit_cannot_grant(client, staff, customer, contact):
    client.force_login(staff["readonly"])
    assert _grant(client, customer, contact).status_code == 403
    assert not PortalAccount.objects.exists()


def test_another_providers_contact_is_not_found(client, agent, foreign_customer, customer):
    from tests.factories import ContactFactory

    foreign = ContactFactory(customer=foreign_customer)
    client.force_login(agent)
    assert client.get(f"/customers/{customer.pk}/contacts/{foreign.pk}/portal/grant/").status_code == 404
    assert (
        client.get(f"/customers/{foreign_customer.pk}/contacts/{foreign.pk}/portal/grant/").status_code == 404
    )


def test_revoking_ends_sessions_and_is_audited(portal, client, agent, customer, contact, account):
    assert PortalSession.objects.count() == 1
    staff = Client()
    staff.force_login(agent)
    assert staff.post(f"/customers/{customer.pk}/contacts/{contact.pk}/portal/revoke/").status_code == 302
    assert not PortalSession.objects.exists()
    assert portal.get("/portal/").status_code == 302
    assert Activity.objects.filter(kind="portal.access_revoked", actor_id=agent.pk).exists()
    assert SecurityEvent.objects.filter(kind="portal.access_revoked", actor_id=agent.pk).exists()


def test_the_contacts_tab_shows_access_and_its_buttons(client, agent, customer, contact, account):
    client.force_login(agent)
    page = client.get(f"/customers/{customer.pk}/contacts/").content.decode()
    assert "Active" in page
    assert f"/customers/{customer.pk}/contacts/{contact.pk}/portal/revoke/" in page
    assert f"/customers/{customer.pk}/contacts/{contact.pk}/portal/open/" in page
