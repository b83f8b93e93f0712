import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accountdesk.billing.run import billing_run
from accountdesk.core import clock
from accountdesk.tenancy.models import Provider


class Command(BaseCommand):
    help = "Issue what is due on a date (recurring invoices, instalments, subscriptions). Safe to repeat."

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
            counts = billing_run(provider=p, on=on)
            detail = ", ".join(f"{name} {n}" for name, n in counts.items())
            self.stdout.write(f"{p.slug} {on.isoformat()}: {sum(counts.values())} invoices issued ({detail})")
