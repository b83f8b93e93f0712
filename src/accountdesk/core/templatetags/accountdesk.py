"""The product's template vocabulary: money, dates, relative times and status badges.

`{% load accountdesk %}` then `{% money value currency %}`, `{{ d|ad_date }}`, `{% when dt %}`,
`{% status_badge status %}`. One place decides how these look, so every page agrees.
"""

import datetime as dt
from decimal import InvalidOperation
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince, timeuntil

from accountdesk.core import clock
from accountdesk.core.dates import DEFAULT_DATE_FORMAT, current_date_format, date_text
from accountdesk.core.money import DEFAULT_LOCALE, format_money
from accountdesk.core.visibility import HIDDEN

register = template.Library()

__all__ = ["DEFAULT_DATE_FORMAT", "DEFAULT_LOCALE", "current_date_format", "format_money"]

STATUS_LABELS = {
    "prospect": "Prospect",
    "active": "Active",
    "blocked": "Blocked",
    "deactivated": "Deactivated",
    "archived": "Archived",
}


def _locale_from(context: Any) -> str:
    provider = context.get("provider")
    locale: str | None = getattr(provider, "locale", None)
    return locale or DEFAULT_LOCALE


@register.simple_tag(takes_context=True)
def money(context: Any, value: Any, currency: str | None = None) -> SafeString:
    """Money in the provider's locale. A negative amount carries a real minus sign, not only colour.
    A signed-in user whose role may not see money (`shows_money` false, see core.visibility) gets
    "hidden" instead: pages leave such columns out, and this keeps one they forget from leaking."""
    if context.get("shows_money") is False:
        return format_html('<span class="money muted">{}</span>', HIDDEN)
    if value is None or value == "":
        return format_html('<span class="money muted">{}</span>', "—")
    try:
        text, negative = format_money(value, currency, _locale_from(context))
    except (InvalidOperation, ValueError, TypeError):
        return format_html('<span class="money">{}</span>', value)
    if negative:
        return format_html('<span class="money negative">\u2212{}</span>', text)
    return format_html('<span class="money">{}</span>', text)


def _as_local(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def ad_date(value: dt.date | str | None, fmt: str | None = None) -> str:
    """A date (or the date of a datetime) in the user's one date format."""
    return date_text(value, fmt)


@register.filter
def ad_datetime(value: Any) -> str:
    if value in (None, ""):
        return ""
    value = _as_local(value)
    return f"{value.strftime(current_date_format.get())} {value.strftime('%H:%M')}"


@register.simple_tag
def when(value: dt.date | str | None) -> str:
    """A relative time ("3 days ago") with the exact moment in the tooltip."""
    if value in (None, ""):
        return ""
    if not isinstance(value, dt.datetime):
        return ad_date(value)
    now = clock.now()
    if abs((now - value).total_seconds()) < 60:
        relative = "just now"
    elif value <= now:
        relative = f"{timesince(value, now, depth=1)} ago"
    else:
        relative = f"in {timeuntil(value, now, depth=1)}"
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', value.isoformat(), ad_datetime(value), relative
    )


@register.simple_tag
def status_badge(status: str) -> SafeString:
    label = STATUS_LABELS.get(status, str(status).capitalize())
    return format_html('<span class="badge status-{}">{}</span>', status, label)


@register.filter
def detail_rows(details: Any) -> list[dict[str, Any]]:
    """Activity details as rows: {"field", "old", "new", "changed"}; [old, new] pairs are changes."""
    rows: list[dict[str, Any]] = []
    if not isinstance(details, dict):
        return rows
    for field, value in details.items():
        label = str(field).replace("_", " ").capitalize()
        if isinstance(value, list) and len(value) == 2:
            old, new = (_show(v) for v in value)
            rows.append({"field": label, "old": old, "new": new, "changed": True})
        else:
            rows.append({"field": label, "old": None, "new": _show(value), "changed": False})
    return rows


def _show(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


@register.filter
def initials(name: str) -> str:
    parts = [p for p in str(name or "").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (None/"" removes them)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
