"""Provider administration pages: admins only, scoped to their provider, writes through services."""

import re

import pytest
from django.urls import reverse

from accountdesk.audit.models import SecurityEvent
from accountdesk.customers.models import Tag
from accountdesk.tenancy.models import User
from tests.factories import GroupFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "settings:overview",
    "settings:staff",
    "settings:custom_fields",
    "settings:alerts",
    "settings:groups",
    "settings:tags",
    "settings:security",
]


def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_every_settings_page_to_admins(client, admin, name):
    response = admin_client(client, admin).get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    # The page is that section of this provider's settings, marked as the current one in the menu.
    assert f'<a href="{reverse(name)}" aria-current="page">' in body and admin.provider.name in body


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_it_forbids_settings_to_other_roles(client, staff, provider, role):
    client.force_login(staff[role])
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403
    assert (
        client.post(reverse("settings:overview"), {"agent_credit_limit": "999", "usage": ""}).status_code
        == 403
    )
    assert client.post(reverse("settings:tags"), {"name": "sneaky"}).status_code == 403
    provider.refresh_from_db()
    assert provider.usage is True and not Tag.objects.exists()


def test_it_turns_modules_off_and_sets_the_credit_limit(client, admin, provider):
    data = {"agent_credit_limit": "75.50", "service_desk": "on", "field_service": "on"}
    assert admin_client(client, admin).post(reverse("settings:overview"), data).status_code == 302
    provider.refresh_from_db()
    assert str(provider.agent_credit_limit) == "75.50"
    assert provider.service_desk and not provider.usage and not provider.network


@pytest.mark.parametrize("limit", ["-1", "abc", "1e5", "12.345"])
def test_it_rejects_a_bad_credit_limit(client, admin, provider, limit):
    response = admin_client(client, admin).post(reverse("settings:overview"), {"agent_credit_limit": limit})
    assert response.status_code == 400
    provider.refresh_from_db()
    assert provider.usage is True


def test_it_adds_staff_who_can_sign_in(client, admin, provider):
    data = {"name": "New Agent", "email": "New@Acme.test", "role": "agent", "password": "long-enough-pw"}
    assert admin_client(client, admin).post(reverse("settings:staff"), data).status_code == 302
    user = User.objects.get(email="new@acme.test")
    assert user.provider == provider and user.role == "agent" and user.check_password("long-enough-pw")


def _add(client, email):
    data = {"name": "X", "email": email, "role": "agent", "password": "long-enough-pw"}
    return client.post(reverse("settings:staff"), data)


