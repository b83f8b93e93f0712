"""Emails to contacts about their portal access.

Sent with Django's mail directly, not the messaging app's outbox: a message there is kept (and
shown in the Messages tab) with its body, and these bodies carry a live sign-in token."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from accountdesk.portal import services
from accountdesk.portal.models import AccountStatus, LinkPurpose, PortalAccount

SUBJECTS = {
    LinkPurpose.INVITE: "Your {provider} account online",
    LinkPurpose.RESET: "Set a new password for your {provider} account",
    LinkPurpose.SIGN_IN: "Sign in to your {provider} account",
}


def _link_url(purpose: str, token: str, base_url: str) -> str:
    name = "portal:sign_in_link" if purpose == LinkPurpose.SIGN_IN else "portal:password_set"
    return base_url.rstrip("/") + reverse(name, args=[token])


def _body(account: PortalAccount, purpose: str, url: str) -> str:
    provider = account.provider.name
    hello = f"Hello {account.contact.name},\n\n"
    if purpose == LinkPurpose.INVITE:
        hours = settings.PORTAL_INVITE_HOURS
        return (
            f"{hello}{provider} has opened an online account for you: see your bills, payments and "
            f"statements, and keep your details up to date.\n\nChoose your password here (the link "
            f"works once, for {hours} hours):\n{url}\n\nYou will sign in with {account.email}.\n"
        )
    minutes = settings.PORTAL_LINK_MINUTES
    if purpose == LinkPurpose.RESET:
        return (
            f"{hello}Someone (we hope you) asked to set a new password for your {provider} account.\n\n"
            f"Set it here (the link works once, for {minutes} minutes):\n{url}\n\n"
            "If you did not ask for this, ignore this email: your password stays as it is.\n"
        )
    return (
        f"{hello}Sign in to your {provider} account with this link (it works once, for {minutes} "
        f"minutes):\n{url}\n\nIf you did not ask for this, ignore this email.\n"
    )


def portal_link_email_send(*, account_id: int, purpose: str, base_url: str) -> bool:
    account = (
        PortalAccount.objects.select_related("contact", "provider")
        .exclude(status=AccountStatus.REVOKED)
        .filter(pk=account_id)
        .first()
    )
    if account is None:
        return False
    token = services.portal_link_issue(account=account, purpose=purpose)
    subject = SUBJECTS[purpose].format(provider=account.provider.name)
    send_mail(subject, _body(account, purpose, _link_url(purpose, token, base_url)), None, [account.email])
    return True
