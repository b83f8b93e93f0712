"""Portal writes: access (grant, revoke), passwords and emailed links, sessions, and staff opening
the portal as a contact. Each is atomic and leaves its trace in the customer's activity (and, for
what staff do, the provider's security log) in the same transaction.

What the customer changes on their account goes through the customers and billing services with
the portal's actor (sessions.PortalContext.actor), never through here."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from accountdesk.activity.services import event_record
from accountdesk.audit.services import security_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor, ActorType
from accountdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.customers.models import Contact
from accountdesk.portal import selectors
from accountdesk.portal.models import (
    AccountStatus,
    LinkPurpose,
    PortalAccount,
    PortalLink,
    PortalSession,
    new_secret,
)
from accountdesk.tenancy.auth import (
    normalize_email,
    signin_alert_due,
    signin_attempt,
    signin_failed,
    signin_succeeded,
)
from accountdesk.tenancy.services import password_check

logger = logging.getLogger(__name__)


def contact_actor(contact: Contact) -> Actor:
    """The contact acting for themselves in the portal."""
    provider = contact.customer.provider
    return Actor.customer(provider, contact_id=contact.pk, name=contact.name, email=contact.email or None)


def _same_provider(actor: Actor, contact: Contact) -> None:
    if actor.provider.pk != contact.provider_id:
        raise PermissionDenied()


# ---------------------------------------------------------------- access


@transaction.atomic
def portal_access_grant(
    *, contact: Contact, actor: Actor, base_url: str = "", password_hash: str | None = None, request=None
) -> PortalAccount:
    """Give a contact portal access and email them an invitation to set a password.

    With `password_hash` (the demo's, made by make_password from a password that passed the rules)
    the account is active at once and no invitation is sent."""
    require(actor, "customers.edit")
    _same_provider(actor, contact)
    email = normalize_email(contact.email)[:254]
    if not email:
        raise ValidationFailed("Add an email address to the contact first: the invitation goes there.")
    account = PortalAccount.objects.select_for_update().filter(contact=contact).first()
    if account is not None and account.status != AccountStatus.REVOKED:
        raise Conflict(f"{contact.name} already has portal access.")
    taken = PortalAccount.objects.filter(provider_id=contact.provider_id, email=email).exclude(
        status=AccountStatus.REVOKED
    )
    if taken.exists():
        raise Conflict(f"Another contact already signs in to the portal with {email}.")
    now = clock.now()
    account = account or PortalAccount(
        provider_id=contact.provider_id, customer_id=contact.customer_id, contact=contact
    )
    account.email, account.granted_at, account.revoked_at = email, now, None
    if password_hash:
        account.password, account.status, account.activated_at = password_hash, AccountStatus.ACTIVE, now
    else:
        account.password, account.status, account.activated_at = (
            make_password(None),
            AccountStatus.INVITED,
            None,
        )
    account.save()
    customer = contact.customer
    summary = f"Portal access granted to {contact.name} ({email})"
    details = {"contact": contact.name, "email": email, "status": account.status}
    _staff_record(customer, actor, "portal.access_granted", summary, details, request, subject=account)
    if not password_hash:
        _queue_link(account, LinkPurpose.INVITE, base_url)
    return account


@transaction.atomic
def portal_access_revoke(*, account: PortalAccount, actor: Actor, request=None) -> PortalAccount:
    """End a contact's portal access: their sessions end and their links stop working."""
    require(actor, "customers.edit")
    account = (
        PortalAccount.objects.select_for_update().select_related("contact", "customer").get(pk=account.pk)
    )
    _same_provider(actor, account.contact)
    if account.status == AccountStatus.REVOKED:
        raise Conflict("Portal access is already revoked.")
    old = account.status
    account.status, account.revoked_at, account.password = (
        AccountStatus.REVOKED,
        clock.now(),
        make_password(None),
    )
    account.save(update_fields=["status", "revoked_at", "password"])
    PortalSession.objects.filter(account=account).delete()
    PortalLink.objects.filter(account=account, used_at__isnull=True).delete()
    summary = f"Portal access revoked for {account.contact.name} ({account.email})"
    details = {"contact": account.contact.name, "email": account.email, "status": [old, account.status]}
    _staff_record(
        account.customer, actor, "portal.access_revoked", summary, details, request, subject=account
    )
    return account


# ---------------------------------------------------------------- emailed links


LINK_PURPOSES_FOR_PASSWORD = (LinkPurpose.INVITE, LinkPurpose.RESET)


def _link_lifetime(purpose: str) -> dt.timedelta:
    if purpose == LinkPurpose.INVITE:
        return dt.timedelta(hours=settings.PORTAL_INVITE_HOURS)
    return dt.timedelta(minutes=settings.PORTAL_LINK_MINUTES)


def _queue_link(account: PortalAccount, purpose: str, base_url: str) -> None:
    """The link is made and emailed by the task, after commit: its token is never stored."""
    from accountdesk.portal.tasks import send_portal_link

    transaction.on_commit(lambda: send_portal_link.enqueue(account.pk, purpose, base_url))


@transaction.atomic
def portal_link_issue(*, account: PortalAccount, purpose: str) -> str:
    """A new single-use link token for `account`; earlier unused links of the purpose stop working."""
    PortalLink.objects.filter(account=account, purpose=purpose, used_at__isnull=True).delete()
    token, token_hash = new_secret()
    now = clock.now()
    PortalLink.objects.create(
        account=account,
        purpose=purpose,
        token_hash=token_hash,
        created_at=now,
        expires_at=now + _link_lifetime(purpose),
    )
    return token


@transaction.atomic
def portal_link_request(*, email: str, purpose: str, base_url: str, provider=None) -> None:
    """Email a password-reset (or sign-in) link to the account(s) of `email`. Nothing is said either
    way; an invited contact who lost the invitation may set a password through a reset link."""
    email = normalize_email(email)[:254]
    statuses = (
        (AccountStatus.ACTIVE,)
        if purpose == LinkPurpose.SIGN_IN
        else (AccountStatus.ACTIVE, AccountStatus.INVITED)
    )
    accounts = PortalAccount.objects.filter(email=email, status__in=statuses)
    if provider is not None:
        accounts = accounts.filter(provider=provider)
    found = list(accounts[:5])
    if not found:
        logger.info("portal link asked for an unknown email")
    for account in found:
        _queue_link(account, purpose, base_url)


def _link_use(link: PortalLink) -> bool:
    """Use a link once: of two requests racing with the same token, one wins."""
    return bool(PortalLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=clock.now()))


