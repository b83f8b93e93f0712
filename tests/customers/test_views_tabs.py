"""The Details, Contacts and Custom fields tabs."""

import pytest
from django.urls import reverse

from accountdesk.activity.models import Activity
from accountdesk.customers.models import Contact, CustomFieldDefinition, CustomFieldValue
from tests.factories import ContactFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def edit_data(customer, **changes):
    data = {"name": customer.name, "type": customer.type, "email": customer.email, "phone": customer.phone}
    data.update(changes)
    return data


def test_it_edits_the_account_and_records_old_and_new(client, agent, customer, provider):
    tag = TagFactory(provider=provider, name="vip")
    response = signed_in(client, agent).post(
        reverse("tabs:customer_edit", args=[customer.pk]),
        edit_data(customer, name="Grace B. Hopper", tags=[tag.pk]),
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "Grace B. Hopper"
    assert list(customer.tags.all()) == [tag]
    entry = Activity.objects.get(customer=customer, kind="customer.updated")
    assert entry.details["name"] == ["Grace Hopper", "Grace B. Hopper"]


def test_it_shows_form_errors_and_changes_nothing(client, agent, customer):
    response = signed_in(client, agent).post(
        reverse("tabs:customer_edit", args=[customer.pk]),
        edit_data(customer, name="", email="nope", service_latitude="123"),
    )
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    customer.refresh_from_db()
    assert customer.name == "Grace Hopper"


def test_it_refuses_another_providers_account_manager(client, agent, customer, other_provider):
    stranger = UserFactory(provider=other_provider)
    response = signed_in(client, agent).post(
        reverse("tabs:customer_edit", args=[customer.pk]), edit_data(customer, account_manager=stranger.pk)
    )
    assert response.status_code == 400
    customer.refresh_from_db()
    assert customer.account_manager is None


@pytest.mark.parametrize("role", ["readonly", "technician"])
def test_it_forbids_editing_to_roles_without_the_permission(client, staff, customer, role):
    c = signed_in(client, staff[role])
    assert c.get(reverse("tabs:customer_edit", args=[customer.pk])).status_code == 403
    response = c.post(reverse("tabs:customer_edit", args=[customer.pk]), edit_data(customer, name="Changed"))
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.name == "Grace Hopper"
    assert ">Edit<" not in c.get(reverse("tabs:customer_details", args=[customer.pk])).content.decode()


def test_it_lists_contacts_primary_first(client, readonly_user, customer):
    ContactFactory(customer=customer, name="Second Person")
    ContactFactory(customer=customer, name="Primary Person", is_primary=True)
    body = signed_in(client, readonly_user).get(reverse("tabs:contacts", args=[customer.pk])).content.decode()
    assert body.index("Primary Person") < body.index("Second Person")
    assert "Add contact" not in body


@pytest.fixture
def readonly_user(staff):
    return staff["readonly"]


def test_it_adds_edits_and_removes_a_contact(client, agent, customer):
    c = signed_in(client, agent)
    response = c.post(
        reverse("tabs:contact_add", args=[customer.pk]),
        {"name": "Ada Lovelace", "email": "ada@example.test", "city": "London", "country": "gb"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(customer=customer)
    assert contact.is_primary
    assert contact.addresses.get().country == "GB"
    c.post(
        reverse("tabs:contact_edit", args=[customer.pk, contact.pk]), {"name": "Ada King", "is_primary": "on"}
    )
    contact.refresh_from_db()
    assert contact.name == "Ada King"
    c.post(reverse("tabs:contact_remove", args=[customer.pk, contact.pk]))
    assert not Contact.objects.filter(pk=contact.pk).exists()
    kinds = set(Activity.objects.filter(customer=customer).values_list("kind", flat=True))
    assert {"contact.added", "contact.updated", "contact.removed"} <= kinds


def test_it_makes_a_contact_primary(client, agent, customer):
    first = ContactFactory(customer=customer, is_primary=True)
    second = ContactFactory(customer=customer)
    signed_in(client, agent).post(reverse("tabs:contact_make_primary", args=[customer.pk, second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_primary and not first.is_primary


def test_it_rejects_a_contact_without_a_name(client, agent, customer):
    response = signed_in(client, agent).post(reverse("tabs:contact_add", args=[customer.pk]), {"name": ""})
    assert response.status_code == 400
    assert not Contact.objects.filter(customer=customer).exists()


def test_it_404s_a_contact_of_another_customer(client, agent, customer, foreign_customer):
    foreign_contact = ContactFactory(customer=foreign_customer)
    c = signed_in(client, agent)
    assert c.get(reverse("tabs:contact_edit", args=[customer.pk, foreign_contact.pk])).status_code == 404
    assert c.post(reverse("tabs:contact_remove", args=[customer.pk, foreign_contact.pk])).status_code == 404
    assert Contact.objects.filter(pk=foreign_contact.pk).exists()


def test_it_forbids_contact_changes_to_readonly(client, staff, customer):
    contact = ContactFactory(customer=customer)
    c = signed_in(client, staff["readonly"])
    assert c.post(reverse("tabs:contact_add", args=[customer.pk]), {"name": "X"}).status_code == 403
    assert c.post(reverse("tabs:contact_remove", args=[customer.pk, contact.pk])).status_code == 403
    assert Contact.objects.filter(customer=customer).count() == 1


@pytest.fixture
def definitions(provider):
    return {
        "size": CustomFieldDefinition.objects.create(provider=provider, name="Seats", kind="number"),
        "tier": CustomFieldDefinition.objects.create(
            provider=provider, name="Tier", kind="choice", choices=["gold", "silver"], show_on_overview=True
        ),
    }


def test_it_sets_custom_field_values(client, agent, customer, definitions):
    c = signed_in(client, agent)
    response = c.post(
        reverse("tabs:custom_fields", args=[customer.pk]),
        {f"cf_{definitions['size'].pk}": "12", f"cf_{definitions['tier'].pk}": "gold"},
    )
    assert response.status_code == 302
    assert CustomFieldValue.objects.get(customer=customer, definition=definitions["size"]).value == "12"
    dashboard = c.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
    assert "Tier" in dashboard and "gold" in dashboard


def test_it_saves_no_custom_field_when_one_is_invalid(client, agent, customer, definitions):
    response = signed_in(client, agent).post(
        reverse("tabs:custom_fields", args=[customer.pk]),
        {f"cf_{definitions['tier'].pk}": "gold", f"cf_{definitions['size'].pk}": "twelve"},
    )
    assert response.status_code == 400
    assert not CustomFieldValue.objects.filter(customer=customer).exists()


def test_it_forbids_custom_field_changes_to_readonly(client, staff, customer, definitions):
    response = signed_in(client, staff["readonly"]).post(
        reverse("tabs:custom_fields", args=[customer.pk]), {f"cf_{definitions['size'].pk}": "3"}
    )
    assert response.status_code == 403
    assert not CustomFieldValue.objects.exists()
