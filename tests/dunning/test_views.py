"""Settings > Collections and the promise-to-pay dialog, through the test client."""

import datetime as dt

import pytest
from django.urls import reverse

from accountdesk.dunning.models import DunningPolicy, DunningState, DunningStep
from accountdesk.dunning.services import dunning_run
from tests.activity.logged import assert_logged
from tests.dunning.conftest import STEPS, days_after_due, on

pytestmark = pytest.mark.django_db

URL = "/settings/collections/"


def form_data(steps, enabled=True):
    data = {"enabled": "on"} if enabled else {}
    for n, step in enumerate(steps, start=1):
        for name, value in step.items():
            data[f"steps.{n}.{name}"] = value
    return data


def test_the_settings_url_is_the_collections_section():
    assert reverse("settings:collections") == URL


def test_an_admin_sees_an_empty_policy_then_saves_one(client, admin):
    client.force_login(admin)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "No collections policy yet" in html
    assert 'href="/settings/collections/" aria-current="page"' in html
    response = client.post(URL, form_data(STEPS))
    assert response.status_code == 302
    assert list(DunningStep.objects.values_list("days", "action")) == [
        (5, "email"), (10, "sms"), (15, "fee"), (30, "block"),
    ]  # fmt: skip
    html = client.get(URL).content.decode()
    assert "Collections policy saved." in html
    assert "<strong>10 days overdue</strong>: SMS reminder</li>" in html
    assert '<strong>15 days overdue</strong>: late fee of <span class="money">$5.00</span>' in html
    assert 'value="{customer.number}: {amount_overdue} overdue"' in html


def test_steps_out_of_order_are_refused_inline_and_nothing_changes(client, admin, policy):
    client.force_login(admin)
    steps = [{"days": "10", "action": "block"}, {"days": "10", "action": "fee", "fee": "3.00"}]
    response = client.post(URL, form_data(steps))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Step 2 at 10 days comes the same day as step 1 at 10 days" in html
    assert list(DunningStep.objects.values_list("days", flat=True)) == [5, 10, 15, 30]


def test_a_gap_between_steps_is_refused(client, admin):
    client.force_login(admin)
    data = form_data([{"days": "5", "action": "block"}])
    data.update({"steps.3.days": "9", "steps.3.action": "fee", "steps.3.fee": "2.00"})
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Step 2 is empty: fill the steps from the top, with no gap." in response.content.decode()
    assert not DunningPolicy.objects.exists()


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_only_admins_reach_the_settings_page(client, staff, role):
    client.force_login(staff[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(STEPS)).status_code == 403
    assert not DunningPolicy.objects.exists()


def test_the_page_shows_only_the_admins_own_providers_policy(client, other_provider, policy):
    from tests.factories import UserFactory

    client.force_login(UserFactory(provider=other_provider, role="admin"))
    assert "No collections policy yet" in client.get(URL).content.decode()


def promise_url(customer):
    return reverse("tabs:dunning_promise", args=[customer.pk])


def test_an_agent_records_a_promise_to_pay_from_the_dashboard(
    client, agent, customer, policy, overdue_invoice
):
    on(days_after_due(3))
    dunning_run(provider=customer.provider, on=days_after_due(3))
    client.force_login(agent)
    dashboard = client.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
    assert 'id="collections-stage">Collections: no step yet</span>' in dashboard
    assert f'hx-get="{promise_url(customer)}"' in dashboard
    dialog = client.get(promise_url(customer), HTTP_HX_REQUEST="true")
    assert dialog.status_code == 200
    assert 'name="until"' in dialog.content.decode()
    response = client.post(promise_url(customer), {"until": "2025-04-20", "note": "Pays Friday"})
    assert response.status_code == 302
    assert response["Location"] == reverse("tabs:dashboard", args=[customer.pk])
    assert DunningState.objects.get(customer=customer).promise_until == dt.date(2025, 4, 20)
    assert_logged(
        customer, "dunning.promise_made", "Promise to pay by 20 Apr 2025 (Pays Friday)", viewer=agent
    )
    dashboard = client.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
    assert 'id="collections-stage">Promise to pay by 20 Apr 2025</span>' in dashboard


def test_a_promise_in_the_past_is_refused_inline(client, agent, customer):
    client.force_login(agent)
    response = client.post(promise_url(customer), {"until": "2025-02-01"})
    assert response.status_code == 400
    assert "Choose a day after today." in response.content.decode()
    assert not DunningState.objects.exists()


@pytest.mark.parametrize("role", ["technician", "readonly"])
def test_roles_without_the_permission_get_no_dialog(client, staff, customer, overdue_invoice, role):
    on(days_after_due(3))
    client.force_login(staff[role])
    assert client.get(promise_url(customer)).status_code == 403
    assert client.post(promise_url(customer), {"until": "2025-04-20"}).status_code == 403
    assert not DunningState.objects.exists()
    assert "Promise to pay" not in client.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()


def test_another_providers_customer_is_not_found(client, agent, foreign_customer):
    client.force_login(agent)
    assert client.get(promise_url(foreign_customer)).status_code == 404
    assert client.post(promise_url(foreign_customer), {"until": "2025-04-20"}).status_code == 404
    assert not DunningState.objects.exists()


def test_the_button_shows_only_while_something_is_overdue(client, agent, customer, overdue_invoice):
    client.force_login(agent)
    assert (
        'id="act-promise"' not in client.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
    )
    on(days_after_due(1))
    client.logout()  # a month later: a new sign-in
    client.force_login(agent)
    assert 'id="act-promise"' in client.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
