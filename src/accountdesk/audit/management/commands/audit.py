import time

from django.core.management.base import BaseCommand, CommandError

from accountdesk.audit.verify import audit_verify
from accountdesk.tenancy.models import Provider

MAX_PROBLEMS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Audit trails. `audit verify [--provider SLUG]` walks every hash chain (each customer's "
        "activity log, each provider's security log) and exits non-zero naming the first entry "
        "of each broken chain."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Check that no entry was edited, removed or inserted")
        verify.add_argument("--provider", metavar="SLUG", help="Only this provider's chains")

    def handle(self, *args, action: str, provider: str | None = None, **options):
        scope = None
        if provider:
            scope = Provider.objects.filter(slug=provider).first()
            if scope is None:
                raise CommandError(f"No provider with slug {provider}.")
        started = time.perf_counter()
        verdict = audit_verify(provider=scope)
        took = time.perf_counter() - started
        if verdict.intact:
            counted = f"{verdict.entries:,} entries in {verdict.chains:,} chains"
            self.stdout.write(f"Verified {counted}: all intact ({took:.1f} s).")
            return
        for problem in verdict.problems[:MAX_PROBLEMS_SHOWN]:
            self.stderr.write(problem)
        if len(verdict.problems) > MAX_PROBLEMS_SHOWN:
            self.stderr.write(f"... and {len(verdict.problems) - MAX_PROBLEMS_SHOWN} more broken chains.")
        raise CommandError(
            f"{len(verdict.problems)} of {verdict.chains:,} chains broken; first: {verdict.problems[0]}"
        )
