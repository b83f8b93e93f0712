from typing import Any, NoReturn

from django.db import models

from accountdesk.core.actors import ActorType
from accountdesk.tenancy.models import Provider, User


class AppendOnly(Exception):
    pass


def activity_chain_key(customer_id: int) -> str:
    return f"activity:customer:{customer_id}"


# What an entry's hash covers: (name in the hashed content, attribute). The data migration that
# chained the entries written before chaining keeps its own copy of this list.
CHAINED_FIELDS: tuple[tuple[str, str], ...] = (
    ("provider", "provider_id"),
    ("customer", "customer_id"),
    ("at", "at"),
    ("actor_type", "actor_type"),
    ("actor", "actor_id"),
    ("actor_name", "actor_name"),
    ("actor_email", "actor_email"),
    ("kind", "kind"),
    ("group", "group"),
    ("summary", "summary"),
    ("subject_type", "subject_type"),
    ("subject_id", "subject_id"),
    ("details", "details"),
)
CHAINED_ATTRS = tuple(attr for _, attr in CHAINED_FIELDS)


def chained_content_of(values) -> dict:
    """The hashed content from the CHAINED_ATTRS values, in that order (a values_list row)."""
    return {name: value for (name, _), value in zip(CHAINED_FIELDS, values, strict=True)}


class ActivityQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused too, not only the instance's save() and delete()."""

    def update(self, **kwargs):
        raise AppendOnly("activity entries are never changed")

    def delete(self):
        raise AppendOnly("activity entries are never deleted")


class Activity(models.Model):
    """One entry of a customer's activity log. Append-only: never updated, never deleted."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="activity")
    at = models.DateTimeField(db_index=False)
    actor_type = models.CharField(max_length=10, choices=ActorType.CHOICES)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_email = models.CharField(max_length=254, null=True, blank=True)
    kind = models.CharField(max_length=60)
    group = models.CharField(max_length=20)
    summary = models.CharField(max_length=300)
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # The link in the customer's hash chain (see accountdesk.audit.chain).
    seq = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-at", "-id"], name="activity_recent"),
            models.Index(fields=["customer", "group", "-at", "-id"], name="activity_by_group"),
        ]
        constraints = [models.UniqueConstraint(fields=["customer", "seq"], name="activity_chain_link")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("activity entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("activity entries are never deleted")

    def chained_content(self) -> dict:
        """What the entry's hash covers."""
        return chained_content_of(getattr(self, attr) for attr in CHAINED_ATTRS)

    @property
    def subject(self) -> dict | None:
        if not self.subject_type:
            return None
        return {"type": self.subject_type, "id": self.subject_id}
