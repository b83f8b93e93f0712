"""No money for a role without billing.view, anywhere: a sweep of every customer GET route of the
OpenAPI document, every tab's export, every customer page and the ask box, as a technician, over
an account with a known amount in every place money lives."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from accountdesk.billing import services as billing
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.permissions import ROLE_PERMISSIONS
from accountdesk.core.visibility import MONEY_PERMISSION
from accountdesk.customers.tabs import TABS
from accountdesk.dashboard.selectors import METRICS
from accountdesk.dashboard.views import SECTIONS as DASHBOARD_SECTIONS
from accountdesk.exports.registry import EXPORTS
from accountdesk.fieldservice import services as fieldservice
from accountdesk.subscriptions import services as subscriptions
from tests.conftest import ApiClient
from tests.contracts.factories import ContractFactory
from tests.factories import ContactFactory
from tests.fieldservice.factories import JobFactory
from tests.network.factories import EquipmentFactory
from tests.servicedesk.factories import CallLogFactory, TicketFactory
from tests.subscriptions.factories import PackageFactory

pytestmark = pytest.mark.django_db

# Every figure seeded below: none of them may reach a technician, in any form.
KNOWN = [
    "123.45",  # package and subscription price
    "234.56",  # invoice total
    "345.67",  # payment
    "56.78",  # credit
    "678.96",  # instalment purchase
    "56.58",  # its monthly instalment
    "89.01",  # recurring invoice
    "456.78",  # estimate
    "567.89",  # agreement
]
MONEY_FIELDS = {
    "price", "amount", "total", "balance", "value", "remaining", "unit_price", "net", "tax",
    "instalment_amount", "running_balance", "opening_balance", "closing_balance", "total_due",
    "account_credit", "lifetime_value", "allocated", "to_credit", "released_to_credit",
}  # fmt: skip
MONEY_SHAPE = re.compile(r"^-?\d[\d,]*\.\d{2}$")
CURRENCY = re.compile(r"[$€£]\s?\d")


def leaks_in_text(text: str) -> list[str]:
    found = [amount for amount in KNOWN if amount in text or amount.replace(".", ",") in text]
    found += CURRENCY.findall(text)
    return found


def leaks_in_json(value, path="$") -> list[str]:
    """Money-shaped strings in money-named fields, and known amounts or "$12" anywhere."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in MONEY_FIELDS and isinstance(item, str) and MONEY_SHAPE.match(item):
                found.append(f"{path}.{key}={item}")
            found += leaks_in_json(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += leaks_in_json(item, f"{path}[{i}]")
    elif isinstance(value, str):
        found += [f"{path}: {leak}" for leak in leaks_in_text(value)]
    return found


@pytest.fixture
def books(provider, staff, customer):
    """The customer with a known amount in every place money lives, written through the services
    (so the activity log names them as it does in life)."""
    clock.freeze(dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.UTC))
    system = Actor.system(provider)
    contact = ContactFactory(customer=customer, is_primary=True, email="grace@example.test")
    package = PackageFactory(provider=provider, name="Fibre 500", price="123.45")
    subscription = subscriptions.subscription_add(
        customer=customer, package_id=package.pk, started_on=dt.date(2025, 3, 1), actor=system
    )
    invoice = billing.invoice_issue(
        customer=customer,
        lines=[{"description": "Router", "unit_price": "234.56", "tax_rate": "0"}],
        actor=system,
    )
    billing.payment_record(customer=customer, amount="345.67", method="card", reference="R-1", actor=system)
    billing.credit_issue(customer=customer, amount="56.78", reason="Outage", actor=system)
    billing.instalment_create(
        customer=customer, description="Phone", total="678.96", instalments_total=12, actor=system
    )
    billing.recurring_invoice_create(customer=customer, description="Static IP", amount="89.01", actor=system)
    fieldservice.estimate_create(customer=customer, description="Trenching", total="456.78", actor=system)
    fieldservice.agreement_create(
        customer=customer, name="Support", starts_on=dt.date(2025, 3, 1), value="567.89", actor=system
    )
    records = {
        "customer_id": customer.pk,
        "invoice_id": invoice.pk,
        "subscription_id": subscription.pk,
        "ticket_id": TicketFactory(customer=customer).pk,
        "job_id": JobFactory(customer=customer).pk,
        "equipment_id": EquipmentFactory(customer=customer).pk,
        "contract_id": ContractFactory(contact=contact, customer=customer).pk,
        "metric": "total_due",
    }
    CallLogFactory(customer=customer)
    yield records
    clock.freeze(None)


