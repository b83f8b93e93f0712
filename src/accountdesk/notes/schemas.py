import datetime as dt

from ninja import Schema
from pydantic import Field

from accountdesk.notes.models import NOTE_MAX_LENGTH, Note


class NoteOut(Schema):
    id: int
    created_at: dt.datetime
    author: str
    body: str


class NoteIn(Schema):
    body: str = Field(..., max_length=NOTE_MAX_LENGTH)


def note_out(note: Note) -> dict:
    return {"id": note.pk, "created_at": note.created_at, "author": note.author_name, "body": note.body}
