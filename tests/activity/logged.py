"""One way for a test to assert the activity entry an action wrote: its kind, and its summary as a
person reads it (amounts in the customer's currency and the provider's locale, dates in words).

tests/activity/test_kinds_asserted.py checks that every registered kind is asserted by some test:
through `assert_logged`, or named in an `assert` or an `Activity.objects.get(kind=...)`.
"""

from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import entry_summary


def assert_logged(customer, kind: str, summary: str, *, viewer) -> Activity:
    """The latest entry of `kind` for `customer` reads `summary` to `viewer` (a staff user)."""
    entry = (
        Activity.objects.filter(customer=customer, kind=kind)
        .select_related("customer__provider")
        .latest("seq")
    )
    shown = entry_summary(entry, viewer=viewer)
    assert shown == summary, f"{kind}: {shown!r}"
    return entry


def in_currency(text: str, currency: str, figures_eur: dict[str, str]) -> str:
    """`text`, written with dollar figures, as it reads in `currency`: in euros (German) each
    figure replaced by its text in `figures_eur` ("$59.99" -> "59,99 €")."""
    for dollars, euros in figures_eur.items() if currency == "EUR" else ():
        text = text.replace(dollars, euros)
    return text
