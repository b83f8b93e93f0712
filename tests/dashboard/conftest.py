import datetime as dt

import pytest

from accountdesk.core import clock


@pytest.fixture(autouse=True)
def frozen_clock():
    """Dashboard tests run on 31 January 2025 at noon UTC: a month end, to catch date slips."""
    clock.freeze(dt.datetime(2025, 1, 31, 12, 0, tzinfo=dt.UTC))
    yield
    clock.freeze(None)
