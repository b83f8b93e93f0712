"""A large PDF export: the menu's PDF link shows a progress panel that turns into a download link."""

import re

import pytest
from playwright.sync_api import expect

from accountdesk.core.actors import Actor
from accountdesk.exports import services
from accountdesk.exports.models import ExportJob
from accountdesk.notes.services import note_add
from tests.browser.sign_in import sign_in
from tests.factories import CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pdf_link_shows_progress_then_a_download_link(page, live_server, shot, monkeypatch):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    agent = UserFactory(provider=provider, role="agent", email="agent@acme.test")
    customer = CustomerFactory(provider=provider, name="Northwind Traders", status="active")
    for i in range(5):
        note_add(customer=customer, body=f"Called about the router, visit {i}", actor=Actor.staff(agent))
    monkeypatch.setattr(services, "PDF_BACKGROUND_ROWS", 3)
    queued: list[int] = []
    monkeypatch.setattr(services, "_enqueue", queued.append)  # the worker runs when the test says

    sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/customers/{customer.pk}/notes/")
    page.get_by_role("navigation", name="Export Notes").get_by_role("link", name="PDF").click()
    panel = page.locator("[data-export-job]")
    expect(panel).to_contain_text("Preparing your PDF: 0%")
    assert queued, "the job was queued for the worker"
    job = ExportJob.objects.get(pk=queued[0])

    ExportJob.objects.filter(pk=job.pk).update(status="running", progress=40)
    expect(panel).to_contain_text("Preparing your PDF: 40%")
    shot(page, "export-job-progress")

    ExportJob.objects.filter(pk=job.pk).update(status="queued")
    services.export_job_run(job_id=job.pk)
    link = panel.get_by_role("link", name=re.compile(r"Download .*-notes\.pdf"))
    expect(link).to_be_visible()
    shot(page, "export-job-ready")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"{customer.number}-notes.pdf"
