import datetime as dt

import pytest

from accountdesk.billing import services
from accountdesk.billing.models import Credit, Invoice, LedgerEntry, Payment
from accountdesk.core.actors import Actor
from accountdesk.fieldservice import services as fieldservice
from tests.billing.factories import D, issue_invoice, pay

BASE = "/api/v1/customers/{}"


def url(customer, tail):
    return BASE.format(customer.pk) + tail


@pytest.fixture
def books(customer):
    issue_invoice(customer, "30.00", issued_on=dt.date(2025, 1, 1))
    issue_invoice(customer, "45.50", issued_on=dt.date(2025, 2, 1))
    pay(customer, "40.00")
    return customer


def test_it_lists_invoices_newest_first_and_filters_by_status(api_as, books, actors):
    draft = services.invoice_create_draft(customer=books, actor=actors["billing"])
    response = api_as("agent").get(url(books, "/invoices"))
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["issued_on"] for i in items[1:]] == ["2025-02-01", "2025-01-01"]
    assert items[1] == {
        "id": items[1]["id"],
        "number": "INV-000002",
        "status": "approved",
        "issued_on": "2025-02-01",
        "due_on": "2025-03-03",
        "total": "45.50",
        "balance": "35.50",
    }
    drafts = api_as("agent").get(url(books, "/invoices"), status="draft").json()["items"]
    assert [i["id"] for i in drafts] == [draft.pk]
    assert api_as("agent").get(url(books, "/invoices"), status="paid").status_code == 422


def test_it_serves_the_ledger_oldest_first_with_running_balances(api_as, books):
    items = api_as("readonly").get(url(books, "/ledger")).json()["items"]
    assert [(i["kind"], i["amount"], i["running_balance"]) for i in items] == [
        ("invoice_approved", "30.00", "30.00"),
        ("invoice_approved", "45.50", "75.50"),
        ("payment", "-40.00", "35.50"),
    ]


def test_it_pages_the_ledger_with_a_cursor(api_as, books):
    first = api_as("agent").get(url(books, "/ledger"), limit=2).json()
    second = api_as("agent").get(url(books, "/ledger"), limit=2, cursor=first["next_cursor"]).json()
    assert [i["running_balance"] for i in first["items"] + second["items"]] == ["30.00", "75.50", "35.50"]
    assert second["next_cursor"] is None


