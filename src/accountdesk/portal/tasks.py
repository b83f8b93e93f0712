from django_tasks import task


@task()
def send_portal_link(account_id: int, purpose: str, base_url: str) -> bool:
    """Email a contact a single-use portal link (invitation, password reset or sign-in). The link is
    made here, after the request's transaction committed, so its token is never stored."""
    from accountdesk.portal.emails import portal_link_email_send

    return portal_link_email_send(account_id=account_id, purpose=purpose, base_url=base_url)
