"""The portal's own sessions: a cookie (`portal_session`, HttpOnly, SameSite=Lax, Secure as the staff
cookies, sent only under /portal/) whose value maps to a PortalSession row by its digest.

Portal pages are wrapped in `portal_view`, which sets `request.portal` (a PortalContext) or sends
the browser to the portal's sign-in. The portal never signs anyone in to Django's staff
authentication, so a portal session opens no staff page and no /api/v1 endpoint (tokens only).

A session a staff member opened as a contact lives only beside that same staff member's own
signed-in session in the browser, while their role still allows it; otherwise it is not a
session at all."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

from accountdesk.core.actors import Actor
from accountdesk.core.redirects import safe_next
from accountdesk.portal import selectors, services
from accountdesk.portal.models import PortalSession

COOKIE_PATH = "/portal/"


@dataclass
class PortalContext:
    session: PortalSession

    @property
    def contact(self):
        return self.session.contact

    @property
    def customer(self):
        return self.session.contact.customer

    @property
    def provider(self):
        return self.session.contact.customer.provider

    @property
    def staff_user(self):
        return self.session.staff_user

    @cached_property
    def actor(self) -> Actor:
        """Who a write from this session is by: the contact, or the staff member for the contact."""
        contact = self.contact
        if self.staff_user is not None:
            return Actor.staff_for_contact(self.staff_user, contact_id=contact.pk, contact_name=contact.name)
        return services.contact_actor(contact)


def cookie_set(response, key: str) -> None:
    response.set_cookie(
        settings.PORTAL_SESSION_COOKIE,
        key,
        max_age=settings.PORTAL_SESSION_ABSOLUTE_AGE,
        path=COOKIE_PATH,
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )


def cookie_clear(response) -> None:
    response.delete_cookie(settings.PORTAL_SESSION_COOKIE, path=COOKIE_PATH, samesite="Lax")


def _staff_still_here(request, session: PortalSession) -> bool:
    user = getattr(request, "user", None)
    return (
        user is not None
        and user.is_authenticated
        and user.pk == session.staff_user_id
        and user.can("portal.impersonate")
    )


def portal_session_of(request) -> PortalSession | None:
    """The request's live portal session, touched; None when there is none (or no longer)."""
    session = selectors.session_live(key=request.COOKIES.get(settings.PORTAL_SESSION_COOKIE, ""))
    if session is None:
        return None
    if session.is_impersonation and not _staff_still_here(request, session):
        return None
    if not services.portal_session_touch(session=session):
        return None
    return session


def sign_in_url(request) -> str:
    next_url = safe_next(request.get_full_path(), "")
    query = f"?{urlencode({'next': next_url})}" if next_url and request.method == "GET" else ""
    return reverse("portal:sign_in") + query


def portal_view(view):
    """A portal page: needs a portal session; sets request.portal."""

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        session = portal_session_of(request)
        if session is None:
            response = redirect(sign_in_url(request))
            if settings.PORTAL_SESSION_COOKIE in request.COOKIES:
                cookie_clear(response)
            return response
        request.portal = PortalContext(session)
        return view(request, *args, **kwargs)

    return wrapper
