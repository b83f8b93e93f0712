import datetime as dt

from accountdesk.dunning.services import dunning_run
from accountdesk.tenancy.daily_run import DailyRunCommand
from accountdesk.tenancy.models import Provider


class Command(DailyRunCommand):
    help = (
        "Take the collections steps due on a date (reminders, late fees, blocks) for every overdue "
        "customer. Safe to repeat: a step is taken once per overdue spell."
    )

    def run_one(self, provider: Provider, on: dt.date) -> str:
        counts = dunning_run(provider=provider, on=on)
        actions = ", ".join(f"{name} {n}" for name, n in sorted(counts.by_action.items())) or "none"
        return (
            f"{counts.overdue} overdue, {counts.steps} steps taken ({actions}), "
            f"{counts.paused} paused by a promise to pay, {counts.cleared} cleared"
        )
