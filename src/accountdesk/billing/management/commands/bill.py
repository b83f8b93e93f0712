import datetime as dt

from accountdesk.billing.run import billing_run
from accountdesk.tenancy.daily_run import DailyRunCommand
from accountdesk.tenancy.models import Provider


class Command(DailyRunCommand):
    help = "Issue what is due on a date (recurring invoices, instalments, subscriptions). Safe to repeat."

    def run_one(self, provider: Provider, on: dt.date) -> str:
        counts = billing_run(provider=provider, on=on)
        detail = ", ".join(f"{name} {n}" for name, n in counts.items())
        return f"{sum(counts.values())} invoices issued ({detail})"
