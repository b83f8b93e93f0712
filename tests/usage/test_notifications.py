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
    sms = list(Message.objects.order_by("id"))
    assert [m.channel for m in sms] == ["sms", "sms"] and sms[0].to == customer.phone
    assert all(m.status == "sent" and m.backend == "outbox" for m in sms)
    assert set(UsageNotification.objects.values_list("channel", flat=True)) == {"sms"}


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
    send(provider, subscription, 10)
    with django_assert_num_queries(1):
        recent = list(usage_notification_recent(customer=customer))
    assert [n.threshold for n in recent] == [100, 80, 50]
