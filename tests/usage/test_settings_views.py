"""The usage notification thresholds page in Settings: admins only, the usage module only, written
through the service the API uses."""

import pytest
from django.urls import reverse

from accountdesk.usage.models import UsageSettings

pytestmark = pytest.mark.django_db

URL = "/settings/usage/"


def thresholds(provider) -> list[int] | None:
    row = UsageSettings.objects.filter(provider=provider).first()
    return None if row is None else row.thresholds


def test_it_lives_at_settings_usage():
    assert reverse("settings:usage") == URL


def test_it_shows_the_current_thresholds(client, admin, provider):
    UsageSettings.objects.create(provider=provider, thresholds=[75, 90])
    client.force_login(admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert b'value="75, 90"' in response.content and b"<strong>75%, 90%</strong>" in response.content


def test_it_shows_the_defaults_before_any_are_saved(client, admin):
    client.force_login(admin)
    assert b'value="50, 80, 100"' in client.get(URL).content


def test_it_is_linked_from_the_settings_navigation(client, admin):
    client.force_login(admin)
    assert f'href="{URL}"'.encode() in client.get(reverse("settings:overview")).content


def test_it_saves_thresholds_sorted_and_distinct(client, admin, provider):
    client.force_login(admin)
    response = client.post(URL, {"thresholds": "100, 75%  90,75"})
    assert response.status_code == 302 and response["Location"] == URL
    assert thresholds(provider) == [75, 90, 100]
    assert b"Usage notification thresholds saved." in client.get(URL).content


@pytest.mark.parametrize(
    "typed", ["", "0", "1001", "50, eighty", "12.5", "-5", "1 2 3 4 5 6 7 8 9 10 11", "²"]
)
def test_it_refuses_bad_thresholds_inline_and_changes_nothing(client, admin, provider, typed):
    UsageSettings.objects.create(provider=provider, thresholds=[60])
    client.force_login(admin)
    response = client.post(URL, {"thresholds": typed})
    assert response.status_code == 400
    assert b'class="field-error"' in response.content
    assert b"whole percentages from 1 to 1000" in response.content
    assert thresholds(provider) == [60]


def test_it_refuses_an_overlong_entry(client, admin, provider):
    client.force_login(admin)
    response = client.post(URL, {"thresholds": "50, " * 100})
    assert response.status_code == 400 and thresholds(provider) is None


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_it_forbids_other_roles(client, staff, provider, role):
    client.force_login(staff[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"thresholds": "10"}).status_code == 403
    assert thresholds(provider) is None


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_is_absent_without_the_usage_module(client, admin, provider):
    provider.usage = False
    provider.save()
    client.force_login(admin)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"thresholds": "10"}).status_code == 404
    assert thresholds(provider) is None
    assert f'href="{URL}"'.encode() not in client.get(reverse("settings:overview")).content


def test_it_changes_only_the_admins_provider(client, admin, provider, other_provider):
    UsageSettings.objects.create(provider=other_provider, thresholds=[40])
    client.force_login(admin)
    client.post(URL, {"thresholds": "70"})
    assert thresholds(provider) == [70] and thresholds(other_provider) == [40]
