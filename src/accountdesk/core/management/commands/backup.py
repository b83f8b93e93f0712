"""`accountdesk backup --to PATH`: a consistent copy of the whole database while it serves."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accountdesk.core.backup import BackupError, backup_database


class Command(BaseCommand):
    help = (
        "Write a backup of the database: SQLite through its online backup API (a database file), "
        "PostgreSQL through pg_dump's custom format. Restore it with `accountdesk restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, help="the backup file to write")
        parser.add_argument("--replace", action="store_true", help="overwrite an existing file")

    def handle(self, *args: Any, to: str, replace: bool = False, **options: Any) -> None:
        started = time.perf_counter()
        try:
            db = backup_database(Path(to), replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = Path(to).expanduser().stat().st_size
        self.stdout.write(
            f"Backed up the {db.engine} database {Path(db.name).name} to {to} "
            f"({size / 1_048_576:.1f} MiB in {time.perf_counter() - started:.1f}s)."
        )
