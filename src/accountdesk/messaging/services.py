import logging
import re
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction

from accountdesk.activity.services import event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.text import refuse_card_number
from accountdesk.customers.models import Contact, Customer
from accountdesk.messaging.models import Channel, Message, MessageStatus
from accountdesk.messaging.sms import SmsError, sms_backend

log = logging.getLogger(__name__)

SUBJECT_MAX = 200
EMAIL_BODY_MAX = 20_000
SMS_BODY_MAX = 1_600  # ten concatenated SMS segments
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")


def _clean_email(to: str | None, customer: Customer) -> str:
    address = (to or customer.email or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationFailed(
            "Enter a valid email address.", fields={"to": "Enter a valid email address."}
        ) from None
    return address


def _clean_phone(to: str | None, customer: Customer) -> str:
    number = (to or customer.phone or "").strip()
    digits = sum(ch.isdigit() for ch in number)
    if not _PHONE.match(number) or not 6 <= digits <= 15:
        raise ValidationFailed(
            "Enter a valid phone number.", fields={"to": "Enter a phone number such as +1 555 0100."}
        )
    return number


def _own_recipient(customer: Customer, actor: Actor, to: str, *, channel: str) -> None:
    """Messages go to the customer's own addresses and numbers (theirs or their contacts'); only a
    user allowed to send anywhere (messages.send_any) may write to another one. A refused send
    stores nothing and sends nothing."""
    if actor.can("messages.send_any"):
        return
    contacts = Contact.objects.filter(customer=customer)
    if channel == Channel.EMAIL:
        wanted = to.strip().lower()
        if wanted == (customer.email or "").strip().lower():
            return
        if any(wanted == email.strip().lower() for email in contacts.values_list("email", flat=True)):
            return
        what = "email addresses"
    else:
        wanted = _digits(to)
        if wanted == _digits(customer.phone or ""):
            return
        if any(wanted == _digits(phone) for phone in contacts.values_list("phone", flat=True)):
            return
        what = "phone numbers"
    message = (
        f"{to} is not one of this customer's {what}. Send to the customer or one of their contacts "
        "(add the contact first), or ask an administrator."
    )
    raise ValidationFailed(message, fields={"to": message})


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isascii() and ch.isdigit())


def _queue(message: Message) -> None:
    from accountdesk.messaging.tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.enqueue(message.pk))


@transaction.atomic
def message_send_email(
    *,
    customer: Customer,
    to: str | None = None,
    subject: str,
    body: str,
    actor: Actor,
    body_max: int | None = EMAIL_BODY_MAX,
) -> Message:
    """Queue an email to the customer (their address unless `to` is given); sent after commit.

    `body_max` bounds what a person writes; a document the product already holds (a contract's
    frozen text) passes None and is sent whole."""
    require(actor, "messages.send")
    address = _clean_email(to, customer)
    _own_recipient(customer, actor, address, channel=Channel.EMAIL)
    subject, body = (subject or "").strip(), (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = "Write a subject."
    elif len(subject) > SUBJECT_MAX or "\n" in subject or "\r" in subject:
        errors["subject"] = f"One line of at most {SUBJECT_MAX} characters."
    if not body:
        errors["body"] = "Write the message."
    elif body_max is not None and len(body) > body_max:
        errors["body"] = f"At most {body_max:,} characters."
    if errors:
        raise ValidationFailed(fields=errors)
    refuse_card_number(subject, "subject")
    if body_max is not None:  # what a person wrote; a document the product holds was checked before
        refuse_card_number(body, "body")
    message = _create(customer, Channel.EMAIL, address, subject, body, actor)
    event_record(
        customer=customer,
        actor=actor,
        kind="message.email_sent",
        summary=f"Email to {address}: {subject}",
        subject=message,
        details={"to": address, "subject": subject},
    )
    _queue(message)
    return message


@transaction.atomic
def message_send_sms(*, customer: Customer, to: str | None = None, body: str, actor: Actor) -> Message:
    """Queue an SMS to the customer (their phone unless `to` is given); sent after commit."""
    require(actor, "messages.send")
    number = _clean_phone(to, customer)
    _own_recipient(customer, actor, number, channel=Channel.SMS)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("Write the message.", fields={"body": "Write the message."})
    if len(body) > SMS_BODY_MAX:
        raise ValidationFailed(
            "The message is too long.", fields={"body": f"At most {SMS_BODY_MAX} characters."}
        )
    refuse_card_number(body, "body")
    message = _create(customer, Channel.SMS, number, "", body, actor)
    event_record(
        customer=customer,
        actor=actor,
        kind="message.sms_sent",
        summary=f"SMS to {number}: {message.excerpt}",
        subject=message,
        details={"to": number},
    )
    _queue(message)
    return message


def _create(customer: Customer, channel: str, to: str, subject: str, body: str, actor: Actor) -> Message:
    return Message.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        channel=channel,
        to=to,
        subject=subject,
        body=body,
        created_at=clock.now(),
        author=actor.user,
        author_name=actor.name,
    )


def message_deliver(*, message_id: int) -> Message:
    """Hand a queued message to its backend and store the outcome. A message already handled is
    left alone, so a task delivered twice sends once."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",)).select_related("customer").get(pk=message_id)
        )
        if message.status != MessageStatus.QUEUED:
            return message
        try:
            if message.channel == Channel.EMAIL:
                message.backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
                EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]).send()
            else:
                backend = sms_backend()
                message.backend = backend.name
                message.external_id = backend.send(to=message.to, body=message.body)
        except (SmsError, smtplib.SMTPException, OSError) as exc:
            log.warning("message %s not delivered: %s", message.pk, exc)
            message.status = MessageStatus.FAILED
            message.error = str(exc)[:500]
            event_record(
                customer=message.customer,
                actor=Actor.system(message.customer.provider),
                kind="message.failed",
                summary=f"{message.get_channel_display()} to {message.to} not delivered: {message.error}",
                subject=message,
                details={"error": message.error},
            )
        else:
            message.status = MessageStatus.SENT
            message.sent_at = clock.now()
        message.save(update_fields=["status", "error", "backend", "external_id", "sent_at"])
    return message