def _answer(response) -> str:
    """The page an admin sees, less the CSRF tokens that differ on every page."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", response.content.decode())


def test_a_taken_email_is_refused_without_telling_which_provider_has_it(client, admin, other_provider, staff):
    """Emails are unique across providers. An email known at another provider gets the same answer
    as one already on the admin's own staff list, word for word: the form tells nothing about other
    providers, and the other account is neither touched nor linked."""
    stranger = UserFactory(provider=other_provider, email="taken@example.test", name="Stranger")
    c = admin_client(client, admin)
    elsewhere = _add(c, "Taken@Example.test")
    here = _add(c, staff["agent"].email)
    assert elsewhere.status_code == here.status_code == 400
    assert elsewhere.context["form"].errors == here.context["form"].errors
    typed_elsewhere, typed_here = 'value="Taken@Example.test"', f'value="{staff["agent"].email}"'
    assert _answer(elsewhere).replace(typed_elsewhere, "") == _answer(here).replace(typed_here, "")
    assert "cannot be used for a new staff member" in elsewhere.content.decode()
    for word in ("already", "exists", "Other Co", "another provider", "Stranger"):
        assert word not in elsewhere.content.decode()
    stranger.refresh_from_db()
    assert stranger.provider == other_provider and stranger.name == "Stranger"
    assert stranger.check_password("correct-horse-battery")
    assert User.objects.filter(email="taken@example.test").count() == 1
    assert not SecurityEvent.objects.filter(kind="staff.added").exists()


def test_adding_staff_is_in_the_security_log(client, admin, provider):
    _add(admin_client(client, admin), "new@acme.test")
    event = SecurityEvent.objects.get(provider=provider, kind="staff.added")
    assert event.actor_id == admin.pk and event.details["email"] == "new@acme.test"
    assert event.address == "127.0.0.1"


def test_role_changes_and_deactivation_are_in_the_security_log(client, admin, staff, provider):
    agent = staff["agent"]
    c = admin_client(client, admin)
    c.post(reverse("settings:staff_edit", args=[agent.pk]), {"name": agent.name, "role": "billing"})
    c.post(
        reverse("settings:staff_edit", args=[agent.pk]),
        {"name": agent.name, "role": "billing", "is_active": "on"},
    )
    c.post(
        reverse("settings:staff_edit", args=[agent.pk]),
        {"name": "Renamed", "role": "billing", "is_active": "on"},
    )
    events = SecurityEvent.objects.filter(provider=provider).order_by("seq")
    assert [(e.kind, e.details.get("role")) for e in events] == [
        ("staff.role_changed", ["agent", "billing"]),
        ("staff.deactivated", None),
        ("staff.reactivated", None),
    ]
    assert all(e.actor_id == admin.pk for e in events)


def test_it_changes_a_role_and_disables_a_user(client, admin, staff):
    agent = staff["agent"]
    data = {"name": agent.name, "role": "readonly"}
    assert (
        admin_client(client, admin).post(reverse("settings:staff_edit", args=[agent.pk]), data).status_code
        == 302
    )
    agent.refresh_from_db()
    assert agent.role == "readonly" and not agent.is_active


def test_it_keeps_admins_from_locking_themselves_out(client, admin):
    data = {"name": admin.name, "role": "agent", "is_active": "on"}
    response = admin_client(client, admin).post(reverse("settings:staff_edit", args=[admin.pk]), data)
    assert response.status_code == 400
    admin.refresh_from_db()
    assert admin.role == "admin"


def test_it_404s_another_providers_records(client, admin, other_provider):
    stranger = UserFactory(provider=other_provider, role="agent")
    group = GroupFactory(provider=other_provider)
    tag = TagFactory(provider=other_provider)
    c = admin_client(client, admin)
    assert c.get(reverse("settings:staff_edit", args=[stranger.pk])).status_code == 404
    data = {"name": "Hijacked", "role": "admin", "is_active": "on"}
    assert c.post(reverse("settings:staff_edit", args=[stranger.pk]), data).status_code == 404
    assert c.post(reverse("settings:group_edit", args=[group.pk]), {"name": "Mine"}).status_code == 404
    assert c.post(reverse("settings:catalogue_delete", args=["tags", tag.pk])).status_code == 404
    stranger.refresh_from_db()
    group.refresh_from_db()
    assert stranger.role == "agent" and group.name != "Mine" and Tag.objects.filter(pk=tag.pk).exists()


def test_it_switches_automatic_credit_application(client, admin, provider):
    base = {"agent_credit_limit": "50.00"}
    admin_client(client, admin).post(reverse("settings:overview"), {**base, "credit_auto_apply": "on"})
    provider.refresh_from_db()
    assert provider.credit_auto_apply is True
    admin_client(client, admin).post(reverse("settings:overview"), base)
    provider.refresh_from_db()
    assert provider.credit_auto_apply is False


def test_it_sets_the_agents_30_day_credit_limit(client, admin, provider):
    data = {"agent_credit_limit": "50.00", "agent_credit_limit_30d": "220.00", "usage": "on"}
    page = admin_client(client, admin)
    assert 'name="agent_credit_limit_30d"' in page.get(reverse("settings:overview")).content.decode()
    assert page.post(reverse("settings:overview"), data).status_code == 302
    provider.refresh_from_db()
    assert str(provider.agent_credit_limit_30d) == "220.00"
    assert 'value="220.00"' in page.get(reverse("settings:overview")).content.decode()


@pytest.mark.parametrize("limit", ["-1", "abc", "1e5", "12.345"])
def test_it_rejects_a_bad_30_day_credit_limit(client, admin, provider, limit):
    data = {"agent_credit_limit": "50.00", "agent_credit_limit_30d": limit}
    response = admin_client(client, admin).post(reverse("settings:overview"), data)
    assert response.status_code == 400 and "agent_credit_limit_30d" in response.context["form"].errors
    provider.refresh_from_db()
    assert provider.agent_credit_limit_30d == provider._meta.get_field("agent_credit_limit_30d").default


def test_it_lists_contract_templates_in_the_settings_menu_when_contracts_are_on(client, admin, provider):
    c = admin_client(client, admin)
    url = reverse("contracts:templates")
    html = c.get(reverse("settings:overview")).content.decode()
    assert f'href="{url}"' in html and "Contract templates" in html
    page = c.get(url).content.decode()
    assert f'<a href="{url}" aria-current="page">Contract templates</a>' in page
    provider.contracts = False
    provider.save()
    assert f'href="{url}"' not in c.get(reverse("settings:overview")).content.decode()
