import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from accountdesk.core import clock

# Every demo test runs at this moment, so "today" and the data are fixed.
DEMO_NOW = dt.datetime(2026, 3, 10, 15, 30, tzinfo=dt.UTC)
SMALL = ["--customers", "12", "--heavy", "1", "--seed", "7"]


def load_demo(*args: str, apps: list[str] | None = None) -> None:
    """Run `accountdesk demo` at DEMO_NOW; other apps' demo_populate only when named in `apps`."""
    clock.freeze(DEMO_NOW)
    try:
        with override_settings(DOMAIN_APPS=apps or []):
            call_command("demo", *args, stdout=io.StringIO())
    finally:
        clock.freeze(None)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One small demo load shared by a module's read-only tests, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(*SMALL)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    """The shared demo data, inside the test's own transaction."""
    return demo
