"""Money stays exact when many people write at once: 50 clients through gunicorn on PostgreSQL,
with idempotency keys, each key sent twice at the same moment."""

from __future__ import annotations

import statistics
import threading
import time
from collections import defaultdict
from decimal import Decimal

import pytest

from tests.reliability.stack import Answer, accountdesk, call

pytestmark = pytest.mark.reliability

CLIENTS = 50


def _run_script(stack, customer: int, draft: int, j: int, void: bool, log: list) -> None:
    base, token = stack.app.base, stack.token
    prefix = f"/api/v1/customers/{customer}"

    def step(name: str, method: str, path: str, body: dict | None = None) -> Answer:
        answer = call(base, token, method, prefix + path, body, key=f"{customer}-{j}-{name}")
        log.append((j, name, answer))
        return answer

    step("approve", "POST", f"/invoices/{draft}/approve")
    paid = step("pay", "POST", "/payments", {"amount": "30.00", "method": "Cash", "reference": f"load-{j}"})
    step("credit", "POST", "/credits", {"amount": "5.00", "reason": "Goodwill"})
    if paid.status == 201:
        step("refund", "POST", f"/payments/{paid.body['id']}/refund", {"amount": "10.00", "reason": "Over"})
    if void:
        step("void", "POST", f"/invoices/{draft}/void", {"reason": "Raised in error"})


def _expected_balance(log) -> Decimal:
    """The ledger balance the clients were told about: each acknowledged write counted once."""
    done: dict[tuple[int, str], int] = {}
    for j, name, answer in log:
        done.setdefault((j, name), answer.status)
    effect = {"approve": 100, "pay": -30, "credit": -5, "refund": 10}
    total = Decimal(0)
    for (_script, name), status in done.items():
        if name in effect and status in (200, 201):
            total += effect[name]
        if name == "void" and status == 200:
            total -= 100
    return total


def _run_clients(targets) -> tuple[list, float]:
    barrier = threading.Barrier(len(targets))
    log: list = []
    lock = threading.Lock()

    def client(args):
        mine: list = []
        barrier.wait()
        _run_script(*args, log=mine)
        with lock:
            log.extend(mine)

    threads = [threading.Thread(target=client, args=(t,)) for t in targets]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return log, time.perf_counter() - started


def _assert_no_errors(log) -> None:
    """No 5xx and no dropped connection; refusals (a void the rules forbid) are answers too."""
    seen: dict[tuple[str, int], int] = defaultdict(int)
    for _, name, answer in log:
        seen[(name, answer.status)] += 1
    errors = {k: n for k, n in seen.items() if k[1] >= 500 or k[1] == 0}
    assert not errors, f"errors by step and status: {errors}; all answers: {dict(seen)}"


def _gapless(stack) -> tuple[int, int]:
    numbers = stack.sql(
        "select number from billing_invoice i join tenancy_provider p on p.id = i.provider_id "
        "where p.slug = 'acme' and number <> ''"
    ).split()
    values = sorted(int(n.split("-")[-1]) for n in numbers)
    assert values == list(range(values[0], values[0] + len(values))), "invoice numbers have a gap"
    return values[0], values[-1]


def test_fifty_clients_on_one_customer_keep_its_books_exact(stack):
    customer = stack.customers[0]
    drafts = [
        int(i)
        for i in stack.sql(
            f"select id from billing_invoice where customer_id = {customer} and status = 'draft' order by id"
        ).split()
    ]
    where = f"customer_id = {customer}"
    opening = Decimal(stack.sql(f"select ledger_balance from billing_accountsummary where {where}"))
    scripts = CLIENTS // 2
    # Two clients per script, sending the same keys and bodies at the same moment.
    targets = [(stack, customer, drafts[j], j, j % 5 == 0) for j in range(scripts) for _ in (0, 1)]
    log, _ = _run_clients(targets)

    _assert_no_errors(log)
    by_key: dict[tuple[int, str], set[int]] = defaultdict(set)
    for j, name, answer in log:
        by_key[(j, name)].add(answer.status)
    assert all(len(s) == 1 for s in by_key.values()), "the two senders of one key were told different things"

    balance = Decimal(
        stack.sql(f"select ledger_balance from billing_accountsummary where customer_id = {customer}")
    )
    ledger = Decimal(
        stack.sql(f"select coalesce(sum(amount), 0) from billing_ledgerentry where customer_id = {customer}")
    )
    assert balance == ledger == opening + _expected_balance(log)
    payments = int(
        stack.sql(
            f"select count(*) from billing_payment where customer_id = {customer} "
            "and kind = 'payment' and reference like 'load-%'"
        )
    )
    assert payments == scripts  # every key applied once, though sent twice
    _gapless(stack)
    assert "All hold" in accountdesk(stack.env, "verify", "--provider", "acme")


def test_fifty_customers_in_parallel_throughput(stack, capsys):
    targets = []
    for n, customer in enumerate(stack.customers[1 : CLIENTS + 1]):
        draft = int(
            stack.sql(
                f"select min(id) from billing_invoice where customer_id = {customer} and status = 'draft'"
            )
        )
        targets.append((stack, customer, draft, n, n % 5 == 0))
    log, elapsed = _run_clients(targets)
    _assert_no_errors(log)
    assert "All hold" in accountdesk(stack.env, "verify", "--provider", "acme")
    _gapless(stack)
    seconds = sorted(answer.seconds for _, _, answer in log)
    p50 = statistics.median(seconds) * 1000
    p99 = seconds[int(len(seconds) * 0.99) - 1] * 1000
    with capsys.disabled():
        print(
            f"\n{len(targets)} customers in parallel: {len(log)} writes in {elapsed:.1f}s = "
            f"{len(log) / elapsed:.0f} writes/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms "
            f"(gunicorn {stack.app.workers} sync workers)"
        )
