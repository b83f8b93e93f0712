"""The customer page's tab bar: every tab in its group, a group of several tabs as a menu, the open
tab and its group marked, tabs of modules that are off left out."""

import re

import pytest
from django.urls import reverse

from accountdesk.customers.tabs import GROUPS, TABS, register_tab, tab_bar, visible_tabs
from accountdesk.tenancy.models import MODULES

pytestmark = pytest.mark.django_db


def nav(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<nav class="tab-bar"') : html.index("</nav>", html.index('<nav class="tab-bar"'))]


def test_it_refuses_a_tab_without_a_known_group():
    with pytest.raises(ValueError, match="unknown group"):
        register_tab("mystery", "Mystery", "tabs:dashboard", group="elsewhere", order=999)
    assert "mystery" not in TABS


def test_it_puts_every_tab_in_its_group_in_the_bars_order(admin):
    bar = tab_bar(visible_tabs(admin), "invoices")
    assert [g.label for g in bar] == [g.label for g in GROUPS.values()]
    assert sorted(t.key for g in bar for t in g.tabs) == sorted(TABS)
    billing = next(g for g in bar if g.key == "billing")
    assert billing.is_menu and billing.current == TABS["invoices"]
    assert [g.key for g in bar if g.current] == ["billing"]
    assert [t.order for t in billing.tabs] == sorted(t.order for t in billing.tabs)


def test_it_shows_a_group_of_one_as_a_link(client, admin, customer):
    url = reverse("tabs:dashboard", args=[customer.pk])
    html = nav(client, admin, url)
    assert f'<a class="tab-link" href="{url}" id="tab-dashboard" aria-current="page">Dashboard</a>' in html
    assert '<summary class="tab-group-button" id="tab-group-billing">' in html
    assert 'aria-current="true"' not in html


def test_it_links_every_tab_once_and_marks_the_open_one_and_its_group(client, admin, customer):
    html = nav(client, admin, reverse("tabs:invoices", args=[customer.pk]))
    for tab in TABS.values():
        assert html.count(f'href="{reverse(tab.url_name, args=[customer.pk])}"') == 1, tab.key
    billing = r'id="tab-group-billing" aria-current="true">\s*Billing<span class="tab-group-current">'
    assert re.search(billing, html)
    assert 'id="tab-invoices" aria-current="page">Invoices</a>' in html
    assert html.count("aria-current") == 2


def test_it_leaves_out_the_tabs_and_groups_of_modules_that_are_off(client, admin, customer, provider):
    for module in MODULES:
        setattr(provider, module, False)
    provider.save()
    html = nav(client, admin, reverse("tabs:dashboard", args=[customer.pk]))
    for key in ("tickets", "call_logs", "jobs", "future_jobs", "schedule", "usage", "equipment", "contracts"):
        assert f'id="tab-{key}"' not in html
    assert "Jobs &amp; tickets" not in html
    assert 'id="tab-subscriptions"' in html  # Services keeps the tab without a module


def test_it_leaves_out_tabs_the_user_may_not_see(client, staff, customer):
    technician = staff["technician"]
    html = nav(client, technician, reverse("tabs:dashboard", args=[customer.pk]))
    assert not any(t.group == "billing" for t in visible_tabs(technician))
    assert 'id="tab-group-billing"' not in html and 'id="tab-invoices"' not in html
    assert 'id="tab-group-work"' in html
