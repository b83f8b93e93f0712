import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.core.pagination import (
    MAX_LIMIT,
    BadCursor,
    clamp_limit,
    decode_cursor,
    encode_cursor,
    keyset_page,
)
from accountdesk.notes.models import Note


def test_cursors_round_trip_dates_datetimes_and_decimals():
    values = [dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC), dt.date(2025, 1, 2), Decimal("1.50"), 7, "x"]
    assert decode_cursor(encode_cursor(values), 5) == values


@pytest.mark.parametrize(
    "cursor", ["", "!!!", "bm90IGpzb24", encode_cursor([1]), encode_cursor([{"zz": 1}, 2]), "eyJhIjoxfQ"]
)
def test_bad_cursors_are_a_400(cursor):
    with pytest.raises(BadCursor) as exc:
        decode_cursor(cursor, 2)
    assert exc.value.status == 400


def test_limits_are_clamped():
    assert clamp_limit(None) == 50 and clamp_limit(0) == 1 and clamp_limit(10_000) == MAX_LIMIT


def test_keyset_walks_equal_keys_by_id(customer):
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    notes = [
        Note.objects.create(
            provider=customer.provider,
            customer=customer,
            created_at=at + dt.timedelta(hours=h),
            author_name="x",
            body=str(i),
        )
        for i, h in enumerate([0, 1, 1, 1, 2])
    ]
    seen, cursor = [], None
    while True:
        page = keyset_page(Note.objects.all(), ordering=("-created_at", "-id"), limit=2, cursor=cursor)
        seen += page.items
        if not (cursor := page.next_cursor):
            break
    assert seen == [notes[4], notes[3], notes[2], notes[1], notes[0]]


def test_keyset_never_uses_offset(customer, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        keyset_page(
            Note.objects.all(),
            ordering=("-created_at", "-id"),
            limit=2,
            cursor=encode_cursor([dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 10]),
        )
    assert len(ctx.captured_queries) == 1 and "OFFSET" not in ctx.captured_queries[0]["sql"].upper()


@pytest.mark.parametrize(
    "values",
    [["abc", "xyz"], [None, None], [[1], 2], [{"dt": "2025-01-01T00:00:00"}, 1], [{"d": "2025-01-01"}, "x"]],
)
def test_a_forged_cursor_that_does_not_fit_the_fields_is_a_400(customer, values):
    with pytest.raises(BadCursor):
        keyset_page(Note.objects.all(), ordering=("-created_at", "-id"), cursor=encode_cursor(values))
