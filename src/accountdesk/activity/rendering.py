"""How an activity entry reads to one viewer: amounts only for a role with billing.view.

Every place that shows an entry (the Activity tab, the Event log, the dashboard's tiles, the
activity API and the dashboard document, the activity export) goes through `entry_summary` and
`entry_details`, here.

A service names an amount in its summary with a slot and keeps the figure in the details:
`summary=f"Payment of {amount_slot('amount')} by card", details={"amount": amount}`. The stored
text then holds no figure and reads the same to everyone; the figure is filled in for a viewer who
may see money and replaced by "(amount hidden)" for one who may not. Searching the log therefore
never finds an entry by an amount the viewer may not see.

Entries written before slots existed carry the figure in their text. They are never rewritten
(the log is append-only and its entries are chained by hash), so for a viewer without billing.view
the money-shaped figures in the entries of the groups that carry money (MONEY_GROUPS) are masked
when shown, and their money details left out. Only those groups: elsewhere a figure in a summary
is someone's own words (a note's excerpt, a ticket's subject, "2.50 Mbps") which the viewer reads
in full on its own tab anyway, and masking it would only garble it.

A filled slot reads as the pages show money ("$75.00", in the customer's currency and the
provider's locale), the ISO dates services write into summaries ("due 2026-12-28") read in the
viewer's date format ("due 28 Dec 2026"), and older entries' "old -> new" reads "old → new"; the
stored text is never changed.
"""

import re
from decimal import InvalidOperation

from django.db.models import Q

from accountdesk.core.dates import iso_dates_as_text
from accountdesk.core.money import money_text
from accountdesk.core.visibility import HIDDEN, sees_money

SLOT = re.compile(r"\{money:([a-z_]+)(?:\.(\d))?\}")
MONEY_GROUPS = frozenset({"billing", "subscriptions"})
# Details keys that hold amounts in the money groups' entries, old and new.
MONEY_DETAILS = frozenset(
    {
        "amount",
        "allocated",
        "balance",
        "billed_after_end",
        "credited_in_30_days",
        "instalment_amount",
        "limit_30_days",
        "price",
        "released_to_credit",
        "remaining",
        "to_credit",
        "total",
        "unit_price",
        "value",
    }
)
# "$1,234.56", "€ 12", "1,234.56", "-12.30"; not "10.0.0.12", "1.2.30" or "AA:BB".
FIGURE = re.compile(
    r"[$€£¥]\s?-?\d[\d,]*(?:\.\d+)?"
    r"|(?<![\w.,])-?\d{1,3}(?:,\d{3})+(?:\.\d{2})?(?![\d.,])"
    r"|(?<![\w.,])-?\d+\.\d{2}(?![\d.,])"
)


# Old to new value: one arrow everywhere people read it (older entries were written with "->").
ARROW, OLD_ARROW = " \u2192 ", " -> "

FIGURE_QUERY = re.compile(r"-?\d+\.\d{2}")
# The details keys a search for a figure looks in (the summaries hold slots, not figures).
SEARCHED_AMOUNTS = ("amount", "total", "price", "value")


def summary_search(q: str, *, shows_money: bool) -> Q:
    """Entries whose summary matches `q` as the viewer reads it. A viewer who may see money finds
    an entry by its figure ("345.67"), which lives in the details. One who may not never finds an
    entry by a figure it cannot see: a search with digits leaves out the text of the money groups'
    entries, whose older summaries still hold their figures."""
    match = Q(summary__icontains=q)
    if shows_money:
        if FIGURE_QUERY.fullmatch(q):
            for key in SEARCHED_AMOUNTS:
                match |= Q(**{f"details__{key}": q})
    elif any(ch.isdigit() for ch in q):
        match &= ~Q(group__in=MONEY_GROUPS)
    return match


def amount_slot(key: str, index: int | None = None) -> str:
    """The place of details[key] (or details[key][index], for an [old, new] pair) in a summary."""
    return f"{{money:{key}}}" if index is None else f"{{money:{key}.{index}}}"


def _figure(details: dict, key: str, index: str | None, currency: str | None, locale: str | None) -> str:
    value = details.get(key)
    if index is not None and isinstance(value, list | tuple) and int(index) < len(value):
        value = value[int(index)]
    if value is None or isinstance(value, dict | list):
        return HIDDEN
    try:
        return money_text(value, currency, locale)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


def summary_for(
    summary: str,
    *,
    group: str,
    details: dict,
    shows_money: bool,
    currency: str | None = None,
    locale: str | None = None,
) -> str:
    """The summary as read: slots filled with the amounts in `currency` (or hidden), dates in words."""
    if shows_money:
        text = SLOT.sub(lambda m: _figure(details, m.group(1), m.group(2), currency, locale), summary)
    else:
        text = SLOT.sub(HIDDEN, summary)
        if group in MONEY_GROUPS:
            text = FIGURE.sub(HIDDEN, text)
    return iso_dates_as_text(text.replace(OLD_ARROW, ARROW))


def details_for(summary: str, *, group: str, details: dict, shows_money: bool) -> dict:
    if shows_money or not isinstance(details, dict):
        return details
    hidden = {m.group(1) for m in SLOT.finditer(summary)}
    if group in MONEY_GROUPS:
        hidden |= MONEY_DETAILS
    return {key: value for key, value in details.items() if key not in hidden}


def entry_summary(entry, *, viewer) -> str:
    """The entry's summary as `viewer` may read it. Its amounts are in the customer's currency:
    the selectors load the customer and provider with the entry."""
    shows = sees_money(viewer)
    currency = locale = None
    if shows:
        customer = entry.customer
        currency, locale = customer.currency, getattr(customer.provider, "locale", None)
    return summary_for(
        entry.summary,
        group=entry.group,
        details=entry.details,
        shows_money=shows,
        currency=currency,
        locale=locale,
    )


def entry_details(entry, *, viewer) -> dict:
    """The entry's details as `viewer` may read them: without amounts for a role that may not."""
    shows = sees_money(viewer)
    return details_for(entry.summary, group=entry.group, details=entry.details, shows_money=shows)
