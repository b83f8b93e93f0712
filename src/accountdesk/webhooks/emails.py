"""The email to a provider's admins when the system turns a failing webhook endpoint off."""

from django.core.mail import send_mail

from accountdesk.tenancy.models import User
from accountdesk.webhooks.models import Endpoint


def endpoint_disabled_email_send(*, endpoint_id: int) -> int:
    """Send it to each active admin; the number of recipients (0 when the endpoint is gone or was
    turned on again meanwhile)."""
    endpoint = Endpoint.objects.select_related("provider").filter(pk=endpoint_id, enabled=False).first()
    if endpoint is None:
        return 0
    admins = list(
        User.objects.filter(provider_id=endpoint.provider_id, role="admin", is_active=True)
        .order_by("id")
        .values_list("email", flat=True)[:50]
    )
    if not admins:
        return 0
    body = (
        f"The webhook endpoint {endpoint.url} of {endpoint.provider.name} has been disabled: "
        f"{endpoint.disabled_reason}\n\n"
        "No events are sent to it until an administrator enables it again under Settings › Webhooks, "
        "where its delivery log shows what it answered. Deliveries that failed can be replayed there.\n"
    )
    send_mail(f"Webhook endpoint disabled: {endpoint.url}"[:200], body, None, admins)
    return len(admins)
