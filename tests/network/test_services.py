import datetime as dt

import pytest

from accountdesk.activity.models import Activity
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ModuleNotEnabled, PermissionDenied, ValidationFailed
from accountdesk.customers.selectors import customer_list
from accountdesk.network.models import Equipment
from accountdesk.network.services import (
    device_type_add,
    device_type_update,
    equipment_add,
    equipment_remove,
    equipment_update,
)
from tests.factories import CustomerFactory, UserFactory
from tests.network.factories import DeviceTypeFactory


def found(provider, q: str) -> list:
    return customer_list(provider=provider, q=q).items


def test_it_adds_equipment_with_a_normalised_mac(actor_as, customer, provider, staff):
    kind = DeviceTypeFactory(provider=provider, name="hAP ac2")
    item = equipment_add(
        customer=customer,
        data={"name": "Home router", "device_type": kind.pk, "mac": "aabb.ccdd.eeff", "ip": "2001:DB8::1"},
        actor=actor_as("technician"),
    )
    assert (item.mac, item.ip, item.status) == ("AA:BB:CC:DD:EE:FF", "2001:db8::1", "unknown")
    assert item.ip_url == "http://[2001:db8::1]/"
    event = Activity.objects.get(kind="equipment.added")
    assert event.group == "network" and event.actor_id == staff["technician"].pk


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "x", "mac": "aa:bb:cc"}, "mac"),
        ({"name": "x", "mac": "zz:bb:cc:dd:ee:ff"}, "mac"),
        ({"name": "x", "ip": "300.1.1.1"}, "ip"),
        ({"name": "x", "ip": "fe80::1%eth0"}, "ip"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "x", "status": "exploded"}, "status"),
        ({"name": "x", "device_type": 999_999}, "device_type"),
        ({"name": "x", "colour": "red"}, "colour"),
        ({"name": "x", "last_seen": clock.now() + dt.timedelta(hours=1)}, "last_seen"),
    ],
)
def test_it_rejects_bad_equipment_naming_the_field(actor_as, customer, data, field):
    with pytest.raises(ValidationFailed) as err:
        equipment_add(customer=customer, data=data, actor=actor_as("agent"))
    assert field in err.value.fields
    assert not Equipment.objects.exists() and not Activity.objects.exists()


def test_it_refuses_a_device_type_of_another_provider(actor_as, customer, other_provider):
    foreign = DeviceTypeFactory(provider=other_provider)
    with pytest.raises(ValidationFailed):
        equipment_add(
            customer=customer, data={"name": "x", "device_type": foreign.pk}, actor=actor_as("agent")
        )


def test_it_refuses_a_mac_already_on_another_device(actor_as, customer, provider):
    equipment_add(customer=customer, data={"name": "a", "mac": "aa:bb:cc:dd:ee:ff"}, actor=actor_as("agent"))
    other = CustomerFactory(provider=provider)
    with pytest.raises(Conflict):
        equipment_add(customer=other, data={"name": "b", "mac": "AABBCCDDEEFF"}, actor=actor_as("agent"))
    assert Equipment.objects.count() == 1


@pytest.mark.parametrize("role", ["billing", "readonly"])
def test_it_refuses_equipment_to_roles_without_network_edit(actor_as, customer, role):
    with pytest.raises(PermissionDenied):
        equipment_add(customer=customer, data={"name": "x"}, actor=actor_as(role))


def test_it_refuses_equipment_without_the_module(bare_customer, bare_agent):
    with pytest.raises(ModuleNotEnabled):
        equipment_add(customer=bare_customer, data={"name": "x"}, actor=Actor.staff(bare_agent))


def test_it_makes_the_customer_findable_by_mac_and_ip(actor_as, customer, provider):
    CustomerFactory(provider=provider, name="Someone Else")
    item = equipment_add(
        customer=customer, data={"name": "CPE", "mac": "AA-BB-CC-DD-EE-01", "ip": "203.0.113.7"},
        actor=actor_as("agent"),
    )  # fmt: skip
    for q in ("aa:bb:cc:dd:ee:01", "AABBCCDDEE01", "aabb.ccdd.ee01", "aa-bb-cc-dd-ee-01", "203.0.113.7"):
        assert found(provider, q) == [customer], q
    equipment_update(equipment=item, data={"ip": "203.0.113.99"}, actor=actor_as("agent"))
    assert found(provider, "203.0.113.7") == [] and found(provider, "203.0.113.99") == [customer]
    equipment_remove(equipment=item, actor=actor_as("agent"))
    assert found(provider, "aabbccddee01") == []
    assert Activity.objects.get(kind="equipment.removed").details["mac"] == ["AA:BB:CC:DD:EE:01", None]


