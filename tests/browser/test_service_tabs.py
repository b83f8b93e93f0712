"""Journeys on the service tabs: an agent opens a ticket (a mistake shown in the dialog first), comments
on it and moves it from its page; a technician reschedules a job. Each form answers in place."""

import re

import pytest

from accountdesk.fieldservice.models import Job
from accountdesk.servicedesk.models import Ticket, TicketComment
from tests.browser.sign_in import sign_in
from tests.factories import CustomerFactory, ProviderFactory, UserFactory
from tests.fieldservice.factories import JobFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    return {
        "provider": provider,
        "agent": UserFactory(provider=provider, role="agent", name="Ada Agent"),
        "tech": UserFactory(provider=provider, role="technician", name="Tom Tech"),
        "customer": CustomerFactory(provider=provider, name="Grace Hopper"),
    }


def test_an_agent_opens_a_ticket_then_comments_and_resolves_it(page, live_server, acme, shot):
    customer = acme["customer"]
    sign_in(page, live_server, acme["agent"])
    page.goto(f"{live_server.url}/customers/{customer.pk}/tickets/")
    page.get_by_role("button", name="Open ticket").click()
    dialog = page.get_by_role("dialog", name="Open a ticket")
    dialog.get_by_role("button", name="Open ticket").click()
    dialog.get_by_text("Give a subject.").wait_for()
    assert not Ticket.objects.exists()
    shot(page, "tickets-01-open-refused")
    dialog.get_by_label("Subject").fill("Wifi drops every evening")
    dialog.get_by_label("Assignee").select_option(label="Tom Tech")
    dialog.get_by_role("button", name="Open ticket").click()
    page.wait_for_url(re.compile(r"/tickets/\d+/$"))
    page.get_by_text(re.compile(r"Ticket T-\d+ opened\.")).wait_for()
    assert Ticket.objects.get().assignee == acme["tech"]

    comment = page.get_by_role("form", name="Comment on the ticket")
    comment.get_by_role("button", name="Add comment").click()
    page.get_by_role("form", name="Comment on the ticket").get_by_text("Write the comment.").wait_for()
    page.get_by_label("Add a comment").fill("Rebooted the router")
    page.get_by_role("button", name="Add comment").click()
    page.get_by_text("Comment added to").wait_for()
    assert TicketComment.objects.get().body == "Rebooted the router"

    page.get_by_label("Status", exact=True).select_option("resolved")
    page.get_by_role("button", name="Change ticket status").click()
    page.get_by_text(re.compile(r"Ticket T-\d+ is resolved\.")).wait_for()
    shot(page, "tickets-02-resolved")
    page.get_by_label("Status", exact=True).select_option("pending")
    page.get_by_role("button", name="Change ticket status").click()
    page.get_by_text("A resolved ticket cannot become pending.").wait_for()
    assert Ticket.objects.get().status == "resolved"


def test_a_technician_reschedules_a_job_on_its_page(page, live_server, acme, shot):
    job = JobFactory(customer=acme["customer"])
    sign_in(page, live_server, acme["tech"])
    page.goto(f"{live_server.url}/customers/{acme['customer'].pk}/jobs/{job.pk}/")
    form = page.get_by_role("form", name="Schedule the job")
    form.get_by_label("Start").fill("2099-01-05T09:00")
    form.get_by_label("End").fill("2099-01-05T08:00")
    form.get_by_role("button", name="Reschedule").click()
    page.get_by_text("The end must be after the start.").wait_for()
    shot(page, "jobs-01-reschedule-refused")
    form = page.get_by_role("form", name="Schedule the job")
    form.get_by_label("End").fill("2099-01-05T10:30")
    form.get_by_role("button", name="Reschedule").click()
    page.get_by_text(re.compile(r"Job J-\d+ scheduled\.")).wait_for()
    job.refresh_from_db()
    assert job.scheduled_start.year == 2099 and Job.objects.count() == 1
