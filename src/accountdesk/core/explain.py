"""An explained figure: the value shown, a sentence saying how it was reached, and the records it
rests on as lines that add up to it (to the cent, for money).

The selectors of the apps that own each figure build these (billing for money, fieldservice for
open jobs); the dashboard's panel, the API and ask all read the same object. A role that may not
see money gets the same lines with no amounts, and a sentence without figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from accountdesk.core.money import ZERO


@dataclass(frozen=True)
class OpenDispute:
    """A dispute raised on a line's ledger entry and not yet resolved."""

    id: int
    reason: str
    raised_at: dt.datetime
    raised_by: str


@dataclass
class Line:
    """One record an explained figure rests on. `amount` is its part of the figure (None for a
    line that is not money, or for a viewer who may not see money); `entry` the ledger entry
    behind it, which a dispute is raised on."""

    type: str
    id: int | None
    label: str
    amount: Decimal | None
    url: str | None
    entry: int | None = None
    dispute: OpenDispute | None = None
    # An invoice past its due date (Invoice.is_overdue), marked on the line.
    overdue: bool = False
    # What finds `entry` (subject type, subject id, ledger kind), for the builder; not shown.
    entry_key: tuple[str, int, str] | None = None


@dataclass(frozen=True)
class Explanation:
    metric: str
    value: Decimal | bool | int | None
    as_of: dt.datetime
    sentence: str
    lines: list[Line]
    # The period a statement would show for this figure (None when it is not about money).
    period: tuple[dt.date, dt.date] | None = None
    statement_url: str | None = None
    shows_money: bool = True

    @property
    def lines_total(self) -> Decimal:
        """What the lines add up to (the money lines; a line without an amount counts nothing)."""
        return sum((line.amount for line in self.lines if line.amount is not None), ZERO)
