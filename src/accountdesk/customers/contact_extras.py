"""What other apps add to each row of the Contacts tab (the portal: each contact's access and the
buttons to grant, revoke or open it). Each app registers its own in AppConfig.ready().

`load(user, customer, contacts)` reads what the rows need in one bounded read and returns
{contact id: value}; `template` renders one row's cell with `customer`, `contact` and `value`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ContactExtra:
    key: str
    template: str
    load: Callable[..., dict[int, Any]]


CONTACT_EXTRAS: dict[str, ContactExtra] = {}


def register_contact_extra(key: str, template: str, load: Callable[..., dict[int, Any]]) -> None:
    CONTACT_EXTRAS[key] = ContactExtra(key, template, load)


def contact_extras_for(user, customer, contacts: list) -> dict[int, list[tuple[str, Any]]]:
    """{contact id: [(template, value), ...]} for the Contacts tab's rows."""
    rows: dict[int, list[tuple[str, Any]]] = {c.pk: [] for c in contacts}
    for extra in CONTACT_EXTRAS.values():
        values = extra.load(user, customer, contacts)
        for contact in contacts:
            rows[contact.pk].append((extra.template, values.get(contact.pk)))
    return rows
