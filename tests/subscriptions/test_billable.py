import datetime as dt
from decimal import Decimal

from accountdesk.billing.models import Invoice
from accountdesk.billing.run import BILLABLES
from accountdesk.core.actors import Actor
from accountdesk.subscriptions.billable import subscriptions_bill
from tests.subscriptions.factories import SubscriptionFactory

D = dt.date


def invoices(customer):
    return list(Invoice.objects.filter(customer=customer).order_by("issued_on", "id"))


def bill(provider, on):
    return subscriptions_bill(provider=provider, on=on, actor=Actor.system(provider))


def test_it_invoices_a_mid_month_start_pro_rata_then_whole_months(provider, customer, package):
    sub = SubscriptionFactory(customer=customer, package=package, started_on=D(2025, 1, 15))
    assert bill(provider, D(2025, 1, 15)) == 1
    assert bill(provider, D(2025, 2, 1)) == 1
    totals = [i.total for i in invoices(customer)]
    assert totals == [Decimal("17.00"), Decimal("31.00")]  # 15..31 Jan = 17 of 31 days of 31.00
    sub.refresh_from_db()
    assert sub.next_bill_on == D(2025, 3, 1)


def test_it_issues_nothing_twice_when_run_again(provider, customer, package):
    SubscriptionFactory(customer=customer, package=package, started_on=D(2025, 1, 1))
    assert bill(provider, D(2025, 1, 1)) == 1
    assert bill(provider, D(2025, 1, 1)) == 0
    assert bill(provider, D(2025, 1, 20)) == 0
    assert len(invoices(customer)) == 1


def test_it_catches_up_missed_periods(provider, customer, package):
    SubscriptionFactory(customer=customer, package=package, started_on=D(2025, 1, 1))
    assert bill(provider, D(2025, 3, 5)) == 3


def test_it_prorates_the_last_period_and_stops(provider, customer, package):
    sub = SubscriptionFactory(
        customer=customer,
        package=package,
        started_on=D(2025, 1, 1),
        status="cancelled",
        ends_on=D(2025, 1, 10),
    )
    assert bill(provider, D(2025, 1, 1)) == 1
    assert bill(provider, D(2025, 2, 1)) == 0
    assert invoices(customer)[0].total == Decimal("10.00")
    sub.refresh_from_db()
    assert sub.next_bill_on is None


def test_it_skips_suspended_subscriptions_and_starts_pending_ones(provider, customer, package):
    SubscriptionFactory(customer=customer, package=package, status="suspended", started_on=D(2025, 1, 1))
    pending = SubscriptionFactory(
        customer=customer, package=package, status="pending", started_on=D(2025, 2, 1)
    )
    assert bill(provider, D(2025, 2, 1)) == 1
    pending.refresh_from_db()
    assert pending.status == "active"
    assert len(invoices(customer)) == 1


def test_it_leaves_other_providers_alone(provider, foreign_customer):
    SubscriptionFactory(customer=foreign_customer, started_on=D(2025, 1, 1))
    assert bill(provider, D(2025, 1, 1)) == 0


def test_it_is_registered_with_the_billing_run():
    assert BILLABLES["subscriptions"] is subscriptions_bill
