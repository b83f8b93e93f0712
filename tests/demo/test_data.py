"""What the demo data holds: read-only checks on one shared small load (12 customers, 1 heavy)."""

import datetime as dt
from itertools import pairwise

import pytest
from django.contrib.auth import authenticate
from django.db.models import Count

from accountdesk.activity.models import Activity
from accountdesk.customers.models import (
    AlertDefinition,
    Contact,
    ContactAddress,
    Customer,
    CustomerType,
    CustomFieldDefinition,
    CustomFieldKind,
    CustomFieldValue,
    Status,
    StatusChange,
)
from accountdesk.demo import data
from accountdesk.notes.models import Note
from accountdesk.tenancy.models import MODULES, Provider
from tests.demo.conftest import DEMO_NOW

pytestmark = pytest.mark.usefixtures("demo_db")
SLUGS = ["acme", "bluegum"]


def test_it_creates_acme_with_every_module_and_bluegum_with_its_three():
    acme = Provider.objects.get(slug="acme")
    bluegum = Provider.objects.get(slug="bluegum")
    assert (acme.name, acme.currency, acme.locale) == ("Acme Telecom", "USD", "en_US")
    assert all(acme.modules.values())
    assert (bluegum.name, bluegum.currency, bluegum.locale) == ("Bluegum Field Services", "AUD", "en_AU")
    assert {m for m, on in bluegum.modules.items() if on} == {"field_service", "contracts", "instalments"}
    assert set(bluegum.modules) == set(MODULES)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("role", data.ROLES)
def test_it_signs_in_every_demo_login(slug, role):
    user = authenticate(email=f"{role}@{slug}.test", password="accountdesk-demo")
    assert user is not None
    assert (user.role, user.provider.slug) == (role, slug)
    assert " " in user.name  # a real-looking full name, not the role


def test_it_refuses_a_wrong_password():
    assert authenticate(email="admin@acme.test", password="accountdesk-dem0") is None


@pytest.mark.parametrize("slug", SLUGS)
def test_it_has_customers_of_every_status_and_type(slug):
    customers = Customer.objects.filter(provider__slug=slug)
    assert customers.count() == 12
    assert set(customers.values_list("status", flat=True)) == set(Status.values)
    assert set(customers.values_list("type", flat=True)) == set(CustomerType.values)


@pytest.mark.parametrize("slug", SLUGS)
def test_it_gives_each_status_history_a_chain_ending_at_the_status(slug):
    for customer in Customer.objects.filter(provider__slug=slug):
        changes = list(StatusChange.objects.filter(customer=customer).order_by("at", "id"))
        assert changes[0].old == ""
        for before, after in pairwise(changes):
            assert after.old == before.new, customer.number
            assert after.at >= before.at
        assert changes[-1].new == customer.status, customer.number


def test_it_gives_a_blocked_customer_a_reason_for_the_block():
    blocked = Customer.objects.filter(status=Status.BLOCKED)
    assert blocked.exists()
    for customer in blocked:
        last = StatusChange.objects.filter(customer=customer).order_by("-at", "-id").first()
        assert last.new == Status.BLOCKED and last.reason


def test_it_keeps_the_previous_status_of_archived_customers():
    for customer in Customer.objects.filter(status=Status.ARCHIVED):
        assert customer.status_before_archive == Status.DEACTIVATED


@pytest.mark.parametrize("slug", SLUGS)
def test_it_gives_every_customer_contacts_with_one_primary_and_addresses(slug):
    for customer in Customer.objects.filter(provider__slug=slug):
        contacts = list(Contact.objects.filter(customer=customer))
        assert 1 <= len(contacts) <= 4
        assert sum(c.is_primary for c in contacts) == 1
        assert all(c.provider_id == customer.provider_id for c in contacts)
        assert ContactAddress.objects.filter(contact__in=contacts, is_primary=True).count() == len(contacts)


def test_it_gives_customers_realistic_details():
    for customer in Customer.objects.all():
        assert customer.name and "@" in customer.email and customer.phone
        assert customer.billing_line1 and customer.service_line1 and customer.service_city
        assert customer.service_latitude is not None and customer.service_longitude is not None
        assert customer.currency == customer.provider.currency
        assert customer.number.startswith("C-")
    acme = Customer.objects.filter(provider__slug="acme")
    assert set(acme.values_list("service_country", flat=True)) == {"US"}
    assert all(39 < c.service_latitude < 41 for c in acme)  # Colorado's Front Range


