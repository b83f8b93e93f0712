"""What every portal page shares: the provider's name, the sections, the banner of staff using the
portal as a contact; and optional links that later features provide (online payment, invoice PDFs),
shown only once their URL exists."""

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from accountdesk.core.dialogs import Dialog, Page, SuccessUrl, bound, dialog_respond
from accountdesk.core.errors import NotFound
from accountdesk.core.redirects import safe_next
from accountdesk.portal.nav import visible_sections


def optional_url(name: str, *args) -> str:
    """The URL of a feature that may not be installed yet ("" until it is): no dead buttons."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def found(read, **kwargs):
    """What a portal selector reads for the session's customer; another customer's id is a 404."""
    try:
        return read(**kwargs)
    except NotFound:
        raise Http404() from None


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


def portal_dialog(
    request,
    *,
    section: str,
    form,
    perform,
    title: str,
    submit: str,
    success_url: SuccessUrl,
    form_kwargs: dict | None = None,
    intro: str = "",
):
    """A portal write in the portal's dialog (a page of its own without JavaScript), over `perform`."""
    dialog = Dialog(
        form=bound(form, request, **(form_kwargs or {})),
        perform=perform,
        title=title,
        submit=submit,
        intro=intro,
    )
    return dialog_respond(
        request,
        dialog,
        page=Page("portal/dialog_page.html", lambda: portal_context(request, section)),
        success_url=success_url,
    )
