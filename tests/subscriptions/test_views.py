import datetime as dt

import pytest

from accountdesk.subscriptions.models import Subscription
from tests.subscriptions.factories import SubscriptionFactory


@pytest.fixture
def page_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_it_lists_subscriptions_on_the_tab(page_as, staff, customer, package):
    SubscriptionFactory(customer=customer, package=package)
    response = page_as(staff["readonly"]).get(f"/customers/{customer.pk}/subscriptions/")
    assert response.status_code == 200
    assert b"Fibre 100" in response.content
    assert b"Add subscription" not in response.content  # readonly sees no actions


def test_it_adds_a_subscription_from_the_dialog(page_as, agent, customer, package):
    response = page_as(agent).post(
        f"/customers/{customer.pk}/subscriptions/add/",
        {"package": package.pk, "started_on": "2025-03-01", "price": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204 and response["HX-Redirect"].endswith("/subscriptions/")
    assert Subscription.objects.get(customer=customer).started_on == dt.date(2025, 3, 1)


def test_it_shows_end_before_start_inline_and_stores_nothing(page_as, agent, customer, package):
    response = page_as(agent).post(
        f"/customers/{customer.pk}/subscriptions/add/",
        {"package": package.pk, "started_on": "2025-03-01", "ends_on": "2025-02-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and b"End on or after the start" in response.content
    assert not Subscription.objects.exists()


def test_it_cancels_from_the_dialog(page_as, agent, customer, package):
    sub = SubscriptionFactory(customer=customer, package=package)
    response = page_as(agent).post(
        f"/customers/{customer.pk}/subscriptions/{sub.pk}/cancel/",
        {"ends_on": "2025-01-31", "reason": "moving"},
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "cancelled" and sub.ends_on == dt.date(2025, 1, 31)


def test_it_forbids_actions_to_a_technician(page_as, staff, customer, package):
    sub = SubscriptionFactory(customer=customer, package=package)
    response = page_as(staff["technician"]).post(
        f"/customers/{customer.pk}/subscriptions/{sub.pk}/suspend/", {}
    )
    assert response.status_code == 403
    sub.refresh_from_db()
    assert sub.status == "active"


def test_it_hides_another_providers_subscription(page_as, agent, customer, foreign_customer):
    theirs = SubscriptionFactory(customer=foreign_customer)
    response = page_as(agent).get(f"/customers/{customer.pk}/subscriptions/{theirs.pk}/change/")
    assert response.status_code == 404
    assert page_as(agent).get(f"/customers/{foreign_customer.pk}/subscriptions/").status_code == 404


def test_the_package_choices_show_their_price_as_money(page_as, staff, customer, package):
    response = page_as(staff["agent"]).get(f"/customers/{customer.pk}/subscriptions/add/")
    html = response.content.decode()
    assert f"Fibre 100 (${package.price:,.2f} " in html
    assert f"Fibre 100 ({package.price:.2f} " not in html
