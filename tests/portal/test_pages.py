"""Home, bills, payments, statement and profile: what the customer sees and changes."""

import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.activity.models import Activity
from accountdesk.billing.models import BillingProfile
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.subscriptions import services as subscriptions
from accountdesk.subscriptions.models import Package
from accountdesk.usage.models import UsagePreference
from tests.portal.conftest import bill, pay

pytestmark = pytest.mark.django_db


def test_home_shows_the_amount_due_and_an_overdue_banner(portal, customer):
    bill(customer, "40.00", issued_on=clock.today() - dt.timedelta(days=60))
    page = portal.get("/portal/")
    home = page.context["home"]
    assert home.metrics.net_due == Decimal("40.00") and home.overdue
    assert "Payment overdue." in page.content.decode()


def test_home_without_anything_due_has_no_banner(portal, customer):
    bill(customer, "40.00")
    pay(customer, "40.00")
    page = portal.get("/portal/")
    assert not page.context["home"].overdue and "Payment overdue." not in page.content.decode()


def test_home_shows_the_next_bill_and_what_it_will_charge(portal, customer, provider):
    from accountdesk.billing.services import billing_profile_ensure

    billing_profile_ensure(customer=customer)
    package = Package.objects.create(provider=provider, name="Fibre 100", price=Decimal("55.00"))
    subscriptions.subscription_add(
        customer=customer, package_id=package.pk, started_on=clock.today(), actor=Actor.system(provider)
    )
    next_bill = portal.get("/portal/").context["home"].next_bill
    assert next_bill.on == BillingProfile.objects.get(customer=customer).next_bill_date
    assert next_bill.amount is not None and next_bill.amount > 0


def test_sections_follow_the_providers_modules(portal, provider):
    provider.usage = False
    provider.save()
    assert portal.get("/portal/profile/notifications/").status_code == 404
    assert "Usage notifications" not in portal.get("/portal/profile/").content.decode()


def test_the_statement_takes_a_period(portal, customer):
    bill(customer, "40.00")  # on the ledger today, 15 March
    page = portal.get("/portal/statement/", {"start": "2025-03-01", "end": "2025-03-31"})
    statement = page.context["statement"]
    assert (statement.start, statement.end) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert statement.closing_balance == Decimal("40.00")
    backwards = portal.get("/portal/statement/", {"start": "2025-02-01", "end": "2025-01-01"})
    assert backwards.status_code == 200 and "The period ends before it starts." in backwards.content.decode()


def test_changing_the_billing_address_is_the_customers_change_with_old_and_new(portal, customer):
    customer.billing_line1 = "1 Old Road"
    customer.save()
    response = portal.post(
        "/portal/profile/address/",
        {"billing_line1": "2 New Road", "billing_city": "Boulder", "billing_country": "us"},
    )
    assert response.status_code == 302 and response["Location"] == "/portal/profile/"
    customer.refresh_from_db()
    assert (customer.billing_line1, customer.billing_country) == ("2 New Road", "US")
    entry = Activity.objects.get(kind="customer.updated")
    assert (entry.actor_type, entry.actor_id, entry.actor_name) == ("customer", None, "Bob Contact")
    assert entry.details["billing_line1"] == ["1 Old Road", "2 New Road"]


def test_a_bad_address_is_a_form_error(portal, customer):
    response = portal.post("/portal/profile/address/", {"billing_country": "USA"})
    assert response.status_code == 400
    assert not Activity.objects.filter(kind="customer.updated").exists()


def test_changing_contact_details_goes_through_the_contacts_service(portal, contact):
    response = portal.post(
        "/portal/profile/details/", {"name": "Bob Contact", "email": "bob@example.test", "phone": "555 0100"}
    )
    assert response.status_code == 302
    entry = Activity.objects.get(kind="contact.updated")
    assert entry.actor_type == "customer" and entry.details["phone"][1] == "555 0100"


def test_paperless_billing_and_the_notification_channel(portal, customer):
    assert portal.post("/portal/profile/delivery/", {}).status_code == 302
    assert BillingProfile.objects.get(customer=customer).delivery == "post"
    assert portal.post("/portal/profile/delivery/", {"paperless": "on"}).status_code == 302
    assert BillingProfile.objects.get(customer=customer).delivery == "email"
    assert portal.post("/portal/profile/notifications/", {"channel": "sms"}).status_code == 302
    assert UsagePreference.objects.get(customer=customer).channel == "sms"
    kinds = set(Activity.objects.filter(actor_type="customer").values_list("kind", flat=True))
    assert {"billing.profile_updated", "usage.preference_changed"} <= kinds


def test_an_invoice_shows_its_lines_and_what_paid_it(portal, customer):
    invoice = bill(customer, "40.00")
    pay(customer, "15.00")
    page = portal.get(f"/portal/invoices/{invoice.pk}/")
    assert [line.description for line in page.context["lines"]] == ["Fibre 100"]
    assert [a.amount for a in page.context["applied"]] == [Decimal("15.00")]


def test_the_statement_comes_as_a_pdf_of_the_period(portal, customer):
    bill(customer, "40.00")
    page = portal.get("/portal/statement/", {"start": "2025-03-01", "end": "2025-03-31"}).content.decode()
    assert 'href="/portal/statement/pdf/?start=2025-03-01&amp;end=2025-03-31"' in page
    response = portal.get("/portal/statement/pdf/", {"start": "2025-03-01", "end": "2025-03-31"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert customer.number in response["Content-Disposition"]


def test_a_statement_pdf_of_a_bad_or_too_long_period_says_so(portal, customer, monkeypatch):
    backwards = portal.get("/portal/statement/pdf/", {"start": "2025-02-01", "end": "2025-01-01"})
    assert backwards.status_code == 400 and "The period ends before it starts." in backwards.content.decode()
    for n in range(3):
        bill(customer, f"{n + 1}.00")
    monkeypatch.setattr("accountdesk.portal.views.pages.PDF_STATEMENT_LINES", 2)
    long = portal.get("/portal/statement/pdf/", {"start": "2025-03-01", "end": "2025-03-31"})
    assert long.status_code == 400 and "choose a shorter period" in long.content.decode()
