import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from django.core import mail

from accountdesk.activity.models import Activity
from accountdesk.billing import services
from accountdesk.billing.models import LedgerEntry
from accountdesk.billing.statements import bucket_for, statement_build, statement_pdf, statement_send
from accountdesk.core import clock
from accountdesk.core.errors import PermissionDenied
from tests.billing.factories import D, issue_invoice, pay
from tests.factories import ContactFactory


@pytest.fixture
def history(customer, actors):
    customer.billing_line1 = "12 Harbour Road"
    customer.billing_city = "Portsmouth"
    customer.billing_postcode = "PO1 3AX"
    customer.save()
    for month, amount in [(10, "49.99"), (11, "49.99")]:
        clock.freeze(dt.datetime(2024, month, 1, 9, tzinfo=dt.UTC))
        issue_invoice(customer, amount, issued_on=dt.date(2024, month, 1))
    clock.freeze(dt.datetime(2024, 11, 20, 9, tzinfo=dt.UTC))
    pay(customer, "49.99", reference="Oct")
    clock.freeze(dt.datetime(2024, 12, 1, 9, tzinfo=dt.UTC))
    issue_invoice(customer, "64.50", issued_on=dt.date(2024, 12, 1))
    clock.freeze(dt.datetime(2025, 1, 5, 9, tzinfo=dt.UTC))
    services.credit_issue(customer=customer, amount="10.00", reason="Outage 3 Jan", actor=actors["agent"])
    clock.freeze(dt.datetime(2025, 3, 15, 12, tzinfo=dt.UTC))
    return customer


def test_it_builds_opening_lines_closing_and_aging(history):
    s = statement_build(customer=history, start=dt.date(2024, 11, 1), end=dt.date(2025, 1, 31))
    assert s.opening_balance == D("49.99")
    assert [e.kind for e in s.lines] == ["invoice_approved", "payment", "invoice_approved", "credit_issued"]
    assert (
        s.closing_balance
        == LedgerEntry.objects.filter(customer=history).order_by("-at", "-id")[0].running_balance
    )
    assert s.closing_balance == D("49.99") + D("49.99") - D("49.99") + D("64.50") - D("10.00")
    # On 31 Jan (NET30): November's invoice (due 1 Dec) is 61 days late, December's (due 31 Dec) 31.
    assert s.aging["days_61_90"] == D("49.99") and s.aging["days_31_60"] == D("64.50")
    assert s.aging["current"] == s.aging["days_1_30"] == s.aging["days_90_plus"] == D("0.00")


