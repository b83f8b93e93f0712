"""Each foundation read costs a fixed number of queries, however long the account's history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.activity.kinds import kind_of
from accountdesk.activity.models import Activity
from accountdesk.activity.services import event_bulk_record
from accountdesk.customers.models import ContactAddress, StatusChange
from accountdesk.notes.models import Note
from tests.factories import ContactFactory

# Every read starts with the token lookup (user and provider joined) and the customer (group, manager joined).
READS = {
    "customer": ("/api/v1/customers/{c}", 3),  # + its tags
    "contacts": ("/api/v1/customers/{c}/contacts", 4),  # + one page of contacts + their primary addresses
    "notes": ("/api/v1/customers/{c}/notes", 3),  # + one page
    "activity": ("/api/v1/customers/{c}/activity", 3),
    "status-history": ("/api/v1/customers/{c}/status-history", 3),
}


def _grow(customer, n: int) -> None:
    """n more notes, activity entries, status changes and contacts (with addresses), in bulk."""
    p, at = customer.provider, dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    Note.objects.bulk_create(
        Note(
            provider=p,
            customer=customer,
            created_at=at + dt.timedelta(hours=i),
            author_name="x",
            body=f"n{i}",
        )
        for i in range(n)
    )
    group = kind_of("note.added").group
    event_bulk_record(
        Activity(
            provider=p,
            customer=customer,
            at=at + dt.timedelta(hours=i),
            actor_type="system",
            actor_name="System",
            kind="note.added",
            group=group,
            summary="x",
        )
        for i in range(n)
    )
    StatusChange.objects.bulk_create(
        StatusChange(
            provider=p,
            customer=customer,
            at=at + dt.timedelta(hours=i),
            old="active",
            new="blocked",
            actor_type="system",
            actor_name="System",
        )
        for i in range(n)
    )
    for _ in range(min(n, 20)):
        ContactAddress.objects.create(contact=ContactFactory(customer=customer), line1="1 Main St")


def _count(api, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize("read", READS, ids=str)
def test_a_read_costs_the_same_for_a_new_and_a_long_history(api_as, customer, read):
    path, expected = READS[read]
    path = path.format(c=customer.pk)
    api = api_as("agent")
    _grow(customer, 3)
    small = _count(api, path)
    _grow(customer, 400)
    large = _count(api, path)
    assert small == large == expected
