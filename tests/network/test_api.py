import pytest

from accountdesk.network.models import Equipment
from tests.conftest import ApiClient
from tests.network.factories import DeviceTypeFactory, EquipmentFactory


def url(customer, tail: str = "equipment") -> str:
    return f"/api/v1/customers/{customer.pk}/{tail}"


def test_it_lists_equipment_newest_first(api_as, customer):
    old = EquipmentFactory(customer=customer, ip="2001:db8::5")
    new = EquipmentFactory(customer=customer)
    items = api_as("readonly").get(url(customer)).json()["items"]
    assert [i["id"] for i in items] == [new.pk, old.pk]
    assert set(items[0]) >= {"id", "name", "device_type", "mac", "ip", "status", "last_seen"}
    assert items[1]["ip_url"] == "http://[2001:db8::5]/"


def test_it_adds_equipment(api_as, customer, provider):
    kind = DeviceTypeFactory(provider=provider, name="hEX", vendor="MikroTik")
    response = api_as("technician").post(
        url(customer),
        {"name": "Edge", "device_type_id": kind.pk, "mac": "00-11-22-33-44-55", "ip": "198.51.100.4",
         "status": "online", "last_seen": "2025-03-01T10:00:00Z"},
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert body["mac"] == "00:11:22:33:44:55" and body["device_type"] == "MikroTik hEX"
    assert body["ip_url"] == "http://198.51.100.4/"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "x", "mac": "00:11:22:33:44"}, "mac"),
        ({"name": "x", "mac": "nonsense"}, "mac"),
        ({"name": "x", "ip": "1.2.3.4.5"}, "ip"),
        ({"name": "x", "ip": "::g"}, "ip"),
        ({"name": "x", "status": "on fire"}, "status"),
        ({"mac": "00:11:22:33:44:55"}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "x", "last_seen": "yesterday"}, "last_seen"),
        ({"name": "x", "last_seen": "2099-01-01T00:00:00Z"}, "last_seen"),
    ],
)
def test_it_rejects_bad_equipment_in_the_error_format(api_as, customer, payload, field):
    response = api_as("agent").post(url(customer), payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]
    assert not Equipment.objects.exists()


def test_it_rejects_a_device_type_of_another_provider(api_as, customer, other_provider):
    foreign = DeviceTypeFactory(provider=other_provider)
    response = api_as("agent").post(url(customer), {"name": "x", "device_type_id": foreign.pk})
    assert response.status_code == 422 and "device_type" in response.json()["error"]["fields"]


def test_it_answers_409_for_a_mac_already_in_use(api_as, customer):
    EquipmentFactory(customer=customer, mac="00:11:22:33:44:55")
    response = api_as("agent").post(url(customer), {"name": "x", "mac": "001122334455"})
    assert response.status_code == 409 and Equipment.objects.count() == 1


@pytest.mark.parametrize("role", ["billing", "readonly"])
def test_it_refuses_equipment_writes_by_role(api_as, customer, role):
    item = EquipmentFactory(customer=customer)
    client = api_as(role)
    assert client.post(url(customer), {"name": "x"}).status_code == 403
    assert (
        client.client.patch(
            url(customer, f"equipment/{item.pk}"), '{"status": "retired"}', content_type="application/json"
        ).status_code
        == 403
    )
    assert client.client.delete(url(customer, f"equipment/{item.pk}")).status_code == 403
    item.refresh_from_db()
    assert item.status == "online" and Equipment.objects.count() == 1


def test_it_edits_and_removes_equipment(api_as, customer):
    item = EquipmentFactory(customer=customer)
    client = api_as("technician")
    patched = client.client.patch(
        url(customer, f"equipment/{item.pk}"),
        '{"status": "retired", "ip": "10.0.0.1"}',
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["status"] == "retired"
    bad = client.client.patch(
        url(customer, f"equipment/{item.pk}"), '{"mac": "xx"}', content_type="application/json"
    )
    assert bad.status_code == 422 and "mac" in bad.json()["error"]["fields"]
    assert client.client.delete(url(customer, f"equipment/{item.pk}")).status_code == 204
    assert not Equipment.objects.exists()


def test_it_hides_other_providers_customers_and_equipment(api_as, customer, foreign_customer):
    foreign = EquipmentFactory(customer=foreign_customer)
    client = api_as("admin")
    responses = [
        client.get(url(foreign_customer)),
        client.post(url(foreign_customer), {"name": "x"}),
        client.get(url(customer, f"equipment/{foreign.pk}")),
        client.client.delete(url(customer, f"equipment/{foreign.pk}")),
        client.client.delete(url(foreign_customer, f"equipment/{foreign.pk}")),
    ]
    assert [r.status_code for r in responses] == [404] * 5
    assert {r.json()["error"]["code"] for r in responses} == {"not_found"}
    assert Equipment.objects.count() == 1


def test_it_finds_the_customer_by_mac_and_ip_through_the_api(api_as, customer):
    api_as("agent").post(url(customer), {"name": "CPE", "mac": "de:ad:be:ef:00:01", "ip": "203.0.113.50"})
    client = api_as("readonly")
    for q in ("DEADBEEF0001", "dead.beef.0001", "203.0.113.50"):
        assert [c["id"] for c in client.get("/api/v1/customers", q=q).json()["items"]] == [customer.pk]


def test_it_lists_device_types(api_as, provider, other_provider):
    DeviceTypeFactory(provider=provider, name="A")
    DeviceTypeFactory(provider=other_provider, name="B")
    assert [d["name"] for d in api_as("readonly").get("/api/v1/device-types").json()] == ["A"]


def test_it_answers_module_not_enabled_without_the_module(
    bare_customer, bare_agent, django_assert_num_queries
):
    client = ApiClient(bare_agent)
    responses = [
        client.get(url(bare_customer)),
        client.post(url(bare_customer), {"name": "x"}),
        client.get("/api/v1/device-types"),
    ]
    assert {(r.status_code, r.json()["error"]["code"]) for r in responses} == {(404, "module_not_enabled")}
    with django_assert_num_queries(1):  # the token lookup only
        client.get(url(bare_customer))
    assert not Equipment.objects.exists()