def test_it_buckets_days_past_due():
    assert [bucket_for(d) for d in (-3, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        "current",
        "current",
        "days_1_30",
        "days_1_30",
        "days_31_60",
        "days_31_60",
        "days_61_90",
        "days_61_90",
        "days_90_plus",
    ]


def test_it_prints_the_ledgers_closing_balance_on_the_pdf(history, tmp_path):
    s = statement_build(customer=history, start=dt.date(2024, 10, 1), end=dt.date(2025, 3, 15))
    # STATEMENT_PDF_OUT=/some/dir keeps the file, to render it with pdftoppm and look at it.
    path = Path(os.environ.get("STATEMENT_PDF_OUT") or tmp_path) / "statement.pdf"
    path.write_bytes(statement_pdf(s))
    # pdftotext comes with poppler-utils (`make poppler`, part of `make test`).
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    ledger_balance = LedgerEntry.objects.filter(customer=history).order_by("-at", "-id")[0].running_balance
    assert ledger_balance == D("104.49")
    assert "STATEMENT OF ACCOUNT" in text and history.name in text and "12 Harbour Road" in text
    assert "Closing balance" in text and "Balance due: $104.49" in text


def test_it_emails_the_statement_to_the_billing_contact_after_commit(
    history, actors, django_capture_on_commit_callbacks
):
    ContactFactory(customer=history, provider=history.provider, email="primary@example.test", is_primary=True)
    ContactFactory(
        customer=history, provider=history.provider, email="accounts@example.test", is_billing=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        recipient = statement_send(customer=history, actor=actors["billing"])
    assert recipient == "accounts@example.test"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["accounts@example.test"]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    assert Activity.objects.filter(kind="statement.sent", actor_type="staff").count() == 1


def test_it_denies_agents_sending_statements(history, actors):
    with pytest.raises(PermissionDenied):
        statement_send(customer=history, actor=actors["agent"])
    assert not mail.outbox


# ---------- aging as it stood at the end of the period, not as it stands today ----------


def at(y, m, d):
    clock.freeze(dt.datetime(y, m, d, 9, tzinfo=dt.UTC))


def aged_at(customer, end):
    statement = statement_build(customer=customer, start=dt.date(2024, 1, 1), end=end)
    return {bucket: amount for bucket, amount in statement.aging.items() if amount}


def test_an_invoice_paid_after_the_end_is_aged_with_what_it_owed_then(customer):
    at(2024, 1, 1)
    issue_invoice(customer, "100.00", issued_on=dt.date(2024, 1, 1))  # due 31 Jan
    at(2024, 2, 10)
    pay(customer, "30.00")
    at(2024, 3, 5)
    pay(customer, "70.00")
    at(2024, 6, 1)
    assert aged_at(customer, dt.date(2024, 1, 31)) == {"current": D("100.00")}
    assert aged_at(customer, dt.date(2024, 2, 29)) == {"days_1_30": D("70.00")}
    assert aged_at(customer, dt.date(2024, 3, 31)) == {}


def test_an_invoice_approved_after_the_end_is_not_aged(customer):
    at(2024, 3, 2)
    issue_invoice(customer, "40.00", issued_on=dt.date(2024, 2, 20))  # back-dated, booked on 2 March
    at(2024, 6, 1)
    assert aged_at(customer, dt.date(2024, 2, 29)) == {}
    assert aged_at(customer, dt.date(2024, 5, 31)) == {"days_61_90": D("40.00")}


def test_a_void_counts_from_the_day_it_happened(customer, actors):
    at(2024, 1, 1)
    invoice = issue_invoice(customer, "80.00", issued_on=dt.date(2024, 1, 1))
    at(2024, 2, 15)
    services.invoice_void(invoice=invoice, reason="Billed twice", actor=actors["billing"])
    at(2024, 6, 1)
    assert aged_at(customer, dt.date(2024, 2, 10)) == {"days_1_30": D("80.00")}
    assert aged_at(customer, dt.date(2024, 2, 20)) == {}


def test_credit_applied_and_a_refund_after_the_end_leave_the_aging_at_the_end_alone(customer, actors):
    at(2024, 1, 1)
    credited = issue_invoice(customer, "50.00", issued_on=dt.date(2024, 1, 1))
    refunded = issue_invoice(customer, "60.00", issued_on=dt.date(2024, 1, 1))
    at(2024, 1, 20)
    payment = pay(customer, "60.00", allocations={refunded.pk: "60.00"})
    services.credit_issue(customer=customer, amount="50.00", reason="Goodwill", actor=actors["billing"])
    at(2024, 2, 5)
    services.credit_apply(invoice=credited, actor=actors["billing"])
    services.payment_refund(payment=payment, amount="60.00", reason="Card dispute", actor=actors["billing"])
    at(2024, 6, 1)
    # On 31 Jan the credit was not applied yet and the payment had not been refunded.
    assert aged_at(customer, dt.date(2024, 1, 31)) == {"current": D("50.00")}
    # Today: the credited invoice is settled and the refunded one open again.
    assert aged_at(customer, dt.date(2024, 6, 1)) == {"days_90_plus": D("60.00")}


def test_it_shows_the_amount_due_as_open_invoices_less_unapplied_credit(history):
    s = statement_build(customer=history, start=dt.date(2024, 10, 1), end=dt.date(2025, 3, 15))
    assert s.aging_total == D("114.49")
    assert s.unapplied_credit == D("10.00")
    assert s.closing_balance == s.aging_total - s.unapplied_credit == D("104.49")


def test_the_unapplied_credit_is_the_credit_held_at_the_end_date(history, actors):
    # The credit issued on 5 Jan was not there on 31 Dec.
    s = statement_build(customer=history, start=dt.date(2024, 10, 1), end=dt.date(2024, 12, 31))
    assert (s.aging_total, s.unapplied_credit, s.closing_balance) == (D("114.49"), D("0"), D("114.49"))


def test_applying_credit_makes_no_zero_line_on_the_statement(history, actors):
    december = history.invoices.get(total=D("64.50"))
    services.credit_apply(invoice=december, actor=actors["billing"])
    assert LedgerEntry.objects.filter(customer=history, amount=0).exists()
    s = statement_build(customer=history, start=dt.date(2024, 10, 1), end=dt.date(2025, 3, 15))
    assert all(line.amount != 0 for line in s.lines)
    assert (s.aging_total, s.unapplied_credit, s.closing_balance) == (D("104.49"), D("0"), D("104.49"))
