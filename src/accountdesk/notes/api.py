from ninja import Query, Router, Status

from accountdesk.api.idempotency import idempotent
from accountdesk.core.permissions import require
from accountdesk.core.schemas import page_out, paged
from accountdesk.customers.api import customer_for
from accountdesk.notes import selectors, services
from accountdesk.notes.schemas import NoteIn, NoteOut, note_out

router = Router(tags=["notes"])


@router.get("/customers/{customer_id}/notes", response=paged(NoteOut))
def note_list(
    request,
    customer_id: int,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = customer_for(request, customer_id)
    require(request.actor, "notes.view")
    return page_out(selectors.note_list(customer=customer, limit=limit, cursor=cursor), note_out)


@router.post("/customers/{customer_id}/notes", response={201: NoteOut})
@idempotent
def note_add(request, customer_id: int, payload: NoteIn):
    customer = customer_for(request, customer_id)
    return Status(201, note_out(services.note_add(customer=customer, body=payload.body, actor=request.actor)))
