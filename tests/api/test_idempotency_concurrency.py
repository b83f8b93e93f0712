"""Two simultaneous requests with one Idempotency-Key record one note (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from accountdesk.activity.models import Activity
from accountdesk.notes.models import Note
from accountdesk.tenancy.models import ApiToken

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises writers",
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_record_one_write(customer, agent):
    _, token = ApiToken.objects.issue(agent)
    url = f"/api/v1/customers/{customer.pk}/notes"
    start = threading.Barrier(4)
    answers: list[tuple[int, str]] = []

    def send():
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            start.wait()
            response = client.post(
                url,
                {"body": "Only once"},
                content_type="application/json",
                headers={"Idempotency-Key": "race-1"},
            )
            answers.append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Note.objects.filter(customer=customer).count() == 1
    assert Activity.objects.filter(customer=customer, kind="note.added").count() == 1
    assert {status for status, _ in answers} == {201}
    assert len({body for _, body in answers}) == 1  # every caller got the same answer


@pytest.mark.django_db(transaction=True)
def test_a_twin_that_fails_because_the_first_won_answers_the_first_response(customer, staff):
    from accountdesk.billing.models import Invoice
    from accountdesk.billing.services import invoice_create_draft
    from accountdesk.core.actors import Actor

    billing = staff["billing"]
    draft = invoice_create_draft(
        customer=customer,
        actor=Actor.staff(billing),
        lines=[{"description": "Router", "quantity": "1", "unit_price": "100.00"}],
    )
    _, token = ApiToken.objects.issue(billing)
    url = f"/api/v1/customers/{customer.pk}/invoices/{draft.pk}/approve"
    start = threading.Barrier(6)
    answers: list[tuple[int, str]] = []

    def send():
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            start.wait()
            response = client.post(
                url, {}, content_type="application/json", headers={"Idempotency-Key": "twin-1"}
            )
            answers.append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {status for status, _ in answers} == {200}  # none told "already approved"
    assert len({body for _, body in answers}) == 1
    assert Invoice.objects.get(pk=draft.pk).status == "approved"
    assert Activity.objects.filter(customer=customer, kind="invoice.approved").count() == 1
