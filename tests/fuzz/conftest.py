"""The API fuzzing run: a small demo world to aim at, a token for each role, and the tally.

Marked `fuzz` and left out of `make test` (pyproject's addopts deselect the marker); `make fuzz`
runs it within CI's time budget and `make fuzz-long` with more examples before a release.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from accountdesk.demo import data
from accountdesk.tenancy.models import ApiToken, Provider, User

# What the run did: requests by operation and by status, reported at the end of the session.
TALLY: dict[str, Counter] = {"operations": Counter(), "statuses": Counter(), "answers": Counter()}
STARTED = time.monotonic()


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The demo's two providers (a few customers, one with a long history) and a token per role of
    the first; everything is rolled back when the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--customers", "8", "--heavy", "1", "--seed", "7", stdout=io.StringIO())
        provider = Provider.objects.get(slug=data.PROVIDERS[0].slug)
        tokens = {}
        for role in data.ROLES:
            user = User.objects.get(provider=provider, email=f"{role}@{provider.slug}.test")
            tokens[role] = ApiToken.objects.issue(user, "fuzz")[1]
        yield {"provider": provider, "tokens": tokens}
        transaction.set_rollback(True)


@pytest.fixture
def fuzz_settings():
    """The rate limits (tested on their own) are off, so every request reaches its handler. A server
    error answers 500 as in production, which the check catches; its traceback is in the log."""
    rates = {work: 0 for work in settings.WORK_RATES_PER_MINUTE}
    with override_settings(API_RATE_PER_MINUTE=0, WORK_RATES_PER_MINUTE=rates):
        yield


def pytest_sessionfinish(session):
    """A worker of a parallel run (pytest-xdist) hands its tally to the controller."""
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["fuzz_tally"] = {name: dict(c) for name, c in TALLY.items()}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    for name, counts in getattr(node, "workeroutput", {}).get("fuzz_tally", {}).items():
        TALLY[name].update({_key(k): n for k, n in counts.items()})


def _key(key: str | int) -> str | int:
    """A status as a number, whichever way the worker's tally travelled."""
    return int(key) if isinstance(key, str) and key.isdigit() else key


def pytest_terminal_summary(terminalreporter):
    operations = TALLY["operations"]
    if not operations:
        return
    figures = {
        "operations": len(operations),
        "requests": sum(operations.values()),
        "statuses": dict(sorted(TALLY["statuses"].items())),
        "seconds": round(time.monotonic() - STARTED, 1),
    }
    terminalreporter.write_sep("-", "API fuzzing")
    terminalreporter.write_line(
        f"{figures['operations']} operations, {figures['requests']} requests in {figures['seconds']}s; "
        f"by status: {figures['statuses']}"
    )
    report = os.environ.get("ACCOUNTDESK_FUZZ_REPORT")
    if report:
        figures["answers"] = dict(sorted(TALLY["answers"].items()))
        with open(report, "w") as out:
            json.dump(figures, out, indent=1)
