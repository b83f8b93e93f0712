"""Customer services: each writes its change, its history and its activity entry in one transaction."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accountdesk.activity.models import Activity
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accountdesk.customers import selectors, services
from accountdesk.customers.models import (
    Contact,
    Customer,
    CustomFieldDefinition,
    CustomFieldValue,
    StatusChange,
)
from tests.factories import ContactFactory, CustomerFactory, GroupFactory, TagFactory

NOW = dt.datetime(2025, 6, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    clock.freeze(NOW)
    yield
    clock.freeze(None)


@pytest.fixture
def actors(staff):
    return {role: Actor.staff(user) for role, user in staff.items()}


def _only_entry(customer, kind) -> Activity:
    return Activity.objects.get(customer=customer, kind=kind)


class TestCreate:
    def test_it_numbers_the_customer_and_records_creation(self, provider, actors, staff):
        customer = services.customer_create(provider=provider, data={"name": "Ada"}, actor=actors["agent"])
        assert (
            customer.number == "C-000001" and customer.joined_on == NOW.date() and customer.currency == "USD"
        )
        entry = _only_entry(customer, "customer.created")
        assert (entry.actor_type, entry.actor_id, entry.group) == ("staff", staff["agent"].pk, "account")
        assert entry.at == NOW and entry.subject == {"type": "customer", "id": customer.pk}
        change = StatusChange.objects.get(customer=customer)
        assert (change.old, change.new, change.actor_id) == ("", "prospect", staff["agent"].pk)

    def test_numbers_are_gapless_after_a_failed_create(self, provider, actors):
        services.customer_create(provider=provider, data={"name": "A"}, actor=actors["agent"])
        with pytest.raises(TypeError):
            services.customer_create(
                provider=provider, data={"name": "B", "no_such_field": 1}, actor=actors["agent"]
            )
        third = services.customer_create(provider=provider, data={"name": "C"}, actor=actors["agent"])
        assert third.number == "C-000002"

    @pytest.mark.parametrize("role", ["billing", "technician", "readonly"])
    def test_only_admins_and_agents_create(self, provider, actors, role):
        with pytest.raises(PermissionDenied):
            services.customer_create(provider=provider, data={"name": "X"}, actor=actors[role])
        assert not Customer.objects.exists() and not Activity.objects.exists()


class TestUpdate:
    def test_it_records_each_changed_field_old_and_new(self, customer, actors, provider):
        group = GroupFactory(provider=provider, name="Fibre")
        services.customer_update(
            customer=customer,
            data={
                "name": "Grace Hopper",
                "phone": "555-0100",
                "group": group,
                "joined_on": dt.date(2019, 5, 1),
                "service_latitude": Decimal("38.880000"),
            },
            actor=actors["billing"],
        )
        entry = _only_entry(customer, "customer.updated")
        assert entry.details == {
            "phone": [customer.phone, "555-0100"],
            "group": [None, "Fibre"],
            "joined_on": ["2020-01-15", "2019-05-01"],
            "service_latitude": [None, "38.880000"],
        }
        assert "name" not in entry.details  # unchanged fields are not logged

    def test_it_ignores_fields_that_have_their_own_service(self, customer, actors):
        services.customer_update(
            customer=customer, data={"status": "blocked", "number": "X"}, actor=actors["agent"]
        )
        customer.refresh_from_db()
        assert (customer.status, customer.number) != ("blocked", "X")
        assert not Activity.objects.exists()

    def test_it_refuses_another_providers_group(self, customer, actors, other_provider):
        before = customer.group_id
        with pytest.raises(NotFound):
            services.customer_update(
                customer=customer,
                data={"group": GroupFactory(provider=other_provider)},
                actor=actors["agent"],
            )
        customer.refresh_from_db()
        assert customer.group_id == before

    def test_technicians_cannot_edit(self, customer, actors):
        with pytest.raises(PermissionDenied):
            services.customer_update(customer=customer, data={"name": "X"}, actor=actors["technician"])
        customer.refresh_from_db()
        assert customer.name == "Grace Hopper"


class TestStatus:
    def test_it_writes_the_history_row_and_the_activity(self, customer, actors, staff):
        services.customer_status_change(
            customer=customer, status="blocked", reason="Unpaid", actor=actors["agent"]
        )
        change = StatusChange.objects.get(customer=customer)
        assert (change.old, change.new, change.reason, change.at) == ("active", "blocked", "Unpaid", NOW)
        assert (change.actor_id, change.actor_name, change.actor_email) == (
            staff["agent"].pk,
            staff["agent"].display_name,
            staff["agent"].email,
        )
        entry = _only_entry(customer, "customer.status_changed")
        assert entry.details == {"status": ["active", "blocked"], "reason": "Unpaid"}
        assert entry.subject == {"type": "statuschange", "id": change.pk}

    def test_a_failure_in_the_log_undoes_the_change(self, customer, actors, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("log unavailable")

        monkeypatch.setattr(services.accounts, "event_record", broken)
        with pytest.raises(RuntimeError):
            services.customer_status_change(
                customer=customer, status="blocked", reason="x", actor=actors["agent"]
            )
        customer.refresh_from_db()
        assert customer.status == "active" and not StatusChange.objects.exists()

    def test_the_system_can_change_a_status(self, customer):
        services.customer_status_change(
            customer=customer,
            status="blocked",
            reason="Overdue 60 days",
            actor=Actor.system(customer.provider),
        )
        entry = _only_entry(customer, "customer.status_changed")
        assert (entry.actor_type, entry.actor_id, entry.actor_name, entry.actor_email) == (
            "system",
            None,
            "System",
            None,
        )

    @pytest.mark.parametrize(
        ("start", "target", "error"),
        [
            ("active", "active", Conflict),
            ("deactivated", "blocked", Conflict),
            ("active", "blocked", ValidationFailed),
            ("active", "frozen", ValidationFailed),
            ("archived", "active", Conflict),
        ],
    )
    def test_it_refuses_impossible_changes(self, provider, actors, start, target, error):
        customer = CustomerFactory(provider=provider, status=start)
        with pytest.raises(error):
            services.customer_status_change(
                customer=customer, status=target, reason="", actor=actors["admin"]
            )
        customer.refresh_from_db()
        assert customer.status == start and not StatusChange.objects.exists()

    def test_a_long_reason_is_refused(self, customer, actors):
        with pytest.raises(ValidationFailed):
            services.customer_status_change(
                customer=customer, status="blocked", reason="x" * 501, actor=actors["agent"]
            )

    @pytest.mark.parametrize("role", ["billing", "technician", "readonly"])
    def test_roles_without_the_right_cannot_change_status(self, customer, actors, role):
        with pytest.raises(PermissionDenied):
            services.customer_status_change(
                customer=customer, status="blocked", reason="x", actor=actors[role]
            )
        customer.refresh_from_db()
        assert customer.status == "active" and not Activity.objects.exists()

    def test_a_deactivated_user_cannot_act(self, customer, staff):
        staff["agent"].is_active = False
        with pytest.raises(PermissionDenied):
            services.customer_status_change(
                customer=customer, status="blocked", reason="x", actor=Actor.staff(staff["agent"])
            )


class TestArchive:
    @pytest.mark.parametrize("role", ["billing", "agent", "technician", "readonly"])
    def test_only_admins_archive(self, customer, actors, role):
        with pytest.raises(PermissionDenied):
            services.customer_archive(customer=customer, reason="Gone", actor=actors[role])
        with pytest.raises(PermissionDenied):
            services.customer_status_change(
                customer=customer, status="archived", reason="Gone", actor=actors[role]
            )
        customer.refresh_from_db()
        assert customer.status == "active"

    def test_archive_hides_and_unarchive_restores(self, customer, actors, provider):
        services.customer_status_change(
            customer=customer, status="blocked", reason="Unpaid", actor=actors["agent"]
        )
        services.customer_archive(customer=customer, reason="Moved", actor=actors["admin"])
        assert selectors.customer_list(provider=provider).items == []
        assert selectors.customer_list(provider=provider, q="hopper").items == []
        assert selectors.customer_list(provider=provider, include_archived=True).items == [customer]
        restored = services.customer_unarchive(customer=customer, actor=actors["admin"])
        assert restored.status == "blocked" and restored.status_before_archive == ""
        history = [(c.old, c.new) for c in selectors.status_history(customer=customer).items]
        assert history == [("archived", "blocked"), ("blocked", "archived"), ("active", "blocked")]
        kinds = list(Activity.objects.order_by("id").values_list("kind", flat=True))
        assert kinds == ["customer.status_changed", "customer.archived", "customer.unarchived"]

    def test_archiving_needs_a_reason_and_keeps_history(self, customer, actors):
        with pytest.raises(ValidationFailed):
            services.customer_archive(customer=customer, reason="  ", actor=actors["admin"])
        services.customer_archive(customer=customer, reason="Closed", actor=actors["admin"])
        with pytest.raises(Conflict):
            services.customer_archive(customer=customer, reason="Again", actor=actors["admin"])
        assert Customer.objects.filter(pk=customer.pk).exists()

    def test_unarchive_refuses_a_live_customer_and_non_admins(self, customer, actors):
        with pytest.raises(Conflict):
            services.customer_unarchive(customer=customer, actor=actors["admin"])
        services.customer_archive(customer=customer, reason="Closed", actor=actors["admin"])
        with pytest.raises(PermissionDenied):
            services.customer_unarchive(customer=customer, actor=actors["agent"])


class TestTags:
    def test_it_records_old_and_new_tags(self, customer, actors, provider):
        vip, fibre = TagFactory(provider=provider, name="vip"), TagFactory(provider=provider, name="fibre")
        services.customer_tags_set(customer=customer, tags=[vip], actor=actors["agent"])
        services.customer_tags_set(customer=customer, tags=[fibre, vip], actor=actors["agent"])
        services.customer_tags_set(customer=customer, tags=[vip, fibre], actor=actors["agent"])  # no change
        details = [e.details for e in Activity.objects.filter(kind="customer.tags_changed").order_by("id")]
        assert details == [{"tags": [[], ["vip"]]}, {"tags": [["vip"], ["fibre", "vip"]]}]

    def test_it_refuses_another_providers_tag(self, customer, actors, other_provider):
        with pytest.raises(NotFound):
            services.customer_tags_set(
                customer=customer, tags=[TagFactory(provider=other_provider)], actor=actors["agent"]
            )
        assert not customer.tags.exists()


class TestContacts:
    def test_the_first_contact_is_primary_and_a_new_primary_takes_over(self, customer, actors):
        first = services.contact_add(customer=customer, data={"name": "First"}, actor=actors["agent"])
        second = services.contact_add(
            customer=customer, data={"name": "Second", "is_primary": True}, actor=actors["agent"]
        )
        third = services.contact_add(customer=customer, data={"name": "Third"}, actor=actors["agent"])
        assert [c.pk for c in selectors.contact_list(customer=customer)] == [second.pk, first.pk, third.pk]
        assert Contact.objects.filter(customer=customer, is_primary=True).count() == 1

    def test_the_database_allows_one_primary_only(self, customer):
        ContactFactory(customer=customer, is_primary=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            ContactFactory(customer=customer, is_primary=True)

    def test_removing_the_primary_promotes_the_oldest_other(self, customer, actors):
        primary = ContactFactory(customer=customer, is_primary=True)
        older, newer = ContactFactory(customer=customer), ContactFactory(customer=customer)
        primary_id = primary.pk
        services.contact_remove(contact=primary, actor=actors["agent"])
        older.refresh_from_db()
        newer.refresh_from_db()
        assert older.is_primary and not newer.is_primary
        entry = _only_entry(customer, "contact.removed")
        assert entry.group == "contacts" and entry.details == {
            "contact_id": primary_id,
            "name": [primary.name, None],
        }

    def test_a_primary_cannot_be_unset_directly(self, customer, actors):
        primary = ContactFactory(customer=customer, is_primary=True)
        services.contact_update(contact=primary, data={"is_primary": False}, actor=actors["agent"])
        primary.refresh_from_db()
        assert primary.is_primary

    def test_edits_log_old_and_new_values(self, customer, actors):
        contact = ContactFactory(customer=customer, name="Ann", title="")
        services.contact_update(
            contact=contact, data={"title": "CFO"}, address={"line1": "1 Main St"}, actor=actors["agent"]
        )
        assert _only_entry(customer, "contact.updated").details == {
            "title": ["", "CFO"],
            "primary_address": ["", "1 Main St"],
        }

    def test_a_contact_needs_a_name(self, customer, actors):
        with pytest.raises(ValidationFailed):
            services.contact_add(customer=customer, data={"name": "  "}, actor=actors["agent"])
        assert not Contact.objects.exists()

    @pytest.mark.parametrize("role", ["billing", "technician", "readonly"])
    def test_roles_without_the_right_cannot_touch_contacts(self, customer, actors, role):
        contact = ContactFactory(customer=customer, is_primary=True)
        with pytest.raises(PermissionDenied):
            services.contact_add(customer=customer, data={"name": "X"}, actor=actors[role])
        with pytest.raises(PermissionDenied):
            services.contact_remove(contact=contact, actor=actors[role])
        assert list(Contact.objects.all()) == [contact]


class TestCustomFields:
    @pytest.fixture
    def define(self, provider):
        def make(kind, choices=()):
            return CustomFieldDefinition.objects.create(
                provider=provider, name=f"F-{kind}", kind=kind, choices=list(choices)
            )

        return make

    @pytest.mark.parametrize(
        ("kind", "raw", "stored"),
        [
            ("text", " free text ", "free text"),
            ("number", "12.5", "12.5"),
            ("number", "-3", "-3"),
            ("date", "2024-02-29", "2024-02-29"),
            ("choice", "Gold", "Gold"),
            ("boolean", "Yes", "yes"),
            ("boolean", "0", "no"),
        ],
    )
    def test_it_stores_a_valid_value_in_its_canonical_form(self, customer, actors, define, kind, raw, stored):
        definition = define(kind, ["Gold"])
        services.custom_field_set(customer=customer, definition=definition, value=raw, actor=actors["agent"])
        assert customer.custom_values.get().value == stored
        assert _only_entry(customer, "customer.custom_field_set").details == {definition.name: ["", stored]}

    @pytest.mark.parametrize(
        ("kind", "raw"),
        [
            ("number", "ten"),
            ("number", "Infinity"),
            ("number", "1e5x"),
            ("date", "2023-02-29"),
            ("date", "01/02/2024"),
            ("choice", "gold"),
            ("boolean", "maybe"),
            ("text", "x" * 501),
        ],
    )
    def test_it_refuses_an_invalid_value(self, customer, actors, define, kind, raw):
        with pytest.raises(ValidationFailed) as exc:
            services.custom_field_set(
                customer=customer, definition=define(kind, ["Gold"]), value=raw, actor=actors["agent"]
            )
        assert "value" in exc.value.fields
        assert not customer.custom_values.exists() and not Activity.objects.exists()

    def test_an_empty_value_clears_it(self, customer, actors, define):
        definition = define("text")
        services.custom_field_set(customer=customer, definition=definition, value="x", actor=actors["agent"])
        services.custom_field_set(customer=customer, definition=definition, value="", actor=actors["agent"])
        assert not customer.custom_values.exists()

    def test_it_refuses_another_providers_definition(self, customer, actors, other_provider):
        foreign = CustomFieldDefinition.objects.create(provider=other_provider, name="Theirs")
        with pytest.raises(NotFound):
            services.custom_field_set(customer=customer, definition=foreign, value="x", actor=actors["agent"])
        assert not CustomFieldValue.objects.filter(definition=foreign).exists()

    def test_it_sets_several_values_each_with_its_entry(self, customer, actors, define):
        seats, tier = define("number"), define("choice", ["Gold"])
        changed = services.custom_field_values_set(
            customer=customer, values={seats: "12", tier: "Gold"}, actor=actors["agent"]
        )
        assert changed == 2
        assert dict(customer.custom_values.values_list("definition_id", "value")) == {
            seats.pk: "12",
            tier.pk: "Gold",
        }
        kinds = list(Activity.objects.filter(customer=customer).values_list("kind", flat=True))
        assert kinds == ["customer.custom_field_set"] * 2

    def test_one_invalid_value_sets_none_and_names_its_field(self, customer, actors, define):
        seats, tier = define("number"), define("choice", ["Gold"])
        with pytest.raises(ValidationFailed) as exc:
            services.custom_field_values_set(
                customer=customer, values={tier: "Gold", seats: "twelve"}, actor=actors["agent"]
            )
        assert exc.value.fields == {seats.form_key: "Enter a number."}
        assert not customer.custom_values.exists() and not Activity.objects.exists()

    def test_an_unchanged_value_is_neither_checked_nor_recorded(self, customer, actors, define):
        tier = define("choice", ["Gold"])
        services.custom_field_set(customer=customer, definition=tier, value="Gold", actor=actors["agent"])
        tier.choices = ["Silver"]
        tier.save()
        changed = services.custom_field_values_set(
            customer=customer, values={tier: "Gold"}, actor=actors["agent"]
        )
        assert changed == 0 and Activity.objects.filter(customer=customer).count() == 1

    def test_it_refuses_another_providers_definition_among_several(self, customer, actors, other_provider):
        foreign = CustomFieldDefinition.objects.create(provider=other_provider, name="Theirs")
        with pytest.raises(NotFound):
            services.custom_field_values_set(customer=customer, values={foreign: "x"}, actor=actors["agent"])
        assert not customer.custom_values.exists()


class TestManualAlerts:
    def test_it_adds_and_dismisses_an_alert(self, customer, actors):
        alert = services.manual_alert_add(
            customer=customer, level="danger", message="Fraud check", actor=actors["agent"]
        )
        assert banners_of(customer) == [{"level": "danger", "message": "Fraud check", "manual_id": alert.pk}]
        services.manual_alert_dismiss(alert=alert, actor=actors["agent"])
        assert banners_of(customer) == []
        with pytest.raises(Conflict):
            services.manual_alert_dismiss(alert=alert, actor=actors["agent"])
        assert [e.kind for e in Activity.objects.order_by("id")] == [
            "customer.alert_added",
            "customer.alert_dismissed",
        ]

    @pytest.mark.parametrize(("level", "message"), [("info", ""), ("loud", "x"), ("info", "x" * 201)])
    def test_it_refuses_a_bad_alert(self, customer, actors, level, message):
        with pytest.raises(ValidationFailed):
            services.manual_alert_add(customer=customer, level=level, message=message, actor=actors["agent"])


def banners_of(customer) -> list[dict]:
    _customer, _tags, banners = selectors.customer_frame(provider=customer.provider, pk=customer.pk)
    return banners


def test_it_refuses_a_customer_joining_in_the_future(provider, actors, customer):
    with pytest.raises(ValidationFailed) as exc:
        services.customer_create(
            provider=provider,
            data={"name": "Later Ltd", "joined_on": dt.date(2025, 6, 2)},
            actor=actors["agent"],
        )
    assert exc.value.fields == {"joined_on": "A customer cannot join in the future."}
    with pytest.raises(ValidationFailed) as exc:
        services.customer_update(
            customer=customer, data={"joined_on": dt.date(2030, 1, 1)}, actor=actors["admin"]
        )
    assert "joined_on" in exc.value.fields
    customer.refresh_from_db()
    assert customer.joined_on == dt.date(2020, 1, 15)
    assert not Customer.objects.filter(name="Later Ltd").exists()


def test_it_takes_a_join_date_of_today_and_refuses_none(provider, actors, customer):
    made = services.customer_create(
        provider=provider, data={"name": "Today Ltd", "joined_on": NOW.date()}, actor=actors["agent"]
    )
    assert made.joined_on == NOW.date()
    with pytest.raises(ValidationFailed) as exc:
        services.customer_update(customer=customer, data={"joined_on": None}, actor=actors["admin"])
    assert "joined_on" in exc.value.fields
