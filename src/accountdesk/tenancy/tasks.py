from django_tasks import task


@task()
def send_password_reset(user_id: int, base_url: str, requested_by: str = "") -> bool:
    """Email a staff member a single-use link to set a new password. The link is made here, after
    the request's transaction committed, so no token is ever stored."""
    from accountdesk.tenancy.emails import password_reset_email_send

    return password_reset_email_send(user_id=user_id, base_url=base_url, requested_by=requested_by)
