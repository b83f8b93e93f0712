"""What a customer can be found by in the list's search.

Two ways in for other apps:
- a *contributor* adds terms to the customer's stored search text (network: MAC and IP); the app
  calls `customer_search_refresh` from its services when what it contributes changes;
- a *matcher* turns the query into a condition on customers, for records too many to copy into
  the text (billing: an exact invoice number, found through its unique index).
"""

from collections.abc import Callable, Iterable

from django.db.models import Q

Contributor = Callable[[object], Iterable[str]]
Matcher = Callable[[object, str], Q | None]
_CONTRIBUTORS: list[Contributor] = []
_MATCHERS: list[Matcher] = []


def register_search_contributor(fn: Contributor) -> Contributor:
    _CONTRIBUTORS.append(fn)
    return fn


def register_search_matcher(fn: Matcher) -> Matcher:
    """`fn(provider, query)` returns a Q on Customer (or None) that also finds a customer."""
    _MATCHERS.append(fn)
    return fn


def search_condition(provider, q: str) -> Q:
    """Customers whose search text holds every word of `q`, or whom a matcher finds."""
    condition = Q()
    for word in q.strip().lower().split()[:6]:
        condition &= Q(search_text__contains=word)
    for matcher in _MATCHERS:
        extra = matcher(provider, q.strip())
        if extra is not None:
            condition |= extra
    return condition


def _own_terms(customer) -> Iterable[str]:
    yield from (customer.number, customer.name, customer.email, customer.phone)
    yield "".join(ch for ch in customer.phone if ch.isdigit())
    yield from customer.contacts.values_list("name", flat=True)


def customer_search_refresh(customer) -> None:
    terms = [*_own_terms(customer)]
    for contributor in _CONTRIBUTORS:
        terms.extend(contributor(customer))
    text = " | ".join(t.lower() for t in terms if t)
    if text != customer.search_text:
        customer.search_text = text
        type(customer).objects.filter(pk=customer.pk).update(search_text=text)
