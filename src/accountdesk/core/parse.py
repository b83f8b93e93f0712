"""The one set of input parsers for services: money, decimals, text, choices and dates.

Each takes what a page or an API client sent, returns the clean value, or raises ValidationFailed
naming the field, so every app words the same mistake the same way. The rules for the values
themselves live beside their kind: amounts in core.money, dates in core.dates, card numbers in
core.text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db.models import TextChoices

from accountdesk.core.dates import NOT_A_DATE, date_field
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.money import InvalidAmount
from accountdesk.core.money import parse_amount as amount_from_text
from accountdesk.core.text import refuse_card_number

FLOAT_AMOUNT = 'Send money as a string such as "12.30".'


def _refuse(field: str, message: str, field_message: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, fields={field: field_message or message})


def _label(field: str, label: str) -> str:
    return label or field.replace("_", " ").capitalize()


def parse_amount(
    raw: object, *, field: str = "amount", allow_zero: bool = False, allow_negative: bool = False
) -> Decimal:
    """A money amount sent as text ("12.30"): two decimals at most, no exponent, never a float
    (a float has already lost the exact cents and hides exponent notation such as 1e3)."""
    if isinstance(raw, float):
        raise _refuse(field, FLOAT_AMOUNT)
    try:
        return amount_from_text(raw, allow_zero=allow_zero, allow_negative=allow_negative)
    except InvalidAmount as exc:
        raise _refuse(field, str(exc)) from None


def parse_decimal(raw: object, *, field: str, places: int, low: Decimal, high: Decimal) -> Decimal:
    """A plain decimal number (a quantity, a tax rate) from `low` to `high` with at most `places`
    decimals; no exponent, no NaN or infinity."""
    message = f"Enter a number between {low} and {high} with at most {places} decimals."
    text = str(raw).strip() if raw is not None and not isinstance(raw, bool) else ""
    if not text or "e" in text.lower():
        raise _refuse(field, message)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _refuse(field, message) from None
    exponent = value.as_tuple().exponent
    if (
        not value.is_finite()
        or not isinstance(exponent, int)
        or exponent < -places
        or not low <= value <= high
    ):
        raise _refuse(field, message)
    return value


def parse_text(
    raw: object,
    *,
    field: str,
    max_length: int,
    required: bool = False,
    single_line: bool = False,
    label: str = "",
    missing: str = "Required.",
) -> str:
    """Text trimmed of surrounding spaces (`single_line`: every run of spaces and line breaks made
    one space), at most `max_length` characters and never holding a card number. `label` names the
    field in the message (default: the field's name); `missing` is the field's hint when required
    text is empty."""
    text = str(raw or "")
    text = " ".join(text.split()) if single_line else text.strip()
    if required and not text:
        raise _refuse(field, f"{_label(field, label)} is required.", missing)
    if len(text) > max_length:
        raise _refuse(field, f"{_label(field, label)} is too long.", f"At most {max_length:,} characters.")
    return refuse_card_number(text, field)


def parse_choice(raw: object, *, field: str, choices: type[TextChoices]) -> str:
    """One of the values of `choices`."""
    if raw not in choices.values:
        raise _refuse(field, f"Choose one of: {', '.join(choices.values)}.")
    return str(raw)


def parse_date(raw: object, *, field: str) -> dt.date:
    """A required date: a date (the date of a datetime) or "YYYY-MM-DD" text, within the range
    core.dates accepts."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    value = date_field(raw, field)
    if value is None:
        raise _refuse(field, NOT_A_DATE)
    return value
