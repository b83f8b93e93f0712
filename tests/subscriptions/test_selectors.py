import datetime as dt

from accountdesk.subscriptions.selectors import subscription_current
from tests.subscriptions.factories import SubscriptionFactory


def test_it_returns_the_most_recent_current_ones_and_their_count(
    customer, package, django_assert_num_queries
):
    for day in range(1, 6):
        SubscriptionFactory(customer=customer, package=package, started_on=dt.date(2025, 1, day))
    SubscriptionFactory(
        customer=customer, package=package, status="suspended", started_on=dt.date(2025, 2, 1)
    )
    SubscriptionFactory(
        customer=customer, package=package, status="cancelled", started_on=dt.date(2025, 3, 1)
    )
    SubscriptionFactory(customer=customer, package=package, status="pending", started_on=dt.date(2025, 4, 1))
    with django_assert_num_queries(1):
        items = list(subscription_current(customer=customer, limit=3))
        [s.package.name for s in items]  # the package comes with the rows
    assert [s.started_on for s in items] == [dt.date(2025, 2, 1), dt.date(2025, 1, 5), dt.date(2025, 1, 4)]
    assert [s.current_total for s in items] == [6, 6, 6]


def test_it_spends_one_query_when_all_fit(customer, package, django_assert_num_queries):
    SubscriptionFactory(customer=customer, package=package)
    with django_assert_num_queries(1):
        items = list(subscription_current(customer=customer, limit=3))
    assert len(items) == 1 and items[0].current_total == 1
