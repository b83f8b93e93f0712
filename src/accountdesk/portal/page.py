"""What every portal page shares: the provider's name, the sections, the banner of staff using the
portal as a contact; and optional links that later features provide (online payment, invoice PDFs),
shown only once their URL exists."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from accountdesk.core.redirects import safe_next
from accountdesk.portal.nav import visible_sections


def optional_url(name: str, *args) -> str:
    """The URL of a feature that may not be installed yet ("" until it is): no dead buttons."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def portal_next(candidate: str | None) -> str:
    """Where to go after signing in: a portal path from the request, else Home."""
    target = safe_next(candidate, "")
    return target if target.startswith("/portal/") else reverse("portal:home")


def portal_context(request, section: str) -> dict:
    portal = request.portal
    return {
        "portal": portal,
        "provider": portal.provider,
        "customer": portal.customer,
        "contact": portal.contact,
        "sections": visible_sections(portal.provider),
        "active_section": section,
        # The money the portal shows is the customer's own: never hidden by a staff role's rules.
        "shows_money": True,
    }


def portal_render(request, template: str, section: str, context: dict | None = None, *, status: int = 200):
    return render(request, template, {**portal_context(request, section), **(context or {})}, status=status)
