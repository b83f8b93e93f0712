"""`accountdesk webhooks deliver`: send every webhook delivery that is due now.

The task worker sends each delivery after its commit and each retry at its time. This command is
the safety net for what a worker never ran (a task backend that cannot wait for a time, a queue
lost in an outage): run it every few minutes, or after restoring the task queue."""

from django.core.management.base import BaseCommand

from accountdesk.webhooks import services


class Command(BaseCommand):
    help = "Webhook deliveries: `deliver` sends every delivery that is due."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        deliver = sub.add_parser("deliver", help="send the deliveries due now")
        deliver.add_argument("--limit", type=int, default=500, help="at most this many (default 500)")

    def handle(self, *args, action: str, limit: int = 500, **options):
        sent = failed = 0
        for delivery_id in services.deliveries_due(limit=limit):
            delivery = services.delivery_attempt(delivery_id=delivery_id)
            if delivery is None:
                continue
            if delivery.is_delivered:
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"{sent} delivered, {failed} not (retried later or failed).")
