import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accountdesk.core.actors import Actor
from accountdesk.core.errors import DomainError
from accountdesk.tenancy.models import Provider
from accountdesk.usage.services import MAX_BATCH_ROWS, usage_ingest


class Command(BaseCommand):
    help = (
        "Usage records. `usage import FILE` reads CSV (header: subscription_id,at,quantity[,unit]) or JSON "
        '(a list of such objects, or {"rows": [...]}) and ingests it as one batch: one bad row rejects '
        "the file, naming the row, and stores nothing."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Import usage records from a CSV or JSON file")
        load.add_argument("file")
        load.add_argument("--provider", help="Provider slug (needed when there are several)")

    def handle(self, *args, action: str, file: str, provider: str | None = None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        limit = settings.USAGE_IMPORT_MAX_BYTES
        if path.stat().st_size > limit:
            raise CommandError(
                f"{path.name} is larger than {limit:,} bytes (ACCOUNTDESK_USAGE_IMPORT_MAX_BYTES); split it."
            )
        rows = _read(path)
        if len(rows) > MAX_BATCH_ROWS:
            raise CommandError(f"At most {MAX_BATCH_ROWS:,} rows per file; split it.")
        tenant = _provider(provider)
        try:
            result = usage_ingest(provider=tenant, rows=rows, actor=Actor.system(tenant))
        except DomainError as error:
            details = "\n".join(f"  {message}" for message in error.fields.values())
            raise CommandError(f"{error.message}\n{details}".rstrip()) from None
        self.stdout.write(
            f"Imported {result.records:,} usage records for {len(result.subscriptions)} subscription(s); "
            f"{len(result.notifications)} notification(s) sent."
        )


def _read(path: Path) -> list:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CommandError(f"{path.name} is not valid JSON: {exc}") from None
        rows = data.get("rows") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise CommandError('JSON must be a list of rows or {"rows": [...]}.')
        return rows
    reader = csv.DictReader(text.splitlines())
    missing = {"subscription_id", "at", "quantity"} - set(reader.fieldnames or [])
    if missing:
        raise CommandError(f"The CSV header lacks: {', '.join(sorted(missing))}.")
    return [dict(row) for row in reader]


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