@transaction.atomic
def portal_password_set_by_link(*, token: str, password: str) -> str | None:
    """Set the password from an invitation or reset link and sign in. Returns the new session's
    key, or None when the link is unknown, used or expired. A password that fails the rules raises
    ValidationFailed (field "new_password") and leaves the link unused."""
    link = selectors.link_valid(token=token, purposes=LINK_PURPOSES_FOR_PASSWORD)
    if link is None:
        return None
    password_check(password, field="new_password")
    if not _link_use(link):
        return None
    account = link.account
    now = clock.now()
    account.password = make_password(password)
    if account.status != AccountStatus.ACTIVE:
        account.status, account.activated_at = AccountStatus.ACTIVE, now
    account.save(update_fields=["password", "status", "activated_at"])
    PortalSession.objects.filter(account=account).delete()  # a new password ends every other session
    how = "invitation" if link.purpose == LinkPurpose.INVITE else "reset link"
    contact = account.contact
    event_record(
        customer=contact.customer,
        actor=contact_actor(contact),
        kind="portal.password_set",
        summary=f"{contact.name} set a portal password (by {how})",
        subject=account,
        details={"by": link.purpose},
    )
    return _session_start(account, method=link.purpose)


@transaction.atomic
def portal_password_set(*, account: PortalAccount, password_hash: str, actor: Actor) -> PortalAccount:
    """Set an account's password directly (the demo's portal-login command); audited."""
    require(actor, "customers.edit")
    account.password = password_hash
    account.status, account.activated_at = AccountStatus.ACTIVE, account.activated_at or clock.now()
    account.save(update_fields=["password", "status", "activated_at"])
    event_record(
        customer=account.customer,
        actor=actor,
        kind="portal.password_set",
        summary=f"Portal password set for {account.contact.name}",
        subject=account,
        details={"by": actor.type},
    )
    return account


# ---------------------------------------------------------------- signing in and out


@dataclass(frozen=True)
class SignIn:
    session_key: str | None = None
    retry_after: int = 0  # seconds to wait when throttled

    @property
    def throttled(self) -> bool:
        return self.retry_after > 0


def _password_account(email: str, password: str, provider) -> PortalAccount | None:
    candidates = selectors.sign_in_candidates(email=email, provider=provider)
    if not candidates:
        make_password(password)  # the same work as a real check: no timing oracle
        return None
    return next((a for a in candidates if check_password(password, a.password)), None)


def portal_sign_in(*, email: str, password: str, address: str, provider=None) -> SignIn:
    """Sign in by email and password, throttled as staff sign-ins are (tenancy.auth) under keys of
    the portal's own. An unknown email, a wrong password and a revoked account fail alike."""
    email = normalize_email(email)[:254]
    throttle_key = f"portal:{email}"
    attempt = signin_attempt(throttle_key, address)
    if not attempt.allowed:
        return SignIn(retry_after=attempt.retry_after)
    account = _password_account(email, password or "", provider)
    if account is None:
        failures = signin_failed(throttle_key)
        if signin_alert_due(failures):
            _alert_locked(email, failures)
        return SignIn()
    signin_succeeded(throttle_key, address)
    return SignIn(session_key=_session_start(account, method="password"))


