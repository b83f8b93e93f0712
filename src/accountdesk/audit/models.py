from typing import Any, NoReturn

from django.db import models

from accountdesk.tenancy.models import Provider, User


class AppendOnly(Exception):
    pass


class ChainHead(models.Model):
    """The last link of one hash chain ("activity:customer:<id>", "security:provider:<id>")."""

    key = models.CharField(max_length=80, unique=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("security log entries are never changed")

    def delete(self):
        raise AppendOnly("security log entries are never deleted")


class SecurityEvent(models.Model):
    """One entry of a provider's security log: what is not about one customer. Append-only."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    actor_type = models.CharField(max_length=10)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_email = models.CharField(max_length=254, blank=True)
    kind = models.CharField(max_length=60)
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    address = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    seq = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["provider", "-at", "-id"], name="security_recent"),
            models.Index(fields=["provider", "kind", "-at", "-id"], name="security_by_kind"),
        ]
        constraints = [models.UniqueConstraint(fields=["provider", "seq"], name="security_chain_link")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("security log entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("security log entries are never deleted")

    def chained_content(self) -> dict:
        """What the entry's hash covers."""
        return {
            "provider": self.provider_id,
            "at": self.at,
            "actor_type": self.actor_type,
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "actor_email": self.actor_email,
            "kind": self.kind,
            "summary": self.summary,
            "details": self.details,
            "address": self.address,
            "user_agent": self.user_agent,
        }
