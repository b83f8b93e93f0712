"""The statement PDF over many pages: every page has the column heads, its footer and its number;
the lines keep their order; the closing balance and what is due come once, at the end."""

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from accountdesk.billing.models import LedgerEntry
from accountdesk.billing.statement_pdf import lines_of
from accountdesk.billing.statements import BUCKETS, Statement, statement_pdf
from accountdesk.core import clock
from accountdesk.core.pdf import fonts
from accountdesk.customers.models import Customer
from accountdesk.tenancy.models import Provider

LINES = 120


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text, as poppler's pdftotext lays it out (`make poppler`, part of `make test`)."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode().split("\f")[:-1]


def long_statement(count: int = LINES) -> Statement:
    provider = Provider(name="Acme Telecom", address="1 Exchange Street\nBristol BS1 4DJ")
    customer = Customer(
        provider=provider, number="C-000042", name="Ada Lovelace", billing_line1="12 Harbour Road"
    )
    start = dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)
    balance, lines = Decimal("20.00"), []
    for i in range(count):
        amount = Decimal("-7.50") if i % 4 == 3 else Decimal("12.25")
        balance += amount
        description = f"Line {i:03d} " + ("payment, thank you" if amount < 0 else "monthly charge")
        if i == 5:  # wraps inside the description column, and has an unbreakable reference
            description += " for the fibre line at the depot, reference " + "X" * 70
        lines.append(
            LedgerEntry(
                at=start + dt.timedelta(days=i),
                description=description,
                amount=amount,
                running_balance=balance,
            )
        )
    aging = dict.fromkeys(BUCKETS, Decimal("0.00"))
    aging["current"] = balance + Decimal("5.00")
    return Statement(
        customer=customer,
        start=start.date(),
        end=dt.date(2024, 6, 1),
        opening_balance=Decimal("20.00"),
        lines=lines,
        closing_balance=balance,
        aging=aging,
    )


@pytest.fixture
def statement_pages():
    clock.freeze(dt.datetime(2024, 6, 2, 9, tzinfo=dt.UTC))
    yield pages_text(statement_pdf(long_statement()))
    clock.freeze(None)


def test_every_page_repeats_the_column_heads_the_footer_and_its_number(statement_pages):
    total = len(statement_pages)
    assert total >= 3
    for number, text in enumerate(statement_pages, start=1):
        assert re.search(r"DATE\s+DESCRIPTION\s+CHARGES\s+.*BALANCE", text), number
        assert "Acme Telecom · Statement for C-000042" in text
        assert f"Page {number} of {total}" in text


def test_the_lines_keep_their_order_between_opening_and_closing(statement_pages):
    text = "\n".join(statement_pages)
    found = [int(n) for n in re.findall(r"Line (\d{3}) ", text)]
    assert found == list(range(LINES))
    opening = re.search(r"01 Jan 2024\s+Opening balance", text)
    closing_row = re.search(r"01 Jun 2024\s+Closing balance", text)
    assert opening and closing_row
    assert opening.start() < text.index("Line 000") < text.index("Line 119") < closing_row.start()
    # The running balance printed on the last line is the closing balance.
    closing = Decimal("20.00") + 90 * Decimal("12.25") - 30 * Decimal("7.50")
    assert f"${closing:,}" in statement_pages[-1]


def test_the_totals_come_once_on_the_last_page(statement_pages):
    *before, last = statement_pages
    closing = Decimal("20.00") + 90 * Decimal("12.25") - 30 * Decimal("7.50")
    assert re.search(r"01 Jun 2024\s+Closing balance", last) and f"Balance due: ${closing:,}" in last
    assert "Less account credit not yet applied" in last and "$5.00" in last
    assert "Aging of open invoices on 01 Jun 2024" in last
    assert not any("Balance due" in page or re.search(r"\d{4}\s+Closing balance", page) for page in before)
    assert "STATEMENT OF ACCOUNT" in before[0] and "Transactions in the period" in before[0]
    assert not any("STATEMENT OF ACCOUNT" in page for page in statement_pages[1:])


def test_a_long_description_wraps_inside_its_column_and_keeps_all_its_text(statement_pages):
    text = re.sub(r"\s+", "", "".join(statement_pages))
    assert "referenceXXXXXXXX" in text and "X" * 70 in text


def test_an_empty_period_says_so():
    clock.freeze(dt.datetime(2024, 6, 2, 9, tzinfo=dt.UTC))
    try:
        (text,) = pages_text(statement_pdf(long_statement(0)))
    finally:
        clock.freeze(None)
    assert "No transactions in this period." in text and "Page 1 of 1" in text
    assert "Balance due: $20.00" in text


def test_lines_break_at_spaces_and_inside_words_only_when_they_must():
    regular, _ = fonts()
    width = stringWidth("Invoice INV-000123 for", regular, 9)
    assert lines_of("Invoice INV-000123 for the fibre line", regular, 9, width) == [
        "Invoice INV-000123 for",
        "the fibre line",
    ]
    pieces = lines_of("ref " + "9" * 60, regular, 9, width)
    assert "".join(pieces[1:]) == "9" * 60 and pieces[0] == "ref"
    assert all(stringWidth(piece, regular, 9) <= width for piece in pieces)
    assert lines_of("", regular, 9, width) == [""]
