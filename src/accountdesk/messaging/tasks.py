from django_tasks import task


@task()
def deliver_message(message_id: int) -> str:
    """Send one stored message (after the transaction that queued it has committed)."""
    from accountdesk.messaging.services import message_deliver

    return message_deliver(message_id=message_id).status
