import datetime as dt

import pytest

from accountdesk.core.actors import Actor
from accountdesk.core.errors import ValidationFailed
from accountdesk.usage.models import UsageRecord, UsageRollup
from accountdesk.usage.services import usage_ingest


def rows(start: dt.datetime, count: int, quantity: int = 100, step=dt.timedelta(minutes=1)) -> list[dict]:
    return [{"at": (start + i * step).isoformat(), "quantity": quantity} for i in range(count)]


def ingest(provider, subscription, batch, role_user=None):
    actor = Actor.staff(role_user) if role_user else Actor.system(provider)
    return usage_ingest(provider=provider, subscription=subscription, rows=batch, actor=actor)


T0 = dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.UTC)


def test_it_keeps_hour_and_day_rollups_equal_to_the_raw_sums(provider, subscription):
    ingest(provider, subscription, rows(T0, 90))  # 23:30 .. 00:59 next day
    ingest(provider, subscription, rows(T0 + dt.timedelta(minutes=5), 10, quantity=7))  # same buckets again
    hours = dict(UsageRollup.objects.filter(resolution="hour").values_list("bucket_start", "total"))
    days = dict(UsageRollup.objects.filter(resolution="day").values_list("bucket_start", "total"))
    assert hours == {
        dt.datetime(2025, 3, 1, 23, tzinfo=dt.UTC): 30 * 100 + 10 * 7,
        dt.datetime(2025, 3, 2, 0, tzinfo=dt.UTC): 60 * 100,
    }
    assert days == {
        dt.datetime(2025, 3, 1, tzinfo=dt.UTC): 3070,
        dt.datetime(2025, 3, 2, tzinfo=dt.UTC): 6000,
    }
    assert sum(UsageRecord.objects.values_list("quantity", flat=True)) == sum(days.values())


def test_it_truncates_timestamps_to_the_minute_and_reads_naive_times_as_local(provider, subscription):
    ingest(provider, subscription, [{"at": "2025-03-02T10:15:42", "quantity": 5}])
    assert UsageRecord.objects.get().at == dt.datetime(2025, 3, 2, 10, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("bad_row", "field"),
    [
        ({"at": "2025-03-02T10:00:00Z", "quantity": -1}, "rows[3].quantity"),
        ({"at": "yesterday", "quantity": 1}, "rows[3].at"),
        ({"at": "2025-03-02T10:00:00Z", "quantity": 1.5}, "rows[3].quantity"),
        ({"at": "2025-03-02T10:00:00Z", "quantity": "ten"}, "rows[3].quantity"),
        ({"at": "2025-03-02T10:00:00Z"}, "rows[3].quantity"),
        ({"at": "2030-01-01T00:00:00Z", "quantity": 1}, "rows[3].at"),
        ({"at": "2024-12-31T00:00:00Z", "quantity": 1}, "rows[3].at"),
        ({"at": "2025-03-02T10:00:00Z", "quantity": 1, "unit": "minutes"}, "rows[3].unit"),
        ("not an object", "rows[3]"),
    ],
)
def test_it_rejects_the_whole_batch_naming_the_bad_row(provider, subscription, bad_row, field):
    batch = [*rows(T0, 2), bad_row, *rows(T0 + dt.timedelta(hours=1), 2)]
    with pytest.raises(ValidationFailed) as error:
        ingest(provider, subscription, batch)
    assert field in error.value.fields and "Row 3" in error.value.fields[field]
    assert "nothing was stored" in error.value.message
    assert not UsageRecord.objects.exists() and not UsageRollup.objects.exists()


def test_it_rejects_an_unknown_or_foreign_subscription_by_row(
    provider, customer, subscription, foreign_subscription
):
    batch = [
        {"subscription_id": subscription.pk, "at": "2025-03-02T10:00:00Z", "quantity": 1},
        {"subscription_id": foreign_subscription.pk, "at": "2025-03-02T10:00:00Z", "quantity": 1},
        {"subscription_id": 987654, "at": "2025-03-02T10:00:00Z", "quantity": 1},
    ]
    with pytest.raises(ValidationFailed) as error:
        usage_ingest(provider=provider, customer=customer, rows=batch, actor=Actor.system(provider))
    assert set(error.value.fields) == {"rows[2].subscription_id", "rows[3].subscription_id"}
    assert not UsageRecord.objects.exists()


def test_it_rejects_an_empty_batch(provider, subscription):
    with pytest.raises(ValidationFailed):
        ingest(provider, subscription, [])


@pytest.mark.parametrize("role", ["agent", "technician", "readonly"])
def test_it_lets_only_billing_and_admins_ingest(provider, subscription, staff, role):
    from accountdesk.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        ingest(provider, subscription, rows(T0, 1), role_user=staff[role])
    assert not UsageRecord.objects.exists()
