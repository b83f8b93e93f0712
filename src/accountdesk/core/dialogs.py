"""The one way a page takes a write: a Django form in a dialog.

A view builds a `Dialog` (its form, what to show, and `perform`, which calls one service with the
form's cleaned data and returns the sentence to confirm it) and answers with `dialog_respond`:

- GET shows the form: the fragment for HTMX, or a page of its own when JavaScript is off;
- POST validates the form and calls `perform`. On success `done` answers (by default: the message
  as a flash and a redirect, `HX-Redirect` under HTMX, to the form's `next` when it has one and it
  is a path on this site, else to `success_url`). A form error, or a service's `DomainError`,
  shows the form again with the message inline (400) and nothing changed. `NotFound` and
  `ModuleNotEnabled` are 404s. A `PermissionDenied` from the service is a 403, unless it explains
  a limit (a message of its own): then it is shown inline like any other refusal.

Permission to open the dialog at all is the view's first check (`require_perm` or `user_can`),
before a `Dialog` is built.

A page that carries its forms itself (a comment box under a ticket, a status select, a dialog
already in the page) answers with `page_respond`: each form is a `Dialog` named by its `action`, and
a POST goes through `dialog_respond` like any other; an error shows the page again with that form
bound and its errors inline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render

from accountdesk.core.errors import DomainError, ModuleNotEnabled, NotFound, PermissionDenied
from accountdesk.core.redirects import safe_next
from accountdesk.core.views_support import form_add_domain_error, is_htmx, redirect_after_write, user_can

FORM_TEMPLATE = "core/_dialog_form.html"
# A form set in the page itself rather than in a dialog: its fields and one button.
INLINE_TEMPLATE = "core/_inline_form.html"

F = TypeVar("F", bound=forms.BaseForm)

Perform = Callable[[dict[str, Any]], str]
Done = Callable[[str], HttpResponse]
# Where a write returns; a callable when it depends on what the write made (the new ticket's page).
SuccessUrl = str | Callable[[], str]


@dataclass
class Dialog:
    """A write's dialog. `perform(cleaned_data)` calls the service and returns the confirmation."""

    form: forms.BaseForm
    perform: Perform
    title: str
    submit: str
    intro: str = ""
    # The fragment that renders the form (it gets `dialog`, `form` and `action_url` in its context).
    template: str = FORM_TEMPLATE
    # Where the form posts: the page that showed it, unless said otherwise.
    action_url: str = ""
    danger: bool = False
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """The page a dialog stands on when JavaScript is off: a template that includes `fragment`."""

    template: str
    context: Callable[[], Mapping[str, Any]]


def dialog_respond(
    request: HttpRequest,
    dialog: Dialog,
    *,
    page: Page | None = None,
    success_url: SuccessUrl = "",
    done: Done | None = None,
) -> HttpResponse:
    """Show the dialog (GET) or take its write (POST); see the module's docstring."""
    status = 200
    if request.method == "POST":
        status = 400
        if dialog.form.is_valid():
            try:
                message = dialog.perform(dialog.form.cleaned_data)
            except (NotFound, ModuleNotEnabled):
                raise Http404() from None
            except PermissionDenied as error:
                if error.message == PermissionDenied.default_message:
                    raise DjangoPermissionDenied() from None
                form_add_domain_error(dialog.form, error)
            except DomainError as error:
                form_add_domain_error(dialog.form, error)
            else:
                if done is not None:
                    return done(message)
                if message:
                    messages.success(request, message)
                fallback = (success_url() if callable(success_url) else success_url) or request.path
                target = dialog.form.cleaned_data.get("next") or fallback
                return redirect_after_write(request, target, fallback=fallback)
    context = {
        **dialog.context,
        "dialog": dialog,
        "form": dialog.form,
        "action_url": dialog.action_url or request.get_full_path(),
    }
    return fragment_respond(request, dialog.template, context, page=page, status=status)


def fragment_respond(
    request: HttpRequest, template: str, context: Mapping[str, Any], *, page: Page | None, status: int = 200
) -> HttpResponse:
    """A dialog's content: the fragment for HTMX (or when it has no page), else `page` with the
    fragment in it. Also for what a dialog only shows (a note in full)."""
    if is_htmx(request) or page is None:
        return render(request, template, context, status=status)
    return render(request, page.template, {**page.context(), **context, "fragment": template}, status=status)


def bound(form_class: type[F], request: HttpRequest, **kwargs: Any) -> F:
    """The form bound to the POST (and its uploaded files) on a POST, unbound (with its initial
    values) on a GET; a `next` field (core.forms.NextField) starts from the GET's `?next=`."""
    if request.method == "POST":
        return form_class(request.POST, files=request.FILES, **kwargs)
    form = form_class(None, **kwargs)
    if "next" in form.fields and "next" not in form.initial:
        form.initial["next"] = safe_next(request.GET.get("next"), "")
    return form


# A page's form, built with the POST when the POST is that form's, else with None (empty).
DialogFor = Callable[[QueryDict | None], Dialog]


def page_respond(
    request: HttpRequest,
    dialogs: Mapping[str, DialogFor],
    *,
    page: Page,
    permission: str,
    default: str = "",
    success_url: SuccessUrl = "",
) -> HttpResponse:
    """A page with its forms on it (see the module's docstring). A POST names its form by `action`
    (`default` when it has none) and needs `permission` (403 before anything is read); an unknown
    action is a 400. The page's template gets `dialogs` (action -> Dialog) and `action_url`."""
    chosen = (request.POST.get("action") or default) if request.method == "POST" else None
    if chosen is not None and not user_can(request, permission):
        raise DjangoPermissionDenied()
    if chosen is not None and chosen not in dialogs:
        return HttpResponseBadRequest("Unknown action.")
    built: dict[str, Dialog] = {}
    for action, make in dialogs.items():
        built[action] = dialog = make(request.POST if action == chosen else None)
        dialog.context.setdefault("action", action)
    shown = Page(
        page.template,
        lambda: {**page.context(), "dialogs": built, "action_url": request.get_full_path()},
    )
    if chosen is None:
        return render(request, shown.template, shown.context())
    return dialog_respond(request, built[chosen], page=shown, success_url=success_url)
