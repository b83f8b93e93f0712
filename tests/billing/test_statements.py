import datetime as dt
import os
import shutil
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


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_it_prints_the_ledgers_closing_balance_on_the_pdf(history, tmp_path):
    s = statement_build(customer=history, start=dt.date(2024, 10, 1), end=dt.date(2025, 3, 15))
    # STATEMENT_PDF_OUT=/some/dir keeps the file, to render it with pdftoppm and look at it.
    path = Path(os.environ.get("STATEMENT_PDF_OUT") or tmp_path) / "statement.pdf"
    path.write_bytes(statement_pdf(s))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
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
