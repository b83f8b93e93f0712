import datetime as dt

from django.core.management.base import BaseCommand

from accountdesk.api.idempotency import idempotency_purge
from accountdesk.core import clock


class Command(BaseCommand):
    help = "Forget Idempotency-Key answers older than --hours (default 48). Run it daily (cron)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=48)

    def handle(self, *args, hours: int, **options):
        deleted = idempotency_purge(older_than=clock.now() - dt.timedelta(hours=hours))
        self.stdout.write(f"Forgot {deleted} idempotency keys older than {hours} hours.")
