"""Large PDF exports are prepared in the background: the job, its file, who may fetch it, expiry."""

import datetime as dt

import pytest
from django.core.management import call_command

from accountdesk.activity.models import Activity
from accountdesk.audit.models import SecurityEvent
from accountdesk.core.actors import Actor
from accountdesk.exports import services
from accountdesk.exports.models import ExportJob
from accountdesk.notes.services import note_add
from tests.factories import UserFactory


@pytest.fixture
def notes(customer, agent):
    for i in range(4):
        note_add(customer=customer, body=f"note {i}", actor=Actor.staff(agent))
    return customer


@pytest.fixture
def small_limit(monkeypatch):
    """Three rows count as a large PDF here (the product's threshold is 100)."""
    monkeypatch.setattr(services, "PDF_BACKGROUND_ROWS", 3)


def start(client, customer, tab="notes", **params):
    query = "&".join(
        f"{k}={v}" for k, v in {"customer": customer.pk, "tab": tab, "format": "pdf", **params}.items()
    )
    return client.post(f"/account/exports/start/?{query}", HTTP_HX_REQUEST="true")


def test_a_small_pdf_is_made_at_once(browser_client, notes, agent):
    client = browser_client(agent)
    response = start(client, notes)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/api/v1/customers/{notes.pk}/notes/export?format=pdf"
    assert not ExportJob.objects.exists()


def test_a_large_pdf_becomes_a_job_whose_file_its_owner_downloads(
    browser_client, notes, agent, small_limit, django_capture_on_commit_callbacks
):
    client = browser_client(agent)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = start(client, notes)
    job = ExportJob.objects.get()
    assert (job.status, job.requested_by, job.tab, job.format) == ("queued", agent, "notes", "pdf")
    assert job.expires_at - job.created_at == dt.timedelta(days=1)
    assert "Preparing your PDF: 0%" in response.content.decode()
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert not SecurityEvent.objects.filter(kind="export.downloaded").exists()  # recorded when made

    for callback in callbacks:
        callback()  # the task worker (the immediate backend) prepares the file
    job.refresh_from_db()
    assert (job.status, job.progress, job.rows_total) == ("done", 100, 4)
    panel = client.get(f"/account/exports/{job.pk}/panel/").content.decode()
    assert f"/account/exports/{job.pk}/download/" in panel and "every 1s" not in panel

    download = client.get(f"/account/exports/{job.pk}/download/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert f'filename="{notes.number}-notes.pdf"' in download["Content-Disposition"]
    entry = Activity.objects.get(customer=notes, kind="export.downloaded")
    assert entry.details["job"] == job.pk and entry.details["rows"] == 4
    assert SecurityEvent.objects.filter(kind="export.downloaded", details__job=job.pk).count() == 1

    listing = client.get("/account/exports/").content.decode()
    assert f"/account/exports/{job.pk}/download/" in listing


def test_only_the_user_who_asked_gets_the_file(
    browser_client,
    client,
    notes,
    agent,
    staff,
    other_provider,
    small_limit,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        start(browser_client(agent), notes)
    job = ExportJob.objects.get(status="done")
    for stranger in (staff["admin"], UserFactory(provider=other_provider, role="admin")):
        client.force_login(stranger)
        assert client.get(f"/account/exports/{job.pk}/download/").status_code == 404
        assert client.get(f"/account/exports/{job.pk}/panel/").status_code == 404
        assert f"/account/exports/{job.pk}/" not in client.get("/account/exports/").content.decode()


def test_an_expired_job_is_never_served_and_the_purge_removes_it(
    browser_client, notes, agent, small_limit, django_capture_on_commit_callbacks
):
    client = browser_client(agent)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, notes)
    job = ExportJob.objects.get(status="done")
    fresh = ExportJob.objects.create(
        provider=job.provider,
        customer=notes,
        requested_by=agent,
        tab="notes",
        format="pdf",
        created_at=job.created_at,
        expires_at=job.expires_at,
    )
    ExportJob.objects.filter(pk=job.pk).update(expires_at=job.created_at)
    assert client.get(f"/account/exports/{job.pk}/download/").status_code == 404
    assert f"/account/exports/{job.pk}/download/" not in client.get("/account/exports/").content.decode()
    call_command("exports_purge")
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_job_whose_user_lost_access_meanwhile_fails_without_a_file(
    browser_client, notes, agent, small_limit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        start(browser_client(agent), notes)
    agent.is_active = False  # deactivated before the worker picked the job up
    agent.save(update_fields=["is_active"])
    for callback in callbacks:
        callback()
    job = ExportJob.objects.get()
    assert job.status == "failed" and job.content is None and job.error
    assert not Activity.objects.filter(kind="export.downloaded").exists()


def test_csv_stays_immediate(api_as, notes, small_limit):
    response = api_as("agent").get(f"/api/v1/customers/{notes.pk}/notes/export?format=csv")
    assert response.status_code == 200 and not ExportJob.objects.exists()
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert all(f"note {i}" in body for i in range(4))  # every row, past the PDF threshold of 3


def test_the_api_answers_202_with_a_job_then_its_status_and_file(
    api_as, notes, staff, small_limit, django_capture_on_commit_callbacks
):
    api = api_as("agent")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.get(f"/api/v1/customers/{notes.pk}/notes/export?format=pdf")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["url"] == f"/api/v1/exports/{body['id']}"
    assert api.get(f"/api/v1/exports/{body['id']}/file").status_code == 409
    for callback in callbacks:
        callback()
    status = api.get(body["url"]).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["file_url"] == f"/api/v1/exports/{body['id']}/file"
    file = api.get(status["file_url"])
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    assert ExportJob.objects.get().actor_type == "api"
    other = api_as("admin")
    assert other.get(body["url"]).status_code == 404
    assert other.get(status["file_url"]).status_code == 404


@pytest.fixture
def ledger(customer):
    from tests.billing.factories import issue_invoice, pay

    issue_invoice(customer, "30.00", issued_on=dt.date(2025, 1, 1))
    issue_invoice(customer, "45.50", issued_on=dt.date(2025, 2, 1))
    pay(customer, "40.00")
    return customer


def test_a_long_statement_pdf_is_prepared_in_the_background(
    browser_client, ledger, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from accountdesk.billing.statements import default_period

    monkeypatch.setattr(services, "STATEMENT_BACKGROUND_LINES", 1)
    start, end = default_period()
    client = browser_client(staff["billing"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/customers/{ledger.pk}/statement.pdf")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/account/exports/?job={job.pk}"
    period = {"from": start.isoformat(), "to": end.isoformat()}
    assert (job.tab, job.filters, job.status) == ("statement", period, "done")
    download = client.get(f"/account/exports/{job.pk}/download/")
    assert download.content.startswith(b"%PDF")
    assert download["Content-Disposition"].endswith(f'filename="statement-{ledger.number}-{start}-{end}.pdf"')
    assert f"Statement {start} to {end}" in client.get("/account/exports/").content.decode()


def test_the_api_answers_202_for_a_long_statement(
    api_as, ledger, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "STATEMENT_BACKGROUND_LINES", 1)
    api = api_as("billing")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.get(f"/api/v1/customers/{ledger.pk}/statement.pdf")
    assert response.status_code == 202
    file = api.get(f"/api/v1/exports/{response.json()['id']}/file")
    assert file.status_code == 200 and file.content.startswith(b"%PDF")


def test_a_short_statement_pdf_is_served_at_once(browser_client, ledger, staff):
    response = browser_client(staff["billing"]).get(f"/customers/{ledger.pk}/statement.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not ExportJob.objects.exists()
