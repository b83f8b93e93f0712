"""`accountdesk restore --from PATH`: load a backup, then check the books and the audit chains."""

import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accountdesk.core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Load a backup made by `accountdesk backup` into the configured database (a fresh one, or "
        "with --replace one it overwrites), apply this release's migrations, then run "
        "`accountdesk verify` and `accountdesk audit verify` on it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, help="the backup file")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite a database that already holds data"
        )
        parser.add_argument("--no-verify", action="store_true", help="skip the checks after the restore")

    def handle(
        self, *args: Any, source: str, replace: bool = False, no_verify: bool = False, **options: Any
    ) -> None:
        started = time.perf_counter()
        try:
            db = restore_database(Path(source), replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {source} into the {db.engine} database {Path(db.name).name} "
            f"in {time.perf_counter() - started:.1f}s."
        )
        # A backup from an earlier release is brought up to this one's schema before it is read.
        call_command("migrate", interactive=False, verbosity=0)
        if not no_verify:
            call_command("verify", stdout=self.stdout, stderr=self.stderr)
            call_command("audit", "verify", stdout=self.stdout, stderr=self.stderr)