def test_it_records_a_payment(api_as, books):
    response = api_as("billing").post(
        url(books, "/payments"), {"amount": "35.50", "method": "card", "reference": "ch_1"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "35.50" and response.json()["kind"] == "payment"
    assert Invoice.objects.filter(customer=books, balance__gt=0).count() == 0


@pytest.mark.parametrize(
    "amount", ["-5.00", "0", "0.00", "12.345", "abc", "1e3", "1E2", "", None, -5, 0, 12.5, 1e3, [1], {"a": 1}]
)
def test_it_answers_bad_payment_amounts_with_422_naming_the_field(api_as, books, amount):
    before = (Payment.objects.count(), LedgerEntry.objects.count())
    response = api_as("billing").post(url(books, "/payments"), {"amount": amount, "method": "card"})
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "validation_error"
    assert "amount" in response.json()["error"]["fields"]
    assert (Payment.objects.count(), LedgerEntry.objects.count()) == before


@pytest.mark.parametrize("amount", ["-5.00", "0", "12.345", "abc", "1e3"])
def test_it_answers_bad_credit_amounts_with_422(api_as, books, amount):
    response = api_as("billing").post(url(books, "/credits"), {"amount": amount, "reason": "Outage"})
    assert response.status_code == 422
    assert "amount" in response.json()["error"]["fields"]
    assert not Credit.objects.exists()


def test_it_denies_a_technician_recording_a_payment(api_as, books):
    before = Payment.objects.count()
    response = api_as("technician").post(url(books, "/payments"), {"amount": "10.00", "method": "cash"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Payment.objects.count() == before


@pytest.mark.parametrize("role", ["agent", "readonly", "technician"])
def test_it_denies_payments_to_roles_without_billing_payment(api_as, books, role):
    assert api_as(role).post(url(books, "/payments"), {"amount": "1.00", "method": "cash"}).status_code == 403


def test_it_denies_an_agent_a_credit_over_the_limit(api_as, books):
    response = api_as("agent").post(url(books, "/credits"), {"amount": "50.01", "reason": "Outage"})
    assert response.status_code == 403
    assert not Credit.objects.exists()
    assert (
        api_as("agent").post(url(books, "/credits"), {"amount": "50.00", "reason": "Outage"}).status_code
        == 201
    )
    assert (
        api_as("billing").post(url(books, "/credits"), {"amount": "900.00", "reason": "Goodwill"}).status_code
        == 201
    )


def test_it_records_one_payment_for_idempotent_retries(api_as, books):
    client = api_as("billing")
    body = {"amount": "10.00", "method": "card", "reference": "retry"}
    headers = {"Idempotency-Key": "pay-7f3a"}
    first = client.post(url(books, "/payments"), body, headers=headers)
    second = client.post(url(books, "/payments"), body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Payment.objects.filter(reference="retry").count() == 1
    other = client.post(url(books, "/payments"), {**body, "amount": "11.00"}, headers=headers)
    assert other.status_code == 409
    assert Payment.objects.filter(reference="retry").count() == 1


def test_it_records_one_credit_for_idempotent_retries(api_as, books):
    client = api_as("billing")
    headers = {"Idempotency-Key": "credit-1"}
    for _ in range(3):
        assert (
            client.post(
                url(books, "/credits"), {"amount": "5.00", "reason": "x"}, headers=headers
            ).status_code
            == 201
        )
    assert Credit.objects.count() == 1


@pytest.mark.parametrize(
    "tail",
    [
        "/invoices",
        "/payments",
        "/credits",
        "/ledger",
        "/statement",
        "/statement.pdf",
        "/instalments",
        "/recurring-invoices",
        "/estimates",
        "/agreements",
    ],
)
def test_it_hides_another_providers_billing(api_as, foreign_customer, tail):
    response = api_as("admin").get(url(foreign_customer, tail))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_hides_another_providers_invoice_behind_a_write(api_as, customer, foreign_customer):
    foreign = issue_invoice(foreign_customer, "10.00")
    response = api_as("admin").post(url(customer, f"/invoices/{foreign.pk}/void"), {"reason": "x"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    for tail, body in [
        ("/payments", {"amount": "1.00", "method": "cash"}),
        ("/credits", {"amount": "1.00", "reason": "x"}),
    ]:
        assert api_as("admin").post(url(foreign_customer, tail), body).status_code == 404
    assert not Payment.objects.filter(customer=foreign_customer).exists()


def test_it_hides_money_from_technicians(api_as, books):
    for tail in ("/invoices", "/payments", "/ledger", "/statement"):
        assert api_as("technician").get(url(books, tail)).status_code == 403


def test_it_approves_and_voids_through_the_api(api_as, customer, actors):
    draft = services.invoice_create_draft(
        customer=customer, actor=actors["billing"], lines=[{"description": "Setup", "unit_price": "20.00"}]
    )
    assert api_as("agent").post(url(customer, f"/invoices/{draft.pk}/approve")).status_code == 403
    approved = api_as("billing").post(url(customer, f"/invoices/{draft.pk}/approve"))
    assert approved.status_code == 200 and approved.json()["number"] == "INV-000001"
    assert api_as("billing").post(url(customer, f"/invoices/{draft.pk}/approve")).status_code == 409
    assert (
        api_as("billing").post(url(customer, f"/invoices/{draft.pk}/void"), {"reason": ""}).status_code == 422
    )
    voided = api_as("billing").post(url(customer, f"/invoices/{draft.pk}/void"), {"reason": "Duplicate"})
    assert voided.json()["status"] == "void"


def test_it_serves_the_statement_with_aging(api_as, books):
    response = api_as("billing").get(url(books, "/statement"), **{"from": "2024-12-01", "to": "2025-04-15"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["opening_balance"] == "0.00" and body["closing_balance"] == "35.50"
    assert body["from"] == "2024-12-01"
    # INV-1 fully paid; INV-2 (due 3 March) has 35.50 open, 43 days past due on 15 April.
    assert body["aging"] == {
        "current": "0.00",
        "days_1_30": "0.00",
        "days_31_60": "35.50",
        "days_61_90": "0.00",
        "days_90_plus": "0.00",
    }
    bad = api_as("billing").get(url(books, "/statement"), **{"from": "2025-05-01", "to": "2025-04-01"})
    assert bad.status_code == 422


def test_it_answers_instalments_404_without_the_module(api_as, customer):
    customer.provider.instalments = False
    customer.provider.save()
    response = api_as("agent").get(url(customer, "/instalments"))
    assert response.status_code == 404 and response.json()["error"]["code"] == "module_not_enabled"


def test_it_answers_estimates_and_agreements_404_without_field_service(api_as, customer):
    customer.provider.field_service = False
    customer.provider.save()
    for tail in ("/estimates", "/agreements"):
        assert api_as("agent").get(url(customer, tail)).json()["error"]["code"] == "module_not_enabled"


def test_it_lists_instalments_with_the_estimated_end(api_as, customer, actors):
    services.instalment_create(
        customer=customer,
        description="Phone",
        total="600.00",
        instalments_total=12,
        purchased_on=dt.date(2025, 1, 1),
        actor=actors["agent"],
    )
    item = api_as("agent").get(url(customer, "/instalments")).json()["items"][0]
    assert item["instalment_amount"] == "50.00" and item["instalments_remaining"] == 12
    assert item["estimated_end"]


def test_it_refunds_through_the_api(api_as, books):
    payment = Payment.objects.get(customer=books)
    response = api_as("billing").post(
        url(books, f"/payments/{payment.pk}/refund"), {"amount": "5.00", "reason": "Goodwill"}
    )
    assert response.status_code == 201 and response.json()["amount"] == "-5.00"
    assert (
        api_as("agent")
        .post(url(books, f"/payments/{payment.pk}/refund"), {"amount": "1.00", "reason": "x"})
        .status_code
        == 403
    )


def test_it_lists_recurring_invoices_estimates_and_agreements(api_as, customer, actors):
    services.recurring_invoice_create(
        customer=customer, description="Backup", amount="9.00", actor=actors["billing"]
    )
    fieldservice.estimate_create(
        customer=customer, description="Survey", total="80.00", actor=actors["agent"]
    )
    fieldservice.agreement_create(
        customer=customer,
        name="Annual service",
        starts_on=dt.date(2025, 1, 1),
        value="240.00",
        actor=actors["agent"],
    )
    assert api_as("agent").get(url(customer, "/recurring-invoices")).json()["items"][0]["amount"] == "9.00"
    assert api_as("agent").get(url(customer, "/estimates")).json()["items"][0]["number"] == "EST-00001"
    assert api_as("agent").get(url(customer, "/agreements")).json()["items"][0]["value"] == "240.00"


def test_it_downloads_the_statement_pdf(api_as, books):
    response = api_as("billing").get(url(books, "/statement.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_it_keeps_the_system_actor_out_of_permission_checks(customer):
    system = Actor.system(customer.provider)
    assert services.credit_issue(
        customer=customer, amount="1000.00", reason="Migration", actor=system
    ).amount == D("1000.00")


def test_it_answers_a_payment_received_in_the_future_with_422_and_records_nothing(api_as, books):
    before = (Payment.objects.count(), LedgerEntry.objects.count())
    response = api_as("billing").post(
        url(books, "/payments"), {"amount": "10.00", "method": "card", "received_on": "2030-01-01"}
    )
    assert response.status_code == 422, response.content
    message = "A payment cannot be received in the future."
    assert response.json()["error"]["fields"] == {"received_on": message}
    assert (Payment.objects.count(), LedgerEntry.objects.count()) == before
