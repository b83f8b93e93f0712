"""The one parser for whole-number counts typed or sent by clients (usage quantities and the like).

A count is plain ASCII digits (or a JSON integer): no sign, no exponent ("1e9"), no decimal point,
no float (5.0 from JSON has already lost the exactness of large values), no other script's digits,
and never more than the caller's maximum, so it always fits the column it is stored in.
"""

import re

_DIGITS = re.compile(r"[0-9]{1,20}")


class InvalidNumber(ValueError):
    pass


def parse_count(raw: object, *, maximum: int) -> int:
    """A whole number from 0 to `maximum`; the error says which rule was broken, in a few words."""
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("-") and _DIGITS.fullmatch(text[1:]):
            raise InvalidNumber("negative")
        if not _DIGITS.fullmatch(text):
            raise InvalidNumber("not a whole number (digits only, such as 1500)")
        value = int(text)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        raise InvalidNumber("not a whole number (digits only, such as 1500)")
    if value < 0:
        raise InvalidNumber("negative")
    if value > maximum:
        raise InvalidNumber(f"more than {maximum:,}")
    return value
