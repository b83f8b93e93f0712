"""Reading the activity log: scoped, filtered, newest first, bounded."""

import datetime as dt

import pytest
from django.db import transaction

from accountdesk.activity import selectors
from accountdesk.activity.services import event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor


@pytest.fixture
def entries(customer, foreign_customer, agent):
    made = []
    with transaction.atomic():
        for day, kind, summary in [
            (1, "note.added", "Note added: call back"),
            (3, "contact.added", "Contact added"),
            (2, "customer.updated", "Email changed"),
            (3, "note.added", "Note added: paid"),
        ]:
            clock.freeze(dt.datetime(2025, 1, day, tzinfo=dt.UTC))
            made.append(event_record(customer=customer, actor=Actor.staff(agent), kind=kind, summary=summary))
        event_record(
            customer=foreign_customer,
            actor=Actor.system(foreign_customer.provider),
            kind="note.added",
            summary="Theirs",
        )
    clock.freeze(None)
    return made


def test_newest_first_ties_by_id_and_only_this_customer(customer, entries):
    got = selectors.activity_list(customer=customer).items
    assert got == [entries[3], entries[1], entries[2], entries[0]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"group": "notes"}, [3, 0]),
        ({"kind": "contact.added"}, [1]),
        ({"actor_type": "system"}, []),
        ({"q": "PAID"}, [3]),
        ({"q": "note", "group": "notes"}, [3, 0]),
    ],
)
def test_it_filters(customer, entries, filters, expected):
    assert selectors.activity_list(customer=customer, **filters).items == [entries[i] for i in expected]


def test_it_pages_without_gaps(customer, entries):
    first = selectors.activity_list(customer=customer, limit=3)
    rest = selectors.activity_list(customer=customer, limit=3, cursor=first.next_cursor)
    assert first.items + rest.items == selectors.activity_list(customer=customer).items
    assert rest.next_cursor is None


def test_recent_is_bounded(customer, entries, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert list(selectors.activity_recent(customer=customer, limit=2)) == [entries[3], entries[1]]
