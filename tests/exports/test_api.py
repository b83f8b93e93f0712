import csv
import io

import pytest

from accountdesk.core.actors import Actor
from accountdesk.notes.services import note_add
from accountdesk.tenancy.models import MODULES
from tests.billing.factories import issue_invoice


def url(customer, tab, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/customers/{customer.pk}/{tab}/export" + (f"?{query}" if query else "")


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_it_exports_the_invoices_tab_as_csv_with_the_lists_fields(api_as, customer):
    for amount in ("10.00", "20.00", "30.00"):
        issue_invoice(customer, amount)
    response = api_as("billing").get(url(customer, "invoices"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{customer.number}-invoices.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["id", "number", "status", "issued_on", "due_on", "total", "balance"]
    assert sorted(r[5] for r in rows[1:]) == ["10.00", "20.00", "30.00"]
    assert response["X-Export-Rows"] == "3" and response["X-Export-Truncated"] == "false"


def test_it_passes_the_tabs_filters_through(api_as, customer):
    issue_invoice(customer, "10.00")
    response = api_as("billing").get(url(customer, "invoices", status="draft"))
    assert read_csv(response) == [[]]  # no rows, so no header either


def test_it_reads_every_page_and_stops_at_the_row_limit(api_as, customer, monkeypatch):
    from accountdesk.exports import registry

    monkeypatch.setattr(registry, "PAGE", 2)
    monkeypatch.setattr(registry, "MAX_ROWS", 5)
    actor = Actor.staff(customer.provider.staff.get(role="agent"))
    for i in range(7):
        note_add(customer=customer, body=f"note {i}", actor=actor)
    response = api_as("agent").get(url(customer, "notes"))
    assert len(read_csv(response)) == 1 + 5
    assert response["X-Export-Truncated"] == "true"


def test_it_quotes_cells_a_spreadsheet_would_run_as_formulas(api_as, customer, agent):
    note_add(customer=customer, body='=HYPERLINK("http://evil.example")', actor=Actor.staff(agent))
    rows = read_csv(api_as("agent").get(url(customer, "notes")))
    assert rows[1][3].startswith("'=")


@pytest.mark.parametrize(("fmt", "magic", "content_type"), [
    ("xlsx", b"PK", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("pdf", b"%PDF", "application/pdf"),
])  # fmt: skip
def test_it_writes_excel_and_pdf(api_as, customer, fmt, magic, content_type):
    issue_invoice(customer, "12.34")
    response = api_as("billing").get(url(customer, "ledger", format=fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)


def test_it_hides_another_providers_customer(api_as, foreign_customer):
    response = api_as("agent").get(url(foreign_customer, "notes"))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_it_refuses_money_to_a_technician(api_as, customer):
    response = api_as("technician").get(url(customer, "payments"))
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


def test_it_answers_module_not_enabled(api_as, provider, customer):
    for module in MODULES:
        setattr(provider, module, False)
    provider.save()
    response = api_as("agent").get(url(customer, "tickets"))
    assert response.status_code == 404 and response.json()["error"]["code"] == "module_not_enabled"


@pytest.mark.parametrize(
    ("tab", "params", "status"),
    [
        ("nothing", {}, 404),
        ("notes", {"format": "docx"}, 422),
        ("notes", {"colour": "red"}, 422),
        ("invoices", {"status": "paid"}, 422),
    ],
)
def test_it_answers_bad_requests_with_4xx(api_as, customer, tab, params, status):
    response = api_as("billing").get(url(customer, tab, **params))
    assert response.status_code == status
    assert "error" in response.json()
