"""The offline question engine: plain-English questions about one customer, answered from the
domain apps' selectors with no outside service.

understanding.py reads which topic a question asks about (a classifier trained from the tuning
phrasings, plus a custom field found by its name), or, when one is set up, a language model picks
it (llm.py: it only picks the topic and its arguments, and the offline reading answers whenever it
cannot); each topic here names the function that answers
it (intents.py), the permission and the module it needs, and an example question it answers.
Before a topic's function reads anything the engine checks that the asker may see it and that the
provider has its module: a technician asking about money is told so, with no figure and no record.

A question the engine is not sure of is not answered with a guess: it says so, offers the closest
topics' example questions (the page shows them as buttons that ask them), and keeps the question
text, normalised, in the provider's unanswered questions (Settings > Unanswered questions).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from accountdesk.core import clock
from accountdesk.core.money import quantize
from accountdesk.core.visibility import MONEY_PERMISSION
from accountdesk.customers.models import Customer, CustomFieldDefinition
from accountdesk.search import intents, llm, understanding
from accountdesk.search.answers import Answer
from accountdesk.search.parsing import Threshold, day_in, normalise, period_in
from accountdesk.tenancy.models import MODULE_LABELS

QUESTION_MAX_LENGTH = 500
# A provider's custom fields read to find one named in a question (they are few; this bounds it).
FIELD_LIMIT = 200

DENIED = {
    MONEY_PERMISSION: "You may not see billing figures, so I cannot answer that.",
    "notes.view": "You may not see notes, so I cannot answer that.",
}
NOT_UNDERSTOOD = "I can\u2019t answer that."

MONEY = MONEY_PERMISSION


@dataclass(frozen=True)
class Topic:
    name: str
    answer: Callable[[intents.Question], Answer]
    example: str
    permission: str | None = None
    module: str | None = None


def _topic(name, answer, example: str, *, permission=None, module=None) -> Topic:
    return Topic(name, answer, example, permission, module)


TOPICS: dict[str, Topic] = {t.name: t for t in [
    _topic("balance", intents.balance, "what's the balance", permission=MONEY),
    _topic("balance_why", intents.balance_why, "why is the balance so high", permission=MONEY),
    _topic("balance_on", intents.balance_on, "what was the balance on 1 March", permission=MONEY),
    _topic("overdue", intents.overdue, "how much is overdue and since when", permission=MONEY),
    _topic("credit", intents.credit, "account credit", permission=MONEY),
    _topic("lifetime", intents.lifetime, "how much have they paid in total", permission=MONEY),
    _topic("last_payment", intents.last_payment, "when did they last pay", permission=MONEY),
    _topic("payments", intents.payments, "payments this year", permission=MONEY),
    _topic("invoices", intents.invoices, "unpaid invoices over 100", permission=MONEY),
    _topic("invoice_count", intents.invoice_count, "how many invoices this year", permission=MONEY),
    _topic("invoice_latest", intents.invoice_latest, "latest invoice", permission=MONEY),
    _topic("plan", intents.plan, "which plan are they on"),
    _topic("next_bill", intents.next_bill, "when is the next bill", permission=MONEY),
    _topic("contacts", intents.contacts, "primary contact"),
    _topic(
        "instalments", intents.instalments, "instalments remaining", permission=MONEY, module="instalments"
    ),
    _topic("tickets", intents.tickets, "open tickets", module="service_desk"),
    _topic("jobs", intents.jobs, "open jobs next week", module="field_service"),
    _topic("equipment", intents.equipment, "equipment MAC and IP", module="network"),
    _topic("usage", intents.usage, "usage this period", module="usage"),
    _topic("status", intents.status_history, "who changed the status"),
    _topic("notes", intents.last_note, "last note", permission="notes.view"),
    _topic("account_manager", intents.account_manager, "who is the account manager"),
    _topic("contract", intents.contract, "contract status", module="contracts"),
    _topic("custom_field", intents.custom_field, "custom fields"),
]}  # fmt: skip


def allowed(topic: Topic, viewer, provider) -> bool:
    return (topic.permission is None or viewer.can(topic.permission)) and (
        topic.module is None or provider.has_module(topic.module)
    )


def suggestions(closest: tuple[str, ...], viewer, provider) -> list[str]:
    """Example questions of the closest topics the asker may ask about, best first (three)."""
    shown = [TOPICS[name] for name in closest if name in TOPICS and allowed(TOPICS[name], viewer, provider)]
    if len(shown) < understanding.SUGGESTIONS:
        shown += [t for t in TOPICS.values() if t not in shown and allowed(t, viewer, provider)]
    return [t.example for t in shown[: understanding.SUGGESTIONS]]


def field_names(provider) -> list[str]:
    return list(
        CustomFieldDefinition.objects.filter(provider=provider).values_list("name", flat=True)[:FIELD_LIMIT]
    )


# Two questions about the balance that the classifier's topics do not separate, read by their
# shape: "why" about what is owed (the explanation), and what was owed on a named day (the books
# rebuilt as of that day).
_MONEY_WORDS = r"\b(balance|owe|owes|owed|owing|due|outstanding|bill|debt|arrears)\b"
_WHY = re.compile(rf"\b(why|whys|how come)\b.*{_MONEY_WORDS}|{_MONEY_WORDS}.*\bwhy\b")


# The topics read by the question's shape, not by the classifier (no phrasings to tune on).
BY_SHAPE = ("balance_why", "balance_on")


def _by_shape(text: str) -> str | None:
    if _WHY.search(text):
        return "balance_why"
    if re.search(_MONEY_WORDS, text) and day_in(text, clock.today()) is not None:
        return "balance_on"
    return None


def understand(*, customer: Customer, text: str) -> tuple[understanding.Reading, str | None, llm.Pick | None]:
    """The reading of a normalised question about `customer`, the custom field it names, and, on
    the language-model path, what the model picked (None when it is off or did not answer)."""
    names = field_names(customer.provider)
    field = understanding.field_named(text, names)
    reading = understanding.read(text, names=understanding.name_words(customer.name), field_names=names)
    if (shaped := _by_shape(text)) is not None:
        reading = understanding.Reading(shaped, 1.0, reading.closest)
    picked = llm.pick(text, {name: t.example for name, t in TOPICS.items()}) if llm.enabled() else None
    if picked is None:
        return reading, field, None
    if picked.topic == llm.CANNOT_ANSWER:
        return understanding.Reading(None, 0.0, reading.closest), None, picked
    if picked.field_name:
        field = next((n for n in names if n.lower() == picked.field_name.lower()), field)
    return understanding.Reading(picked.topic, 1.0, reading.closest), field, picked


def _with_arguments(asked: intents.Question, picked: llm.Pick | None) -> intents.Question:
    """The model's arguments, where they read as ours, in place of those found in the words."""
    if picked is None:
        return asked
    if picked.period and (period := period_in(normalise(picked.period), asked.today)):
        asked.period = period
    if picked.above is not None:
        asked.threshold = Threshold(amount=quantize(picked.above), above=True)
    elif picked.below is not None:
        asked.threshold = Threshold(amount=quantize(picked.below), above=False)
    if picked.invoice_number:
        asked.invoice_number = picked.invoice_number
    return asked


