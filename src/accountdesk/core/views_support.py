"""Helpers for page views: permission checks and turning domain errors into answers."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header

from accountdesk.core.actors import Actor
from accountdesk.core.errors import DomainError
from accountdesk.core.pagination import Page
from accountdesk.core.permissions import Permitted
from accountdesk.core.redirects import safe_next

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def actor_for(request: HttpRequest) -> Actor:
    return Actor.staff(request.user)  # type: ignore[arg-type]  # a signed-in staff User


def user_can(request: HttpRequest, permission: str) -> bool:
    """Whether the signed-in staff user's role grants `permission` (no one signed out may)."""
    user = request.user
    return isinstance(user, Permitted) and user.can(permission)


def require_perm(permission: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not user_can(request, permission):
                raise DjangoPermissionDenied()
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def pager_links(request: HttpRequest, page: Page[Any]) -> dict[str, Any]:
    """Previous / Next links for a keyset page. The cursors already passed travel along in `back`,
    so Previous is exact without OFFSET; the current filters stay in the query string."""
    trail = [c for c in request.GET.getlist("back") if c][:200]
    current = request.GET.get("cursor") or ""
    links: dict[str, Any] = {
        "next_url": None,
        "prev_url": None,
        "page_number": len(trail) + (2 if current else 1),
    }
    if page.next_cursor:
        params = request.GET.copy()
        params.setlist("back", [*trail, current] if current else trail)
        params["cursor"] = page.next_cursor
        links["next_url"] = "?" + params.urlencode()
    if current:
        params = request.GET.copy()
        previous = trail[-1] if trail else ""
        params.setlist("back", trail[:-1])
        if previous:
            params["cursor"] = previous
        else:
            params.pop("cursor", None)
        links["prev_url"] = "?" + params.urlencode()
    return links


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def redirect_after_write(request: HttpRequest, url: str, *, fallback: str = "/") -> HttpResponse:
    """After a successful write: HTMX follows HX-Redirect (a full load shows the change everywhere),
    a plain form post gets an ordinary redirect. Either goes only to a path on this site: a target
    taken from the request (a `next`) that is anything else becomes `fallback`."""
    from django.shortcuts import redirect

    url = safe_next(url, fallback)
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def form_add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Put a service's DomainError on the form: field messages on their fields, the rest on top."""
    placed = False
    for field, message in (getattr(error, "fields", None) or {}).items():
        if field in form.fields:
            form.add_error(field, message)
            placed = True
        else:
            form.add_error(None, message)
            placed = True
    if not placed or not getattr(error, "fields", None):
        form.add_error(None, error.message)


def pdf_response(content: bytes, filename: str, *, inline: bool) -> HttpResponse:
    """A PDF answer: shown in the browser (`inline`) or downloaded, under `filename`."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or "attachment"
    return response
