"""`accountdesk demo`: load the demo providers, or print how to sign in to them."""

import os
import time

from django.core.management.base import BaseCommand, CommandError

from accountdesk.demo import data
from accountdesk.tenancy.models import MODULE_LABELS, Provider, Role, User


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be zero or more")
    return value


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


class Command(BaseCommand):
    help = (
        "Load the demo data: Acme Telecom (every module) and Bluegum Field Services, with staff "
        "<role>@<slug>.test (password accountdesk-demo) and customers with years of history."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="the same seed gives the same data (42)")
        parser.add_argument("--customers", type=_positive, default=300, help="customers per provider (300)")
        parser.add_argument(
            "--heavy", type=_positive, default=3, help="accounts per provider with years of history (3)"
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing when any provider exists")
        parser.add_argument(
            "--print-logins", action="store_true", help="only print the demo sign-ins and the URL"
        )

    def handle(self, *args, seed, customers, heavy, if_empty, print_logins, **options):
        if print_logins:
            self._print_logins()
            return
        if Provider.objects.exists():
            if if_empty:
                self.stdout.write("The database already has data: the demo data was not loaded.")
                return
            taken = list(
                Provider.objects.filter(slug__in=[p.slug for p in data.PROVIDERS]).values_list(
                    "slug", flat=True
                )
            )
            if taken:
                raise CommandError(
                    f"The demo providers are already loaded ({', '.join(taken)}). "
                    "Use a fresh database to load them again."
                )
        if customers < 1:
            raise CommandError("--customers must be at least 1.")
        from accountdesk.demo.generator import demo_load

        started = time.perf_counter()
        demo_load(seed=seed, customers=customers, heavy=heavy, log=self._report)
        self.stdout.write(f"Demo data loaded in {time.perf_counter() - started:.1f}s (seed {seed}).")

    def _report(self, summary) -> None:
        heavy = f"; heavy accounts {', '.join(summary.heavy_numbers)}" if summary.heavy_numbers else ""
        apps = "".join(f", {app} {secs:.1f}s" for app, secs in summary.app_seconds.items())
        activity = _count(summary.activity, "activity entry", "activity entries")
        self.stdout.write(
            f"{summary.name}: {_count(summary.customers, 'customer')}, {_count(summary.notes, 'note')}, "
            f"{activity}{heavy} ({summary.seconds:.1f}s{apps})"
        )

    def _print_logins(self) -> None:
        """Read-only: which demo sign-ins exist in this database, and where the server answers."""
        port = os.environ.get("PORT") or "8000"
        self.stdout.write(f"accountdesk: http://localhost:{port}/")
        emails = [f"{role}@{spec.slug}.test" for spec in data.PROVIDERS for role in data.ROLES]
        users = {u.email: u for u in User.objects.filter(email__in=emails).select_related("provider")}
        if not users:
            self.stdout.write("No demo sign-ins in this database (load them with `accountdesk demo`).")
            return
        self.stdout.write(f"Sign in with any of these; the password is {data.DEMO_PASSWORD}")
        for spec in data.PROVIDERS:
            rows = [users[e] for e in emails if e in users and users[e].provider.slug == spec.slug]
            if not rows:
                continue
            provider = rows[0].provider
            modules = [label for m, label in MODULE_LABELS.items() if provider.has_module(m)]
            self.stdout.write(f"  {provider.name} ({', '.join(modules) or 'no extra modules'})")
            width = max(len(u.email) for u in rows)
            for user in rows:
                self.stdout.write(f"    {user.email:<{width}}  {Role(user.role).label}")
