"""What goes to the security log: modules, every settings change with old and new values, and
exports, each in the change's transaction, with the actor and the client's address."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accountdesk.activity.models import Activity
from accountdesk.audit.models import SecurityEvent
from accountdesk.contracts.services import contract_template_create, contract_template_update
from accountdesk.core.actors import Actor
from accountdesk.core.errors import DomainError
from accountdesk.customers import services as customer_services
from accountdesk.network.services import device_type_add, device_type_update
from accountdesk.notes.services import note_add
from accountdesk.subscriptions.services import package_create
from accountdesk.tenancy.services import provider_update
from accountdesk.usage.services import usage_thresholds_set


@pytest.fixture
def actor(admin):
    return Actor.staff(admin)


def entries(provider, kind="settings.changed"):
    return list(SecurityEvent.objects.filter(provider=provider, kind=kind).order_by("seq"))


def only(provider, kind="settings.changed") -> SecurityEvent:
    (event,) = entries(provider, kind)
    return event


def test_switching_modules_and_the_credit_limit_are_logged_with_old_and_new(provider, actor, admin):
    provider.agent_credit_limit = Decimal("50.00")
    provider.save()
    modules = {"usage": False, "network": True}
    provider_update(provider=provider, modules=modules, agent_credit_limit=Decimal("75"), actor=actor)
    switched = only(provider, "module.switched")
    assert switched.details == {"usage": [True, False]}
    assert switched.summary == "Usage switched off"
    assert (switched.actor_id, switched.actor_name) == (admin.pk, admin.display_name)
    limit = only(provider)
    assert limit.details == {"agent_credit_limit": ["50.00", "75"]}
    assert limit.summary == "Agent credit limit changed from 50.00 to 75"


def test_saving_unchanged_settings_logs_nothing(provider, actor):
    limit = provider.agent_credit_limit
    provider_update(provider=provider, modules={"usage": True}, agent_credit_limit=limit, actor=actor)
    assert not SecurityEvent.objects.filter(provider=provider).exists()


def test_groups_and_tags_added_renamed_and_deleted(provider, actor):
    group = customer_services.group_save(provider=provider, name="Gold", actor=actor)
    customer_services.group_save(provider=provider, name="Platinum", group=group, actor=actor)
    customer_services.catalogue_delete(item=group, actor=actor)
    tag = customer_services.tag_save(provider=provider, name="vip", actor=actor)
    log = [(e.summary, e.details) for e in entries(provider)]
    assert log == [
        ("Group Gold added", {"name": [None, "Gold"]}),
        ("Group Gold renamed to Platinum", {"name": ["Gold", "Platinum"]}),
        ("Group Platinum deleted", {"name": ["Platinum", None]}),
        ("Tag vip added", {"name": [None, "vip"]}),
    ]
    assert tag.pk


def test_custom_fields_and_alert_rules_log_only_what_changed(provider, actor):
    data = {"name": "Segment", "kind": "text", "position": 1}
    field = customer_services.custom_field_definition_save(provider=provider, data=data, actor=actor)
    customer_services.custom_field_definition_save(
        provider=provider, data={**data, "position": 5}, definition=field, actor=actor
    )
    rule = {"name": "VIP", "rule": "has_tag", "value": "vip", "level": "info", "message": "Be nice"}
    alert = customer_services.alert_definition_save(provider=provider, data=rule, actor=actor)
    customer_services.alert_definition_save(
        provider=provider, data={**rule, "level": "warning"}, definition=alert, actor=actor
    )
    added_field, changed_field, added_rule, changed_rule = entries(provider)
    assert added_field.summary == "Custom field Segment added"
    assert added_field.details["kind"] == [None, "text"]
    assert changed_field.details == {"position": [1, 5]}
    assert added_rule.summary == "Alert banner rule VIP added"
    assert changed_rule.details == {"level": ["info", "warning"]}


def test_contract_templates_device_types_packages_and_thresholds(provider, actor):
    template = contract_template_create(
        provider=provider, name="Standard", body="Hello {customer.name}", actor=actor
    )
    contract_template_update(
        template=template, name="Standard", body="Hi {customer.name}", is_active=False, actor=actor
    )
    kind = device_type_add(provider=provider, name="LiteBeam", vendor="", actor=actor)
    device_type_update(device_type=kind, name="LiteBeam 5AC", vendor="Ubiquiti", actor=actor)
    package_create(provider=provider, name="Fibre 100", price="30.00", actor=actor)
    usage_thresholds_set(provider=provider, thresholds=[90, 50], actor=actor)
    summaries = {e.summary: e.details for e in entries(provider)}
    assert summaries["Contract template Standard changed"] == {
        "body": ["Hello {customer.name}", "Hi {customer.name}"],
        "is_active": [True, False],
    }
    assert summaries["Device type LiteBeam changed"] == {
        "name": ["LiteBeam", "LiteBeam 5AC"],
        "vendor": ["", "Ubiquiti"],
    }
    assert summaries["Package Fibre 100 added"]["price"] == [None, "30.00"]
    assert summaries["Usage notification thresholds changed"]["thresholds"][1] == [50, 90]


def test_a_refused_change_leaves_no_entry(provider, actor):
    customer_services.tag_save(provider=provider, name="vip", actor=actor)
    with pytest.raises(DomainError):
        customer_services.tag_save(provider=provider, name="VIP", actor=actor)
    assert len(entries(provider)) == 1


def test_a_settings_page_logs_the_admins_address(client, admin, provider):
    client.force_login(admin)
    response = client.post(reverse("settings:tags"), {"name": "gold"}, REMOTE_ADDR="203.0.113.9",
                           HTTP_USER_AGENT="Firefox")  # fmt: skip
    assert response.status_code == 302
    event = only(provider)
    assert (event.address, event.user_agent, event.actor_id) == ("203.0.113.9", "Firefox", admin.pk)


def test_an_export_is_logged_for_the_provider_and_in_the_customers_activity(
    api_as, staff, customer, provider
):
    for body in ("One", "Two"):
        note_add(customer=customer, body=body, actor=Actor.staff(staff["agent"]))
    response = api_as("agent").get(f"/api/v1/customers/{customer.pk}/notes/export?format=xlsx")
    assert response.status_code == 200
    event = only(provider, "export.downloaded")
    assert event.actor_id == staff["agent"].pk
    assert event.details["customer"] == customer.number
    assert (event.details["tab"], event.details["format"], event.details["rows"]) == ("notes", "xlsx", 2)
    assert event.summary == f"Notes of {customer.number} {customer.name} exported as Excel (2 rows)"
    entry = Activity.objects.get(customer=customer, kind="export.downloaded")
    assert (entry.group, entry.summary, entry.actor_type) == (
        "account",
        "Notes exported as Excel (2 rows)",
        "api",
    )


def test_a_refused_export_is_not_logged(api_as, customer, provider):
    response = api_as("technician").get(f"/api/v1/customers/{customer.pk}/payments/export")
    assert response.status_code == 403
    assert not SecurityEvent.objects.filter(provider=provider).exists()
    assert not Activity.objects.filter(customer=customer, kind="export.downloaded").exists()
