"""Demo tickets (with comments, in every status) and call logs, written through the services."""

import datetime as dt

from accountdesk.servicedesk.services import call_log_add, ticket_comment, ticket_open, ticket_status_change

SUBJECTS = [
    ("No internet since this morning", "high"),
    ("Slow speeds in the evening", "normal"),
    ("Wifi drops every few minutes", "normal"),
    ("Question about the last invoice", "low"),
    ("Move service to a new address", "normal"),
    ("Router lights flashing orange", "urgent"),
    ("Request a static IP address", "low"),
    ("Email not syncing on phone", "normal"),
]
# (text, internal): staff's own notes stay internal; replies are for the customer to read.
COMMENTS = [
    ("Called the customer, asked them to power-cycle the router.", True),
    ("Line test shows noise on the copper pair; booking a technician.", True),
    ("Escalated to the network team.", True),
    ("Thanks for your patience: the line is fixed on our side. Please restart your router.", False),
    ("We have sent the explanation of the charge by email.", False),
]
CALLS = [
    "Asked about the bill and the due date",
    "Reported the connection is down",
    "Confirmed the technician's visit",
    "Wanted to upgrade the plan",
    "Follow-up after the repair",
]
# Where a ticket ends up, with how often.
OUTCOMES = [("open", 3), ("pending", 2), ("resolved", 3), ("closed", 4)]


def demo_populate(ctx) -> None:
    if not ctx.provider.has_module("service_desk"):
        return
    rng = ctx.rng
    agents = [ctx.actor("agent"), ctx.actor("admin")]
    technician = ctx.actor("technician")
    staff_ids = [u.pk for u in ctx.staff.values() if u.role in ("agent", "technician", "admin")]
    statuses = [s for s, weight in OUTCOMES for _ in range(weight)]
    for customer in ctx.customers:
        if customer.status == "prospect" and rng.random() < 0.7:
            continue
        joined = ctx.customer_joined_at(customer)
        contacts = list(customer.contacts.all()[:3])
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3]) + (6 if customer in ctx.heavy_customers else 0)):
            opened = ctx.moment_between(max(joined, ctx.now - dt.timedelta(days=700)), ctx.now)
            subject, priority = rng.choice(SUBJECTS)
            with ctx.at(opened):
                ticket = ticket_open(
                    customer=customer,
                    subject=subject,
                    description=ctx.faker.paragraph(nb_sentences=2),
                    priority=priority,
                    assignee=rng.choice([*staff_ids, None]),
                    actor=rng.choice(agents),
                )
            moment = opened
            for _ in range(rng.randint(0, 3)):
                moment = ctx.moment_between(moment, min(moment + dt.timedelta(days=3), ctx.now))
                with ctx.at(moment):
                    body, internal = rng.choice(COMMENTS)
                    ticket_comment(ticket=ticket, body=body, internal=internal, actor=rng.choice(agents))
            outcome = rng.choice(statuses)
            path = {
                "open": [],
                "pending": ["pending"],
                "resolved": ["resolved"],
                "closed": ["resolved", "closed"],
            }
            for status in path[outcome]:
                moment = ctx.moment_between(moment, min(moment + dt.timedelta(days=5), ctx.now))
                with ctx.at(moment):
                    ticket = ticket_status_change(ticket=ticket, status=status, actor=rng.choice(agents))
        for _ in range(rng.choice([0, 1, 1, 2, 4])):
            with ctx.at(ctx.moment_between(max(joined, ctx.now - dt.timedelta(days=400)), ctx.now)):
                call_log_add(
                    customer=customer,
                    direction=rng.choice(["inbound", "inbound", "outbound"]),
                    summary=rng.choice(CALLS),
                    duration_s=rng.randint(40, 1500),
                    contact=rng.choice(contacts) if contacts and rng.random() < 0.8 else None,
                    actor=rng.choice([*agents, technician]),
                )
