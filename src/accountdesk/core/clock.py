"""The one source of "now" and "today", so tests can freeze time in one place."""

import datetime as dt

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def freeze(moment: dt.datetime | None) -> None:
    """Freeze (or, with None, unfreeze) the clock. For tests and the demo generator."""
    global _frozen
    _frozen = moment
