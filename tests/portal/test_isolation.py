"""Every portal route answers only for the session's own customer, and a portal session opens
nothing else: no staff page, no API."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from accountdesk.core import clock
from accountdesk.portal.models import PortalSession
from tests.factories import ContactFactory, CustomerFactory
from tests.portal.conftest import bill, pay

pytestmark = pytest.mark.django_db

PAGES = [
    "/portal/",
    "/portal/invoices/",
    "/portal/payments/",
    "/portal/statement/",
    "/portal/profile/",
    "/portal/profile/details/",
    "/portal/profile/address/",
    "/portal/profile/delivery/",
    "/portal/profile/notifications/",
]


@pytest.fixture
def records(customer, other_customer, foreign_customer):
    """An invoice and a payment of the signed-in customer, another customer of the same provider
    and a customer of another provider."""
    rows = {}
    for key, who in [("own", customer), ("other", other_customer), ("foreign", foreign_customer)]:
        invoice = bill(who)
        rows[key] = {"invoice": invoice.pk, "payment": pay(who).pk}
    return rows


@pytest.mark.parametrize("path", PAGES)
def test_every_page_needs_a_portal_session(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/portal/sign-in/")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_for_the_signed_in_contact(portal, path):
    assert portal.get(path).status_code == 200


@pytest.mark.parametrize("kind", ["invoice", "payment"])
def test_another_customers_records_are_not_found(portal, records, kind):
    base = "/portal/invoices/" if kind == "invoice" else "/portal/payments/"
    assert portal.get(f"{base}{records['own'][kind]}/").status_code == 200
    assert portal.get(f"{base}{records['other'][kind]}/").status_code == 404
    assert portal.get(f"{base}{records['foreign'][kind]}/").status_code == 404
    assert portal.get(f"{base}99999999999999999999/").status_code == 404


def test_lists_show_only_the_customers_own_records(portal, records):
    bills = portal.get("/portal/invoices/")
    assert [i.pk for i in bills.context["page"].items] == [records["own"]["invoice"]]
    payments = portal.get("/portal/payments/")
    assert [p.pk for p in payments.context["page"].items] == [records["own"]["payment"]]


def test_drafts_are_not_the_customers_bills(portal, customer):
    from accountdesk.billing import services as billing
    from accountdesk.core.actors import Actor

    draft = billing.invoice_create_draft(customer=customer, actor=Actor.system(customer.provider))
    assert portal.get(f"/portal/invoices/{draft.pk}/").status_code == 404


def test_a_portal_session_opens_no_staff_page(portal, customer):
    for path in [
        "/customers/",
        f"/customers/{customer.pk}/",
        f"/customers/{customer.pk}/contacts/",
        "/settings/",
    ]:
        response = portal.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), path


def test_a_portal_session_opens_no_api_endpoint(portal, customer):
    # The cookie is not even sent outside /portal/; with it sent anyway, the API ignores it.
    cookie = portal.cookies[settings.PORTAL_SESSION_COOKIE].value
    api = Client()
    api.cookies[settings.PORTAL_SESSION_COOKIE] = cookie
    assert api.get(f"/api/v1/customers/{customer.pk}/dashboard").status_code == 401
    assert api.get("/api/v1/customers").status_code == 401


def test_a_staff_session_alone_opens_no_portal_page(client, agent):
    client.force_login(agent)
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/sign-in/")


def test_a_session_ends_when_idle_and_at_its_absolute_end(portal):
    assert portal.get("/portal/").status_code == 200
    clock.freeze(clock.now() + dt.timedelta(seconds=settings.PORTAL_SESSION_AGE + 1))
    assert portal.get("/portal/").status_code == 302
    assert not PortalSession.objects.exists()


def test_a_busy_session_still_ends_at_its_absolute_end(portal):
    step = dt.timedelta(seconds=settings.PORTAL_SESSION_AGE - 60)
    moment = clock.now()
    end = moment + dt.timedelta(seconds=settings.PORTAL_SESSION_ABSOLUTE_AGE)
    while moment + step < end:
        moment += step
        clock.freeze(moment)
        assert portal.get("/portal/").status_code == 200
    clock.freeze(moment + step)
    assert portal.get("/portal/").status_code == 302


def test_an_account_of_another_provider_with_the_same_email_signs_in_to_its_own(
    client, foreign_customer, admin
):
    """One email, two providers: each provider's sign-in page signs in to its own account."""
    from django.contrib.auth.hashers import make_password

    from accountdesk.core.actors import Actor
    from accountdesk.portal import services
    from tests.factories import UserFactory

    ContactFactory(customer=CustomerFactory(provider=admin.provider), email="bob@example.test")
    contact = ContactFactory(customer=foreign_customer, name="Bob Elsewhere", email="bob@example.test")
    other_admin = UserFactory(provider=foreign_customer.provider, role="admin")
    services.portal_access_grant(
        contact=contact, actor=Actor.staff(other_admin), password_hash=make_password("elsewhere pass 1")
    )
    response = client.post(
        "/portal/sign-in/?provider=other", {"email": "bob@example.test", "password": "elsewhere pass 1"}
    )
    assert response.status_code == 302
    assert client.get("/portal/").context["customer"] == foreign_customer
