"""Contract templates: {customer.name}-style placeholders filled from a fixed whitelist.

Never str.format on model objects: a template author could reach any attribute
("{customer.provider.staff...}"). Each placeholder here maps to one plain value, and
`{{` / `}}` write literal braces.
"""

from collections.abc import Callable
from functools import partial

from accountdesk.core import clock
from accountdesk.core.placeholders import placeholders_fill, placeholders_unknown

# name -> (description, how to read it from the context)
PLACEHOLDERS: dict[str, tuple[str, Callable[[dict], str]]] = {
    "customer.name": ("Customer name", lambda c: c["customer"].name),
    "customer.number": ("Customer number", lambda c: c["customer"].number),
    "customer.email": ("Customer email", lambda c: c["customer"].email),
    "customer.phone": ("Customer phone", lambda c: c["customer"].phone),
    "customer.billing_address": ("Billing address", lambda c: c["customer"].billing_address),
    "customer.service_address": ("Service address", lambda c: c["customer"].service_address),
    "contact.name": ("Signer's name", lambda c: c["contact"].name),
    "contact.title": ("Signer's title", lambda c: c["contact"].title),
    "contact.email": ("Signer's email", lambda c: c["contact"].email),
    "provider.name": ("Your company name", lambda c: c["customer"].provider.name),
    "today": ("Today's date (YYYY-MM-DD)", lambda c: clock.today().isoformat()),
}


def unknown_placeholders(body: str) -> list[str]:
    """Placeholders in `body` the renderer does not know, in order of appearance."""
    return placeholders_unknown(body, PLACEHOLDERS)


def render_contract(body: str, *, customer, contact) -> str:
    context = {"customer": customer, "contact": contact}
    return placeholders_fill(body, {name: partial(read, context) for name, (_, read) in PLACEHOLDERS.items()})
