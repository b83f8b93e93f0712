"""The Usage tab's notification channel dialog and its notifications list."""

import pytest

from accountdesk.core.actors import Actor
from accountdesk.usage.models import UsagePreference
from accountdesk.usage.services import usage_ingest

pytestmark = pytest.mark.django_db


def channel_url(customer) -> str:
    return f"/customers/{customer.pk}/usage/channel/"


def preference(customer) -> str | None:
    return UsagePreference.objects.filter(customer=customer).values_list("channel", flat=True).first()


@pytest.mark.parametrize("role", ["agent", "billing", "admin"])
def test_it_changes_the_channel(client, staff, customer, subscription, role):
    client.force_login(staff[role])
    response = client.post(channel_url(customer), {"channel": "sms"})
    assert response.status_code == 302 and response["Location"] == f"/customers/{customer.pk}/usage/"
    assert preference(customer) == "sms"
    page = client.get(f"/customers/{customer.pk}/usage/").content
    assert b'<dd id="usage-channel">SMS</dd>' in page and b"Usage notifications go by SMS." in page


def test_it_answers_htmx_with_a_redirect_header(client, agent, customer):
    client.force_login(agent)
    response = client.post(channel_url(customer), {"channel": "sms"}, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == f"/customers/{customer.pk}/usage/"


def test_it_shows_the_form_with_the_current_channel(client, agent, customer):
    UsagePreference.objects.create(provider=customer.provider, customer=customer, channel="sms")
    client.force_login(agent)
    fragment = client.get(channel_url(customer), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and b'<option value="sms" selected>' in fragment.content
    assert b"tab_base" not in fragment.content and b"<html" not in fragment.content
    page = client.get(channel_url(customer))  # without JavaScript: a page of its own
    assert page.status_code == 200 and b"<html" in page.content


@pytest.mark.parametrize("channel", ["pigeon", ""])
def test_it_refuses_an_unknown_channel_inline(client, agent, customer, channel):
    UsagePreference.objects.create(provider=customer.provider, customer=customer, channel="sms")
    client.force_login(agent)
    response = client.post(channel_url(customer), {"channel": channel}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert b'class="field-error"' in response.content and b"Choose email or SMS." in response.content
    assert preference(customer) == "sms"


@pytest.mark.parametrize("role", ["technician", "readonly"])
def test_it_forbids_roles_that_cannot_edit_customers(client, staff, customer, role):
    client.force_login(staff[role])
    assert client.get(channel_url(customer)).status_code == 403
    assert client.post(channel_url(customer), {"channel": "sms"}).status_code == 403
    assert preference(customer) is None
    assert b"Change channel" not in client.get(f"/customers/{customer.pk}/usage/").content


def test_it_offers_the_button_to_those_who_may_change_it(client, agent, customer, subscription):
    client.force_login(agent)
    assert b"Change channel" in client.get(f"/customers/{customer.pk}/usage/").content


def test_it_answers_404_for_another_providers_customer(client, agent, foreign_customer):
    client.force_login(agent)
    assert client.get(channel_url(foreign_customer)).status_code == 404
    assert client.post(channel_url(foreign_customer), {"channel": "sms"}).status_code == 404
    assert preference(foreign_customer) is None


def test_it_answers_404_without_the_usage_module(client, agent, provider, customer):
    provider.usage = False
    provider.save()
    client.force_login(agent)
    assert client.post(channel_url(customer), {"channel": "sms"}).status_code == 404
    assert preference(customer) is None


def test_it_lists_a_folded_threshold_with_the_message_that_carried_it(
    client, agent, provider, customer, subscription
):
    rows = [{"at": "2025-03-10T08:00:00Z", "quantity": 8_500_000_000}]  # 85%: 50 and 80 at once
    usage_ingest(provider=provider, subscription=subscription, rows=rows, actor=Actor.system(provider))
    client.force_login(agent)
    page = client.get(f"/customers/{customer.pk}/usage/").content.decode()
    assert page.count("You have used 80%") == 2 and "You have used 50%" not in page
    assert page.count("Crossed with 80%, in the same message.") == 1


def test_it_says_in_one_sentence_that_nothing_is_metered(client, agent, customer):
    client.force_login(agent)
    html = client.get(f"/customers/{customer.pk}/usage/").content.decode()
    assert f"{customer.name} has no package with metered usage" in html
    assert 'id="usage-period-graph"' not in html and "uplot.min.js" not in html
    assert "Usage notifications" not in html and "Export usage notifications" not in html


def test_it_shows_the_graphs_and_notifications_for_a_metered_package(client, agent, customer, subscription):
    client.force_login(agent)
    html = client.get(f"/customers/{customer.pk}/usage/").content.decode()
    assert 'id="usage-period-graph"' in html and "Usage notifications" in html
    assert "has no package with metered usage" not in html
