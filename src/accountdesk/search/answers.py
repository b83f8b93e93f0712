"""What a question gets back: one sentence and the records it rests on, each a link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from accountdesk.core import money
from accountdesk.core.dates import date_text as _date_text
from accountdesk.core.templatetags.accountdesk import ad_datetime
from accountdesk.customers.models import Customer

# A sentence names a few records; the citations list at most this many (the answer says how many
# there are in all).
NAMED_IN_SENTENCE = 3
CITATION_LIMIT = 10


@dataclass(frozen=True)
class Citation:
    type: str
    id: int
    label: str
    url: str

    @property
    def kind_label(self) -> str:
        return self.type.replace("_", " ").capitalize()

    @property
    def shown_kind(self) -> str:
        """The kind shown before the label on the page, unless the label already names it
        ("Note #12", "Payment of 03 Mar 2026"): a link never reads "Note Note #12"."""
        first = self.label.split(" ", 1)[0].lower()
        return "" if first == self.kind_label.split(" ", 1)[0].lower() else self.kind_label

    def as_dict(self) -> dict:
        return {"type": self.type, "id": self.id, "label": self.label, "url": self.url}


@dataclass(frozen=True)
class Answer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    # Which topic answered ("unknown" when none did); for the page and the tests, not the API.
    intent: str = "unknown"
    # Questions it can answer, offered when it could not answer this one.
    suggestions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "answer": self.text,
            "citations": [c.as_dict() for c in self.citations],
            "suggestions": list(self.suggestions),
        }


def tab_url(name: str, customer: Customer, *ids: int) -> str:
    """A customer tab's URL ("tabs:<name>"), with the record's id for the pages that show one."""
    return reverse(f"tabs:{name}", args=[customer.pk, *ids])


def cite(type_: str, record, label: str, url: str) -> Citation:
    return Citation(type=type_, id=record.pk, label=label, url=url)


def money_text(amount: Decimal, customer: Customer) -> str:
    """Money in the customer's currency and the provider's locale, as the pages show it."""
    return money.money_text(amount, customer.currency, getattr(customer.provider, "locale", None))


def date_text(value: dt.date | dt.datetime | None) -> str:
    return _date_text(value)


def moment_text(value: dt.datetime) -> str:
    return ad_datetime(value)


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def listing(items: list[str], total: int | None = None) -> str:
    """ "a, b and c"; with more in all than named, "a, b, c and 4 more"."""
    total = len(items) if total is None else total
    shown = items[:NAMED_IN_SENTENCE]
    rest = total - len(shown)
    if rest > 0:
        return f"{', '.join(shown)} and {rest} more"
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} and {shown[-1]}"
