"""Demo jobs: installs, service calls and repairs in the past (mostly done) and ahead (scheduled);
estimates and service agreements."""

import datetime as dt

from django.utils import timezone

from accountdesk.billing.instalments import add_months
from accountdesk.fieldservice.services import (
    agreement_create,
    estimate_create,
    estimate_status_change,
    job_create,
    job_status_change,
)

DESCRIPTIONS = {
    "install": ["New fibre install", "Mount the outdoor antenna and the router", "Install the ONT and test"],
    "service": ["Annual check of the equipment", "Move the router to the office", "Replace the power supply"],
    "repair": ["Cable cut in the garden", "No signal: check the alignment", "Replace the faulty modem"],
}


def _slot(ctx, day: dt.date) -> dt.datetime:
    hour = ctx.rng.choice([8, 9, 10, 11, 13, 14, 15, 16])
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def demo_populate(ctx) -> None:
    if not ctx.provider.has_module("field_service"):
        return
    rng = ctx.rng
    planners = [ctx.actor("agent"), ctx.actor("admin")]
    tech_actor = ctx.actor("technician")
    technician = ctx.staff["technician"]
    for customer in ctx.customers:
        joined = ctx.customer_joined_at(customer)
        if customer.status == "archived":
            continue
        # The install when the account started, then the odd service call or repair.
        plans = [("install", joined + dt.timedelta(days=rng.randint(2, 10)))]
        for _ in range(rng.choice([0, 0, 1, 1, 2]) + (5 if customer in ctx.heavy_customers else 0)):
            plans.append((rng.choice(["service", "repair"]), ctx.moment_between(joined, ctx.now)))
        if customer.status in ("active", "prospect") and rng.random() < 0.35:
            plans.append(
                (
                    rng.choice(["service", "repair", "install"]),
                    ctx.now + dt.timedelta(days=rng.randint(1, 45)),
                )
            )
        for kind, when in plans:
            start = _slot(ctx, timezone.localdate(when))
            created = min(ctx.moment_between(start - dt.timedelta(days=10), start), ctx.now)
            created = max(created, joined)
            with ctx.at(created):
                job = job_create(
                    customer=customer,
                    kind=kind,
                    scheduled_start=start,
                    scheduled_end=start + dt.timedelta(hours=rng.choice([1, 2, 3])),
                    technician=technician if rng.random() < 0.85 else None,
                    description=rng.choice(DESCRIPTIONS[kind]),
                    actor=rng.choice(planners),
                )
            if start >= ctx.now:
                continue
            # Past appointments: most completed, some cancelled, a few still open (in progress).
            roll = rng.random()
            path = ["completed"] if roll < 0.82 else ["cancelled"] if roll < 0.94 else ["in_progress"]
            moment = start
            for status in path:
                moment = min(moment + dt.timedelta(minutes=rng.randint(5, 120)), ctx.now)
                with ctx.at(moment):
                    job = job_status_change(job=job, status=status, actor=tech_actor)
        if rng.random() < 0.05:
            with ctx.at(ctx.moment_between(max(joined, ctx.now - dt.timedelta(days=20)), ctx.now)):
                job_create(
                    customer=customer, kind="repair", description="Waiting for parts", actor=planners[0]
                )
    _estimates_and_agreements(ctx)


def _estimates_and_agreements(ctx) -> None:
    """Estimates in every state but accepted, and an agreement each, for some active customers."""
    rng, today, agent = ctx.rng, ctx.today, ctx.actor("agent")
    active = [c for c in ctx.customers if c.status == "active"]
    for customer in rng.sample(active, min(len(active), 25)):
        estimate = estimate_create(
            customer=customer,
            description=rng.choice(["New boiler install", "Annual service", "Rewire kitchen"]),
            total=f"{rng.randint(120, 4000)}.00",
            actor=agent,
        )
        move = rng.choice(["sent", "declined", "expired", None])
        if move:
            estimate_status_change(estimate=estimate, status=move, actor=agent)
        agreement_create(
            customer=customer,
            name=rng.choice(["Annual maintenance", "Priority call-out", "Gold service plan"]),
            starts_on=add_months(today, -rng.randint(0, 18)),
            ends_on=add_months(today, rng.randint(1, 12)),
            value=str(rng.choice([240, 360, 480, 900])),
            terms="Two visits a year, parts at cost.",
            actor=agent,
        )
