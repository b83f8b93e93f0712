from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Attempt one webhook delivery (after the transaction that wrote it has committed)."""
    from accountdesk.webhooks.services import delivery_attempt

    delivery = delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "skipped"


@task()
def email_endpoint_disabled(endpoint_id: int) -> int:
    """Tell the provider's admins that an endpoint was turned off after failing."""
    from accountdesk.webhooks.emails import endpoint_disabled_email_send

    return endpoint_disabled_email_send(endpoint_id=endpoint_id)
