import datetime as dt
import logging
import re
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from accountdesk.activity.services import event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
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
    _enqueue_delivery(message)


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


class _NotDelivered(Exception):
    def __init__(self, error: str, *, temporary: bool) -> None:
        super().__init__(error)
        self.error, self.temporary = error[:500], temporary


def _hand_over(message: Message) -> None:
    """Give the message to its backend, with its dedupe key; raise _NotDelivered saying whether
    trying again later may help (the server down, busy or timing out) or not (an address refused)."""
    try:
        if message.channel == Channel.EMAIL:
            message.backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
            domain = settings.DEFAULT_FROM_EMAIL.rstrip(">").rsplit("@", 1)[-1] or "localhost"
            EmailMessage(
                message.subject,
                message.body,
                settings.DEFAULT_FROM_EMAIL,
                [message.to],
                headers={"Message-ID": f"<{message.dedupe_key}@{domain}>"},
            ).send()
        else:
            backend = sms_backend()
            message.backend = backend.name
            message.external_id = backend.send(to=message.to, body=message.body, key=message.dedupe_key)
    except SmsError as exc:
        raise _NotDelivered(str(exc), temporary=exc.temporary) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise _NotDelivered(f"The mail server refused the address: {exc}", temporary=False) from exc
    except smtplib.SMTPResponseException as exc:
        # 4xx replies are the server's "not now"; 5xx ones are final.
        raise _NotDelivered(
            f"The mail server answered {exc.smtp_code}: {exc}", temporary=exc.smtp_code < 500
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise _NotDelivered(f"The mail server could not be reached: {exc}", temporary=True) from exc


def _retry_delays() -> list[int]:
    """Minutes to wait before each further attempt after a temporary failure."""
    return list(settings.ACCOUNTDESK_MESSAGE_RETRY_MINUTES)


def _enqueue_delivery(message: Message, *, at: dt.datetime | None = None) -> None:
    from accountdesk.messaging.tasks import deliver_message

    task = deliver_message
    if at is not None and task.get_backend().supports_defer:
        task = task.using(run_after=at)
    # A backend that cannot defer runs the task now; it finds the attempt not yet due and leaves
    # it to `message_recover`.
    transaction.on_commit(lambda: task.enqueue(message.pk))


def message_deliver(*, message_id: int) -> Message:
    """Hand a queued message to its backend and store the outcome.

    The attempt is claimed first (status sending, committed), so a task delivered twice, or a
    second worker, leaves it alone. A temporary failure queues the message again after the next
    delay of ACCOUNTDESK_MESSAGE_RETRY_MINUTES; when they are used up, or the failure is final, the
    message fails (logged, and staff can send it again). A worker that dies mid-attempt leaves the
    message sending: `message_recover` queues it again, with the same dedupe key."""
    now = clock.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",)).select_related("customer").get(pk=message_id)
        )
        due = message.next_attempt_at is None or message.next_attempt_at <= now
        if message.status != MessageStatus.QUEUED or not due:
            return message
        message.status, message.sending_since = MessageStatus.SENDING, now
        message.attempts += 1
        message.save(update_fields=["status", "sending_since", "attempts"])
    try:
        _hand_over(message)
    except _NotDelivered as failure:
        log.warning("message %s not delivered (attempt %s): %s", message.pk, message.attempts, failure.error)
        return _not_delivered(message, failure)
    with transaction.atomic():
        message.status, message.sent_at, message.error = MessageStatus.SENT, clock.now(), ""
        message.next_attempt_at = message.sending_since = None
        message.save(
            update_fields=[
                "status", "sent_at", "error", "backend", "external_id", "next_attempt_at", "sending_since",
            ]
        )  # fmt: skip
    return message


@transaction.atomic
def _not_delivered(message: Message, failure: _NotDelivered) -> Message:
    delays = _retry_delays()
    message.error, message.sending_since = failure.error, None
    fields = ["status", "error", "backend", "sending_since", "next_attempt_at"]
    if failure.temporary and message.attempts <= len(delays):
        message.status = MessageStatus.QUEUED
        message.next_attempt_at = clock.now() + dt.timedelta(minutes=delays[message.attempts - 1])
        message.save(update_fields=fields)
        _enqueue_delivery(message, at=message.next_attempt_at)
        return message
    message.status, message.next_attempt_at = MessageStatus.FAILED, None
    message.save(update_fields=fields)
    tries = f" after {message.attempts} attempts" if message.attempts > 1 else ""
    event_record(
        customer=message.customer,
        actor=Actor.system(message.customer.provider),
        kind="message.failed",
        summary=f"{message.get_channel_display()} to {message.to} not delivered{tries}: {message.error}",
        subject=message,
        details={"error": message.error, "attempts": message.attempts},
    )
    return message


def message_recover(*, stuck_for: dt.timedelta) -> int:
    """Queue again what no worker is delivering: attempts a dead worker left sending, and queued
    messages whose delivery task was lost (due for longer than `stuck_for`). Returns how many."""
    cutoff = clock.now() - stuck_for
    recovered = 0
    stuck = Message.objects.filter(
        Q(status=MessageStatus.SENDING, sending_since__lt=cutoff)
        | Q(status=MessageStatus.QUEUED, next_attempt_at__lt=cutoff)
        | Q(status=MessageStatus.QUEUED, next_attempt_at__isnull=True, created_at__lt=cutoff)
    ).values_list("pk", flat=True)
    for pk in stuck.iterator():
        with transaction.atomic():
            message = Message.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if message is None or message.status not in (MessageStatus.SENDING, MessageStatus.QUEUED):
                continue
            if message.status == MessageStatus.SENDING:
                message.error = "The delivery was interrupted; it is tried again with the same dedupe key."
            message.status, message.sending_since, message.next_attempt_at = MessageStatus.QUEUED, None, None
            message.save(update_fields=["status", "sending_since", "next_attempt_at", "error"])
            _enqueue_delivery(message)
            recovered += 1
    return recovered


@transaction.atomic
def message_resend(*, message: Message, actor: Actor) -> Message:
    """Send a failed message again, as it was, to the same recipient."""
    require(actor, "messages.send")
    message = Message.objects.select_for_update(of=("self",)).select_related("customer").get(pk=message.pk)
    if message.status != MessageStatus.FAILED:
        raise Conflict("Only a message that was not delivered can be sent again.")
    message.status, message.attempts, message.next_attempt_at = MessageStatus.QUEUED, 0, None
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    event_record(
        customer=message.customer,
        actor=actor,
        kind="message.resent",
        summary=f"{message.get_channel_display()} to {message.to} sent again",
        subject=message,
        details={"previous_error": message.error},
    )
    _enqueue_delivery(message)
    return message
