"""`accountdesk import customers FILE [--provider SLUG] [--dry-run]`: import customers from a CSV or
XLSX file, all of it or nothing; exits 1 naming each problem by row and column."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accountdesk.core.actors import Actor
from accountdesk.core.errors import DomainError
from accountdesk.imports.reader import read_table
from accountdesk.imports.services import ImportRefused, customers_import, import_check
from accountdesk.tenancy.models import Provider


class Command(BaseCommand):
    help = (
        "Import customers from a CSV or XLSX file (the columns of the template on Settings › Import): "
        "customer fields, custom fields, contacts, billing profile, opening balance, subscriptions and "
        "equipment. Rows are matched on external_id, so a second import of a file updates. One bad row "
        "refuses the whole file, naming every problem, and nothing is imported."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        customers = sub.add_parser("customers", help="Import customers from a CSV or XLSX file")
        customers.add_argument("file")
        customers.add_argument("--provider", help="the provider's slug (needed when there are several)")
        customers.add_argument(
            "--dry-run", action="store_true", help="check the file and say what it would do"
        )
        customers.add_argument("--max-problems", type=int, default=200, help="problems printed at most (200)")

    def handle(self, *args, what: str, file: str, provider=None, dry_run=False, max_problems=200, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        tenant = _provider(provider)
        actor = Actor.system(tenant)
        started = time.perf_counter()
        try:
            table = read_table(path.read_bytes())
            if dry_run:
                plan = import_check(provider=tenant, table=table, actor=actor)
                if not plan.ok:
                    raise ImportRefused(plan.problems)
                self.stdout.write(
                    f"Dry run: {len(plan.rows):,} rows hold together: {plan.creates:,} customers to create, "
                    f"{plan.updates:,} to update. Nothing was written."
                )
                return
            result = customers_import(provider=tenant, table=table, actor=actor)
        except ImportRefused as refused:
            for problem in refused.problems[:max_problems]:
                self.stderr.write(str(problem))
            if len(refused.problems) > max_problems:
                self.stderr.write(f"... and {len(refused.problems) - max_problems:,} more.")
            rows = ", ".join(str(r) for r in sorted({p.row for p in refused.problems})[:50])
            raise CommandError(f"{refused.message} Rows: {rows}.") from None
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Imported {path.name}: {result.sentence} ({time.perf_counter() - started:.1f}s)")


def _provider(slug: str | None) -> Provider:
    if slug:
        found = Provider.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No provider {slug}.")
        return found
    providers = list(Provider.objects.order_by("id")[:2])
    if len(providers) != 1:
        raise CommandError("Name the provider with --provider SLUG.")
    return providers[0]
