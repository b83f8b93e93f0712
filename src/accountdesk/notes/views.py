from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core.errors import DomainError, PermissionDenied
from accountdesk.core.pagination import BadCursor
from accountdesk.core.views_support import actor_for, form_add_domain_error, pager_links, redirect_after_write
from accountdesk.customers.page import customer_page
from accountdesk.notes import selectors, services
from accountdesk.notes.models import NOTE_MAX_LENGTH

PAGE_SIZE = 25


class NoteForm(forms.Form):
    body = forms.CharField(
        label="New note", max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_list(request, customer_id: int):
    context = customer_page(request, customer_id, tab="notes")
    customer = context["customer"]
    can_add = request.user.can("notes.add")
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise DjangoPermissionDenied()
        if form.is_valid():
            try:
                services.note_add(customer=customer, body=form.cleaned_data["body"], actor=actor_for(request))
            except PermissionDenied:
                raise DjangoPermissionDenied() from None
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(request, "Note added.")
                return redirect_after_write(request, reverse("tabs:notes", args=[customer.pk]))
    try:
        page = selectors.note_list(
            customer=customer, limit=PAGE_SIZE, cursor=request.GET.get("cursor") or None
        )
    except BadCursor:
        page = selectors.note_list(customer=customer, limit=PAGE_SIZE)
    context.update({"page": page, "form": form, "can_add": can_add, **pager_links(request, page)})
    status = 400 if request.method == "POST" else 200
    return render(request, "notes/list.html", context, status=status)
