"""Demo messages staff sent: appointment reminders, outage notices, payment reminders, by email
and SMS (the SMS through the outbox), each with its activity entry."""

import datetime as dt

from accountdesk.activity.models import Activity
from accountdesk.activity.services import event_bulk_record
from accountdesk.messaging.models import Message

TEMPLATES = [
    (
        "email",
        "Your appointment",
        "Hello {name}, this confirms our visit on {day:%A %d %B}. Reply to change it.",
    ),
    (
        "email",
        "Payment reminder",
        "Hello {name}, a friendly reminder that your invoice is due on {day:%d %B}.",
    ),
    (
        "email",
        "Planned maintenance",
        "Hello {name}, we will upgrade equipment in your area on {day:%d %B}, 1-4am.",
    ),
    ("sms", "", "Hi {name}, your technician arrives {day:%a %d %b} between 8 and 12. Reply STOP to opt out."),
    ("sms", "", "Hi {name}, the outage in your area is fixed. Thanks for your patience."),
]


def demo_populate(ctx) -> None:
    rng = ctx.rng
    now = ctx.now if getattr(ctx, "now", None) else None
    agents = [u for role, u in ctx.staff.items() if role in ("agent", "billing", "admin")]
    messages, entries = [], []
    for customer in ctx.customers:
        if customer.status in ("prospect", "archived") or rng.random() > 0.3:
            continue
        for _ in range(rng.randint(1, 3)):
            channel, subject, body = rng.choice(TEMPLATES)
            to = customer.email if channel == "email" else customer.phone
            if not to:
                continue
            author = rng.choice(agents)
            at = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(
                days=rng.randint(1, 200), minutes=rng.randint(0, 600)
            )
            text = body.format(name=customer.name.split()[0], day=(at + dt.timedelta(days=3)).date())
            messages.append(
                Message(
                    provider_id=customer.provider_id,
                    customer=customer,
                    channel=channel,
                    to=to,
                    subject=subject,
                    body=text,
                    status="sent",
                    backend="smtp" if channel == "email" else "outbox",
                    created_at=at,
                    sent_at=at,
                    author=author,
                    author_name=author.display_name,
                )
            )
            summary = f"Email to {to}: {subject}" if channel == "email" else f"SMS to {to}: {text[:60]}"
            entries.append(
                Activity(
                    provider_id=customer.provider_id,
                    customer=customer,
                    at=at,
                    actor_type="staff",
                    actor=author,
                    actor_name=author.display_name,
                    actor_email=author.email,
                    kind=f"message.{channel}_sent",
                    group="messages",
                    summary=summary[:300],
                    subject_type="message",
                    details={"to": to},
                )
            )
    Message.objects.bulk_create(messages, batch_size=1000)
    for entry, message in zip(entries, messages, strict=True):
        entry.subject_id = message.pk
    event_bulk_record(entries, batch_size=2000)
