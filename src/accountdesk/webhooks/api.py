"""/api/v1/webhooks: the provider's webhook endpoints, for admins. The signing secret is in the
answers to creating an endpoint and rotating its secret, never in a read."""

from ninja import Query, Router, Status

from accountdesk.api.idempotency import idempotent
from accountdesk.core.permissions import require
from accountdesk.core.schemas import page_out, paged
from accountdesk.webhooks import selectors, services
from accountdesk.webhooks.schemas import (
    WebhookIn,
    WebhookOut,
    WebhookPatch,
    WebhookSecretOut,
    webhook_out,
    webhook_secret_out,
)

router = Router(tags=["webhooks"])
PERMISSION = services.PERMISSION


def _endpoint(request, webhook_id: int):
    require(request.actor, PERMISSION)
    return selectors.endpoint_get(provider=request.actor.provider, pk=webhook_id)


@router.get("/webhooks", response=paged(WebhookOut))
def webhook_list(
    request,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    """The provider's endpoints, newest first (admins only)."""
    require(request.actor, PERMISSION)
    page = selectors.endpoint_list(provider=request.actor.provider, limit=limit, cursor=cursor)
    return page_out(page, webhook_out)


@router.post("/webhooks", response={201: WebhookSecretOut})
@idempotent
def webhook_create(request, payload: WebhookIn):
    """Register an endpoint. The answer holds its signing `secret`: keep it, it is not shown again."""
    endpoint = services.endpoint_create(
        provider=request.actor.provider,
        url=payload.url,
        events=payload.events,
        description=payload.description,
        actor=request.actor,
        request=request,
    )
    return Status(201, webhook_secret_out(endpoint))


@router.get("/webhooks/{webhook_id}", response=WebhookOut)
def webhook_get(request, webhook_id: int):
    return webhook_out(_endpoint(request, webhook_id))


@router.patch("/webhooks/{webhook_id}", response=WebhookOut)
def webhook_update(request, webhook_id: int, payload: WebhookPatch):
    """Change the URL, events or description; `"enabled": true` turns a disabled endpoint on again."""
    endpoint = services.endpoint_update(
        endpoint=_endpoint(request, webhook_id),
        actor=request.actor,
        request=request,
        **payload.dict(exclude_unset=True),
    )
    return webhook_out(endpoint)


@router.delete("/webhooks/{webhook_id}", response={204: None})
def webhook_delete(request, webhook_id: int):
    services.endpoint_delete(endpoint=_endpoint(request, webhook_id), actor=request.actor, request=request)
    return Status(204, None)


@router.post("/webhooks/{webhook_id}/rotate", response=WebhookSecretOut)
@idempotent
def webhook_rotate(request, webhook_id: int):
    """A new signing secret, in the answer only; the old one stops working at once."""
    endpoint = services.endpoint_secret_rotate(
        endpoint=_endpoint(request, webhook_id), actor=request.actor, request=request
    )
    return webhook_secret_out(endpoint)
