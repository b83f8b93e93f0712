from ninja import Query, Router, Status

from accountdesk.api.idempotency import idempotent
from accountdesk.core.schemas import page_out, paged
from accountdesk.customers.api import customer_for
from accountdesk.messaging import selectors, services
from accountdesk.messaging.models import Channel
from accountdesk.messaging.schemas import EmailIn, MessageOut, SmsIn, message_out

router = Router(tags=["messages"])


@router.get("/customers/{customer_id}/messages", response=paged(MessageOut))
def message_list(
    request,
    customer_id: int,
    channel: Channel | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = customer_for(request, customer_id)
    return page_out(
        selectors.message_list(customer=customer, channel=channel, limit=limit, cursor=cursor), message_out
    )


@router.post("/customers/{customer_id}/messages/email", response={201: MessageOut})
@idempotent
def message_send_email(request, customer_id: int, payload: EmailIn):
    customer = customer_for(request, customer_id)
    message = services.message_send_email(
        customer=customer, to=payload.to, subject=payload.subject, body=payload.body, actor=request.actor
    )
    return Status(201, message_out(message))


@router.post("/customers/{customer_id}/messages/sms", response={201: MessageOut})
@idempotent
def message_send_sms(request, customer_id: int, payload: SmsIn):
    customer = customer_for(request, customer_id)
    message = services.message_send_sms(
        customer=customer, to=payload.to, body=payload.body, actor=request.actor
    )
    return Status(201, message_out(message))


@router.post("/customers/{customer_id}/messages/{message_id}/resend", response=MessageOut)
@idempotent
def message_resend(request, customer_id: int, message_id: int):
    customer = customer_for(request, customer_id)
    message = selectors.message_get(customer=customer, pk=message_id)
    return message_out(services.message_resend(message=message, actor=request.actor))
