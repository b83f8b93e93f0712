"""The invoice PDF: what it prints, and who gets it (staff page, API; the portal's in tests/portal)."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from accountdesk.billing import services
from accountdesk.billing.invoice_pdf import invoice_file, invoice_filename
from accountdesk.billing.models import Invoice
from accountdesk.core.actors import Actor
from accountdesk.tenancy.models import ProviderLogo
from tests.billing.factories import issue_invoice, pay
from tests.factories import CustomerFactory

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed"
)


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "invoice.pdf") -> str:
    # INVOICE_PDF_OUT=/some/dir keeps the files, to render them with pdftoppm and look at them.
    path = Path(os.environ.get("INVOICE_PDF_OUT") or tmp_path) / name
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def png_logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 60), (20, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def billed(customer, provider, actors):
    """Acme's invoice to Grace Hopper: two taxed lines and one without, 30.00 paid."""
    provider.address = "1 Exchange Street\nBristol BS1 4DJ\nUnited Kingdom"
    provider.tax_number = "GB 123 4567 89"
    provider.payment_instructions = "Bank transfer to Acme Telecom Ltd\nSort code 12-34-56, account 12345678"
    provider.save()
    customer.billing_line1 = "12 Harbour Road"
    customer.billing_city = "Portsmouth"
    customer.billing_postcode = "PO1 3AX"
    customer.save()
    invoice = services.invoice_issue(
        customer=customer,
        lines=[
            {"description": "Fibre 500 broadband, March", "unit_price": "45.00", "tax_rate": "0.2"},
            {"description": "Static IP address", "quantity": "2", "unit_price": "5.00", "tax_rate": "0.2"},
            {"description": "Engineer visit (exempt)", "unit_price": "20.00"},
        ],
        actor=actors["billing"],
        memo="Thank you for being with us.",
    )
    pay(customer, "30.00")
    invoice.refresh_from_db()
    return invoice


@needs_poppler
def test_it_prints_the_provider_the_bill_to_the_lines_and_what_is_due(billed, tmp_path):
    pdf, filename = invoice_file(invoice=billed)
    text = pdf_text(pdf, tmp_path)
    assert filename == "invoice-INV-000001.pdf"
    assert "Acme Telecom" in text and "1 Exchange Street" in text and "Tax number GB 123 4567 89" in text
    assert "Grace Hopper" in text and "12 Harbour Road" in text and "PO1 3AX" in text
    assert "Fibre 500 broadband, March" in text and "Static IP address" in text
    assert "Engineer visit (exempt)" in text
    # 45 + 10 net at 20% (11.00 tax) and 20 exempt: 75.00 net, 86.00 total, 30.00 paid, 56.00 due.
    assert "Subtotal" in text and "$75.00" in text and "Tax 20%" in text and "$11.00" in text
    assert "$86.00" in text and "Amount paid" in text and "$30.00" in text
    assert "Amount due" in text and "$56.00" in text
    assert "Due" in text and "NET30" in text and "Sort code 12-34-56" in text
    assert "DRAFT" not in text


@needs_poppler
def test_a_draft_carries_a_draft_watermark(customer, actors, tmp_path):
    draft = services.invoice_create_draft(
        customer=customer, actor=actors["billing"], lines=[{"description": "Router", "unit_price": "99.00"}]
    )
    pdf, filename = invoice_file(invoice=draft)
    assert filename == f"invoice-draft-{draft.pk}.pdf"
    assert "DRAFT" in pdf_text(pdf, tmp_path, "draft.pdf")


def test_it_prints_the_providers_logo(billed, provider):
    ProviderLogo.objects.create(provider=provider, image=png_logo(), content_type="image/png")
    pdf, _ = invoice_file(invoice=billed)
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def test_the_file_name_keeps_only_safe_characters(billed):
    billed.number = 'INV/7 "x"\r\n'
    assert invoice_filename(billed) == "invoice-INV-7-x.pdf"


# ---------------------------------------------------------------- the staff page


def test_the_invoice_page_links_its_pdf(client, staff, customer, billed):
    client.force_login(staff["agent"])
    page = client.get(f"/customers/{customer.pk}/invoices/{billed.pk}/")
    assert f'href="/customers/{customer.pk}/invoices/{billed.pk}/pdf/"' in page.content.decode()


