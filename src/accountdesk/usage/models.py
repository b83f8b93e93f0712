from django.db import models

from accountdesk.messaging.models import Channel
from accountdesk.subscriptions.models import UsageUnit
from accountdesk.tenancy.models import Provider

DEFAULT_THRESHOLDS = [50, 80, 100]


def default_thresholds() -> list[int]:
    return list(DEFAULT_THRESHOLDS)


class UsageRecord(models.Model):
    """Raw metered usage of one subscription in one minute. Read only for minute-level windows:
    everything longer reads the roll-ups."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    subscription = models.ForeignKey("subscriptions.Subscription", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()  # the start of the minute
    quantity = models.BigIntegerField()
    unit = models.CharField(max_length=10, choices=UsageUnit.choices)

    class Meta:
        indexes = [models.Index(fields=["subscription", "at"], name="usage_record_by_time")]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="usage_quantity_gte_0")
        ]


class Resolution(models.TextChoices):
    HOUR = "hour", "Hour"
    DAY = "day", "Day"


class UsageRollup(models.Model):
    """The sum of a subscription's usage over one hour or one day, kept current by every ingest
    (in the same transaction), so that graphs of long windows never scan raw minutes."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    subscription = models.ForeignKey("subscriptions.Subscription", on_delete=models.PROTECT, related_name="+")
    resolution = models.CharField(max_length=4, choices=Resolution.choices)
    bucket_start = models.DateTimeField()
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "resolution", "bucket_start"], name="uniq_usage_rollup_bucket"
            )
        ]


class UsageSettings(models.Model):
    """A provider's usage-notification settings: the percentages of the allowance that notify."""

    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="usage_settings")
    thresholds = models.JSONField(default=default_thresholds)


class UsagePreference(models.Model):
    """How a customer wants to hear about their usage. Without a row: by email."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="usage_preference"
    )
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)


class UsageNotification(models.Model):
    """A usage threshold crossed in one billing period: recorded once, ever, per threshold and period.

    Thresholds crossed together by one ingest make one message, for the highest of them: the
    lower ones are recorded `folded_into` that notification and share its message and outgoing."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    subscription = models.ForeignKey("subscriptions.Subscription", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    threshold = models.PositiveSmallIntegerField()  # percent of the allowance
    channel = models.CharField(max_length=5, choices=Channel.choices)
    message = models.TextField()
    sent_at = models.DateTimeField()
    outgoing = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    folded_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_start", "threshold"], name="uniq_usage_notification"
            )
        ]
        indexes = [models.Index(fields=["customer", "-sent_at", "-id"], name="usage_notification_recent")]