def test_it_numbers_customers_in_the_order_they_joined():
    for slug in SLUGS:
        joined = list(
            Customer.objects.filter(provider__slug=slug).order_by("number").values_list("joined_on")
        )
        assert joined == sorted(joined)


def test_it_defines_custom_fields_of_every_kind_some_on_the_overview():
    definitions = CustomFieldDefinition.objects.all()
    assert set(definitions.values_list("kind", flat=True)) == set(CustomFieldKind.values)
    for slug in SLUGS:
        assert definitions.filter(provider__slug=slug, show_on_overview=True).exists()
        assert CustomFieldValue.objects.filter(customer__provider__slug=slug).exists()


def test_it_defines_the_blocked_account_alert():
    for slug in SLUGS:
        rule = AlertDefinition.objects.get(provider__slug=slug, rule="status_is", value="blocked")
        assert (rule.level, rule.message) == (
            "danger",
            "Account blocked: check with billing before any change",
        )


@pytest.mark.parametrize("slug", SLUGS)
def test_it_records_activity_from_staff_system_and_customers(slug):
    types = set(Activity.objects.filter(provider__slug=slug).values_list("actor_type", flat=True))
    assert {"staff", "system", "customer"} <= types


def test_it_writes_every_customer_a_creation_entry():
    for customer in Customer.objects.all():
        assert Activity.objects.filter(customer=customer, kind="customer.created").count() == 1


def test_it_keeps_everything_at_or_before_now():
    assert Activity.objects.latest("at").at <= DEMO_NOW
    assert Note.objects.latest("created_at").created_at <= DEMO_NOW
    assert StatusChange.objects.latest("at").at <= DEMO_NOW
    assert Customer.objects.latest("joined_on").joined_on <= DEMO_NOW.date()
    assert Customer.objects.latest("created_at").created_at <= DEMO_NOW


def test_it_stamps_customers_created_when_they_joined():
    for customer in Customer.objects.all():
        assert customer.created_at.date() == customer.joined_on
        assert customer.updated_at >= customer.created_at


@pytest.mark.parametrize("slug", SLUGS)
def test_it_gives_the_heavy_account_years_of_history(slug):
    provider = Provider.objects.get(slug=slug)
    heavy = Customer.objects.filter(provider=provider).annotate(n=Count("notes")).order_by("-n").first()
    notes = Note.objects.filter(customer=heavy)
    activity = Activity.objects.filter(customer=heavy)
    assert notes.count() >= 1500 and activity.count() >= 1500
    assert activity.earliest("at").at < DEMO_NOW - dt.timedelta(days=365 * 6)
    assert notes.filter(provider=provider).count() == notes.count()
    assert StatusChange.objects.filter(customer=heavy).count() > 20


def _heavy_accounts():
    return Customer.objects.annotate(n=Count("notes")).filter(n__gte=1000)


def test_it_writes_heavy_notes_as_the_service_does():
    note = Note.objects.filter(customer__in=_heavy_accounts()).order_by("created_at", "id")[500]
    entry = Activity.objects.get(kind="note.added", subject_type="note", subject_id=note.pk)
    assert entry.summary == f"Note added: {note.excerpt}"
    assert (entry.at, entry.actor_id, entry.actor_name, entry.group) == (
        note.created_at,
        note.author_id,
        note.author_name,
        "notes",
    )


def test_it_ends_each_heavy_edit_chain_at_the_current_value():
    heavy_accounts = list(_heavy_accounts())
    assert len(heavy_accounts) == 2  # one per provider
    for heavy in heavy_accounts:
        phone_edits = Activity.objects.filter(
            customer=heavy, kind="customer.updated", details__has_key="phone"
        )
        assert phone_edits.order_by("-at", "-id").first().details["phone"][1] == heavy.phone
        primary = Contact.objects.get(customer=heavy, is_primary=True)
        contact_edits = Activity.objects.filter(customer=heavy, kind="contact.updated", subject_id=primary.pk)
        assert contact_edits.order_by("-at", "-id").first().details["phone"][1] == primary.phone
