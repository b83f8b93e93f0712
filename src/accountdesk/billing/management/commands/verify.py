"""`accountdesk verify`: check the books and the billing dates of every customer; exit 1 naming
each customer and what is wrong, or 0 with what was checked."""

import time

from django.core.management.base import BaseCommand, CommandError

from accountdesk.billing.verify import verify
from accountdesk.tenancy.models import Provider


class Command(BaseCommand):
    help = (
        "Check every customer: the ledger against the balances and the account summaries, every "
        "subscription, recurring invoice and instalment billed with no gap and no overlap, and every "
        "next bill date on the first period not yet billed. Exits 1 naming each problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provider", help="a provider's slug (default: every provider)")
        parser.add_argument("--chunk-size", type=int, default=500, help="customers read at a time (500)")
        parser.add_argument("--max-problems", type=int, default=200, help="problems printed at most (200)")

    def handle(self, *args, provider=None, chunk_size=500, max_problems=200, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        providers = Provider.objects.order_by("id")
        if provider:
            providers = providers.filter(slug=provider)
            if not providers.exists():
                raise CommandError(f"No provider with slug {provider!r}")
        started = time.perf_counter()
        printed = 0

        def print_new(report) -> None:
            nonlocal printed
            for problem in report.problems[printed:]:
                if printed < max_problems:
                    self.stdout.write(str(problem))
                printed += 1

        report = verify(providers=providers, chunk_size=chunk_size, on_chunk=print_new)
        counts = ", ".join(f"{n:,} {what}" for what, n in sorted(report.counts.items()))
        summary = (
            f"{report.customers:,} customers of {report.providers} providers checked in "
            f"{time.perf_counter() - started:.1f}s ({counts})"
        )
        if not report.ok:
            customers = len({(p.provider, p.customer) for p in report.problems})
            raise CommandError(f"{len(report.problems):,} problems on {customers:,} customers. {summary}")
        self.stdout.write(f"All hold: {summary}.")
