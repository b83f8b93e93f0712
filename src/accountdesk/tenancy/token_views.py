"""The signed-in user's own API tokens: list, create (the token is shown once), revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accountdesk.core.errors import DomainError
from accountdesk.core.views_support import actor_for, form_add_domain_error
from accountdesk.tenancy import selectors, services


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, required=False, help_text="What it is for, e.g. Billing export script."
    )
    read_only = forms.BooleanField(label="Read-only (may only read, never change anything)", required=False)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    created, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                row, token = services.token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    read_only=form.cleaned_data["read_only"],
                    actor=actor_for(request),
                    request=request,
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                # Shown in this answer only: it is not stored, so it cannot be shown again.
                created, status, form = {"row": row, "token": token}, 201, TokenForm()
    now = timezone.now()
    tokens = [(token, token.state(now)) for token in selectors.token_list(user=request.user)]
    context = {"form": form, "created": created, "tokens": tokens}
    return render(request, "tenancy/account_tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = selectors.token_get(user=request.user, pk=token_id)
    if token is None:
        raise Http404()
    services.token_revoke(token=token, actor=actor_for(request), request=request)
    messages.success(request, f"Token {token.prefix}… revoked: it no longer works.")
    return redirect("tokens:list")
