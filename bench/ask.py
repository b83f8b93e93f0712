"""Ask benchmark: how many held-back phrasings are understood, per topic, and how long an answer takes.

    uv run python bench/ask.py [--customers 10] [--rounds 3]

Loads the demo (seed 42, `--customers` per provider) into a scratch SQLite file, picks the demo
customer of the first provider (an internet provider with every module) with the most invoices,
gives its provider the other demo provider's custom fields too (the phrasings ask about both), and
asks it every question of tests/search/data/heldback.tsv as the provider's admin through
search.engine.ask: understanding, permission and module checks, the selectors' reads and the
sentence, end to end (unanswered questions are not recorded here).

Accuracy: a question is right when it is answered as its topic, or, for the "unknown" ones, when
it is not answered. "Wrong" counts questions answered as another topic (the failure that matters:
a confident answer to a different question); the rest were declined with suggestions.
Latency: each question `--rounds` times after one warm-up round; p50 and p95 over all of them.
The classifier's training (once per process, at first use) is timed on its own.
"""

import argparse
import collections
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ACCOUNTDESK_VAR_DIR", tempfile.mkdtemp(prefix="accountdesk-bench-ask-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

HELD_BACK = ROOT / "tests" / "search" / "data" / "heldback.tsv"


def pick_customer():
    from accountdesk.customers.models import Customer
    from accountdesk.tenancy.models import Provider, User

    provider = Provider.objects.order_by("id").first()
    customer = (
        Customer.objects.filter(provider=provider)
        .annotate(n=Count("invoices"))
        .order_by("-n", "id")
        .select_related("provider", "account_manager")
        .first()
    )
    admin = User.objects.filter(provider=provider, role="admin").order_by("id").first()
    return customer, admin


def add_every_demo_field(provider) -> None:
    """The held-back phrasings ask about the custom fields of both demo providers: give this one
    the other's too (without values), so that each is a field it has."""
    from accountdesk.customers.models import CustomFieldDefinition
    from accountdesk.demo.data import PROVIDERS

    have = set(CustomFieldDefinition.objects.filter(provider=provider).values_list("name", flat=True))
    for spec in PROVIDERS:
        for field in spec.custom_fields:
            if field.name not in have:
                CustomFieldDefinition.objects.create(provider=provider, name=field.name, kind=field.kind)
                have.add(field.name)


def measure(customer, admin, rows, rounds: int):
    from accountdesk.search import understanding
    from accountdesk.search.engine import ask

    started, cpu = time.perf_counter(), time.process_time()
    understanding.model()
    training = (time.perf_counter() - started, time.process_time() - cpu)
    results = []
    for topic, question in rows:  # the warm-up round, and the one accuracy is read from
        answer = ask(viewer=admin, customer=customer, question=question, record_miss=False)
        results.append((topic, question, answer))
    timings, cpu_times = [], []
    for _ in range(rounds):
        for _topic, question in rows:
            began, cpu = time.perf_counter(), time.process_time()
            ask(viewer=admin, customer=customer, question=question, record_miss=False)
            timings.append((time.perf_counter() - began) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
    return training, results, (timings, cpu_times)


def report(args, customer, training, results, timings) -> None:
    per = collections.defaultdict(lambda: [0, 0, 0])  # right, wrong, of
    misses = []
    for topic, question, answer in results:
        expected = "unknown" if topic == "unknown" else topic
        right = answer.intent == expected
        wrong = not right and answer.intent != "unknown"
        per[topic][0] += right
        per[topic][1] += wrong
        per[topic][2] += 1
        if not right:
            misses.append((topic, answer.intent, question))
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print("Ask: held-back phrasings, per topic")
    print(
        f"machine:  {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"data:     demo seed 42, {args.customers} customers per provider, {db}; customer {customer.number}"
          f" ({customer.invoices.count()} invoices)")  # fmt: skip
    print(f"command:  uv run python bench/ask.py --customers {args.customers} --rounds {args.rounds}")
    print()
    print(f"{'topic':<16} {'right':>7} {'wrong':>6} {'accuracy':>9}")
    for topic in sorted(per):
        right, wrong, total = per[topic]
        print(f"{topic:<16} {right:>3}/{total:<3} {wrong:>6} {right / total:>9.1%}")
    right = sum(v[0] for v in per.values())
    wrong = sum(v[1] for v in per.values())
    total = sum(v[2] for v in per.values())
    print(f"{'all':<16} {right:>3}/{total:<3} {wrong:>6} {right / total:>9.1%}")
    print()
    for topic, got, question in misses:
        print(f"  missed: [{topic}] answered as [{got}]: {question}")
    print()
    wall, cpu = timings
    cuts, cpu_cuts = statistics.quantiles(wall, n=100), statistics.quantiles(cpu, n=100)
    print(f"latency over {len(wall)} answers: p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms, "
          f"max {max(wall):.1f} ms")  # fmt: skip
    print(f"CPU time per answer: p50 {cpu_cuts[49]:.1f} ms, p95 {cpu_cuts[94]:.1f} ms")
    print(f"classifier training at first use (with importing scikit-learn): {training[0] * 1000:.0f} ms, "
          f"{training[1] * 1000:.0f} ms of CPU")  # fmt: skip
    print(f"load average during the run (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from accountdesk.search.understanding import tuning_set

    rows = tuning_set(HELD_BACK)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(Path(os.environ["ACCOUNTDESK_VAR_DIR"]) / "bench.sqlite3")
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from django.core.management import call_command

        logging.disable(logging.INFO)  # the demo's queued messages each log a line

        with open(os.devnull, "w") as quiet:
            call_command("demo", customers=args.customers, seed=42, verbosity=0, stdout=quiet)
        customer, admin = pick_customer()
        add_every_demo_field(customer.provider)
        training, results, timings = measure(customer, admin, rows, args.rounds)
        report(args, customer, training, results, timings)
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
