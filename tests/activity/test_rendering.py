"""Activity entries read by permission: figures for roles with billing.view, none for the others."""

import datetime as dt

import pytest

from accountdesk.activity import selectors
from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import FIGURE, entry_details, entry_summary
from accountdesk.activity.services import event_bulk_record
from accountdesk.billing import services as billing
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.subscriptions import services as subscriptions
from tests.conftest import ApiClient
from tests.subscriptions.factories import PackageFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def stored(customer, *, kind: str, group: str, summary: str, details: dict | None = None) -> Activity:
    """An entry as written before amounts lived in the details: the figure in its text."""
    (entry,) = event_bulk_record(
        [
            Activity(
                provider=customer.provider,
                customer=customer,
                at=clock.now(),
                actor_type="system",
                actor_name="System",
                kind=kind,
                group=group,
                summary=summary,
                details=details or {},
            )
        ]
    )
    return entry


def test_it_stores_no_figure_in_the_text_and_fills_it_in_for_who_may_see_money(customer, staff):
    billing.payment_record(
        customer=customer,
        amount="345.67",
        method="card",
        reference="R-1",
        actor=Actor.system(customer.provider),
    )
    entry = Activity.objects.get(customer=customer, kind="payment.recorded")
    assert "345.67" not in entry.summary
    assert entry.details["amount"] == "345.67"
    assert entry_summary(entry, viewer=staff["billing"]) == "Payment of $345.67 by card (R-1)"
    assert entry_summary(entry, viewer=staff["technician"]) == "Payment of (amount hidden) by card (R-1)"
    assert "amount" in entry_details(entry, viewer=staff["agent"])
    hidden = entry_details(entry, viewer=staff["technician"])
    assert {"amount", "allocated", "to_credit"}.isdisjoint(hidden) and "received_on" in hidden


def test_a_price_change_names_both_prices_only_to_who_may_see_money(customer, staff):
    subscription = SubscriptionFactory(customer=customer, price="31.00")
    subscriptions.subscription_change(
        subscription=subscription, price="40.00", actor=Actor.staff(staff["agent"])
    )
    entry = Activity.objects.get(customer=customer, kind="subscription.changed")
    assert entry_summary(entry, viewer=staff["agent"]) == "Subscription changed: price $31.00 → $40.00"
    technician = staff["technician"]
    assert entry_summary(entry, viewer=technician) == (
        "Subscription changed: price (amount hidden) → (amount hidden)"
    )
    assert entry_details(entry, viewer=technician) == {}


def test_it_masks_the_figures_of_older_entries_which_cannot_be_rewritten(customer, staff):
    entry = stored(
        customer,
        kind="payment.recorded",
        group="billing",
        summary="Payment of 1,234.56 by card; $20 fee waived; INV-0007 paid 99.10",
        details={"allocated": "INV-0007 99.10", "received_on": "2025-03-01"},
    )
    assert entry_summary(entry, viewer=staff["technician"]) == (
        "Payment of (amount hidden) by card; (amount hidden) fee waived; INV-0007 paid (amount hidden)"
    )
    assert entry_details(entry, viewer=staff["technician"]) == {"received_on": "2025-03-01"}
    assert entry_summary(entry, viewer=staff["readonly"]) == entry.summary


def test_it_leaves_other_groups_text_alone(customer, staff):
    """Outside the money groups a figure is someone's words, shown in full on its own tab."""
    entry = stored(
        customer, kind="note.added", group="notes", summary="Note added: line at 2.50 Mbps, router 10.0.0.12"
    )
    assert entry_summary(entry, viewer=staff["technician"]) == entry.summary


@pytest.mark.parametrize(
    "text, figures",
    [
        ("Paid 12.30 and 1,234.56 and -5.00", ["12.30", "1,234.56", "-5.00"]),
        ("$12 then € 3.5 then £1,000", ["$12", "€ 3.5", "£1,000"]),
        ("router 10.0.0.12, firmware 1.20.3, MAC AA:BB:CC:DD:EE:FF", []),
        ("due 2025-03-01 at 14:30, INV-0001, 3 instalments, 12.345 kg", []),
    ],
)
def test_it_knows_a_figure_from_an_address_a_version_or_a_date(text, figures):
    assert [m.group(0) for m in FIGURE.finditer(text)] == figures


