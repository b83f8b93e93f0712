"""Support (tickets) and appointments in the portal: every write goes through the Service Desk or
notes service by the portal's actor, so the activity says a customer did it."""

import datetime as dt

import pytest

from accountdesk.activity.models import Activity
from accountdesk.notes.models import Note
from accountdesk.servicedesk.models import Ticket, TicketComment
from tests.fieldservice.factories import JobFactory
from tests.servicedesk.factories import TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(customer):
    return TicketFactory(customer=customer, subject="Slow line", description="Since Monday.")


@pytest.fixture
def job(customer):
    return JobFactory(
        customer=customer,
        number="J-000042",
        scheduled_start=dt.datetime(2025, 3, 20, 9, 0, tzinfo=dt.UTC),
        scheduled_end=dt.datetime(2025, 3, 20, 12, 0, tzinfo=dt.UTC),
    )


def test_it_opens_a_ticket_as_the_customer(portal, customer, contact):
    response = portal.post("/portal/support/new/", {"subject": "No dial tone", "description": "Since 9am."})
    ticket = Ticket.objects.get(customer=customer)
    assert response.status_code == 302 and response["Location"] == f"/portal/support/{ticket.pk}/"
    assert (ticket.subject, ticket.description, ticket.created_by_name) == (
        "No dial tone",
        "Since 9am.",
        "Bob Contact",
    )
    entry = Activity.objects.get(kind="ticket.opened")
    assert (entry.actor_type, entry.actor_id, entry.actor_name) == ("customer", None, "Bob Contact")
    assert entry.subject_id == ticket.pk and "No dial tone" in entry.summary


def test_opening_a_ticket_without_a_subject_is_a_form_error(portal, customer):
    response = portal.post("/portal/support/new/", {"subject": "  ", "description": "x"})
    assert response.status_code == 400 and b'class="field-error"' in response.content
    assert not Ticket.objects.exists()


def test_it_comments_as_the_customer_and_shows_the_thread(portal, ticket, agent):
    from accountdesk.core.actors import Actor
    from accountdesk.servicedesk.services import ticket_comment

    agent.name = "Ann Agent"
    agent.save()
    ticket_comment(ticket=ticket, body="We are looking at it.", actor=Actor.staff(agent))
    response = portal.post(f"/portal/support/{ticket.pk}/", {"body": "Still slow today."})
    assert response.status_code == 302 and response["Location"] == f"/portal/support/{ticket.pk}/"
    comment = TicketComment.objects.get(ticket=ticket, author__isnull=True)
    assert (comment.body, comment.author_name) == ("Still slow today.", "Bob Contact")
    entry = Activity.objects.filter(kind="ticket.commented").latest("id")
    assert (entry.actor_type, entry.actor_name) == ("customer", "Bob Contact")
    page = portal.get(f"/portal/support/{ticket.pk}/").content.decode()
    assert "Since Monday." in page and "Still slow today." in page and "We are looking at it." in page
    # Staff answer by first name, for the provider.
    assert "Ann at Acme Telecom" in page and "Ann Agent" not in page


def test_an_empty_reply_is_refused_inline(portal, ticket):
    response = portal.post(f"/portal/support/{ticket.pk}/", {"body": ""})
    assert response.status_code == 400 and b'class="field-error"' in response.content
    assert not TicketComment.objects.exists()


def test_staff_in_the_portal_comment_as_themselves_for_the_contact(client, agent, customer, contact, ticket):
    agent.name = "Ann Agent"
    agent.save()
    client.force_login(agent)
    client.post(f"/customers/{customer.pk}/contacts/{contact.pk}/portal/open/")
    assert client.post(f"/portal/support/{ticket.pk}/", {"body": "Called them."}).status_code == 302
    entry = Activity.objects.get(kind="ticket.commented")
    assert (entry.actor_type, entry.actor_id, entry.actor_name) == (
        "staff",
        agent.pk,
        "Ann Agent for Bob Contact",
    )


