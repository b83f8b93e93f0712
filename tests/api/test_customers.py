"""The customer endpoints: list and search, the customer, create, edit, tags, status, archive."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.activity.models import Activity
from accountdesk.customers.models import Customer, CustomerGroup, StatusChange
from accountdesk.customers.search_index import customer_search_refresh
from tests.api.conftest import assert_error, call
from tests.factories import ContactFactory, CustomerFactory, GroupFactory, TagFactory, UserFactory


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


class TestList:
    def test_it_lists_newest_first_with_the_contract_fields(self, api_as, provider):
        older = CustomerFactory(provider=provider)
        newer = CustomerFactory(provider=provider)
        response = api_as("readonly").get("/api/v1/customers")
        assert _ids(response) == [newer.pk, older.pk]
        item = response.json()["items"][0]
        assert set(item) >= {
            "id",
            "number",
            "name",
            "type",
            "status",
            "group",
            "tags",
            "account_manager",
            "email",
            "phone",
            "joined_on",
            "currency",
        }
        assert response.json()["next_cursor"] is None

    def test_it_sorts_by_name_when_asked(self, api_as, provider):
        b = CustomerFactory(provider=provider, name="bravo")
        a = CustomerFactory(provider=provider, name="Alpha")
        assert _ids(api_as("agent").get("/api/v1/customers", sort="name")) == [a.pk, b.pk]

    def test_it_pages_with_a_cursor_without_gaps_or_repeats(self, api_as, provider):
        made = [CustomerFactory(provider=provider).pk for _ in range(7)]
        api, seen, cursor = api_as("agent"), [], None
        while True:
            params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
            body = api.get("/api/v1/customers", **params).json()
            seen += [i["id"] for i in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert seen == sorted(made, reverse=True)

    def test_it_pages_by_name_too(self, api_as, provider):
        for name in ["d", "a", "c", "b", "a"]:
            CustomerFactory(provider=provider, name=name)
        api = api_as("agent")
        first = api.get("/api/v1/customers", sort="name", limit=2).json()
        second = api.get("/api/v1/customers", sort="name", limit=10, cursor=first["next_cursor"]).json()
        names = [i["name"] for i in first["items"] + second["items"]]
        assert names == ["a", "a", "b", "c", "d"]

    def test_it_filters_by_status_group_and_tag(self, api_as, provider):
        group = GroupFactory(provider=provider)
        tag = TagFactory(provider=provider)
        blocked = CustomerFactory(provider=provider, status="blocked", group=group)
        tagged = CustomerFactory(provider=provider)
        tagged.tags.add(tag)
        api = api_as("agent")
        assert _ids(api.get("/api/v1/customers", status="blocked")) == [blocked.pk]
        assert _ids(api.get("/api/v1/customers", group_id=group.pk)) == [blocked.pk]
        assert _ids(api.get("/api/v1/customers", tag_id=tag.pk)) == [tagged.pk]

    def test_it_hides_archived_customers_unless_asked(self, api_as, provider):
        live = CustomerFactory(provider=provider)
        archived = CustomerFactory(provider=provider, status="archived", name="Old Archived")
        api = api_as("agent")
        assert _ids(api.get("/api/v1/customers")) == [live.pk]
        assert _ids(api.get("/api/v1/customers", q="archived")) == []
        assert _ids(api.get("/api/v1/customers", status="archived")) == [archived.pk]
        assert _ids(api.get("/api/v1/customers", include_archived="true")) == [archived.pk, live.pk]


class TestSearch:
    @pytest.fixture
    def target(self, provider):
        c = CustomerFactory(
            provider=provider,
            name="Ada Lovelace",
            number="C-004242",
            email="ada@engine.example",
            phone="+44 20 7946 0958",
        )
        ContactFactory(customer=c, name="Charles Babbage")
        customer_search_refresh(c)  # the factory writes the contact directly, not through the service
        CustomerFactory(provider=provider, name="Someone Else", email="else@example.net", phone="111")
        return c

    @pytest.mark.parametrize(
        "q",
        ["lovelace", "ADA love", "C-004242", "004242", "engine.example", "7946", "442079460958", "babbage"],
    )
    def test_it_matches_name_number_email_phone_and_contact_names(self, api_as, target, q):
        assert _ids(api_as("agent").get("/api/v1/customers", q=q)) == [target.pk]

    def test_it_finds_nothing_for_an_unknown_word(self, api_as, target):
        assert _ids(api_as("agent").get("/api/v1/customers", q="lovelace zebra")) == []

    def test_it_treats_like_wildcards_literally(self, api_as, target):
        assert _ids(api_as("agent").get("/api/v1/customers", q="%")) == []
        assert _ids(api_as("agent").get("/api/v1/customers", q="_")) == []

    def test_it_finds_a_contact_added_through_the_api(self, api_as, target):
        api = api_as("agent")
        api.post(f"/api/v1/customers/{target.pk}/contacts", {"name": "Mary Somerville"})
        assert _ids(api.get("/api/v1/customers", q="somerville")) == [target.pk]


class TestQueryCount:
    def _count(self, api, **params) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/api/v1/customers", **params)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def _populate(self, provider, n: int) -> None:
        group, manager = GroupFactory(provider=provider), UserFactory(provider=provider)
        tags = [TagFactory(provider=provider) for _ in range(3)]
        built = CustomerFactory.build_batch(n, provider=provider, group=group, account_manager=manager)
        for c in built:
            c.search_text = f"{c.number} | {c.name}".lower()
        customers = Customer.objects.bulk_create(built)
        through = Customer.tags.through
        through.objects.bulk_create(through(customer_id=c.pk, tag_id=t.pk) for c in customers for t in tags)

    def test_it_reads_the_same_number_of_queries_for_10_and_1000_customers(self, api_as, provider):
        api = api_as("agent")
        self._populate(provider, 10)
        small = self._count(api, limit=500)
        self._populate(provider, 990)
        large = self._count(api, limit=500)
        searched = self._count(api, q="c-00", limit=500)
        # The token (with its user and provider), the page of customers (with group and manager), their tags.
        assert small == large == searched == 3
        assert len(api.get("/api/v1/customers", q="c-00", limit=500).json()["items"]) == 500


class TestCustomer:
    def test_it_returns_the_customer_with_addresses(self, api_as, customer):
        customer.service_latitude = "51.507400"
        customer.billing_city = "London"
        customer.save()
        body = api_as("readonly").get(f"/api/v1/customers/{customer.pk}").json()
        assert body["id"] == customer.pk and body["name"] == "Grace Hopper"
        assert body["billing_address"] == "London"
        assert body["service_latitude"] == "51.507400"

    def test_it_creates_a_numbered_customer_and_logs_it(self, api_as, provider, staff):
        group = GroupFactory(provider=provider, name="Fibre")
        TagFactory(provider=provider, name="vip")
        response = api_as("agent").post(
            "/api/v1/customers",
            {
                "name": "  Babbage Engines ",
                "type": "business",
                "email": "ops@babbage.example",
                "group_id": group.pk,
                "account_manager_id": staff["billing"].pk,
                "tags": ["vip"],
                "service_latitude": "51.5",
                "status": "active",
            },
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["name"] == "Babbage Engines"
        assert body["number"].startswith("C-") and body["group"] == "Fibre" and body["tags"] == ["vip"]
        assert body["account_manager"] == staff["billing"].display_name and body["currency"] == "USD"
        customer = Customer.objects.get(pk=body["id"])
        entry = Activity.objects.get(customer=customer, kind="customer.created")
        assert entry.actor_type == "api" and entry.actor_id == staff["agent"].pk
        assert StatusChange.objects.get(customer=customer).new == "active"

    def test_it_numbers_after_existing_numbers(self, api_as, provider):
        CustomerFactory(provider=provider, number="C-000001")
        CustomerFactory(provider=provider, number="C-000777")
        body = api_as("admin").post("/api/v1/customers", {"name": "Next One"}).json()
        assert body["number"] == "C-000778"

    def test_it_refuses_another_providers_group_or_manager(self, api_as, other_provider, customer):
        foreign_group = CustomerGroup.objects.create(provider=other_provider, name="Theirs")
        foreign_user = UserFactory(provider=other_provider)
        api = api_as("admin")
        for body in ({"group_id": foreign_group.pk}, {"account_manager_id": foreign_user.pk}):
            response = call(api, "PATCH", f"/api/v1/customers/{customer.pk}", body)
            assert_error(response, 422, "validation_error")
        customer.refresh_from_db()
        assert customer.group_id is None and customer.account_manager_id is None

    def test_it_edits_only_what_was_sent_and_logs_old_and_new(self, api_as, customer, staff):
        old_email = customer.email
        response = call(
            api_as("agent"),
            "PATCH",
            f"/api/v1/customers/{customer.pk}",
            {"name": "Grace B. Hopper", "email": old_email, "service_city": "Arlington"},
        )
        assert response.status_code == 200
        customer.refresh_from_db()
        assert (customer.name, customer.email, customer.service_city) == (
            "Grace B. Hopper",
            old_email,
            "Arlington",
        )
        entry = Activity.objects.get(customer=customer, kind="customer.updated")
        assert entry.details == {
            "name": ["Grace Hopper", "Grace B. Hopper"],
            "service_city": ["", "Arlington"],
        }
        assert entry.actor_type == "api" and entry.actor_name == staff["agent"].display_name

    def test_an_edit_that_changes_nothing_logs_nothing(self, api_as, customer):
        call(api_as("agent"), "PATCH", f"/api/v1/customers/{customer.pk}", {"name": "Grace Hopper"})
        assert not Activity.objects.filter(customer=customer).exists()

    def test_it_clears_the_group_with_null(self, api_as, provider, customer):
        customer.group = GroupFactory(provider=provider)
        customer.save()
        body = call(api_as("agent"), "PATCH", f"/api/v1/customers/{customer.pk}", {"group_id": None}).json()
        assert body["group"] is None

    def test_it_replaces_tags(self, api_as, provider, customer):
        for name in ("vip", "fibre", "late-payer"):
            TagFactory(provider=provider, name=name)
        api = api_as("agent")
        call(api, "PUT", f"/api/v1/customers/{customer.pk}/tags", {"tags": ["vip", "fibre"]})
        body = call(
            api, "PUT", f"/api/v1/customers/{customer.pk}/tags", {"tags": ["fibre", "late-payer"]}
        ).json()
        assert body["tags"] == ["fibre", "late-payer"]
        last = Activity.objects.filter(kind="customer.tags_changed").latest("id")
        assert last.details == {"tags": [["fibre", "vip"], ["fibre", "late-payer"]]}


class TestStatus:
    def test_it_blocks_with_a_reason_and_records_the_history(self, api_as, customer, staff):
        api = api_as("agent")
        response = api.post(
            f"/api/v1/customers/{customer.pk}/status", {"status": "blocked", "reason": "Unpaid"}
        )
        assert response.status_code == 200 and response.json()["status"] == "blocked"
        history = api.get(f"/api/v1/customers/{customer.pk}/status-history").json()["items"]
        assert history[0]["old"] == "active" and history[0]["new"] == "blocked"
        assert history[0]["reason"] == "Unpaid" and history[0]["actor_email"] == staff["agent"].email
        assert set(history[0]) == {"id", "at", "old", "new", "reason", "actor", "actor_email"}

    def test_it_lists_status_history_newest_first(self, api_as, customer):
        api = api_as("agent")
        api.post(f"/api/v1/customers/{customer.pk}/status", {"status": "blocked", "reason": "Unpaid"})
        api.post(f"/api/v1/customers/{customer.pk}/status", {"status": "active", "reason": "Paid"})
        history = api.get(f"/api/v1/customers/{customer.pk}/status-history").json()["items"]
        assert [(h["old"], h["new"]) for h in history] == [("blocked", "active"), ("active", "blocked")]

    def test_it_answers_409_for_the_current_status(self, api_as, customer):
        response = api_as("agent").post(f"/api/v1/customers/{customer.pk}/status", {"status": "active"})
        assert_error(response, 409, "conflict")
        assert not customer.status_changes.exists()

    def test_archiving_through_status_needs_an_admin(self, api_as, customer):
        url = f"/api/v1/customers/{customer.pk}/status"
        assert_error(
            api_as("agent").post(url, {"status": "archived", "reason": "Gone"}), 403, "permission_denied"
        )
        assert (
            api_as("admin").post(url, {"status": "archived", "reason": "Gone"}).json()["status"] == "archived"
        )

    def test_archive_then_unarchive_restores_the_previous_status(self, api_as, customer):
        api = api_as("admin")
        api.post(f"/api/v1/customers/{customer.pk}/status", {"status": "blocked", "reason": "Unpaid"})
        api.post(f"/api/v1/customers/{customer.pk}/archive", {"reason": "Moved abroad"})
        assert_error(
            api.post(f"/api/v1/customers/{customer.pk}/archive", {"reason": "again"}), 409, "conflict"
        )
        body = api.post(f"/api/v1/customers/{customer.pk}/unarchive").json()
        assert body["status"] == "blocked"
        assert_error(api.post(f"/api/v1/customers/{customer.pk}/unarchive"), 409, "conflict")


class TestCustomFields:
    @pytest.fixture
    def fields(self, provider):
        from accountdesk.customers.models import CustomFieldDefinition

        return {
            kind: CustomFieldDefinition.objects.create(
                provider=provider,
                name=kind.title(),
                kind=kind,
                choices=["Gold", "Silver"] if kind == "choice" else [],
            )
            for kind in ("text", "number", "date", "choice", "boolean")
        }

    @pytest.mark.parametrize(
        ("kind", "raw", "stored"),
        [
            ("text", " hi ", "hi"),
            ("number", "12.50", "12.50"),
            ("date", "2024-02-29", "2024-02-29"),
            ("choice", "Gold", "Gold"),
            ("boolean", "TRUE", "yes"),
        ],
    )
    def test_it_sets_a_valid_value(self, api_as, customer, fields, kind, raw, stored):
        url = f"/api/v1/customers/{customer.pk}/custom-fields/{fields[kind].pk}"
        rows = call(api_as("agent"), "PUT", url, {"value": raw}).json()
        assert {r["name"]: r["value"] for r in rows}[kind.title()] == stored

    @pytest.mark.parametrize(
        ("kind", "raw"),
        [
            ("number", "twelve"),
            ("number", "NaN"),
            ("date", "29/02/2024"),
            ("choice", "Bronze"),
            ("boolean", "perhaps"),
        ],
    )
    def test_it_refuses_a_value_of_the_wrong_kind(self, api_as, customer, fields, kind, raw):
        url = f"/api/v1/customers/{customer.pk}/custom-fields/{fields[kind].pk}"
        error = assert_error(call(api_as("agent"), "PUT", url, {"value": raw}), 422, "validation_error")
        assert "value" in error["fields"]
        assert not customer.custom_values.exists()

    def test_it_clears_a_value_with_null(self, api_as, customer, fields):
        url = f"/api/v1/customers/{customer.pk}/custom-fields/{fields['text'].pk}"
        api = api_as("agent")
        call(api, "PUT", url, {"value": "x"})
        call(api, "PUT", url, {"value": None})
        assert not customer.custom_values.exists()
        assert (
            json.loads(api.get(f"/api/v1/customers/{customer.pk}/custom-fields").content)[0]["value"] is None
        )
