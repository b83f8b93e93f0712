"""Instalment arithmetic, kept pure so it can be tested on month ends and across years."""

import datetime as dt

from accountdesk.core.periods import add_months

__all__ = ["add_months", "estimated_end"]


def estimated_end(*, today: dt.date, instalments_remaining: int) -> dt.date:
    """Estimated end = today + the instalments remaining, in calendar months (product.md).

    It moves with today by design: the month stays put while the arrangement is unchanged."""
    return add_months(today, max(instalments_remaining, 0))
