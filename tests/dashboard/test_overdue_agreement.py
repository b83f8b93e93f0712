"""The dashboard, the Invoices tab, the API and ask read the same books the same way: an invoice
due today is not overdue, one due yesterday is."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from accountdesk.core import clock
from accountdesk.search.engine import ask
from tests.billing.factories import issue_invoice, pay


def section(html: str, element_id: str) -> str:
    found = re.search(rf'<section id="{element_id}".*?</section>', html, re.S)
    assert found, element_id
    return found.group(0)


@pytest.mark.parametrize(("due_in_days", "overdue"), [(0, False), (-1, True)])
def test_the_dashboard_the_invoices_tab_the_api_and_ask_agree(
    client, api_as, staff, customer, due_in_days, overdue
):
    today = clock.today()
    invoice = issue_invoice(customer, "80.00", issued_on=today + dt.timedelta(days=due_in_days - 30))
    pay(customer, "30.00")  # partly paid: still open
    client.force_login(staff["billing"])

    dashboard = client.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
    badge = "Overdue" in section(dashboard, "dash-invoices")
    metric = "Nothing overdue" not in section(dashboard, "dash-metrics")
    invoices_tab = client.get(reverse("tabs:invoices", args=[customer.pk])).content.decode()
    listed = '<strong class="overdue">Overdue</strong>' in invoices_tab
    document = api_as("billing").get(f"/api/v1/customers/{customer.pk}/dashboard").json()
    api = document["metrics"]["account_current"] is False
    answer = ask(viewer=staff["billing"], customer=customer, question="overdue invoices").text
    asked = invoice.number in answer
    balance = "(overdue)" in ask(viewer=staff["billing"], customer=customer, question="balance").text

    assert (badge, metric, listed, api, asked, balance) == (overdue,) * 6
