from django.db import transaction

from accountdesk.activity.services import event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.text import refuse_card_number
from accountdesk.customers.models import Customer
from accountdesk.notes.models import NOTE_MAX_LENGTH, Note


@transaction.atomic
def note_add(*, customer: Customer, body: str, actor: Actor) -> Note:
    require(actor, "notes.add")
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("The note is empty.", fields={"body": "Write the note."})
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationFailed(
            "The note is too long.", fields={"body": f"At most {NOTE_MAX_LENGTH:,} characters."}
        )
    refuse_card_number(body, "body")
    note = Note.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        created_at=clock.now(),
        author=actor.user,
        author_name=actor.name,
        body=body,
    )
    event_record(
        customer=customer, actor=actor, kind="note.added", summary=f"Note added: {note.excerpt}", subject=note
    )
    return note
