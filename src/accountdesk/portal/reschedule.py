"""A customer asks for another time for an upcoming appointment. The portal never moves a job
itself: the request lands where staff work, as a ticket in Service Desk when the provider has it
(the tickets list and the dashboard's service requests), else as a note on the customer (the
dashboard's notes). Either way through that app's own service, by the portal's actor."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone

from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.dates import date_text
from accountdesk.core.errors import NotFound, ValidationFailed
from accountdesk.core.parse import parse_text
from accountdesk.customers.models import Customer
from accountdesk.fieldservice.models import Job
from accountdesk.notes.services import note_add
from accountdesk.servicedesk.services import ticket_open

MESSAGE_MAX = 1_000


class TimeOfDay(TextChoices):
    ANY = "any", "Any time"
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    EVENING = "evening", "Evening"


def appointment_text(job: Job) -> str:
    """An appointment's day and time window in local time: "18 Mar 2025, 09:00 to 12:00" (with an en dash)."""
    if job.scheduled_start is None:
        return "not yet scheduled"
    start = timezone.localtime(job.scheduled_start)
    text = f"{date_text(start)}, {start:%H:%M}"
    if job.scheduled_end is not None:
        text += f"–{timezone.localtime(job.scheduled_end):%H:%M}"
    return text


@transaction.atomic
def job_reschedule_request(
    *,
    customer: Customer,
    job: Job,
    preferred_on: dt.date,
    time_of_day: str,
    message: str = "",
    actor: Actor,
) -> str:
    """Record the request; returns where it went ("ticket T-000123" or "note")."""
    if job.customer_id != customer.pk:
        raise NotFound()
    if preferred_on <= clock.today():
        raise ValidationFailed(fields={"preferred_on": "Choose a day from tomorrow on."})
    if time_of_day not in TimeOfDay.values:
        raise ValidationFailed(fields={"time_of_day": "Choose a time of day."})
    message = parse_text(message, field="message", max_length=MESSAGE_MAX)
    when = f"{date_text(preferred_on)}, {TimeOfDay(time_of_day).label.lower()}"
    summary = f"Reschedule requested for {job.number}: preferred {when}"
    details = f"Booked now: {appointment_text(job)}."
    if message:
        details += f"\n\n{message}"
    if customer.provider.has_module("service_desk"):
        ticket = ticket_open(customer=customer, subject=summary, description=details, actor=actor)
        return f"ticket {ticket.number}"
    note_add(customer=customer, body=f"{summary}.\n{details}", actor=actor)
    return "note"
