"""Pausing and resuming recurring invoices from the Recurring invoices tab."""

import pytest
from django.test import Client
from django.urls import reverse

from accountdesk.activity.models import Activity
from accountdesk.billing import services
from accountdesk.billing.models import RecurringInvoice
from tests.factories import CustomerFactory


@pytest.fixture
def recurring(customer, actors):
    return services.recurring_invoice_create(
        customer=customer, description="Fibre 100", amount="30.00", actor=actors["billing"]
    )


def _move(recurring, status: str) -> str:
    return reverse("tabs:billing_recurring_move", args=[recurring.customer_id, recurring.pk, status])


def _status(recurring) -> str:
    return RecurringInvoice.objects.get(pk=recurring.pk).status


def _tab(client, customer) -> str:
    return client.get(reverse("tabs:recurring_invoices", args=[customer.pk])).content.decode()


def test_it_pauses_a_recurring_invoice(browser_client, staff, recurring):
    client = browser_client(staff["billing"])
    response = client.post(_move(recurring, "paused"))
    assert response.status_code == 302
    assert response.url == reverse("tabs:recurring_invoices", args=[recurring.customer_id])
    assert _status(recurring) == "paused"
    assert Activity.objects.filter(kind="recurring_invoice.status_changed").count() == 1
    assert "Recurring invoice Fibre 100 paused." in client.get(response.url).content.decode()


def test_it_resumes_a_paused_recurring_invoice(browser_client, staff, recurring, actors):
    services.recurring_invoice_status_change(recurring=recurring, status="paused", actor=actors["billing"])
    response = browser_client(staff["admin"]).post(_move(recurring, "active"))
    assert response.status_code == 302
    assert _status(recurring) == "active"


def test_it_answers_an_htmx_post_with_a_redirect_header(browser_client, staff, recurring):
    response = browser_client(staff["billing"]).post(_move(recurring, "paused"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("tabs:recurring_invoices", args=[recurring.customer_id])


def test_it_offers_pause_on_active_rows_and_resume_on_paused_ones(
    browser_client, staff, customer, recurring, actors
):
    paused = services.recurring_invoice_create(
        customer=customer, description="Static IP", amount="5.00", actor=actors["billing"]
    )
    services.recurring_invoice_status_change(recurring=paused, status="paused", actor=actors["billing"])
    html = _tab(browser_client(staff["billing"]), customer)
    assert _move(recurring, "paused") in html and _move(recurring, "active") not in html
    assert _move(paused, "active") in html and _move(paused, "paused") not in html


def test_it_offers_nothing_on_an_ended_row(browser_client, staff, customer, recurring, actors):
    services.recurring_invoice_status_change(recurring=recurring, status="ended", actor=actors["billing"])
    html = _tab(browser_client(staff["billing"]), customer)
    assert f"/recurring-invoices/{recurring.pk}/" not in html


@pytest.mark.parametrize("role", ["agent", "readonly"])
def test_it_shows_no_buttons_to_roles_without_the_permission(
    browser_client, staff, customer, recurring, role
):
    html = _tab(browser_client(staff[role]), customer)
    assert "Fibre 100" in html
    assert f"/recurring-invoices/{recurring.pk}/" not in html


@pytest.mark.parametrize("role", ["agent", "readonly", "technician"])
def test_it_refuses_roles_without_the_permission(browser_client, staff, recurring, role):
    response = browser_client(staff[role]).post(_move(recurring, "paused"))
    assert response.status_code == 403
    assert _status(recurring) == "active"


def test_it_refuses_a_get(browser_client, staff, recurring):
    assert browser_client(staff["billing"]).get(_move(recurring, "paused")).status_code == 405
    assert _status(recurring) == "active"


def test_it_needs_the_csrf_token(staff, recurring):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["billing"])
    assert client.post(_move(recurring, "paused")).status_code == 403
    assert _status(recurring) == "active"


def test_it_answers_404_for_another_providers_recurring_invoice(
    browser_client, staff, customer, foreign_customer, other_provider
):
    from accountdesk.core.actors import Actor

    foreign = services.recurring_invoice_create(
        customer=foreign_customer, description="Theirs", amount="9.00", actor=Actor.system(other_provider)
    )
    client = browser_client(staff["admin"])
    url = reverse("tabs:billing_recurring_move", args=[customer.pk, foreign.pk, "paused"])
    assert client.post(url).status_code == 404
    assert client.post(_move(foreign, "paused")).status_code == 404
    assert _status(foreign) == "active"


def test_it_answers_404_for_another_customers_recurring_invoice(browser_client, staff, provider, recurring):
    other = CustomerFactory(provider=provider)
    url = reverse("tabs:billing_recurring_move", args=[other.pk, recurring.pk, "paused"])
    assert browser_client(staff["admin"]).post(url).status_code == 404
    assert _status(recurring) == "active"


def test_it_refuses_to_pause_what_is_already_paused(browser_client, staff, recurring, actors):
    services.recurring_invoice_status_change(recurring=recurring, status="paused", actor=actors["billing"])
    response = browser_client(staff["billing"]).post(_move(recurring, "paused"), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "already paused" in response.content.decode()
    assert Activity.objects.filter(kind="recurring_invoice.status_changed").count() == 1


def test_it_refuses_to_resume_what_is_already_active(browser_client, staff, recurring):
    response = browser_client(staff["billing"]).post(_move(recurring, "active"))
    assert response.status_code == 400
    assert "already active" in response.content.decode()
    assert not Activity.objects.filter(kind="recurring_invoice.status_changed").exists()


def test_it_refuses_to_resume_an_ended_recurring_invoice(browser_client, staff, recurring, actors):
    services.recurring_invoice_status_change(recurring=recurring, status="ended", actor=actors["billing"])
    response = browser_client(staff["billing"]).post(_move(recurring, "active"))
    assert response.status_code == 400
    assert "cannot change" in response.content.decode()
    assert _status(recurring) == "ended"


@pytest.mark.parametrize("status", ["ended", "bogus", "ACTIVE"])
def test_it_offers_only_pause_and_resume(browser_client, staff, recurring, status):
    response = browser_client(staff["billing"]).post(_move(recurring, status))
    assert response.status_code == 400
    assert "only be paused or resumed" in response.content.decode()
    assert _status(recurring) == "active"
