"""Reading a question: its words, the period it names and the amount it compares with.

Small rules on purpose: a question is lower-cased, its apostrophes made plain, and then matched
by keywords (engine.py) and by the two regular expressions here. Periods are calendar ones (weeks
start on Monday) counted from `clock.today()`, so tests can freeze them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from accountdesk.core.dates import date_text
from accountdesk.core.money import quantize
from accountdesk.core.periods import add_months


def normalise(question: str) -> str:
    """Lower case, typographic apostrophes made plain, runs of spaces made one."""
    text = question.lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


@dataclass(frozen=True)
class Period:
    """Days from `start` up to, not including, `end`, with the words that named them."""

    name: str
    start: dt.date
    end: dt.date

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes in the site's time zone: [start, end)."""
        return _midnight(self.start), _midnight(self.end)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _month_start(day: dt.date, shift: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


def _week_start(day: dt.date, shift: int = 0) -> dt.date:
    return day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=shift)


def _named_periods(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    day = dt.timedelta(days=1)
    week = dt.timedelta(weeks=1)
    return {
        "today": (today, today + day),
        "tomorrow": (today + day, today + 2 * day),
        "yesterday": (today - day, today),
        "this week": (_week_start(today), _week_start(today) + week),
        "next week": (_week_start(today, 1), _week_start(today, 1) + week),
        "last week": (_week_start(today, -1), _week_start(today)),
        "this month": (_month_start(today), _month_start(today, 1)),
        "next month": (_month_start(today, 1), _month_start(today, 2)),
        "last month": (_month_start(today, -1), _month_start(today)),
        "this year": (dt.date(today.year, 1, 1), dt.date(today.year + 1, 1, 1)),
        "last year": (dt.date(today.year - 1, 1, 1), dt.date(today.year, 1, 1)),
    }


_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_WORD = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"

PERIOD_PATTERN = re.compile(
    r"\b(today|tomorrow|yesterday|(?:this|next|last|past) (?:week|month|year))\b"
    r"|\b(?:in |over |during |for )?(?:the )?(?:last|past|previous) (\d{1,3}) (days?|weeks?|months?)\b"
    rf"|\bsince (?:the (?:start|beginning) of )?{_MONTH_WORD}(?: (\d{{4}}))?\b"
)
_UNITS = {"day": 1, "week": 7}


def period_in(text: str, today: dt.date) -> Period | None:
    """The first period the (normalised) question names, or None.

    "last 30 days" / "past 7 days" (weeks, months) are the days up to and including today;
    "since March" runs from the 1st of the latest March not after today up to today."""
    match = PERIOD_PATTERN.search(text)
    if match is None:
        return None
    tomorrow = today + dt.timedelta(days=1)
    if match.group(2):
        count = max(1, int(match.group(2)))
        unit = match.group(3).rstrip("s")
        if unit == "month":
            start = add_months(today, -count) + dt.timedelta(days=1)
        else:
            start = today - dt.timedelta(days=count * _UNITS[unit] - 1)
        name = f"in the last {count} {unit}{'s' if count != 1 else ''}"
        return Period(name, start, tomorrow)
    if match.group(4):
        month = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(match.group(4)[:3]))
        year = int(match.group(5)) if match.group(5) else today.year
        if not match.group(5) and month > today.month:
            year -= 1
        start = dt.date(year, month, 1)
        if start > today:
            return None
        return Period(f"since {date_text(start)}", start, tomorrow)
    name = match.group(1).replace("past ", "last ")
    start, end = _named_periods(today)[name]
    return Period(name, start, end)


_ORDINAL = r"(?:st|nd|rd|th)?"
DAY_PATTERN = re.compile(
    r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"
    rf"|\b(\d{{1,2}}){_ORDINAL} (?:of )?{_MONTH_WORD}(?:,? (\d{{4}}))?\b"
    rf"|\b{_MONTH_WORD} (\d{{1,2}}){_ORDINAL}(?:,? (\d{{4}}))?\b"
    rf"|\bend of {_MONTH_WORD}(?: (\d{{4}}))?\b"
)


def _month_number(word: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(word[:3]))


def day_in(text: str, today: dt.date) -> dt.date | None:
    """The one day the (normalised) question names ("on 1 March", "March 3rd, 2025", "2025-03-01",
    "at the end of February"), or None. Without a year, the latest such day not after today.
    A month after "since" starts a period (period_in), not a day."""
    for match in DAY_PATTERN.finditer(text):
        if text[: match.start()].rstrip().endswith("since"):
            continue
        g = match.groups()
        try:
            if g[0]:
                return dt.date(int(g[0]), int(g[1]), int(g[2]))
            if g[3]:
                day, month, year = int(g[3]), _month_number(g[4]), g[5]
            elif g[6]:
                day, month, year = int(g[7]), _month_number(g[6]), g[8]
            else:
                month, year = _month_number(g[9]), g[10]
                day = 0  # the month's last day
            years = [int(year)] if year else [today.year, today.year - 1]
            for y in years:
                last = (add_months(dt.date(y, month, 1), 1) - dt.timedelta(days=1)).day
                found = dt.date(y, month, day or last)
                if year or found <= today:
                    return found
        except ValueError:  # 31 February, month 13
            return None
    return None


@dataclass(frozen=True)
class Threshold:
    """ "over 100" (above=True) or "under 100" (above=False): strictly more or less than `amount`."""

    amount: Decimal
    above: bool


_THRESHOLD = re.compile(
    r"(?P<word>over|above|more than|greater than|exceeding|>|under|below|less than|<)\s*"
    r"(?:[$€£¥]|[a-z]{3}\s)?\s*(?P<amount>\d{1,9}(?:,\d{3})*(?:\.\d{1,2})?)(?![\d.,]*\d)"
)
_BELOW_WORDS = {"under", "below", "less than", "<"}


def threshold_in(text: str) -> Threshold | None:
    """The amount a question compares with: "over 100", "above $100.50", "more than 1,000",
    "under EUR 20". Currency signs and codes are read past: the customer's currency is meant."""
    match = _THRESHOLD.search(text)
    if match is None:
        return None
    try:
        amount = quantize(Decimal(match.group("amount").replace(",", "")))
    except InvalidOperation:
        return None
    return Threshold(amount=amount, above=match.group("word") not in _BELOW_WORDS)


_INVOICE_NUMBER = re.compile(
    r"\b(inv-? ?\d{1,9})\b|\b(?:invoice|bill)\s+(?:number\s+|no\.?\s*|#\s*)?(\d{1,9})\b|#\s*(\d{1,9})\b"
)


def invoice_number_in(text: str) -> str | None:
    """The invoice number a question names: "INV-0042", "inv 42", "invoice 1043", "invoice no. 7",
    "#77"; None when it names none. Amounts ("over 100") are not numbers of invoices."""
    match = _INVOICE_NUMBER.search(text)
    if match is None:
        return None
    if match.group(1):
        return match.group(1).replace(" ", "")
    return match.group(2) or match.group(3)
