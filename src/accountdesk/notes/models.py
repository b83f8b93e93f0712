from django.db import models

from accountdesk.tenancy.models import Provider, User

NOTE_MAX_LENGTH = 10_000


class Note(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="notes")
    created_at = models.DateTimeField()
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=150)
    body = models.TextField(max_length=NOTE_MAX_LENGTH)

    class Meta:
        indexes = [models.Index(fields=["customer", "-created_at", "-id"], name="note_recent")]

    def __str__(self) -> str:
        return self.excerpt

    @property
    def excerpt(self) -> str:
        text = " ".join(self.body.split())
        return text if len(text) <= 120 else text[:119] + "…"
