import datetime as dt

from django.core import mail

from accountdesk.activity.models import Activity
from accountdesk.core.actors import Actor
from accountdesk.messaging.models import Message
from accountdesk.usage.models import UsageNotification, UsagePreference, UsageSettings
from accountdesk.usage.selectors import usage_notification_recent
from accountdesk.usage.services import usage_ingest
from tests.usage.conftest import GB


def send(provider, subscription, gigabytes: float, at: str = "2025-03-10T08:00:00Z"):
    batch = [{"at": at, "quantity": int(gigabytes * GB)}]
    return usage_ingest(
        provider=provider, subscription=subscription, rows=batch, actor=Actor.system(provider)
    )


def test_it_sends_each_threshold_exactly_once_by_email(
    provider, subscription, customer, django_capture_on_commit_callbacks
):
    # 10 GB allowance: 3 (30%), +3 (60%: 50 crossed), +1 (70%), +2 (90%: 80), +1 (100%: 100), +4 (140%)
    crossed = []
    for gigabytes in [3, 3, 1, 2, 1, 4]:
        with django_capture_on_commit_callbacks(execute=True):
            result = send(provider, subscription, gigabytes)
        crossed.append([n.threshold for n in result.notifications])
    assert crossed == [[], [50], [], [80], [100], []]
    assert sorted(UsageNotification.objects.values_list("threshold", flat=True)) == [50, 80, 100]
    assert [m.subject for m in mail.outbox] == [
        "Usage alert: 50% of your allowance used",
        "Usage alert: 80% of your allowance used",
        "Usage alert: 100% of your allowance used",
    ]
    assert all(m.to == [customer.email] for m in mail.outbox)
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert Activity.objects.filter(kind="usage.threshold_crossed", actor_type="system").count() == 3


def test_it_sends_by_sms_when_the_customer_prefers_it(
    provider, subscription, customer, django_capture_on_commit_callbacks
):
    UsagePreference.objects.create(provider=provider, customer=customer, channel="sms")
    with django_capture_on_commit_callbacks(execute=True):
        send(provider, subscription, 8.5)  # crosses 50 and 80 in one batch
    assert mail.outbox == []
    [sms] = Message.objects.all()
    assert sms.channel == "sms" and sms.to == customer.phone and sms.body.startswith("You have used 80%")
    assert sms.status == "sent" and sms.backend == "outbox"
    assert set(UsageNotification.objects.values_list("channel", flat=True)) == {"sms"}


def test_it_sends_one_message_for_the_highest_threshold_crossed_in_one_batch(
    provider, subscription, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = send(provider, subscription, 8.5)  # 85%: 50 and 80 at once
    assert [m.subject for m in mail.outbox] == ["Usage alert: 80% of your allowance used"]
    [message] = Message.objects.all()
    low, high = result.notifications
    assert (low.threshold, high.threshold) == (50, 80)
    assert low.outgoing_id == high.outgoing_id == message.pk
    assert low.folded_into_id == high.pk and high.folded_into_id is None
    assert low.message == high.message == message.body
    assert UsageNotification.objects.get(threshold=50).folded_into_id == high.pk


def test_it_logs_every_threshold_crossed_in_one_entry(provider, subscription):
    send(provider, subscription, 10.5)  # 105%: 50, 80 and 100 at once
    [entry] = Activity.objects.filter(kind="usage.threshold_crossed")
    assert entry.details["thresholds"] == [50, 80, 100] and entry.details["threshold"] == 100
    assert entry.summary.startswith("50%, 80% and 100% of the Mobile 10 GB allowance used")
    assert "one message for 100%" in entry.summary


def test_it_sends_a_message_per_batch_when_batches_cross_one_threshold_each(
    provider, subscription, django_capture_on_commit_callbacks
):
    for gigabytes in [5.5, 3]:  # 55%, then 85%
        with django_capture_on_commit_callbacks(execute=True):
            send(provider, subscription, gigabytes)
    assert [m.subject for m in mail.outbox] == [
        "Usage alert: 50% of your allowance used",
        "Usage alert: 80% of your allowance used",
    ]
    assert Message.objects.count() == 2
    assert not UsageNotification.objects.filter(folded_into__isnull=False).exists()


def test_it_never_resends_a_folded_threshold(provider, subscription, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(provider, subscription, 8.5)
    for _ in range(2):  # the same usage again, and more below the next threshold
        with django_capture_on_commit_callbacks(execute=True):
            assert send(provider, subscription, 0.5).notifications == []
    assert len(mail.outbox) == 1 and Message.objects.count() == 1
    assert sorted(UsageNotification.objects.values_list("threshold", flat=True)) == [50, 80]


def test_it_records_folded_thresholds_even_without_an_address(provider, subscription, customer):
    customer.email = ""
    customer.save()
    result = send(provider, subscription, 9)
    assert [(n.threshold, n.outgoing_id) for n in result.notifications] == [(50, None), (80, None)]
    assert result.notifications[0].folded_into_id == result.notifications[1].pk
    assert not Message.objects.exists()


def test_it_notifies_again_in_the_next_billing_period(provider, subscription):
    from accountdesk.core import clock

    send(provider, subscription, 6)
    clock.freeze(dt.datetime(2025, 4, 2, 12, tzinfo=dt.UTC))
    result = send(provider, subscription, 6, at="2025-04-01T09:00:00Z")
    assert [(n.period_start, n.threshold) for n in result.notifications] == [(dt.date(2025, 4, 1), 50)]


def test_it_ignores_late_data_for_a_closed_period(provider, subscription):
    result = send(provider, subscription, 9, at="2025-02-10T09:00:00Z")
    assert result.notifications == []


def test_it_uses_the_providers_thresholds(provider, subscription):
    UsageSettings.objects.create(provider=provider, thresholds=[90])
    assert send(provider, subscription, 6).notifications == []
    assert [n.threshold for n in send(provider, subscription, 3).notifications] == [90]


def test_it_records_the_notification_even_without_an_address(provider, subscription, customer):
    customer.email = ""
    customer.save()
    result = send(provider, subscription, 5)
    assert [n.threshold for n in result.notifications] == [50]
    assert result.notifications[0].outgoing is None and not Message.objects.exists()


def test_it_gives_the_dashboard_the_last_three(provider, subscription, customer, django_assert_num_queries):
    for gigabytes in [1, 5, 3, 1.5]:  # 10%, 60%, 90%, 105%: one threshold per batch from the second
        send(provider, subscription, gigabytes)
    with django_assert_num_queries(1):
        recent = list(usage_notification_recent(customer=customer))
    assert [n.threshold for n in recent] == [100, 80, 50]


def test_it_shows_the_dashboard_only_the_messages_sent(provider, subscription, customer):
    send(provider, subscription, 10)  # 50, 80 and 100 in one message
    assert [n.threshold for n in usage_notification_recent(customer=customer)] == [100]
