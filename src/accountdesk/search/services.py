"""Keeping the questions the ask box could not answer.

Not an account's change, so no activity entry: the row holds no customer's data (the question's
text with the customer's name taken out) and no customer's timeline would show it."""

import re

from django.db import transaction
from django.db.models import F

from accountdesk.core import clock
from accountdesk.search.models import QUESTION_MAX, UnansweredQuestion
from accountdesk.search.parsing import normalise
from accountdesk.tenancy.models import Provider

# Distinct questions kept per provider: past this, only those already kept are counted.
KEPT_MAX = 2000
_NAME = "the customer"


def kept_text(question: str, *, name_words: tuple[str, ...] = ()) -> str:
    """The question as kept: normalised, without end punctuation, the customer's name replaced."""
    text = normalise(question).strip(" ?!.")
    for word in name_words:
        text = re.sub(rf"\b{re.escape(word)}('s)?\b", _NAME, text)
    return re.sub(rf"({_NAME} )+{_NAME}", _NAME, text)[:QUESTION_MAX]


@transaction.atomic
def unanswered_record(*, provider: Provider, question: str, name_words: tuple[str, ...] = ()) -> None:
    """Count one asking of a question that could not be answered."""
    text = kept_text(question, name_words=name_words)
    if not text:
        return
    now = clock.now()
    updated = UnansweredQuestion.objects.filter(provider=provider, question=text).update(
        count=F("count") + 1, last_asked_at=now
    )
    if updated or UnansweredQuestion.objects.filter(provider=provider).count() >= KEPT_MAX:
        return
    row, created = UnansweredQuestion.objects.get_or_create(
        provider=provider, question=text, defaults={"first_asked_at": now, "last_asked_at": now}
    )
    if not created:  # asked at the same moment by someone else
        UnansweredQuestion.objects.filter(pk=row.pk).update(count=F("count") + 1, last_asked_at=now)
