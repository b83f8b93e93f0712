"""A default collections policy for each demo provider: two reminders, a late fee, then a block.

The policy is provider settings: the demo writes it directly, as it does contract templates. No
run is made, so the demo's books and statuses are the ones its histories planned."""

from decimal import Decimal

from accountdesk.dunning.models import DunningPolicy, DunningStep, StepAction

DEFAULT_STEPS = [
    (
        7,
        StepAction.EMAIL,
        "Reminder: {amount_overdue} overdue on account {customer.number}",
        "Dear {customer.name},\n\nInvoice {oldest_invoice}, due on {oldest_due_on}, is {days_overdue} days "
        "overdue. The overdue amount is {amount_overdue}.\n\nIf you have paid in the last few days, "
        "thank you, and please ignore this message.\n\n{provider.name}",
        None,
    ),
    (
        14,
        StepAction.SMS,
        "",
        "{provider.name}: {amount_overdue} is {days_overdue} days overdue on account {customer.number}. "
        "Please pay to keep your service.",
        None,
    ),
    (21, StepAction.FEE, "", "", Decimal("5.00")),
    (30, StepAction.BLOCK, "", "", None),
]


def demo_populate(ctx) -> None:
    policy = DunningPolicy.objects.create(provider=ctx.provider, enabled=True, updated_at=ctx.now)
    steps = []
    for n, (days, action, subject, body, fee) in enumerate(DEFAULT_STEPS, start=1):
        steps.append(
            DunningStep(
                provider=ctx.provider,
                policy=policy,
                position=n,
                days=days,
                action=action,
                subject=subject,
                body=body,
                fee=fee,
            )
        )
    DunningStep.objects.bulk_create(steps)
