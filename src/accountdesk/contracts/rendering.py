"""Contract templates: {customer.name}-style placeholders filled from a fixed whitelist.

Never str.format on model objects: a template author could reach any attribute
("{customer.provider.staff...}"). Each placeholder here maps to one plain value, and
`{{` / `}}` write literal braces.
"""

import re
from collections.abc import Callable

from accountdesk.core import clock

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z_]+(?:\.[a-z_]+)?)\}")

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
    seen: list[str] = []
    for match in PLACEHOLDER.finditer(body):
        name = match.group(1)
        if name and name not in PLACEHOLDERS and name not in seen:
            seen.append(name)
    # A lone brace with something unexpected inside ("{Customer Name}") is also a mistake.
    for match in re.finditer(r"(?<!\{)\{([^{}]*)\}(?!\})", body):
        inner = match.group(1)
        if inner not in PLACEHOLDERS and inner not in seen:
            seen.append(inner)
    return seen


def render_contract(body: str, *, customer, contact) -> str:
    context = {"customer": customer, "contact": contact}

    def fill(match: re.Match) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        entry = PLACEHOLDERS.get(match.group(1))
        return str(entry[1](context) or "") if entry else token

    return PLACEHOLDER.sub(fill, body)