@transaction.atomic
def _alert_locked(email: str, failures: int) -> None:
    for account in PortalAccount.objects.filter(email=email).exclude(status=AccountStatus.REVOKED)[:5]:
        security_record(
            provider=account.provider,
            kind="portal.signin_locked",
            actor=None,
            summary=f"{failures} failed portal sign-ins for {email}: sign-ins from the addresses trying "
            "are being slowed down",
            details={"email": email, "failures": failures},
        )


@transaction.atomic
def portal_sign_in_by_link(*, token: str) -> str | None:
    """Sign in with an emailed sign-in link (once). Returns the session key, or None."""
    link = selectors.link_valid(token=token, purposes=(LinkPurpose.SIGN_IN,))
    if link is None or link.account.status != AccountStatus.ACTIVE or not _link_use(link):
        return None
    return _session_start(link.account, method="link")


def _new_session(
    *, contact: Contact, account: PortalAccount | None, staff_user, lifetime: dt.timedelta
) -> str:
    key, key_hash = new_secret()
    now = clock.now()
    PortalSession.objects.filter(contact=contact, expires_at__lte=now).delete()
    PortalSession.objects.create(
        key_hash=key_hash,
        provider_id=contact.provider_id,
        contact=contact,
        account=account,
        staff_user=staff_user,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
    )
    return key


@transaction.atomic
def _session_start(account: PortalAccount, *, method: str) -> str:
    lifetime = dt.timedelta(seconds=settings.PORTAL_SESSION_ABSOLUTE_AGE)
    contact = account.contact
    key = _new_session(contact=contact, account=account, staff_user=None, lifetime=lifetime)
    account.last_sign_in_at = clock.now()
    account.save(update_fields=["last_sign_in_at"])
    event_record(
        customer=contact.customer,
        actor=contact_actor(contact),
        kind="portal.signed_in",
        summary=f"{contact.name} signed in to the portal",
        subject=account,
        details={"method": method},
    )
    return key


# Written at most this often per session, so that a page costs no write.
TOUCH_EVERY = dt.timedelta(minutes=1)


def portal_session_touch(*, session: PortalSession) -> bool:
    """Keep a session alive while it is used; False (and the session gone) once it sat idle
    longer than PORTAL_SESSION_AGE."""
    now = clock.now()
    if now - session.last_seen_at > dt.timedelta(seconds=settings.PORTAL_SESSION_AGE):
        PortalSession.objects.filter(pk=session.pk).delete()
        return False
    if now - session.last_seen_at >= TOUCH_EVERY:
        PortalSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    return True


@transaction.atomic
def portal_sign_out(*, session: PortalSession, request=None) -> None:
    """End a portal session; for staff using the portal as a contact, that ends the visit (logged)."""
    if session.is_impersonation:
        portal_close_as_contact(session=session, request=request)
        return
    PortalSession.objects.filter(pk=session.pk).delete()
    contact = session.contact
    event_record(
        customer=contact.customer,
        actor=contact_actor(contact),
        kind="portal.signed_out",
        summary=f"{contact.name} signed out of the portal",
    )


# ---------------------------------------------------------------- staff opening the portal


@transaction.atomic
def portal_open_as_contact(*, contact: Contact, actor: Actor, request=None) -> str:
    """A staff member opens the portal as `contact`: a session marked with the staff member, which
    lasts PORTAL_IMPERSONATION_AGE at most. Returns its key."""
    require(actor, "portal.impersonate")
    _same_provider(actor, contact)
    if actor.type != ActorType.STAFF or actor.user is None:
        raise PermissionDenied()
    account = selectors.portal_account_of(contact=contact)
    key = _new_session(
        contact=contact,
        account=account,
        staff_user=actor.user,
        lifetime=dt.timedelta(seconds=settings.PORTAL_IMPERSONATION_AGE),
    )
    _impersonation_record(contact, actor, "portal.opened_as_contact", "opened the portal as", request)
    return key


@transaction.atomic
def portal_close_as_contact(*, session: PortalSession, request=None) -> None:
    PortalSession.objects.filter(pk=session.pk).delete()
    _impersonation_record(
        session.contact,
        Actor.staff(session.staff_user),
        "portal.closed_as_contact",
        "left the portal as",
        request,
    )


def _impersonation_record(contact: Contact, actor: Actor, kind: str, verb: str, request) -> None:
    details = {"staff": actor.email, "contact": contact.name, "contact_id": contact.pk}
    _staff_record(contact.customer, actor, kind, f"{actor.name} {verb} {contact.name}", details, request)


def _staff_record(
    customer, actor: Actor, kind: str, summary: str, details: dict, request, subject=None
) -> None:
    """What staff do about portal access goes to the customer's activity and the security log."""
    event_record(customer=customer, actor=actor, kind=kind, summary=summary, subject=subject, details=details)
    security_record(
        provider=actor.provider,
        kind=kind,
        actor=actor,
        request=request,
        summary=f"{summary}, customer {customer.number}",
        details={**details, "customer": customer.number},
    )
