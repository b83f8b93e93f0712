"""Collections (dunning): each provider's policy of steps, and where each customer stands.

A customer's *overdue episode* opens when the run first finds an invoice of theirs overdue and
closes when nothing is overdue any more. Each step of the policy fires at most once per episode:
the DunningAction rows (unique per customer, episode and step day) are what make a rerun of the
same date, or of any later one, do nothing twice.
"""

import datetime as dt

from django.db import models

from accountdesk.core.dates import date_text
from accountdesk.core.money import MONEY_MAX_DIGITS, MONEY_PLACES
from accountdesk.tenancy.models import Provider


class StepAction(models.TextChoices):
    EMAIL = "email", "Email reminder"
    SMS = "sms", "SMS reminder"
    FEE = "fee", "Late fee"
    BLOCK = "block", "Block the account"


# What a customer's stage reads as, by the last step that fired.
STAGE_LABELS: dict[str, str] = {
    StepAction.EMAIL: "Reminder sent",
    StepAction.SMS: "Reminder sent",
    StepAction.FEE: "Late fee added",
    StepAction.BLOCK: "Blocked",
}


# A step as a sentence reads it ("at 10 days overdue: SMS reminder").
STEP_PHRASES: dict[str, str] = {
    StepAction.EMAIL: "email reminder",
    StepAction.SMS: "SMS reminder",
    StepAction.FEE: "late fee",
    StepAction.BLOCK: "block the account",
}


class DunningPolicy(models.Model):
    """A provider's collections policy: off until an administrator saves one."""

    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="dunning_policy")
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Collections policy of {self.provider_id}"


class DunningStep(models.Model):
    """One step: at `days` overdue (counted from the oldest overdue invoice's due date), send a
    reminder from a template, add a late fee, or block the account."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)
    policy = models.ForeignKey(DunningPolicy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    days = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=10, choices=StepAction.choices)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    fee = models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "position"], name="dunning_step_position"),
            models.UniqueConstraint(fields=["policy", "days"], name="dunning_step_days"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.days} days"

    @property
    def phrase(self) -> str:
        return STEP_PHRASES[self.action]

    @property
    def is_reminder(self) -> bool:
        return self.action in (StepAction.EMAIL, StepAction.SMS)

    @property
    def is_email(self) -> bool:
        return self.action == StepAction.EMAIL

    @property
    def is_fee(self) -> bool:
        return self.action == StepAction.FEE


class DunningState(models.Model):
    """Where one customer stands in collections: the open episode (if any), the last step that
    fired in it, a promise to pay, and the block dunning set (so a payment lifts only that one)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="dunning_state"
    )
    episode = models.PositiveIntegerField(default=0)
    # The oldest overdue invoice's due date when the episode opened; None: no open episode.
    overdue_since = models.DateField(null=True, blank=True)
    stage_days = models.PositiveSmallIntegerField(null=True, blank=True)
    stage_action = models.CharField(max_length=10, choices=StepAction.choices, blank=True)
    stage_on = models.DateField(null=True, blank=True)
    promise_until = models.DateField(null=True, blank=True)
    promise_note = models.CharField(max_length=300, blank=True)
    # The status change by which dunning blocked the account; lifted on payment only while it is
    # still the account's latest status change (a person's later block or unblock wins).
    block_change_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Collections of customer {self.customer_id}"

    @property
    def in_episode(self) -> bool:
        return self.overdue_since is not None

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage_action, "Overdue") if self.stage_action else "No step yet"

    def badge(self, today: dt.date) -> tuple[str, str] | None:
        """The customer's stage as the top row shows it: (words, tone), tone one of info, warning and
        danger; None when the customer is not in collections and has no promise to pay."""
        if self.is_paused(today):
            assert self.promise_until is not None
            return f"Promise to pay by {date_text(self.promise_until)}", "info"
        if not self.in_episode:
            return None
        if not self.stage_action:
            return "Collections: no step yet", "warning"
        tone = "danger" if self.stage_action == StepAction.BLOCK else "warning"
        return f"Collections: {self.stage_label.lower()} ({self.stage_days} days)", tone

    def is_paused(self, today: dt.date) -> bool:
        """A promise to pay holds the steps up to and including its day; it lapses by itself."""
        return self.promise_until is not None and today <= self.promise_until


class DunningAction(models.Model):
    """A step that fired for a customer in an episode: what it did, on which run date."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    episode = models.PositiveIntegerField()
    days = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=10, choices=StepAction.choices)
    run_on = models.DateField()
    at = models.DateTimeField()
    outcome = models.CharField(max_length=300)
    invoice_id = models.BigIntegerField(null=True, blank=True)
    message_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "episode", "days"], name="dunning_action_once"),
        ]
        indexes = [models.Index(fields=["customer", "-at", "-id"], name="dunning_action_recent")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.days} days for customer {self.customer_id}"
