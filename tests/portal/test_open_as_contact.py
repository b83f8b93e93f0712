"""Staff open the portal as a contact: logged at start and end with both identities, and what they
do there is recorded as the staff member acting for the contact."""

import pytest

from accountdesk.activity.models import Activity
from accountdesk.audit.models import SecurityEvent
from accountdesk.customers.models import Customer
from accountdesk.portal.models import PortalSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_in_portal(client, staff, customer, contact):
    agent = staff["agent"]
    agent.name = "Ann Agent"
    agent.save()
    client.force_login(agent)
    response = client.post(f"/customers/{customer.pk}/contacts/{contact.pk}/portal/open/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    return client


def test_opening_is_logged_with_both_identities(staff_in_portal, agent, contact):
    entry = Activity.objects.get(kind="portal.opened_as_contact")
    assert (entry.actor_type, entry.actor_id) == ("staff", agent.pk)
    assert entry.summary == "Ann Agent opened the portal as Bob Contact"
    event = SecurityEvent.objects.get(kind="portal.opened_as_contact")
    assert event.actor_id == agent.pk and "Bob Contact" in event.summary
    assert PortalSession.objects.get().staff_user_id == agent.pk


def test_the_portal_says_who_is_looking(staff_in_portal):
    page = staff_in_portal.get("/portal/").content.decode()
    assert "are using the portal as <strong>Bob Contact</strong>" in page
    assert "Back to the customer" in page


def test_a_change_made_there_is_the_staff_member_acting_for_the_contact(staff_in_portal, customer, agent):
    response = staff_in_portal.post(
        "/portal/profile/address/", {"billing_line1": "1 New Street", "billing_city": "Denver"}
    )
    assert response.status_code == 302
    entry = Activity.objects.get(kind="customer.updated")
    assert (entry.actor_type, entry.actor_id) == ("staff", agent.pk)
    assert entry.actor_name == "Ann Agent for Bob Contact"
    assert entry.details["billing_line1"][1] == "1 New Street"


def test_leaving_is_logged_and_returns_to_the_customer(staff_in_portal, customer, agent):
    response = staff_in_portal.post("/portal/sign-out/")
    assert response["Location"] == f"/customers/{customer.pk}/contacts/"
    assert not PortalSession.objects.exists()
    assert Activity.objects.filter(kind="portal.closed_as_contact", actor_id=agent.pk).exists()
    assert SecurityEvent.objects.filter(kind="portal.closed_as_contact", actor_id=agent.pk).exists()


def test_it_ends_when_the_staff_member_signs_out(staff_in_portal):
    staff_in_portal.post("/logout/")
    assert staff_in_portal.get("/portal/").status_code == 302


def test_another_staff_member_cannot_use_it(staff_in_portal, staff):
    staff_in_portal.force_login(staff["admin"])
    assert staff_in_portal.get("/portal/").status_code == 302


@pytest.mark.parametrize("role", ["billing", "technician", "readonly"])
def test_roles_without_the_permission_cannot_open_it(client, staff, customer, contact, role):
    client.force_login(staff[role])
    assert client.post(f"/customers/{customer.pk}/contacts/{contact.pk}/portal/open/").status_code == 403
    assert not PortalSession.objects.exists()


def test_the_contact_need_not_have_portal_access(staff_in_portal):
    assert staff_in_portal.get("/portal/profile/").status_code == 200
    assert Customer.objects.count() == 1
