from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import Dialog, bound, dialog_respond
from accountdesk.core.pagination import BadCursor
from accountdesk.core.views_support import actor_for, pager_links, user_can
from accountdesk.customers.page import customer_page
from accountdesk.notes import selectors, services
from accountdesk.notes.forms import NoteForm

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def note_list(request, customer_id: int):
    """The notes, newest first, under the form that adds one (for who may add)."""
    context = customer_page(request, customer_id, tab="notes")
    customer = context["customer"]
    can_add = user_can(request, "notes.add")
    if request.method == "POST" and not can_add:
        raise DjangoPermissionDenied()
    try:
        page = selectors.note_list(
            customer=customer, limit=PAGE_SIZE, cursor=request.GET.get("cursor") or None
        )
    except BadCursor:
        page = selectors.note_list(customer=customer, limit=PAGE_SIZE)
    context.update({"page": page, "can_add": can_add, **pager_links(request, page)})
    if not can_add:
        return render(request, "notes/list.html", context)
    actor = actor_for(request)

    def perform(data) -> str:
        services.note_add(customer=customer, body=data["body"], actor=actor)
        return "Note added."

    # The list is the page: the form answers with it whole, with or without JavaScript.
    dialog = Dialog(
        form=bound(NoteForm, request),
        perform=perform,
        title="Add a note",
        submit="Add note",
        template="notes/list.html",
        context=context,
    )
    return dialog_respond(request, dialog, success_url=reverse("tabs:notes", args=[customer.pk]))
