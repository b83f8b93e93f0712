"""Contacts, notes and the activity log through the API."""

import datetime as dt

import pytest

from accountdesk.activity.models import Activity
from accountdesk.activity.services import event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.customers.models import Contact
from accountdesk.notes.models import Note
from tests.api.conftest import assert_error, call
from tests.factories import ContactFactory


@pytest.fixture
def frozen():
    clock.freeze(dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


class TestContacts:
    def test_it_lists_the_primary_first_with_its_address(self, api_as, customer):
        api = api_as("agent")
        url = f"/api/v1/customers/{customer.pk}/contacts"
        api.post(url, {"name": "First Person"})
        api.post(
            url,
            {
                "name": "Second Person",
                "is_primary": True,
                "primary_address": {"line1": "1 Main St", "city": "Springfield", "country": "us"},
            },
        )
        items = api.get(url).json()["items"]
        assert [(c["name"], c["is_primary"]) for c in items] == [
            ("Second Person", True),
            ("First Person", False),
        ]
        assert items[0]["primary_address"] == "1 Main St, Springfield, US"
        assert set(items[0]) == {"id", "name", "title", "email", "phone", "is_primary", "primary_address"}

    def test_the_first_contact_becomes_primary(self, api_as, customer):
        body = api_as("agent").post(f"/api/v1/customers/{customer.pk}/contacts", {"name": "Only One"}).json()
        assert body["is_primary"] is True

    def test_it_edits_a_contact_and_logs_the_changes(self, api_as, customer):
        contact = ContactFactory(customer=customer, name="Ann", title="")
        url = f"/api/v1/customers/{customer.pk}/contacts/{contact.pk}"
        body = call(
            api_as("agent"), "PATCH", url, {"title": "CFO", "primary_address": {"line1": "2 Side St"}}
        ).json()
        assert body["title"] == "CFO" and body["primary_address"] == "2 Side St"
        entry = Activity.objects.get(kind="contact.updated")
        assert entry.details == {"title": ["", "CFO"], "primary_address": ["", "2 Side St"]}
        assert entry.group == "contacts" and entry.subject == {"type": "contact", "id": contact.pk}

    def test_it_removes_an_address_with_null(self, api_as, customer):
        api = api_as("agent")
        c = api.post(
            f"/api/v1/customers/{customer.pk}/contacts",
            {"name": "Ann", "primary_address": {"line1": "1 Main St"}},
        ).json()
        url = f"/api/v1/customers/{customer.pk}/contacts/{c['id']}"
        assert call(api, "PATCH", url, {"primary_address": None}).json()["primary_address"] is None

    def test_making_another_contact_primary_demotes_the_old_one(self, api_as, customer):
        first = ContactFactory(customer=customer, is_primary=True)
        second = ContactFactory(customer=customer)
        url = f"/api/v1/customers/{customer.pk}/contacts/{second.pk}"
        call(api_as("agent"), "PATCH", url, {"is_primary": True})
        assert list(Contact.objects.filter(is_primary=True)) == [second]
        first.refresh_from_db()
        assert first.is_primary is False

    def test_removing_the_primary_promotes_another(self, api_as, customer):
        primary = ContactFactory(customer=customer, is_primary=True)
        other = ContactFactory(customer=customer)
        response = call(api_as("agent"), "DELETE", f"/api/v1/customers/{customer.pk}/contacts/{primary.pk}")
        assert response.status_code == 204
        other.refresh_from_db()
        assert other.is_primary is True
        assert Activity.objects.get(kind="contact.removed").details["name"] == [primary.name, None]

    def test_it_cannot_reach_a_contact_through_another_customer(self, api_as, provider, customer):
        from tests.factories import CustomerFactory

        neighbour = CustomerFactory(provider=provider)
        contact = ContactFactory(customer=neighbour)
        url = f"/api/v1/customers/{customer.pk}/contacts/{contact.pk}"
        assert_error(call(api_as("agent"), "DELETE", url), 404, "not_found")
        assert Contact.objects.filter(pk=contact.pk).exists()


class TestNotes:
    def test_it_adds_a_note_by_the_caller(self, api_as, customer, staff, frozen):
        response = api_as("technician").post(
            f"/api/v1/customers/{customer.pk}/notes", {"body": " Fixed the ONT "}
        )
        assert response.status_code == 201
        body = response.json()
        assert body["body"] == "Fixed the ONT" and body["author"] == staff["technician"].display_name
        assert body["created_at"].startswith("2025-03-01T12:00:00")
        entry = Activity.objects.get(kind="note.added")
        assert entry.actor_type == "api" and entry.subject == {"type": "note", "id": body["id"]}

    def test_it_lists_notes_newest_first_ties_by_id(self, api_as, customer, frozen):
        api = api_as("agent")
        ids = [
            api.post(f"/api/v1/customers/{customer.pk}/notes", {"body": f"n{i}"}).json()["id"]
            for i in range(3)
        ]
        items = api.get(f"/api/v1/customers/{customer.pk}/notes").json()["items"]
        assert [n["id"] for n in items] == sorted(ids, reverse=True)  # same instant: the newest id first

    def test_it_pages_notes(self, api_as, customer):
        for i in range(5):
            Note.objects.create(
                provider=customer.provider,
                customer=customer,
                author_name="x",
                body=f"n{i}",
                created_at=dt.datetime(2024, 1, 1 + i, tzinfo=dt.UTC),
            )
        api = api_as("agent")
        first = api.get(f"/api/v1/customers/{customer.pk}/notes", limit=2).json()
        rest = api.get(f"/api/v1/customers/{customer.pk}/notes", cursor=first["next_cursor"]).json()
        assert [n["body"] for n in first["items"] + rest["items"]] == ["n4", "n3", "n2", "n1", "n0"]
        assert rest["next_cursor"] is None


class TestActivity:
    @pytest.fixture
    def log(self, customer, staff):
        clock.freeze(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        from django.db import transaction

        with transaction.atomic():
            system = Actor.system(customer.provider)
            event_record(
                customer=customer,
                actor=system,
                kind="customer.updated",
                summary="Nightly sync",
                details={"email": ["a@x.test", "b@x.test"]},
            )
            clock.freeze(dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
            event_record(
                customer=customer,
                actor=Actor.staff(staff["agent"]),
                kind="note.added",
                summary="Note added: callback",
            )
            event_record(
                customer=customer,
                actor=Actor.staff(staff["agent"]),
                kind="contact.added",
                summary="Contact added: Bob",
            )
        clock.freeze(None)

    def _kinds(self, api, customer, **params):
        response = api.get(f"/api/v1/customers/{customer.pk}/activity", **params)
        assert response.status_code == 200, response.content
        return [e["kind"] for e in response.json()["items"]]

    def test_it_lists_newest_first_ties_by_id(self, api_as, customer, log):
        assert self._kinds(api_as("readonly"), customer) == [
            "contact.added",
            "note.added",
            "customer.updated",
        ]

    def test_it_shows_who_and_what_changed(self, api_as, customer, log, staff):
        items = api_as("readonly").get(f"/api/v1/customers/{customer.pk}/activity").json()["items"]
        system_entry = items[-1]
        assert system_entry["actor_type"] == "system" and system_entry["actor"] == "System"
        assert system_entry["actor_email"] is None
        assert system_entry["details"] == {"email": ["a@x.test", "b@x.test"]}
        assert items[0]["actor_email"] == staff["agent"].email and items[0]["group"] == "contacts"
        assert set(items[0]) == {
            "id",
            "at",
            "kind",
            "group",
            "actor_type",
            "actor",
            "actor_email",
            "summary",
            "subject",
            "details",
        }

    @pytest.mark.parametrize(
        ("params", "kinds"),
        [
            ({"group": "notes"}, ["note.added"]),
            ({"actor_type": "system"}, ["customer.updated"]),
            ({"kind": "contact.added"}, ["contact.added"]),
            ({"q": "callback"}, ["note.added"]),
            ({"q": "nightly", "actor_type": "staff"}, []),
            ({"kind": "no.such"}, []),
        ],
    )
    def test_it_filters(self, api_as, customer, log, params, kinds):
        assert self._kinds(api_as("agent"), customer, **params) == kinds

    def test_it_pages(self, api_as, customer, log):
        api = api_as("agent")
        first = api.get(f"/api/v1/customers/{customer.pk}/activity", limit=2).json()
        rest = api.get(
            f"/api/v1/customers/{customer.pk}/activity", limit=2, cursor=first["next_cursor"]
        ).json()
        assert [e["kind"] for e in rest["items"]] == ["customer.updated"] and rest["next_cursor"] is None

    def test_api_writes_are_logged_as_api_with_the_user(self, api_as, customer, staff):
        api_as("agent").post(
            f"/api/v1/customers/{customer.pk}/status", {"status": "blocked", "reason": "Fraud"}
        )
        entry = api_as("agent").get(f"/api/v1/customers/{customer.pk}/activity").json()["items"][0]
        assert entry["kind"] == "customer.status_changed" and entry["actor_type"] == "api"
        assert entry["actor"] == staff["agent"].display_name and entry["details"]["status"] == [
            "active",
            "blocked",
        ]
