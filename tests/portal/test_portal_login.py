"""`accountdesk portal-login --customer ID` on the demo's customers only."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accountdesk.activity.models import Activity
from accountdesk.portal.models import PortalAccount
from tests.factories import ContactFactory, CustomerFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_customer(db):
    provider = ProviderFactory(name="Acme Telecom", slug="acme")
    UserFactory(provider=provider, email="admin@acme.test", role="admin")
    customer = CustomerFactory(provider=provider, name="Demo Customer")
    ContactFactory(customer=customer, name="Dee Demo", email="dee@example.test", is_primary=True)
    return customer


def _run(customer_id: int) -> str:
    out = StringIO()
    call_command("portal-login", "--customer", str(customer_id), stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_it_grants_a_contact_access_and_prints_the_sign_in(demo_customer):
    email, password = _run(demo_customer.pk).split(" ")
    assert email == "dee@example.test"
    assert Client().post("/portal/sign-in/", {"email": email, "password": password}).status_code == 302
    assert Activity.objects.filter(kind="portal.access_granted", actor_type="system").count() == 1
    assert _run(demo_customer.pk) == f"{email} {password}"  # again: the same contact, nothing new
    assert PortalAccount.objects.count() == 1


def test_it_refuses_a_customer_the_demo_did_not_create(provider, customer):
    with pytest.raises(CommandError, match="not demo data"):
        _run(customer.pk)
    assert not PortalAccount.objects.exists()


def test_it_refuses_an_unknown_customer(db):
    with pytest.raises(CommandError, match="No customer"):
        _run(987654)
