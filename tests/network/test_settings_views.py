"""Settings > Device types: the Network module's device registry, for admins, written through the
services the rest of the product uses."""

import pytest
from django.urls import reverse

from accountdesk.network.models import DeviceType
from tests.factories import ProviderFactory, UserFactory
from tests.network.factories import DeviceTypeFactory

pytestmark = pytest.mark.django_db

URL = "/settings/device-types/"


def names(provider) -> list[tuple[str, str]]:
    return list(DeviceType.objects.filter(provider=provider).values_list("name", "vendor"))


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def test_it_lives_at_settings_device_types(provider):
    assert reverse("settings:device_types") == URL
    assert reverse("settings:device_type_edit", args=[7]) == f"{URL}7/"


def test_it_lists_only_this_providers_device_types(signed_in, provider, other_provider):
    DeviceTypeFactory(provider=provider, name="LiteBeam 5AC", vendor="Ubiquiti")
    DeviceTypeFactory(provider=other_provider, name="Foreign Box")
    page = signed_in.get(URL).content.decode()
    assert "<td>LiteBeam 5AC</td><td>Ubiquiti</td>" in page and "Foreign Box" not in page


def test_it_says_so_when_there_are_none(signed_in):
    assert "No device types yet." in signed_in.get(URL).content.decode()


def test_it_is_linked_from_the_settings_navigation(signed_in):
    assert f'href="{URL}"' in signed_in.get(reverse("settings:overview")).content.decode()


def test_it_adds_a_device_type(signed_in, provider):
    response = signed_in.post(URL, {"name": "  hAP ac2 ", "vendor": "MikroTik"})
    assert response.status_code == 302 and response["Location"] == URL
    assert names(provider) == [("hAP ac2", "MikroTik")]
    assert "Device type hAP ac2 saved." in signed_in.get(URL).content.decode()


def test_it_renames_a_device_type(signed_in, provider):
    row = DeviceTypeFactory(provider=provider, name="LiteBeam", vendor="Ubiquiti")
    form = signed_in.get(f"{URL}{row.pk}/").content.decode()
    assert 'value="LiteBeam"' in form and "Rename LiteBeam" in form
    response = signed_in.post(f"{URL}{row.pk}/", {"name": "LiteBeam 5AC", "vendor": "Ubiquiti"})
    assert response.status_code == 302
    assert names(provider) == [("LiteBeam 5AC", "Ubiquiti")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"name": "hAP ac2", "vendor": ""}, "Already exists."),
        ({"name": "", "vendor": "X"}, "This field is required."),
        ({"name": "   ", "vendor": "X"}, "This field is required."),
        ({"name": "x" * 101, "vendor": ""}, "at most 100 characters"),
        ({"name": "Fine", "vendor": "v" * 101}, "at most 100 characters"),
    ],
)
def test_it_refuses_bad_input_inline_and_adds_nothing(signed_in, provider, typed, message):
    DeviceTypeFactory(provider=provider, name="hAP ac2", vendor="MikroTik")
    response = signed_in.post(URL, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field-error"' in page and message in page
    assert names(provider) == [("hAP ac2", "MikroTik")]


@pytest.mark.parametrize("typed", [{"name": "hAP ac2"}, {"name": ""}, {"name": "y" * 101}])
def test_it_refuses_a_bad_rename_inline_and_keeps_the_name(signed_in, provider, typed):
    DeviceTypeFactory(provider=provider, name="hAP ac2")
    row = DeviceTypeFactory(provider=provider, name="LiteBeam", vendor="Ubiquiti")
    response = signed_in.post(f"{URL}{row.pk}/", typed)
    assert response.status_code == 400 and 'class="field-error"' in response.content.decode()
    row.refresh_from_db()
    assert (row.name, row.vendor) == ("LiteBeam", "Ubiquiti")


def test_it_allows_the_same_name_at_another_provider(signed_in, provider, other_provider):
    DeviceTypeFactory(provider=other_provider, name="hAP ac2")
    assert signed_in.post(URL, {"name": "hAP ac2"}).status_code == 302
    assert names(provider) == [("hAP ac2", "")]


def test_it_404s_another_providers_device_type(signed_in, other_provider):
    foreign = DeviceTypeFactory(provider=other_provider, name="Foreign")
    assert signed_in.get(f"{URL}{foreign.pk}/").status_code == 404
    assert signed_in.post(f"{URL}{foreign.pk}/", {"name": "Mine now"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Foreign"


def test_it_is_absent_without_the_network_module(client):
    bare = ProviderFactory(name="Bluegum", slug="bluegum")
    row = DeviceTypeFactory(provider=bare, name="Old")
    client.force_login(UserFactory(provider=bare, role="admin", email="admin@bluegum.test"))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"name": "New"}).status_code == 404
    assert client.post(f"{URL}{row.pk}/", {"name": "Renamed"}).status_code == 404
    assert f'href="{URL}"' not in client.get(reverse("settings:overview")).content.decode()
    assert names(bare) == [("Old", "MikroTik")]


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_it_forbids_other_roles(client, staff, provider, role):
    row = DeviceTypeFactory(provider=provider, name="LiteBeam")
    client.force_login(staff[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "Sneaky"}).status_code == 403
    assert client.post(f"{URL}{row.pk}/", {"name": "Sneaky"}).status_code == 403
    assert names(provider) == [("LiteBeam", "MikroTik")]


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
