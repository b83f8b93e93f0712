"""The services behind the thresholds (Settings page and API) and the customer's channel (Usage tab
and API)."""

import pytest

from accountdesk.activity.models import Activity
from accountdesk.core.actors import Actor
from accountdesk.core.errors import ModuleNotEnabled, NotFound, PermissionDenied, ValidationFailed
from accountdesk.usage.models import UsagePreference, UsageSettings
from accountdesk.usage.selectors import usage_preference_channel
from accountdesk.usage.services import usage_preference_set, usage_thresholds, usage_thresholds_set

pytestmark = pytest.mark.django_db


def test_it_stores_thresholds_sorted_and_distinct(provider, admin):
    usage_thresholds_set(provider=provider, thresholds=[90, 30, 90], actor=Actor.staff(admin))
    assert UsageSettings.objects.get(provider=provider).thresholds == [30, 90]
    assert usage_thresholds(provider=provider) == [30, 90]


@pytest.mark.parametrize("bad", [[], [0], [1001], [True], ["50"], [12.5], list(range(1, 12)), "50,80", None])
def test_it_refuses_bad_thresholds(provider, admin, bad):
    with pytest.raises(ValidationFailed) as raised:
        usage_thresholds_set(provider=provider, thresholds=bad, actor=Actor.staff(admin))
    assert "thresholds" in raised.value.fields
    assert not UsageSettings.objects.exists()


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_it_lets_only_admins_set_thresholds(provider, staff, role):
    with pytest.raises(PermissionDenied):
        usage_thresholds_set(provider=provider, thresholds=[70], actor=Actor.staff(staff[role]))
    assert not UsageSettings.objects.exists()


def test_it_refuses_thresholds_for_another_provider(other_provider, admin):
    with pytest.raises(NotFound):
        usage_thresholds_set(provider=other_provider, thresholds=[70], actor=Actor.staff(admin))
    assert not UsageSettings.objects.exists()


def test_it_refuses_thresholds_without_the_usage_module(provider, admin):
    provider.usage = False
    provider.save()
    with pytest.raises(ModuleNotEnabled):
        usage_thresholds_set(provider=provider, thresholds=[70], actor=Actor.staff(admin))


def test_it_reads_email_until_a_channel_is_chosen(customer, agent):
    assert usage_preference_channel(customer=customer) == "email"
    usage_preference_set(customer=customer, channel="sms", actor=Actor.staff(agent))
    assert usage_preference_channel(customer=customer) == "sms"
    entry = Activity.objects.get(kind="usage.preference_changed")
    assert entry.details == {"channel": ["email", "sms"]} and entry.actor_id == agent.pk


def test_it_refuses_an_unknown_channel(customer, agent):
    with pytest.raises(ValidationFailed):
        usage_preference_set(customer=customer, channel="pigeon", actor=Actor.staff(agent))
    assert not UsagePreference.objects.exists()
