"""Emails to staff about their account."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accountdesk.tenancy.models import User


def password_reset_link(user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])


def password_reset_email_send(*, user_id: int, base_url: str, requested_by: str = "") -> bool:
    user = User.objects.select_related("provider").filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    opening = (
        f"{requested_by} at {user.provider.name} sent you this link to set a new password."
        if requested_by
        else "Someone (we hope you) asked to reset your accountdesk password."
    )
    body = (
        f"Hello {user.display_name},\n\n{opening}\n\n"
        f"Set a new password here (the link works once, for {minutes} minutes):\n"
        f"{password_reset_link(user, base_url)}\n\n"
        "If you did not ask for this, ignore this email: your password stays as it is.\n"
    )
    send_mail("Set your accountdesk password", body, None, [user.email])
    return True