def customer_get_paths(client) -> list[str]:
    document = client.get("/api/openapi.json").json()
    return sorted(
        path
        for path, operations in document["paths"].items()
        if "get" in operations and (path.startswith("/api/v1/customers/{customer_id}") or "{" not in path)
    )


def test_the_seeded_figures_are_there_for_a_role_that_sees_money(staff, books):
    """The sweep's control: the same walk as a billing user finds the figures, so it can fail."""
    api = ApiClient(staff["billing"])
    seen = json.dumps(
        [
            api.get(p.format(**books)).json()
            for p in customer_get_paths(api.client)
            if not p.endswith(".pdf") and "{tab}" not in p
        ]
    )
    assert all(amount in seen for amount in KNOWN)


# Every role without billing.view (today the technician).
MONEYLESS = sorted(role for role, perms in ROLE_PERMISSIONS.items() if MONEY_PERMISSION not in perms)


def test_the_technician_is_the_role_without_money():
    assert MONEYLESS == ["technician"]


@pytest.mark.parametrize("role", MONEYLESS)
def test_no_api_route_shows_a_technician_money(staff, books, role):
    api = ApiClient(staff[role])
    leaks = {}
    for path in customer_get_paths(api.client):
        if "{tab}" in path:
            continue  # the exports, swept below
        response = api.get(path.format(**books))
        assert response.status_code < 500, path
        if response.status_code == 200 and response["Content-Type"].startswith("application/json"):
            found = leaks_in_json(response.json())
        else:
            found = leaks_in_text(response.content.decode(errors="replace"))
        if found:
            leaks[path] = found
    assert not leaks, json.dumps(leaks, indent=1)


@pytest.mark.parametrize("tab", sorted(EXPORTS))
def test_no_export_shows_a_technician_money(staff, books, tab):
    api = ApiClient(staff["technician"])
    response = api.get(f"/api/v1/customers/{books['customer_id']}/{tab}/export", format="csv")
    assert response.status_code in (200, 403), response.content
    if response.status_code == 200:
        text = response.content.decode("utf-8-sig")
        header = set(text.splitlines()[0].split(",")) if text else set()
        assert header & MONEY_FIELDS == set()
        assert leaks_in_text(text) == []


def customer_page_urls(books) -> list[str]:
    c = books["customer_id"]
    urls = [reverse(tab.url_name, args=[c]) for tab in TABS.values()]
    urls += [
        reverse("tabs:servicedesk_ticket", args=[c, books["ticket_id"]]),
        reverse("tabs:fieldservice_job", args=[c, books["job_id"]]),
        reverse("tabs:contracts_detail", args=[c, books["contract_id"]]),
        reverse("tabs:billing_invoice", args=[c, books["invoice_id"]]),
        reverse("tabs:messages", args=[c]),
        reverse("customers:status_history", args=[c]),
        reverse("customers:list"),
        reverse("customers:list") + "?q=Grace",
        reverse("tabs:activity", args=[c]) + "?q=345",
        reverse("tabs:event_log", args=[c]) + "?group=billing",
    ]
    urls += [reverse("tabs:dashboard_section", args=[c, section]) for section in DASHBOARD_SECTIONS]
    urls += [reverse("tabs:dashboard_explain", args=[c, metric]) for metric in METRICS]
    urls.append(reverse("tabs:billing_invoice_balance_explain", args=[c, books["invoice_id"]]))
    return urls


def test_no_customer_page_shows_a_technician_money(client, staff, books):
    client.force_login(staff["technician"])
    leaks = {}
    for url in customer_page_urls(books):
        response = client.get(url)
        assert response.status_code in (200, 403, 404), url
        found = leaks_in_text(response.content.decode())
        if found:
            leaks[url] = found
    assert not leaks, json.dumps(leaks, indent=1)


@pytest.mark.parametrize(
    "question",
    [
        "what's the balance",
        "when did they last pay",
        "unpaid invoices",
        "account credit",
        "which plan are they on",
        "how much is their subscription",
        "what did the last payment of 345.67 cover",
        "how much is overdue and since when",
        "how much have they paid in total",
        "payments this year",
        "how many invoices this year",
        "latest invoice",
        "how much will the next bill be",
        "instalments remaining",
        "what is still owed",
    ],
)
def test_the_ask_box_gives_a_technician_no_money(staff, books, question):
    api = ApiClient(staff["technician"])
    response = api.post(f"/api/v1/customers/{books['customer_id']}/ask", {"question": question})
    assert response.status_code == 200
    assert leaks_in_json(response.json()) == []
