"""The customer list's search text: what a customer can be found by.

Other apps (network: MAC and IP; billing: invoice numbers) register a contributor
and call `customer_search_refresh` from their services when what they contribute changes.
"""

from collections.abc import Callable, Iterable

Contributor = Callable[[object], Iterable[str]]
_CONTRIBUTORS: list[Contributor] = []


def register_search_contributor(fn: Contributor) -> Contributor:
    _CONTRIBUTORS.append(fn)
    return fn


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
