"""The key metrics explained: the API's /metrics/{metric}/explain, the dashboard's and the invoice
pages' panels, and disputes raised on a line."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.activity.models import Activity
from accountdesk.billing import services
from accountdesk.billing.models import Dispute, LedgerEntry
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accountdesk.fieldservice.models import Job
from tests.activity.logged import assert_logged
from tests.billing.factories import issue_invoice, pay
from tests.factories import UserFactory

METRICS = ("total_due", "account_credit", "lifetime_value", "account_current", "open_jobs")


@pytest.fixture
def books(customer, staff):
    """An overdue invoice part paid, a newer one, a refund and some credit held."""
    billing = Actor.staff(staff["billing"])
    old = issue_invoice(customer, "120.00", issued_on=dt.date(2024, 11, 1))  # due 1 Dec: overdue
    issue_invoice(customer, "45.50", issued_on=dt.date(2025, 1, 20))
    payment = pay(customer, "50.00", received_on=dt.date(2025, 1, 5))
    services.payment_refund(payment=payment, amount="5.00", reason="fee back", actor=billing)
    customer.provider.credit_auto_apply = False
    customer.provider.save(update_fields=["credit_auto_apply"])
    services.credit_issue(customer=customer, amount="12.25", reason="outage", actor=billing)
    Job.objects.create(
        provider=customer.provider,
        customer=customer,
        number="J-1",
        kind="install",
        status="scheduled",
        scheduled_start=dt.datetime(2025, 2, 3, 9, tzinfo=dt.UTC),
        created_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
        updated_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
    )
    return {"old": old, "payment": payment}


def _explain(api, customer, metric):
    return api.get(f"/api/v1/customers/{customer.pk}/metrics/{metric}/explain")


# ---------------------------------------------------------------- the API


@pytest.mark.parametrize("metric", METRICS)
def test_each_metric_answers_its_figure_and_lines_that_add_up(api_as, customer, books, metric):
    response = _explain(api_as("agent"), customer, metric)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {"metric", "value", "as_of", "sentence", "lines"}
    assert body["metric"] == metric and body["sentence"]
    dashboard = api_as("agent").get(f"/api/v1/customers/{customer.pk}/dashboard").json()
    assert body["value"] == dashboard["metrics"][metric]
    for line in body["lines"]:
        assert set(line) >= {"type", "id", "label", "amount", "url"}
        assert line["url"].startswith(f"/customers/{customer.pk}/")
    if metric in ("total_due", "account_credit", "lifetime_value"):
        total = sum((Decimal(line["amount"]) for line in body["lines"]), Decimal("0"))
        assert f"{total:.2f}" == body["value"]


def test_total_due_lists_the_open_invoices_and_what_was_applied(api_as, customer, books):
    body = _explain(api_as("agent"), customer, "total_due").json()
    assert body["value"] == "120.50"
    assert [(line["type"], line["amount"]) for line in body["lines"]] == [
        ("invoice", "120.00"),
        ("payment", "-50.00"),
        ("refund", "5.00"),
        ("invoice", "45.50"),
    ]
    assert body["lines"][0]["url"] == f"/customers/{customer.pk}/invoices/{books['old'].pk}/"
    assert body["period"] == {"from": "2024-11-01", "to": "2025-01-31"}
    assert body["statement_url"] == f"/customers/{customer.pk}/statement/?from=2024-11-01&to=2025-01-31"
    assert body["sentence"].startswith("Total due is $120.50: the open balances of 2 approved invoices.")


def test_account_current_says_which_invoice_is_overdue_and_by_what_rule(api_as, customer, books):
    body = _explain(api_as("agent"), customer, "account_current").json()
    assert body["value"] is False
    assert [line["id"] for line in body["lines"]] == [books["old"].pk]
    assert "due on 01 Dec 2024 (NET30 terms from its issue on 01 Nov 2024)" in body["sentence"]
    assert "overdue since 02 Dec 2024" in body["sentence"]


def test_open_jobs_lists_the_jobs_without_amounts(api_as, customer, books):
    body = _explain(api_as("technician"), customer, "open_jobs").json()
    assert body["value"] == 1
    assert [(line["type"], line["amount"]) for line in body["lines"]] == [("job", None)]
    assert body["lines"][0]["label"].startswith("J-1 Install: scheduled, scheduled 03 Feb 2025")


@pytest.mark.parametrize("metric", ["total_due", "account_credit", "lifetime_value", "account_current"])
def test_a_technician_gets_no_money(api_as, customer, books, metric):
    body = _explain(api_as("technician"), customer, metric).json()
    assert body["value"] is None
    assert body["lines"] and all(line["amount"] is None for line in body["lines"])
    assert "$" not in body["sentence"] and not re.search(r"\d\.\d\d", body["sentence"])
    assert body["statement_url"] is None


def test_an_unknown_metric_is_a_422_naming_the_field(api_as, customer):
    response = _explain(api_as("agent"), customer, "balance")
    assert response.status_code == 422
    assert "metric" in response.json()["error"]["fields"]


def test_another_providers_customer_is_not_found(api_as, foreign_customer):
    response = _explain(api_as("agent"), foreign_customer, "total_due")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_open_jobs_without_field_service_is_module_not_enabled(api_as, customer):
    provider = customer.provider
    provider.field_service = False
    provider.save(update_fields=["field_service"])
    response = _explain(api_as("agent"), customer, "open_jobs")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "module_not_enabled"


# ---------------------------------------------------------------- the panels


def test_the_dashboard_opens_each_figure_as_a_panel(browser_client, staff, customer, books):
    client = browser_client(staff["agent"])
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    for metric in METRICS:
        assert f'id="explain-{metric}"' in page
        assert f'hx-get="/customers/{customer.pk}/dashboard/explain/{metric}/"' in page
    assert 'id="explain-dialog"' in page

    panel = client.get(f"/customers/{customer.pk}/dashboard/explain/total_due/", HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert panel.status_code == 200
    assert '<h2 id="explain-dialog-title">Total due</h2>' in html
    assert f'href="/customers/{customer.pk}/invoices/{books["old"].pk}/"' in html
    assert "Adds up to" in html and "$120.50" in html
    assert f'href="/customers/{customer.pk}/statement/?from=2024-11-01&amp;to=2025-01-31"' in html
    assert html.count(f"/customers/{customer.pk}/ledger/") == 4  # each line rests on a ledger entry


def test_a_panel_for_an_unknown_metric_is_a_404(browser_client, staff, customer):
    client = browser_client(staff["agent"])
    assert client.get(f"/customers/{customer.pk}/dashboard/explain/balance/").status_code == 404


def test_a_panel_of_another_providers_customer_is_a_404(browser_client, staff, foreign_customer):
    client = browser_client(staff["agent"])
    assert client.get(f"/customers/{foreign_customer.pk}/dashboard/explain/total_due/").status_code == 404


def test_a_technicians_panel_hides_money_and_offers_no_dispute(browser_client, staff, customer, books):
    client = browser_client(staff["technician"])
    html = client.get(
        f"/customers/{customer.pk}/dashboard/explain/total_due/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "$" not in html and "Dispute" not in html and "Statement" not in html
    assert "open balances of 2 approved invoices" in html


def test_the_invoice_pages_open_each_balance_as_a_panel(browser_client, staff, customer, books):
    client = browser_client(staff["billing"])
    invoice = books["old"]
    url = f"/customers/{customer.pk}/invoices/{invoice.pk}/balance/explain/"
    assert (
        f'hx-get="{url}"' in client.get(f"/customers/{customer.pk}/invoices/{invoice.pk}/").content.decode()
    )
    assert f'hx-get="{url}"' in client.get(f"/customers/{customer.pk}/invoices/").content.decode()

    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Open balance of INV-000001" in html
    assert "Invoice INV-000001 has $75.00 open: its total of $120.00" in html
    # Without JavaScript the panel stands on a page of its own.
    assert "Open balance of INV-000001" in client.get(url).content.decode()


# ---------------------------------------------------------------- disputes


def test_a_dispute_raised_on_a_line_shows_on_it_until_resolved(browser_client, staff, customer, books):
    agent = browser_client(staff["agent"])
    entry = LedgerEntry.objects.get(subject_type="payment", subject_id=books["payment"].pk, kind="payment")
    form = agent.get(
        f"/customers/{customer.pk}/ledger/{entry.pk}/dispute/?panel=1&next=/customers/{customer.pk}/",
        HTTP_HX_REQUEST="true",
    )
    assert form.status_code == 200 and "Dispute an entry" in form.content.decode()
    response = agent.post(
        f"/customers/{customer.pk}/ledger/{entry.pk}/dispute/?panel=1",
        {"reason": "Says this was paid in cash, not by card", "next": f"/customers/{customer.pk}/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code in (200, 204) and response["HX-Redirect"] == f"/customers/{customer.pk}/"
    dispute = Dispute.objects.get(entry=entry)
    assert dispute.is_open and dispute.raised_by_name == staff["agent"].display_name
    assert_logged(
        customer,
        "dispute.raised",
        "Dispute raised on the payment of $50.00 on 31 Jan 2025: Says this was paid in cash, not by card",
        viewer=staff["agent"],
    )

    panel = agent.get(f"/customers/{customer.pk}/dashboard/explain/total_due/", HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert "Disputed</span> Says this was paid in cash, not by card" in html
    assert html.count(f"/customers/{customer.pk}/ledger/") == 3  # not offered again on the disputed line
    body = agent.get(f"/customers/{customer.pk}/ledger/").content.decode()
    assert f'id="entry-{entry.pk}" class="is-disputed"' in body
    assert "Resolve" not in body  # agents raise disputes; billing staff resolve them

    billing = browser_client(staff["billing"])
    ledger = billing.get(f"/customers/{customer.pk}/ledger/").content.decode()
    assert f"/customers/{customer.pk}/disputes/{dispute.pk}/resolve/" in ledger
    response = billing.post(
        f"/customers/{customer.pk}/disputes/{dispute.pk}/resolve/",
        {"resolution": "Card statement shows the charge"},
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert not dispute.is_open and dispute.resolution == "Card statement shows the charge"
    assert_logged(
        customer,
        "dispute.resolved",
        "Dispute on the payment of $50.00 on 31 Jan 2025 resolved: Card statement shows the charge",
        viewer=staff["billing"],
    )
    html = agent.get(f"/customers/{customer.pk}/dashboard/explain/total_due/", HTTP_HX_REQUEST="true")
    assert "Disputed" not in html.content.decode()
    assert 'class="is-disputed"' not in agent.get(f"/customers/{customer.pk}/ledger/").content.decode()


def test_a_dispute_shows_in_the_api_explanation(api_as, customer, staff, books):
    entry = LedgerEntry.objects.get(
        subject_type="invoice", subject_id=books["old"].pk, kind="invoice_approved"
    )
    services.dispute_raise(entry=entry, reason="Never ordered", actor=Actor.staff(staff["agent"]))
    line = _explain(api_as("agent"), customer, "total_due").json()["lines"][0]
    assert line["entry_id"] == entry.pk
    assert line["dispute"]["reason"] == "Never ordered"


def test_a_second_dispute_on_the_same_entry_is_refused(customer, staff, books):
    entry = LedgerEntry.objects.filter(customer=customer).first()
    actor = Actor.staff(staff["agent"])
    services.dispute_raise(entry=entry, reason="first", actor=actor)
    with pytest.raises(Conflict):
        services.dispute_raise(entry=entry, reason="again", actor=actor)
    assert Dispute.objects.filter(entry=entry).count() == 1


def test_a_dispute_needs_a_reason_and_the_right_role(customer, staff, books):
    entry = LedgerEntry.objects.filter(customer=customer).first()
    with pytest.raises(ValidationFailed):
        services.dispute_raise(entry=entry, reason="  ", actor=Actor.staff(staff["agent"]))
    with pytest.raises(PermissionDenied):
        services.dispute_raise(entry=entry, reason="x", actor=Actor.staff(staff["technician"]))
    dispute = services.dispute_raise(entry=entry, reason="x", actor=Actor.staff(staff["agent"]))
    with pytest.raises(PermissionDenied):
        services.dispute_resolve(dispute=dispute, resolution="done", actor=Actor.staff(staff["agent"]))
    services.dispute_resolve(dispute=dispute, resolution="done", actor=Actor.staff(staff["billing"]))
    with pytest.raises(Conflict):
        services.dispute_resolve(dispute=dispute, resolution="again", actor=Actor.staff(staff["billing"]))
    assert Activity.objects.filter(customer=customer, kind="dispute.resolved").count() == 1


def test_a_dispute_on_another_providers_entry_is_a_404(
    browser_client, staff, foreign_customer, customer, books
):
    entry = LedgerEntry.objects.filter(customer=customer).first()
    client = browser_client(staff["agent"])
    assert client.get(f"/customers/{foreign_customer.pk}/ledger/{entry.pk}/dispute/").status_code == 404


def test_a_bad_dispute_form_changes_nothing(browser_client, staff, customer, books):
    entry = LedgerEntry.objects.filter(customer=customer).first()
    client = browser_client(staff["agent"])
    response = client.post(f"/customers/{customer.pk}/ledger/{entry.pk}/dispute/", {"reason": ""})
    assert response.status_code == 400
    assert not Dispute.objects.exists()


# ---------------------------------------------------------------- cost


def test_the_panel_costs_the_same_for_a_small_and_a_long_history(browser_client, staff, customer, books):
    from tests.history import grow_history

    client = browser_client(staff["agent"])
    counts = {}
    for size in (2, 80):
        grow_history(customer, size)
        for metric in METRICS:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(
                    f"/customers/{customer.pk}/dashboard/explain/{metric}/", HTTP_HX_REQUEST="true"
                )
            assert response.status_code == 200
            counts.setdefault(metric, []).append(len(queries))
    assert counts == {
        "total_due": [10, 10],
        "account_credit": [8, 8],
        "lifetime_value": [8, 8],
        "account_current": [8, 8],
        "open_jobs": [5, 5],
    }


def test_a_service_handed_another_providers_entry_finds_nothing(customer, foreign_customer, books):
    entry = LedgerEntry.objects.filter(customer=customer).first()
    outsider = Actor.staff(UserFactory(provider=foreign_customer.provider, role="admin"))
    with pytest.raises(NotFound):
        services.dispute_raise(entry=entry, reason="x", actor=outsider)
    assert not Dispute.objects.exists()
