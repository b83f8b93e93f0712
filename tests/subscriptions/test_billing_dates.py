"""Billing dates of subscriptions: the customer's billing day, month ends, pauses and resumes, and
the billing profile's next bill date, each checked by `accountdesk verify`'s rules as well."""

import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.billing.models import BillingProfile, Invoice
from accountdesk.billing.verify import verify
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.subscriptions import services
from accountdesk.subscriptions.billable import period_of_line, subscriptions_bill
from tests.subscriptions.factories import PackageFactory

D = dt.date


@pytest.fixture(autouse=True)
def unfreeze():
    yield
    clock.freeze(None)


def on(day: dt.date) -> None:
    clock.freeze(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))


@pytest.fixture
def agent(staff):
    return Actor.staff(staff["agent"])


def bill(provider, day):
    on(day)
    return subscriptions_bill(provider=provider, on=day, actor=Actor.system(provider))


def periods(customer):
    lines = (
        Invoice.objects.filter(customer=customer)
        .order_by("issued_on", "id")
        .values_list("lines__description", flat=True)
    )
    return [period_of_line(text) for text in lines]


def profile(customer, anchor_day):
    return BillingProfile.objects.create(provider=customer.provider, customer=customer, anchor_day=anchor_day)


def problems(provider):
    return [str(p) for p in verify(providers=[provider]).problems]


def test_it_bills_each_period_on_the_customers_billing_day(provider, customer, package, agent):
    profile(customer, 28)
    on(D(2026, 11, 28))
    sub = services.subscription_add(
        customer=customer, package_id=package.pk, started_on=D(2026, 11, 28), actor=agent
    )
    assert bill(provider, D(2026, 11, 28)) == 1
    assert bill(provider, D(2026, 12, 1)) == 0
    sub.refresh_from_db()
    # Last invoiced on 28 Nov: the next bill is 28 Dec, the first period not billed (not January).
    assert sub.next_bill_on == D(2026, 12, 28)
    assert BillingProfile.objects.get(customer=customer).next_bill_date == D(2026, 12, 28)
    assert periods(customer) == [(D(2026, 11, 28), D(2026, 12, 28))]
    assert problems(provider) == []


def test_it_keeps_a_month_end_billing_day_through_short_months(provider, customer, package, agent):
    BillingProfile.objects.create(provider=provider, customer=customer, anchor_day=28)
    BillingProfile.objects.filter(customer=customer).update(anchor_day=31)  # an import may set 29-31
    on(D(2024, 1, 31))
    services.subscription_add(
        customer=customer, package_id=package.pk, started_on=D(2024, 1, 31), actor=agent
    )
    bill(provider, D(2024, 4, 30))
    assert periods(customer) == [
        (D(2024, 1, 31), D(2024, 2, 29)),
        (D(2024, 2, 29), D(2024, 3, 31)),
        (D(2024, 3, 31), D(2024, 4, 30)),
        (D(2024, 4, 30), D(2024, 5, 31)),
    ]
    assert problems(provider) == []


def test_it_bills_a_quarterly_package_by_calendar_quarters_on_the_billing_day(provider, customer, agent):
    quarterly = PackageFactory(
        provider=provider, name="Business phone lines", price="90.00", frequency="quarterly"
    )
    profile(customer, 15)
    on(D(2024, 4, 15))
    sub = services.subscription_add(
        customer=customer, package_id=quarterly.pk, started_on=D(2024, 4, 15), actor=agent
    )
    bill(provider, D(2024, 12, 1))
    totals = list(
        Invoice.objects.filter(customer=customer).order_by("issued_on").values_list("total", flat=True)
    )
    assert periods(customer) == [
        (D(2024, 4, 15), D(2024, 7, 15)),
        (D(2024, 7, 15), D(2024, 10, 15)),
        (D(2024, 10, 15), D(2025, 1, 15)),
    ]
    assert totals == [Decimal("90.00")] * 3
    sub.refresh_from_db()
    assert sub.next_bill_on == D(2025, 1, 15)


def test_it_bills_nothing_while_suspended_and_restarts_on_the_resume(provider, customer, package, agent):
    on(D(2025, 1, 1))
    sub = services.subscription_add(
        customer=customer, package_id=package.pk, started_on=D(2025, 1, 1), actor=agent
    )
    bill(provider, D(2025, 1, 1))
    on(D(2025, 1, 10))
    services.subscription_suspend(subscription=sub, actor=agent)
    assert bill(provider, D(2025, 2, 1)) == 0
    assert bill(provider, D(2025, 3, 1)) == 0
    on(D(2025, 3, 16))
    sub = services.subscription_resume(subscription=sub, actor=agent)
    assert sub.next_bill_on == D(2025, 3, 16)
    assert bill(provider, D(2025, 3, 16)) == 1
    assert bill(provider, D(2025, 4, 1)) == 1
    # January paid, February and half of March suspended: billed again from the resume, pro rata.
    assert periods(customer) == [
        (D(2025, 1, 1), D(2025, 2, 1)),
        (D(2025, 3, 16), D(2025, 4, 1)),
        (D(2025, 4, 1), D(2025, 5, 1)),
    ]
    assert Invoice.objects.filter(customer=customer).order_by("issued_on")[1].total == Decimal("16.00")
    assert problems(provider) == []


def test_it_does_not_bill_twice_a_period_paid_before_a_short_suspension(provider, customer, package, agent):
    on(D(2025, 1, 1))
    sub = services.subscription_add(
        customer=customer, package_id=package.pk, started_on=D(2025, 1, 1), actor=agent
    )
    bill(provider, D(2025, 1, 1))
    on(D(2025, 1, 10))
    services.subscription_suspend(subscription=sub, actor=agent)
    on(D(2025, 1, 20))
    sub = services.subscription_resume(subscription=sub, actor=agent)
    assert sub.next_bill_on == D(2025, 2, 1)
    assert bill(provider, D(2025, 1, 20)) == 0
    assert bill(provider, D(2025, 2, 1)) == 1
    assert periods(customer) == [(D(2025, 1, 1), D(2025, 2, 1)), (D(2025, 2, 1), D(2025, 3, 1))]


def test_it_keeps_the_profiles_next_bill_date_on_the_first_unbilled_period(
    provider, customer, package, agent
):
    profile(customer, 1)
    on(D(2025, 1, 1))
    first = services.subscription_add(
        customer=customer, package_id=package.pk, started_on=D(2025, 1, 1), actor=agent
    )
    later = services.subscription_add(
        customer=customer, package_id=package.pk, started_on=D(2025, 3, 1), actor=agent
    )
    assert BillingProfile.objects.get(customer=customer).next_bill_date == D(2025, 1, 1)
    bill(provider, D(2025, 2, 1))
    assert BillingProfile.objects.get(customer=customer).next_bill_date == D(2025, 3, 1)
    on(D(2025, 2, 10))
    services.subscription_suspend(subscription=first, actor=agent)
    services.subscription_cancel(subscription=later, actor=agent)
    # Nothing left to bill: the profile says so rather than keeping a stale date.
    assert BillingProfile.objects.get(customer=customer).next_bill_date is None
