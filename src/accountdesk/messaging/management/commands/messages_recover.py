import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accountdesk.messaging.services import message_recover


class Command(BaseCommand):
    help = (
        "Queue again the emails and SMS no worker is delivering: attempts a stopped worker left "
        "unfinished, and retries whose task was lost. Run it every few minutes (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes", type=int, default=10, help="how long a delivery may run or be overdue (10)"
        )

    def handle(self, *args, minutes=10, **options):
        if minutes < 1:
            raise CommandError("--minutes must be at least 1.")
        recovered = message_recover(stuck_for=dt.timedelta(minutes=minutes))
        self.stdout.write(f"Queued {recovered} undelivered messages again.")
