"""The ledger's first page and the metrics cost the same queries whatever the history size."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.billing.selectors import account_metrics, ledger_list
from tests.billing.factories import issue_invoice, pay
from tests.factories import CustomerFactory


def _reads(customer) -> int:
    with CaptureQueriesContext(connection) as ctx:
        account_metrics(customer=customer)
        ledger_list(customer=customer, limit=50)
    return len(ctx.captured_queries)


def test_it_reads_metrics_in_one_query(customer, django_assert_num_queries):
    issue_invoice(customer, "10.00")
    with django_assert_num_queries(1):
        metrics = account_metrics(customer=customer)
    assert metrics.total_due == 10


def test_it_reads_ledger_and_metrics_in_the_same_queries_for_small_and_large_histories(provider):
    small, large = CustomerFactory(provider=provider), CustomerFactory(provider=provider)
    issue_invoice(small, "10.00")
    for i in range(60):
        issue_invoice(large, "10.00", issued_on=dt.date(2024, 1, 1) + dt.timedelta(days=i))
        pay(large, "5.00")
    assert _reads(small) == _reads(large) == 2
