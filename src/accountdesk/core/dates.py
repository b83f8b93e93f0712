"""The one parser for dates and date-times that people and API clients type.

Every user-entered date lies within 1900-01-01 .. 2100-12-31: far enough for any birthday, contract
or schedule, and far from the calendar's ends, where adding a day or a time zone offset overflows
(year 9999 + 1 day is a crash, not a date). API schemas use `DateIn` / `DateTimeIn` (core.schemas),
forms use `DateField` / `DateTimeField` (core.forms), services use `date_field` / `datetime_field`; all of
them come here.
"""

from __future__ import annotations

import datetime as dt
import re
from contextvars import ContextVar

from django.utils import timezone

from accountdesk.core.errors import ValidationFailed

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
OUT_OF_RANGE = f"Enter a date between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}."
NOT_A_DATE = "Enter a date as YYYY-MM-DD."
NOT_A_DATETIME = "Enter a date and time such as 2025-03-01T14:30."


class InvalidDate(ValueError):
    pass


def check_date(value: dt.date) -> dt.date:
    """The date itself when it is within the accepted range (a datetime is judged by its own date)."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise InvalidDate(OUT_OF_RANGE)
    return value


def parse_date(raw: object) -> dt.date:
    """A date from "YYYY-MM-DD" (or a date object), within the accepted range."""
    if isinstance(raw, dt.datetime):
        return check_date(raw.date())
    if isinstance(raw, dt.date):
        return check_date(raw)
    if not isinstance(raw, str):
        raise InvalidDate(NOT_A_DATE)
    try:
        value = dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidDate(NOT_A_DATE) from None
    return check_date(value)


def parse_datetime(raw: object) -> dt.datetime:
    """An aware date and time from ISO 8601 text (or a datetime object); one without an offset is in
    the site's time zone. Its date is within the accepted range."""
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, str):
        try:
            value = dt.datetime.fromisoformat(raw.strip())
        except ValueError:
            raise InvalidDate(NOT_A_DATETIME) from None
    else:
        raise InvalidDate(NOT_A_DATETIME)
    check_date(value)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def date_field(raw: object, field: str) -> dt.date | None:
    """parse_date for a service or view: None when empty, else a 422 naming the field."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return parse_date(raw)
    except InvalidDate as error:
        raise ValidationFailed(str(error), fields={field: str(error)}) from None


def datetime_field(raw: object, field: str) -> dt.datetime | None:
    """parse_datetime for a service or view (e.g. a datetime-local input): None when empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return parse_datetime(raw)
    except InvalidDate as error:
        raise ValidationFailed(str(error), fields={field: str(error)}) from None


# How people read a date: "28 Dec 2026" (a user may choose another format in their profile). API
# fields, exports and form inputs keep ISO.
DEFAULT_DATE_FORMAT = "%d %b %Y"
# Filters cannot see the template context, so the context processor puts the signed-in user's
# date format here for the request being rendered.
current_date_format: ContextVar[str] = ContextVar("current_date_format", default=DEFAULT_DATE_FORMAT)
ISO_DATE = re.compile(r"(?<![\w.:/-])(\d{4}-\d{2}-\d{2})(?![\w:/-]|\.\w)")


def date_text(value: dt.date | str | None, fmt: str | None = None) -> str:
    """A date (or the date of a datetime, in local time) as people read it in a sentence: in
    messages, hints and activity summaries, as the `ad_date` filter shows it on pages. An ISO date
    string is read as a date; any other string is returned as it is."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    assert isinstance(value, dt.date)
    return value.strftime(fmt or current_date_format.get())


def iso_dates_as_text(text: str) -> str:
    """`text` with each ISO date in it ("due 2026-12-28") as people read it ("due 28 Dec 2026")."""
    return ISO_DATE.sub(lambda m: date_text(m.group(1)), text)
