"""The shape of a daily run's command (the billing run, collections): `--date` (default today)
and `--provider` (default every provider), then one provider at a time."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accountdesk.core import clock
from accountdesk.tenancy.models import Provider


class DailyRunCommand(BaseCommand):
    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--provider", help="a provider's slug (default: every provider)")

    def handle(self, *args: Any, **options: Any) -> None:
        date, provider = options.get("date"), options.get("provider")
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
            self.stdout.write(f"{p.slug} {on.isoformat()}: {self.run_one(p, on)}")

    def run_one(self, provider: Provider, on: dt.date) -> str:
        """Run for one provider and day; return what it did, in words."""
        raise NotImplementedError
