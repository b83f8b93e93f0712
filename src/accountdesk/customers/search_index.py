"""What a customer can be found by in the list's search.

Two ways in for other apps:
- a *contributor* adds terms to the customer's stored search text (network: MAC and IP); the app
  calls `customer_search_refresh` from its services when what it contributes changes;
- a *matcher* turns the query into a condition on customers, for records too many to copy into
  the text (billing: an invoice number, found through its unique index).

People type what they read: a phone number in any punctuation ("720-361-5429", "+1 720 361 5429",
"(720) 361.5429") and a number without its padding or in any case ("c-108", "C000108", "inv-123").
A phone query is matched by its digits, against the phone's digits kept in the text; a record
number is turned into its one stored form (`padded_number`) and found through its unique index.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from accountdesk.customers.models import Customer
    from accountdesk.tenancy.models import Provider

Contributor = Callable[["Customer"], Iterable[str]]
Matcher = Callable[["Provider", str], "Q | None"]
_CONTRIBUTORS: list[Contributor] = []
_MATCHERS: list[Matcher] = []


def register_search_contributor(fn: Contributor) -> Contributor:
    _CONTRIBUTORS.append(fn)
    return fn


def register_search_matcher(fn: Matcher) -> Matcher:
    """`fn(provider, query)` returns a Q on Customer (or None) that also finds a customer."""
    _MATCHERS.append(fn)
    return fn


_PHONE_QUERY = re.compile(r"^\+?[\d\s().\-]+$")
PHONE_MIN_DIGITS = 7
_NUMBER_QUERY = re.compile(r"^([a-z]*)[\s#:-]*(\d{1,18})$", re.IGNORECASE)
NUMBER_WIDTH = 6  # C-000108, INV-000123, T-000007: the sequences' zero padding


def phone_digits(q: str) -> str | None:
    """The digits of a query that is a phone number in any punctuation, else None. A North
    American number's leading country code 1 goes, so "+1 720 361 5429" finds a phone stored as
    "(720) 361-5429" as well as one stored as "+1-720-361-5429"."""
    q = q.strip()
    if not _PHONE_QUERY.match(q):
        return None
    digits = "".join(ch for ch in q if ch.isdigit())
    if len(digits) < PHONE_MIN_DIGITS:
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def padded_number(q: str, prefix: str, *, bare: bool = False) -> str | None:
    """The stored form ("C-000108") of a record number typed as "c-108", "C000108", "c 108" or,
    with `bare`, "108"; None when `q` is not such a number."""
    match = _NUMBER_QUERY.match(q.strip())
    if not match:
        return None
    typed_prefix, digits = match.groups()
    if typed_prefix.upper() != prefix.upper() and not (bare and not typed_prefix):
        return None
    return f"{prefix.upper()}-{int(digits):0{NUMBER_WIDTH}d}"


def search_condition(provider: Provider, q: str) -> Q:
    """Customers whose search text holds every word of `q` (or, for a phone number, its digits),
    or whom a matcher finds."""
    condition = Q()
    for word in q.strip().lower().split()[:6]:
        condition &= Q(search_text__contains=word)
    # What looks like a phone number may be one, or something else of digits and dots (an IP
    # address): found either way.
    if digits := phone_digits(q):
        condition |= Q(search_text__contains=digits)
    number = padded_number(q, "C", bare=True)
    if number:
        condition |= Q(provider=provider, number=number)
    for matcher in _MATCHERS:
        extra = matcher(provider, q.strip())
        if extra is not None:
            condition |= extra
    return condition


def search_text_of(
    *, number: str, name: str, email: str, phone: str, contact_names: Iterable[str], extra: Iterable[str] = ()
) -> str:
    """The stored search text of a customer with these contacts and the contributors' `extra`
    terms; bulk writers (the import) compute it without reading the customer's rows back."""
    terms = [number, name, email, phone, "".join(ch for ch in phone if ch.isdigit())]
    terms.extend(contact_names)
    terms.extend(extra)
    return " | ".join(t.lower() for t in terms if t)


def customer_search_refresh(customer: Customer) -> None:
    extra: list[str] = []
    for contributor in _CONTRIBUTORS:
        extra.extend(contributor(customer))
    names = customer.contacts.values_list("name", flat=True)
    text = search_text_of(
        number=customer.number, name=customer.name, email=customer.email, phone=customer.phone,
        contact_names=names, extra=extra,
    )  # fmt: skip
    if text != customer.search_text:
        customer.search_text = text
        type(customer).objects.filter(pk=customer.pk).update(search_text=text)
