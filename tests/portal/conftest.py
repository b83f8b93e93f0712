import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client

from accountdesk.billing import services as billing
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.portal import services
from tests.factories import ContactFactory, CustomerFactory

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze(dt.datetime(2025, 3, 15, 12, 0, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


@pytest.fixture(autouse=True)
def _emails_sent_on_commit(monkeypatch):
    """Tests run inside a transaction that never commits: send what waits for the commit at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, *a, **k: func())


@pytest.fixture
def contact(customer):
    return ContactFactory(customer=customer, name="Bob Contact", email="bob@example.test", is_primary=True)


@pytest.fixture
def account(contact, admin):
    return services.portal_access_grant(
        contact=contact, actor=Actor.staff(admin), password_hash=make_password(PASSWORD)
    )


@pytest.fixture
def other_customer(provider):
    """Another customer of the same provider, with a contact who may sign in."""
    other = CustomerFactory(provider=provider, name="Other Customer", status="active")
    return other


@pytest.fixture
def other_account(other_customer, admin):
    contact = ContactFactory(customer=other_customer, name="Olga Other", email="olga@example.test")
    return services.portal_access_grant(
        contact=contact, actor=Actor.staff(admin), password_hash=make_password(PASSWORD)
    )


def sign_in(client: Client, email: str = "bob@example.test", password: str = PASSWORD):
    return client.post("/portal/sign-in/", {"email": email, "password": password})


@pytest.fixture
def portal(client, account):
    """A browser signed in to the portal as Bob Contact."""
    response = sign_in(client)
    assert response.status_code == 302, response.content
    assert settings.PORTAL_SESSION_COOKIE in response.cookies
    return client


def bill(customer, amount="40.00", issued_on=None):
    """An approved invoice for the customer (the system's billing run issues it)."""
    return billing.invoice_issue(
        customer=customer,
        lines=[{"description": "Fibre 100", "quantity": 1, "unit_price": Decimal(amount)}],
        issued_on=issued_on,
        actor=Actor.system(customer.provider),
    )


def pay(customer, amount="40.00"):
    return billing.payment_record(
        customer=customer,
        amount=Decimal(amount),
        method="card",
        reference="R-1",
        actor=Actor.system(customer.provider),
    )
