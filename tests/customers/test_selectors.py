"""Customer reads: scoped to the provider, bounded, ordered."""

import datetime as dt

import pytest

from accountdesk.core.errors import NotFound
from accountdesk.customers import selectors
from accountdesk.customers.models import (
    AlertDefinition,
    ContactAddress,
    CustomFieldDefinition,
    CustomFieldValue,
    StatusChange,
)
from tests.factories import ContactFactory, CustomerFactory, GroupFactory, TagFactory


class TestCustomerGet:
    def test_it_finds_our_customer(self, provider, customer):
        assert selectors.customer_get(provider=provider, pk=customer.pk) == customer

    @pytest.mark.parametrize("pk", ["abc", None, -1, 0, 2**64, "1; DROP TABLE"])
    def test_it_answers_not_found_for_junk_ids(self, provider, customer, pk):
        with pytest.raises(NotFound):
            selectors.customer_get(provider=provider, pk=pk)

    def test_another_providers_customer_is_not_found(self, provider, foreign_customer):
        with pytest.raises(NotFound):
            selectors.customer_get(provider=provider, pk=foreign_customer.pk)


class TestCustomerList:
    def test_it_orders_by_name_case_insensitively_then_id(self, provider):
        names = ["bob", "Alice", "alice", "Carol"]
        made = {n: CustomerFactory(provider=provider, name=n) for n in names}
        page = selectors.customer_list(provider=provider)
        assert [c.name for c in page.items] == ["Alice", "alice", "bob", "Carol"]
        assert page.items[0].pk == made["Alice"].pk  # ties broken by id

    def test_it_orders_newest_first_on_request(self, provider):
        a, b = CustomerFactory(provider=provider), CustomerFactory(provider=provider)
        assert selectors.customer_list(provider=provider, ordering="newest").items == [b, a]

    def test_it_never_shows_another_providers_customers(self, provider, customer, foreign_customer):
        assert selectors.customer_list(provider=provider, include_archived=True).items == [customer]

    def test_it_combines_filters(self, provider):
        group, tag = GroupFactory(provider=provider), TagFactory(provider=provider)
        match = CustomerFactory(provider=provider, status="blocked", group=group, name="Match Me")
        match.tags.add(tag)
        CustomerFactory(provider=provider, status="blocked", group=group, name="Other")
        page = selectors.customer_list(
            provider=provider, status="blocked", group_id=group.pk, tag_id=tag.pk, q="match"
        )
        assert page.items == [match]

    def test_it_bounds_the_page(self, provider):
        for _ in range(4):
            CustomerFactory(provider=provider)
        page = selectors.customer_list(provider=provider, limit=3)
        assert len(page.items) == 3 and page.next_cursor
        rest = selectors.customer_list(provider=provider, limit=3, cursor=page.next_cursor)
        assert len(rest.items) == 1 and rest.next_cursor is None

    def test_tags_of_a_page_come_in_one_query(self, provider, django_assert_num_queries):
        customers = [CustomerFactory(provider=provider) for _ in range(3)]
        for c in customers:
            c.tags.add(TagFactory(provider=provider), TagFactory(provider=provider))
        with django_assert_num_queries(1):
            tags = selectors.customer_tags(customers=customers)
        assert all(len(tags[c.pk]) == 2 for c in customers)


class TestContacts:
    def test_primary_first_with_its_primary_address_in_two_queries(self, customer, django_assert_num_queries):
        other = ContactFactory(customer=customer)
        primary = ContactFactory(customer=customer, is_primary=True)
        ContactAddress.objects.create(contact=primary, line1="Old", is_primary=False)
        ContactAddress.objects.create(contact=primary, line1="1 Main St", city="Leeds", is_primary=True)
        with django_assert_num_queries(2):
            contacts = selectors.contact_list(customer=customer, limit=3)
            addresses = [selectors.primary_address(c) for c in contacts]
        assert contacts == [primary, other]
        assert str(addresses[0]) == "1 Main St, Leeds" and addresses[1] is None

    def test_contact_get_is_scoped_to_the_customer(self, provider, customer):
        contact = ContactFactory(customer=CustomerFactory(provider=provider))
        with pytest.raises(NotFound):
            selectors.contact_get(customer=customer, pk=contact.pk)


class TestStatusHistory:
    def test_newest_first_ties_by_id(self, customer):
        at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        rows = [
            StatusChange.objects.create(
                provider=customer.provider,
                customer=customer,
                at=when,
                old="a",
                new="b",
                actor_type="system",
                actor_name="System",
            )
            for when in (at, at + dt.timedelta(days=1), at)
        ]
        assert selectors.status_history(customer=customer).items == [rows[1], rows[2], rows[0]]


class TestBannersAndFields:
    def test_rule_banners_match_status_tag_group_and_custom_field(self, provider, customer):
        customer.status = "blocked"
        customer.group = GroupFactory(provider=provider, name="Wholesale")
        customer.save()
        customer.tags.add(TagFactory(provider=provider, name="VIP"))
        segment = CustomFieldDefinition.objects.create(provider=provider, name="Segment")
        CustomFieldValue.objects.create(
            provider=provider, customer=customer, definition=segment, value="Gold"
        )
        for rule, value, message in [
            ("status_is", "blocked", "Blocked"),
            ("has_tag", "vip", "VIP"),
            ("in_group", "wholesale", "Wholesale"),
            ("custom_field_is", "segment=gold", "Gold"),
            ("status_is", "active", "Never"),
        ]:
            AlertDefinition.objects.create(
                provider=provider, name=message, rule=rule, value=value, message=message
            )
        AlertDefinition.objects.create(
            provider=provider,
            name="Off",
            rule="status_is",
            value="blocked",
            message="Inactive rule",
            is_active=False,
        )
        messages = sorted(b["message"] for b in banners_of(customer))
        assert messages == ["Blocked", "Gold", "VIP", "Wholesale"]

    def test_another_providers_rules_never_show(self, other_provider, customer):
        AlertDefinition.objects.create(
            provider=other_provider, name="x", rule="status_is", value="active", message="x"
        )
        assert banners_of(customer) == []

    def test_custom_field_rows_follow_the_provider_order(self, provider, customer):
        second = CustomFieldDefinition.objects.create(
            provider=provider, name="B", position=2, show_on_overview=True
        )
        first = CustomFieldDefinition.objects.create(provider=provider, name="A", position=1)
        CustomFieldValue.objects.create(provider=provider, customer=customer, definition=second, value="v")
        rows = selectors.custom_field_rows(customer=customer)
        assert [(r["definition"], r["value"]) for r in rows] == [(first, None), (second, "v")]
        assert [
            r["definition"] for r in selectors.custom_field_rows(customer=customer, overview_only=True)
        ] == [second]


def banners_of(customer) -> list[dict]:
    _customer, _tags, banners = selectors.customer_frame(provider=customer.provider, pk=customer.pk)
    return banners
