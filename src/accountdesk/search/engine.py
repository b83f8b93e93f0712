"""The offline question engine: plain-English questions about one customer, answered from the
domain apps' selectors with no outside service.

Each rule is a few keywords (a regular expression over the normalised question) and the function
that answers it (intents.py). The rules are tried in order and the first that matches answers, so
the narrower ones come first ("unpaid invoices" before "how much ... owe", "credit" before
"balance"). Before a rule reads anything the engine checks that the asker may see it and that the
provider has its module: a technician asking about money is told so, with no figure and no record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from accountdesk.core import clock
from accountdesk.core.visibility import MONEY_PERMISSION
from accountdesk.customers.models import Customer
from accountdesk.search import intents
from accountdesk.search.answers import Answer
from accountdesk.search.parsing import normalise
from accountdesk.tenancy.models import MODULE_LABELS

QUESTION_MAX_LENGTH = 500

DENIED = {
    MONEY_PERMISSION: "You may not see billing figures, so I cannot answer that.",
    "notes.view": "You may not see notes, so I cannot answer that.",
}


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    answer: Callable[[intents.Question], Answer]
    example: str
    permission: str | None = None
    module: str | None = None


def _rule(name, pattern: str, answer, example: str, *, permission=None, module=None) -> Rule:
    return Rule(name, re.compile(pattern), answer, example, permission, module)


MONEY = MONEY_PERMISSION

RULES: list[Rule] = [
    _rule(
        "next_bill",
        r"\bnext (bill|invoice|billing)\b|\bbill(ing)? date\b|\bwhen (will|are|do) they (be )?bill",
        intents.next_bill, "next bill date", permission=MONEY,
    ),
    _rule(
        "invoices", r"\binvoices?\b|\bbills\b", intents.invoices, "unpaid invoices over 100",
        permission=MONEY,
    ),
    _rule(
        "tickets", r"\b(tickets?|service requests?|support requests?)\b", intents.tickets,
        "tickets this year", module="service_desk",
    ),
    _rule(
        "jobs", r"\b(jobs?|appointments?|visits?|installs?|installations?|service calls?|technician)\b",
        intents.jobs, "open jobs next week", module="field_service",
    ),
    _rule("status", r"\bstatus(es)?\b", intents.status_history, "who changed the status"),
    _rule("credit", r"\bcredits?\b(?! ?cards?)", intents.credit, "account credit", permission=MONEY),
    _rule(
        "last_payment",
        r"\bpayments?\b|\b(last|latest|recent|when)\b.*\b(pay|paid)\b",
        intents.last_payment, "when did they last pay", permission=MONEY,
    ),
    _rule(
        "balance",
        r"\b(balance|owe[sd]?|owing|debt|arrears|how much)\b|\b(total|amount) due\b",
        intents.balance, "what's the balance", permission=MONEY,
    ),
    _rule(
        "plan", r"\b(plans?|packages?|subscriptions?|subscribed|tariff|services?)\b", intents.plan,
        "which plan are they on",
    ),
    _rule(
        "contacts", r"\b(contacts?|who (do|should) (i|we) (call|email|speak to|talk to)|phone|email)\b",
        intents.contacts, "primary contact",
    ),
    _rule("notes", r"\bnotes?\b", intents.last_note, "last note", permission="notes.view"),
]  # fmt: skip


def _allowed(rule: Rule, viewer, provider) -> bool:
    return (rule.permission is None or viewer.can(rule.permission)) and (
        rule.module is None or provider.has_module(rule.module)
    )


# The examples of the help answer, in the product's order (product.md) rather than the rules'.
HELP_ORDER = (
    "balance", "last_payment", "invoices", "plan", "jobs", "tickets", "status",
    "credit", "contacts", "notes", "next_bill",
)  # fmt: skip


def _help(viewer, provider) -> Answer:
    rules = sorted(RULES, key=lambda r: HELP_ORDER.index(r.name))
    examples = [f"\u201c{r.example}\u201d" for r in rules if _allowed(r, viewer, provider)]
    return Answer(
        "I did not understand that. I can answer questions such as " + ", ".join(examples) + ".",
        intent="unknown",
    )


def ask(*, viewer, customer: Customer, question: str) -> Answer:
    """Answer a question about `customer` for `viewer` (a staff user or an API actor, anything with
    can(permission)), who may already view the customer. The customer is the caller's lookup,
    scoped to the viewer's provider; nothing here reads another customer."""
    text = normalise(question)
    provider = customer.provider
    for rule in RULES:
        if not rule.pattern.search(text):
            continue
        if rule.module is not None and not provider.has_module(rule.module):
            label = MODULE_LABELS.get(rule.module, rule.module)
            text = f"{label} is not enabled for your provider, so I cannot answer that."
            return Answer(text, intent=rule.name)
        if rule.permission is not None and not viewer.can(rule.permission):
            return Answer(DENIED[rule.permission], intent=rule.name)
        answer = rule.answer(intents.Question(text, customer, viewer, clock.today()))
        return Answer(answer.text, answer.citations, intent=rule.name)
    return _help(viewer, provider)
