"""Money is Decimal with two places, rounded half-up (the commercial rule), never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.core import UnknownLocaleError
from babel.numbers import format_currency

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Every money column is DECIMAL(14, 2): the largest amount one can hold is 999,999,999,999.99.
MONEY_MAX_DIGITS = 14
MONEY_PLACES = 2
MONEY_MAX = Decimal(10) ** (MONEY_MAX_DIGITS - MONEY_PLACES) - CENT
DEFAULT_LOCALE = "en_US"
MINUS = "\u2212"


class InvalidAmount(ValueError):
    pass


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(raw: object, *, allow_zero: bool = False, allow_negative: bool = False) -> Decimal:
    """Parse a money amount given as a string like "12.30": at most two decimals, no exponent."""
    if isinstance(raw, bool) or raw is None:
        raise InvalidAmount("Enter an amount such as 12.30.")
    text = str(raw).strip()
    if not text or any(ch in text for ch in "eE") or text.lower() in {"nan", "inf", "-inf", "infinity"}:
        raise InvalidAmount("Enter an amount such as 12.30.")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise InvalidAmount("Enter an amount such as 12.30.") from exc
    if not value.is_finite():
        raise InvalidAmount("Enter an amount such as 12.30.")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidAmount("Use at most two decimal places.")
    if value.copy_abs() >= Decimal("1000000000"):
        raise InvalidAmount("The amount is too large.")
    if value < 0 and not allow_negative:
        raise InvalidAmount("The amount must be positive.")
    if value == 0 and not allow_zero:
        raise InvalidAmount("The amount must be more than zero.")
    return quantize(value)


def fits_column(value: Decimal) -> bool:
    """Whether a computed amount (a line's net, a total, a balance) fits a money column."""
    return value.copy_abs() <= MONEY_MAX


def to_str(value: Decimal | None) -> str | None:
    return None if value is None else f"{quantize(value):.2f}"


def format_money(
    value: Decimal | int | float | str, currency: str | None, locale: str | None = None
) -> tuple[str, bool]:
    """The amount's text in `currency` and `locale` without its sign, and whether it is negative."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    negative = amount < 0
    try:
        text = format_currency(abs(amount), currency or "USD", locale=locale or DEFAULT_LOCALE)
    except (UnknownLocaleError, ValueError):
        text = format_currency(abs(amount), currency or "USD", locale=DEFAULT_LOCALE)
    return text, negative


def money_text(amount: Decimal | int | str, currency: str | None, locale: str | None = None) -> str:
    """An amount as people read it in a sentence ("$1,234.50"; a negative one with a minus sign),
    the way the `{% money %}` tag shows it: in messages, hints and activity summaries. API fields
    keep the plain figure (`to_str`)."""
    text, negative = format_money(amount, currency, locale)
    return (MINUS if negative else "") + text