def test_a_reschedule_request_is_a_ticket_staff_see(portal, client, customer, job, agent):
    response = portal.post(
        f"/portal/appointments/{job.pk}/reschedule/",
        {"preferred_on": "2025-03-24", "time_of_day": "morning", "message": "I work afternoons."},
    )
    assert response.status_code == 302 and response["Location"] == "/portal/appointments/"
    ticket = Ticket.objects.get(customer=customer)
    assert ticket.subject == "Reschedule requested for J-000042: preferred 24 Mar 2025, morning"
    assert "I work afternoons." in ticket.description
    entry = Activity.objects.get(kind="ticket.opened")
    assert (entry.actor_type, entry.actor_name) == ("customer", "Bob Contact")
    job.refresh_from_db()
    assert job.scheduled_start == dt.datetime(2025, 3, 20, 9, 0, tzinfo=dt.UTC)  # not moved
    staff = client.__class__()
    staff.force_login(agent)
    tickets_tab = staff.get(f"/customers/{customer.pk}/tickets/").content.decode()
    assert "Reschedule requested for J-000042" in tickets_tab


def test_without_service_desk_a_reschedule_request_is_a_note_staff_see(
    portal, client, provider, customer, job, agent
):
    provider.service_desk = False
    provider.save()
    response = portal.post(
        f"/portal/appointments/{job.pk}/reschedule/", {"preferred_on": "2025-03-24", "time_of_day": "any"}
    )
    assert response.status_code == 302
    note = Note.objects.get(customer=customer)
    assert note.body.startswith("Reschedule requested for J-000042: preferred 24 Mar 2025, any time.")
    assert note.author_name == "Bob Contact" and not Ticket.objects.exists()
    assert Activity.objects.get(kind="note.added").actor_type == "customer"
    staff = client.__class__()
    staff.force_login(agent)
    assert "Reschedule requested for J-000042" in staff.get(f"/customers/{customer.pk}/").content.decode()


@pytest.mark.parametrize("day", ["2025-03-15", "2025-03-01", "not a date"])
def test_a_reschedule_request_needs_a_day_to_come(portal, job, day):
    response = portal.post(
        f"/portal/appointments/{job.pk}/reschedule/", {"preferred_on": day, "time_of_day": "any"}
    )
    assert response.status_code == 400 and b'class="field-error"' in response.content
    assert not Ticket.objects.exists() and not Note.objects.exists()


@pytest.mark.parametrize(
    "change", [{"status": "cancelled"}, {"scheduled_start": dt.datetime(2025, 3, 1, tzinfo=dt.UTC)}]
)
def test_a_past_or_cancelled_job_cannot_be_rescheduled(portal, job, change):
    for field, value in change.items():
        setattr(job, field, value)
    job.scheduled_end = None
    job.save()
    url = f"/portal/appointments/{job.pk}/reschedule/"
    assert portal.get(url).status_code == 404
    assert portal.post(url, {"preferred_on": "2025-03-24", "time_of_day": "any"}).status_code == 404
    assert job.number not in portal.get("/portal/appointments/").content.decode()


def test_staffs_internal_notes_never_reach_the_customer(portal, ticket, agent):
    from accountdesk.core.actors import Actor
    from accountdesk.servicedesk.services import ticket_comment

    ticket_comment(ticket=ticket, body="Reply for the customer.", actor=Actor.staff(agent))
    ticket_comment(ticket=ticket, body="Suspect the DSLAM card.", internal=True, actor=Actor.staff(agent))
    page = portal.get(f"/portal/support/{ticket.pk}/").content.decode()
    assert "Reply for the customer." in page and "Suspect the DSLAM card." not in page
    # A customer's own comment is never internal, whatever is posted.
    portal.post(f"/portal/support/{ticket.pk}/", {"body": "Thanks.", "internal": "on"})
    assert TicketComment.objects.get(body="Thanks.").internal is False
