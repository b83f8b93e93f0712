"""Every subscription action writes its activity entry; its prices read as the pages show money."""

import datetime as dt

import pytest

from accountdesk.activity.kinds import KINDS
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.subscriptions import services
from accountdesk.subscriptions.billable import subscriptions_bill
from tests.activity.logged import assert_logged, in_currency
from tests.factories import CustomerFactory, ProviderFactory, UserFactory
from tests.subscriptions.factories import PackageFactory

LOCALES = {"USD": "en_US", "EUR": "de_DE"}
# kind -> what the entry reads to a billing user of a provider in dollars; in euros (German) the
# same with the figures as FIGURES_EUR has them.
EXPECTED = {
    "subscription.created": "Subscribed to Fibre at $59.99 from 01 Apr 2025",
    "subscription.activated": "Fibre started",
    "subscription.billed": "Fibre, 01 Apr 2025 to 30 Apr 2025: $59.99",
    "subscription.changed": "Subscription changed: price $59.99 → $1,049.50",
    "subscription.suspended": "Fibre suspended: Moving house",
    "subscription.resumed": "Fibre resumed",
    "subscription.cancelled": "Fibre cancelled, last day 01 Apr 2025",
}
FIGURES_EUR = {"$59.99": "59,99\xa0€", "$1,049.50": "1.049,50\xa0€"}


@pytest.fixture(params=LOCALES)
def account(request, db):
    currency = request.param
    provider = ProviderFactory(slug=f"s-{currency.lower()}", currency=currency, locale=LOCALES[currency])
    customer = CustomerFactory(provider=provider, currency=currency)
    return currency, customer, UserFactory(provider=provider, role="billing")


def test_every_subscription_kind_is_here():
    assert set(EXPECTED) == {name for name, kind in KINDS.items() if kind.group == "subscriptions"}


def test_every_subscription_action_reads_its_prices_as_money(account):
    currency, customer, billing = account
    actor, system = Actor.staff(billing), Actor.system(customer.provider)
    package = PackageFactory(provider=customer.provider, name="Fibre", price="59.99")
    clock.freeze(dt.datetime(2025, 3, 15, 12, tzinfo=dt.UTC))
    try:
        sub = services.subscription_add(
            customer=customer, package_id=package.pk, started_on=dt.date(2025, 4, 1), actor=actor
        )
        clock.freeze(dt.datetime(2025, 4, 1, 12, tzinfo=dt.UTC))
        subscriptions_bill(provider=customer.provider, on=dt.date(2025, 4, 1), actor=system)
        sub.refresh_from_db()
        services.subscription_change(subscription=sub, price="1049.50", actor=actor)
        services.subscription_suspend(subscription=sub, reason="Moving house", actor=actor)
        services.subscription_resume(subscription=sub, actor=actor)
        services.subscription_cancel(subscription=sub, actor=actor)
    finally:
        clock.freeze(None)
    for kind, text in EXPECTED.items():
        assert_logged(customer, kind, in_currency(text, currency, FIGURES_EUR), viewer=billing)