def test_searching_the_log_finds_an_entry_by_a_figure_only_for_who_may_see_it(customer, staff):
    system = Actor.system(customer.provider)
    billing.credit_issue(customer=customer, amount="56.78", reason="Outage", actor=system)
    old = stored(customer, kind="payment.recorded", group="billing", summary="Payment of 345.67 by card")
    credit = Activity.objects.get(customer=customer, kind="credit.issued")

    def found(q: str, shows_money: bool) -> list:
        return selectors.activity_list(customer=customer, q=q, shows_money=shows_money).items

    assert found("56.78", True) == [credit]
    assert found("345", True) == [old]
    assert found("56.78", False) == []
    assert found("345", False) == []
    assert found("Outage", False) == [credit]
    api = ApiClient(staff["technician"])
    assert api.get(f"/api/v1/customers/{customer.pk}/activity", q="345").json()["items"] == []
    export = api.get(f"/api/v1/customers/{customer.pk}/activity/export", format="csv", q="345")
    assert export["X-Export-Rows"] == "0"


def test_the_api_sends_hidden_money_as_null_and_exports_drop_the_column(customer, staff, provider):
    clock.freeze(dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.UTC))
    try:
        SubscriptionFactory(customer=customer, package=PackageFactory(provider=provider, price="123.45"))
        technician, agent = ApiClient(staff["technician"]), ApiClient(staff["agent"])
        path = f"/api/v1/customers/{customer.pk}/subscriptions"
        assert technician.get(path).json()["items"][0]["price"] is None
        assert agent.get(path).json()["items"][0]["price"] == "123.45"
        assert technician.get("/api/v1/packages").json()["items"][0]["price"] is None
        header = technician.get(f"{path}/export", format="csv").content.decode("utf-8-sig").splitlines()[0]
        assert "price" not in header.split(",") and "package" in header.split(",")
        header = agent.get(f"{path}/export", format="csv").content.decode("utf-8-sig").splitlines()[0]
        assert "price" in header.split(",")
    finally:
        clock.freeze(None)


def test_billing_staff_read_an_amount_as_the_pages_show_money(customer, staff, client):
    billing.payment_record(
        customer=customer, amount="75", method="card", reference="R-7", actor=Actor.system(customer.provider)
    )
    entry = Activity.objects.get(customer=customer, kind="payment.recorded")
    assert entry_summary(entry, viewer=staff["billing"]) == "Payment of $75.00 by card (R-7)"
    client.force_login(staff["billing"])
    page = client.get(f"/customers/{customer.pk}/activity/").content.decode()
    assert "Payment of $75.00 by card (R-7)" in page and "Payment of 75.00" not in page
    api = ApiClient(staff["billing"]).get(f"/api/v1/customers/{customer.pk}/activity").json()
    assert api["items"][0]["summary"] == "Payment of $75.00 by card (R-7)"
    assert api["items"][0]["details"]["amount"] == "75.00"


def test_an_amount_reads_in_the_customers_currency(customer, staff):
    customer.currency = "EUR"
    customer.save(update_fields=["currency"])
    billing.payment_record(
        customer=customer, amount="75", method="card", reference="", actor=Actor.system(customer.provider)
    )
    entry = Activity.objects.get(customer=customer, kind="payment.recorded")
    assert entry_summary(entry, viewer=staff["billing"]).startswith("Payment of €75.00 by card")


def test_a_date_in_a_summary_reads_in_words_and_is_stored_as_iso(customer, staff):
    invoice = billing.invoice_issue(
        customer=customer,
        lines=[{"description": "Service", "unit_price": "10.00", "tax_rate": "0"}],
        issued_on=dt.date(2026, 11, 28),
        actor=Actor.system(customer.provider),
    )
    entry = Activity.objects.get(customer=customer, kind="invoice.approved")
    due = invoice.due_on
    assert due.isoformat() in entry.summary
    shown = entry_summary(entry, viewer=staff["billing"])
    assert shown.endswith(f"$10.00, due {due:%d %b %Y}") and due.isoformat() not in shown


def test_older_entries_read_with_the_one_arrow(customer, staff):
    entry = stored(
        customer, kind="ticket.status_changed", group="service_desk", summary="Ticket T-1 open -> closed"
    )
    assert entry_summary(entry, viewer=staff["agent"]) == "Ticket T-1 open → closed"