def test_staff_open_the_pdf_in_the_browser(client, staff, customer, billed):
    client.force_login(staff["agent"])
    response = client.get(f"/customers/{customer.pk}/invoices/{billed.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="invoice-INV-000001.pdf"'
    assert response.content.startswith(b"%PDF")


def test_another_customers_or_providers_invoice_is_not_found(
    client, staff, customer, billed, foreign_customer
):
    other = CustomerFactory(provider=customer.provider)
    foreign = issue_invoice(foreign_customer, "10.00")
    client.force_login(staff["admin"])
    assert client.get(f"/customers/{other.pk}/invoices/{billed.pk}/pdf/").status_code == 404
    assert client.get(f"/customers/{foreign_customer.pk}/invoices/{foreign.pk}/pdf/").status_code == 404
    assert client.get(f"/customers/{customer.pk}/invoices/{foreign.pk}/pdf/").status_code == 404


def test_a_role_that_may_not_see_money_is_refused_the_pdf(client, staff, customer, billed):
    client.force_login(staff["technician"])
    assert client.get(f"/customers/{customer.pk}/invoices/{billed.pk}/pdf/").status_code == 403
    assert client.get(f"/customers/{customer.pk}/invoices/{billed.pk}/").status_code == 403


def test_the_pdf_costs_the_same_queries_whatever_the_number_of_lines(client, staff, customer, actors):
    def invoice_of(count: int) -> Invoice:
        lines = [{"description": f"Line {n}", "unit_price": "1.00", "tax_rate": "0.1"} for n in range(count)]
        return services.invoice_issue(customer=customer, lines=lines, actor=Actor.system(customer.provider))

    client.force_login(staff["agent"])
    counts = []
    for invoice in (invoice_of(2), invoice_of(40)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/customers/{customer.pk}/invoices/{invoice.pk}/pdf/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


# ---------------------------------------------------------------- the API


def test_the_api_gives_the_pdf(api_as, customer, billed):
    response = api_as("billing").get(f"/api/v1/customers/{customer.pk}/invoices/{billed.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="invoice-INV-000001.pdf"'
    assert response.content.startswith(b"%PDF")
    # The JSON invoice is still where it was.
    assert (
        api_as("billing").get(f"/api/v1/customers/{customer.pk}/invoices/{billed.pk}").json()["id"]
        == billed.pk
    )


@needs_poppler
def test_the_api_pdf_of_a_draft_says_draft(api_as, customer, actors, tmp_path):
    draft = services.invoice_create_draft(
        customer=customer, actor=actors["billing"], lines=[{"description": "Router", "unit_price": "99.00"}]
    )
    response = api_as("agent").get(f"/api/v1/customers/{customer.pk}/invoices/{draft.pk}.pdf")
    assert response.status_code == 200
    assert "DRAFT" in pdf_text(response.content, tmp_path, "api-draft.pdf")


def test_the_api_answers_not_found_across_providers(api_as, customer, billed, foreign_customer):
    foreign = issue_invoice(foreign_customer, "10.00")
    api = api_as("admin")
    for path in (
        f"/api/v1/customers/{foreign_customer.pk}/invoices/{foreign.pk}.pdf",
        f"/api/v1/customers/{customer.pk}/invoices/{foreign.pk}.pdf",
        f"/api/v1/customers/{customer.pk}/invoices/999999.pdf",
    ):
        response = api.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", path


def test_the_api_refuses_the_pdf_like_the_other_invoice_reads(api_as, customer, billed):
    api = api_as("technician")
    pdf = api.get(f"/api/v1/customers/{customer.pk}/invoices/{billed.pk}.pdf")
    detail = api.get(f"/api/v1/customers/{customer.pk}/invoices/{billed.pk}")
    assert pdf.status_code == detail.status_code == 403
    assert pdf.json()["error"]["code"] == "permission_denied"


@needs_poppler
def test_a_very_long_invoice_says_how_many_lines_it_leaves_out_and_keeps_whole_totals(
    customer, monkeypatch, tmp_path
):
    from accountdesk.billing import invoice_pdf

    lines = [{"description": f"Call {n}", "unit_price": "1.00", "tax_rate": "0.1"} for n in range(5)]
    invoice = services.invoice_issue(customer=customer, lines=lines, actor=Actor.system(customer.provider))
    monkeypatch.setattr(invoice_pdf, "MAX_LINES", 3)
    text = pdf_text(invoice_file(invoice=invoice)[0], tmp_path, "long.pdf")
    assert "Call 2" in text and "Call 3" not in text and "and 2 more lines" in text
    assert "$5.00" in text and "$0.50" in text and "$5.50" in text  # subtotal, tax, total of all five