def ask(*, viewer, customer: Customer, question: str, record_miss: bool = True) -> Answer:
    """Answer a question about `customer` for `viewer` (a staff user or an API actor, anything with
    can(permission)), who may already view the customer. The customer is the caller's lookup,
    scoped to the viewer's provider; nothing here reads another customer.

    A question not understood is kept (its text only) for the provider's admins unless
    `record_miss` is False (the benchmark)."""
    text = normalise(question)
    provider = customer.provider
    reading, field, picked = understand(customer=customer, text=text)
    if reading.topic is None:
        if record_miss:
            from accountdesk.search.services import unanswered_record

            unanswered_record(
                provider=provider, question=question, name_words=understanding.name_words(customer.name)
            )
        offered = suggestions(reading.closest, viewer, provider)
        return Answer(
            f"{NOT_UNDERSTOOD} Try one of these questions instead.", intent="unknown", suggestions=offered
        )
    topic = TOPICS[reading.topic]
    if topic.module is not None and not provider.has_module(topic.module):
        label = MODULE_LABELS.get(topic.module, topic.module)
        return Answer(
            f"{label} is not enabled for your provider, so I cannot answer that.", intent=topic.name
        )
    if topic.permission is not None and not viewer.can(topic.permission):
        return Answer(DENIED[topic.permission], intent=topic.name)
    asked = intents.Question(text, customer, viewer, clock.today(), field_name=field)
    answer = topic.answer(_with_arguments(asked, picked))
    return Answer(answer.text, answer.citations, intent=topic.name)
