import datetime as dt

from accountdesk.fieldservice.selectors import job_list, job_open_count, schedule_month
from tests.factories import CustomerFactory
from tests.fieldservice.factories import JobFactory

NOW = dt.datetime(2025, 3, 15, 12, 0, tzinfo=dt.UTC)


def test_it_counts_open_jobs_in_one_query(customer, django_assert_num_queries):
    for status in ("unscheduled", "scheduled", "in_progress", "completed", "cancelled"):
        JobFactory(customer=customer, status=status)
    JobFactory(customer=CustomerFactory(provider=customer.provider))
    with django_assert_num_queries(1):
        assert list(job_open_count(customer=customer)) == [(3,)]


def test_it_has_no_row_when_no_job_is_open(customer):
    JobFactory(customer=customer, status="completed")
    assert list(job_open_count(customer=customer)) == []


def test_it_splits_future_and_past_jobs(customer):
    past = JobFactory(customer=customer, scheduled_start=NOW - dt.timedelta(days=2))
    older = JobFactory(customer=customer, scheduled_start=NOW - dt.timedelta(days=9))
    soon = JobFactory(customer=customer, scheduled_start=NOW + dt.timedelta(days=1))
    later = JobFactory(customer=customer, scheduled_start=NOW + dt.timedelta(days=5))
    JobFactory(customer=customer, scheduled_start=NOW + dt.timedelta(days=3), status="cancelled")
    unscheduled = JobFactory(customer=customer, scheduled_start=None, status="unscheduled")
    assert job_list(customer=customer, when="future").items == [soon, later]
    assert job_list(customer=customer, when="past").items == [past, older]
    assert unscheduled in job_list(customer=customer).items and len(job_list(customer=customer).items) == 6


def test_it_pages_future_jobs_by_keyset(customer):
    jobs = [JobFactory(customer=customer, scheduled_start=NOW + dt.timedelta(days=1)) for _ in range(3)]
    first = job_list(customer=customer, when="future", limit=2)
    second = job_list(customer=customer, when="future", limit=2, cursor=first.next_cursor)
    assert first.items + second.items == jobs


def test_it_reads_a_months_appointments(customer):
    inside = JobFactory(customer=customer, scheduled_start=dt.datetime(2025, 3, 31, 23, 0, tzinfo=dt.UTC))
    first = JobFactory(customer=customer, scheduled_start=dt.datetime(2025, 3, 1, 0, 0, tzinfo=dt.UTC))
    JobFactory(customer=customer, scheduled_start=dt.datetime(2025, 4, 1, 0, 0, tzinfo=dt.UTC))
    JobFactory(customer=customer, scheduled_start=dt.datetime(2025, 2, 28, 23, 59, tzinfo=dt.UTC))
    assert schedule_month(customer=customer, year=2025, month=3) == [first, inside]
