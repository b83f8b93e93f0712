"""Checks on free text that people type: memos, notes, references, tickets, messages...

Card numbers are never stored in free text (PCI DSS keeps them out of everything but the payment
gateway). Any 13 to 19 digits that pass the Luhn check are refused, however they are written:
together, or in groups split by spaces, dashes or dots ("4111 1111-1111.1111"). Services call
`refuse_card_number` on each free-text field they store, so the pages and the API refuse alike.
"""

import re
from typing import TypeVar

from accountdesk.core.errors import ValidationFailed

T = TypeVar("T")

CARD_NUMBER_MESSAGE = "This looks like a card number; card numbers are never stored here. Remove it."
CARD_MIN_DIGITS, CARD_MAX_DIGITS = 13, 19
# Digit groups joined by up to three separators: spaces (incl. no-break and tabs), dots, dashes.
_SEPARATOR = "[ \t\u00a0\u202f.\\-\u2010-\u2015]"
_RUN = re.compile(f"[0-9]+(?:{_SEPARATOR}{{1,3}}[0-9]+)*")
_GROUP = re.compile("[0-9]+")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def contains_card_number(text: str) -> bool:
    """Whether some consecutive digit groups of the text hold 13-19 digits that pass Luhn."""
    if len(text) < CARD_MIN_DIGITS:
        return False  # too short to hold that many digits (most names, cities and codes)
    for run in _RUN.finditer(text):
        groups = _GROUP.findall(run.group())
        for first in range(len(groups)):
            digits = ""
            for group in groups[first:]:
                digits += group
                if len(digits) > CARD_MAX_DIGITS:
                    break
                if len(digits) >= CARD_MIN_DIGITS and luhn_valid(digits):
                    return True
    return False


def refuse_card_number(text: T, field: str) -> T:
    """The text unchanged, or a 422 on `field` when it holds something that looks like a card number."""
    if isinstance(text, str) and contains_card_number(text):
        raise ValidationFailed(CARD_NUMBER_MESSAGE, fields={field: CARD_NUMBER_MESSAGE})
    return text


def refuse_card_numbers(values: dict[str, object], *, skip: tuple[str, ...] = ()) -> None:
    """refuse_card_number on every text value of a dict of fields (but those named in `skip`)."""
    for field, value in values.items():
        if field not in skip:
            refuse_card_number(value, field)
