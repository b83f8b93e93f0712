"""PostgreSQL crashing and coming back under load: nothing acknowledged is lost, nothing is
written twice, callers caught in between get a clean 503 with Retry-After, and the application
recovers by itself."""

from __future__ import annotations

import threading
import time

import pytest

from tests.reliability.stack import accountdesk, call

pytestmark = pytest.mark.reliability

WRITERS = 20
SECONDS = 12
CRASH_AT = 3


def test_a_database_crash_under_load_loses_no_acknowledged_write(stack, capsys):
    customers = stack.customers[1 : WRITERS + 1]
    stop = threading.Event()
    lock = threading.Lock()
    acknowledged: set[str] = set()
    statuses: list[int] = []
    retry_after: set[str | None] = set()
    first_success_after_restart: list[float] = []
    restarted_at: list[float] = []

    def writer(n: int, customer: int) -> None:
        i = 0
        while not stop.is_set():
            key, i = f"restart-{n}-{i}", i + 1
            body = {"amount": "1.00", "method": "Cash", "reference": key}
            deadline = time.monotonic() + 90
            # A careful client: the same key again until the write is acknowledged.
            while time.monotonic() < deadline:
                path = f"/api/v1/customers/{customer}/payments"
                answer = call(stack.app.base, stack.token, "POST", path, body, key=key, timeout=10)
                with lock:
                    statuses.append(answer.status)
                if answer.status == 201:
                    with lock:
                        acknowledged.add(key)
                        if restarted_at and not first_success_after_restart:
                            first_success_after_restart.append(time.monotonic() - restarted_at[0])
                    break
                if answer.status == 503:
                    with lock:
                        retry_after.add((answer.body or {}).get("error", {}).get("code"))
                time.sleep(0.2)

    threads = [threading.Thread(target=writer, args=(n, c)) for n, c in enumerate(customers)]
    for thread in threads:
        thread.start()
    time.sleep(CRASH_AT)
    crashed = time.monotonic()
    stack.server.stop("immediate")  # as a power cut would: no checkpoint, WAL recovery on start
    time.sleep(1)
    stack.server.start()
    restarted_at.append(time.monotonic())
    time.sleep(SECONDS - CRASH_AT)
    stop.set()
    for thread in threads:
        thread.join()

    stored = set(stack.sql("select reference from billing_payment where reference like 'restart-%'").split())
    lost = acknowledged - stored
    assert not lost, f"{len(lost)} acknowledged payments are missing"
    duplicates = int(stack.sql(
        "select count(*) - count(distinct reference) from billing_payment where reference like 'restart-%'"
    ))  # fmt: skip
    assert duplicates == 0
    errors = [s for s in statuses if s >= 500 and s != 503]
    assert not errors, f"answers other than 503 during the outage: {sorted(set(errors))}"
    assert statuses.count(503) + statuses.count(0) > 0, "the crash went unnoticed: did it happen?"
    assert retry_after <= {"unavailable"}
    assert first_success_after_restart and first_success_after_restart[0] < 10
    assert "All hold" in accountdesk(stack.env, "verify", "--provider", "acme")
    with capsys.disabled():
        print(
            f"\nPostgreSQL crashed after {CRASH_AT}s of {WRITERS} writers, back "
            f"{restarted_at[0] - crashed:.1f}s later: {len(acknowledged)} payments acknowledged, "
            f"{len(stored)} stored, {len(lost)} lost, "
            f"{duplicates} doubled; {statuses.count(503)} answers 503 and {statuses.count(0)} dropped "
            f"connections during the outage; first write {first_success_after_restart[0]:.1f}s after restart"
        )
