import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accountdesk.core import clock
from accountdesk.dunning.services import dunning_run
from accountdesk.tenancy.models import Provider


class Command(BaseCommand):
    help = (
        "Take the collections steps due on a date (reminders, late fees, blocks) for every overdue "
        "customer. Safe to repeat: a step is taken once per overdue spell."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--provider", help="a provider's slug (default: every provider)")

    def handle(self, *args, date=None, provider=None, **options):
        try:
            on = dt.date.fromisoformat(date) if date else clock.today()
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD") from None
        providers = Provider.objects.order_by("id")
        if provider:
            providers = providers.filter(slug=provider)
            if not providers.exists():
                raise CommandError(f"No provider with slug {provider!r}")
        for p in providers:
            counts = dunning_run(provider=p, on=on)
            actions = ", ".join(f"{name} {n}" for name, n in sorted(counts.by_action.items())) or "none"
            self.stdout.write(
                f"{p.slug} {on.isoformat()}: {counts.overdue} overdue, "
                f"{counts.steps} steps taken ({actions}), "
                f"{counts.paused} paused by a promise to pay, {counts.cleared} cleared"
            )
