from django.db import models

from accountdesk.tenancy.models import Provider

QUESTION_MAX = 500


class UnansweredQuestion(models.Model):
    """A question the ask box could not answer, kept per provider so its admins can see what
    people ask (Settings > Unanswered questions): the question's text only, normalised, with the
    customer's name taken out, and how often it was asked."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=QUESTION_MAX)
    count = models.PositiveIntegerField(default=1)
    first_asked_at = models.DateTimeField()
    last_asked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "question"], name="uniq_unanswered_question")
        ]
        indexes = [models.Index(fields=["provider", "-count", "-id"], name="unanswered_most_asked")]

    def __str__(self) -> str:
        return self.question