def test_it_leaves_equipment_out_of_search_without_the_module(actor_as, customer, provider):
    equipment_add(
        customer=customer, data={"name": "CPE", "mac": "aa:bb:cc:dd:ee:02"}, actor=actor_as("agent")
    )
    provider.network = False
    provider.save()
    customer.refresh_from_db()
    from accountdesk.customers.search_index import customer_search_refresh

    customer_search_refresh(customer)
    assert found(provider, "aabbccddee02") == []


def test_it_records_only_real_changes(actor_as, customer):
    item = equipment_add(customer=customer, data={"name": "CPE", "status": "online"}, actor=actor_as("agent"))
    equipment_update(equipment=item, data={"status": "online"}, actor=actor_as("agent"))
    assert not Activity.objects.filter(kind="equipment.updated").exists()
    equipment_update(
        equipment=item, data={"status": "offline", "mac": "aabbccddee03"}, actor=actor_as("agent")
    )
    event = Activity.objects.get(kind="equipment.updated")
    assert event.details == {"status": ["online", "offline"], "mac": ["", "AA:BB:CC:DD:EE:03"]}
    with pytest.raises(ValidationFailed):
        equipment_update(equipment=item, data={"ip": "1.2.3"}, actor=actor_as("agent"))


def test_it_lets_admins_register_device_types(actor_as, provider):
    row = device_type_add(provider=provider, name="LiteBeam 5AC", vendor="Ubiquiti", actor=actor_as("admin"))
    assert str(row) == "Ubiquiti LiteBeam 5AC"
    with pytest.raises(Conflict):
        device_type_add(provider=provider, name="LiteBeam 5AC", actor=actor_as("admin"))
    with pytest.raises(PermissionDenied):
        device_type_add(provider=provider, name="Other", actor=actor_as("technician"))


def test_it_renames_a_device_type_under_the_same_rules(actor_as, provider):
    row = DeviceTypeFactory(provider=provider, name="LiteBeam", vendor="Ubiquiti")
    taken = DeviceTypeFactory(provider=provider, name="hAP ac2")
    renamed = device_type_update(device_type=row, name="  LiteBeam 5AC ", vendor="", actor=actor_as("admin"))
    assert (renamed.name, renamed.vendor) == ("LiteBeam 5AC", "")
    assert device_type_update(device_type=row, name="LiteBeam 5AC", actor=actor_as("admin")).pk == row.pk
    for name, error in [(taken.name, Conflict), ("", ValidationFailed), ("x" * 101, ValidationFailed)]:
        with pytest.raises(error) as err:
            device_type_update(device_type=row, name=name, actor=actor_as("admin"))
        assert "name" in err.value.fields
    with pytest.raises(PermissionDenied):
        device_type_update(device_type=row, name="Other", actor=actor_as("technician"))
    row.refresh_from_db()
    assert row.name == "LiteBeam 5AC"


def test_it_keeps_device_types_to_the_network_module(bare_provider):
    admin = Actor.staff(UserFactory(provider=bare_provider, role="admin", email="admin@bluegum.test"))
    row = DeviceTypeFactory(provider=bare_provider, name="Old")
    with pytest.raises(ModuleNotEnabled):
        device_type_add(provider=bare_provider, name="New", actor=admin)
    with pytest.raises(ModuleNotEnabled):
        device_type_update(device_type=row, name="Renamed", actor=admin)
    row.refresh_from_db()
    assert row.name == "Old"


def test_it_takes_a_last_seen_a_moment_ahead_for_clock_skew(actor_as, customer):
    seen = clock.now() + dt.timedelta(minutes=2)
    item = equipment_add(customer=customer, data={"name": "x", "last_seen": seen}, actor=actor_as("agent"))
    assert item.last_seen == seen
