"""The signed-in user's own API tokens: list, create (the token is shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accountdesk.core.dialogs import Dialog, bound, dialog_respond
from accountdesk.core.views_support import actor_for
from accountdesk.tenancy import selectors, services
from accountdesk.tenancy.forms import TokenForm


def _tokens_context(request) -> dict:
    now = timezone.now()
    return {"tokens": [(token, token.state(now)) for token in selectors.token_list(user=request.user)]}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    created = []

    def perform(data) -> str:
        created.append(
            services.token_create(
                user=request.user,
                name=data["name"],
                read_only=data["read_only"],
                actor=actor_for(request),
                request=request,
            )
        )
        return ""

    def done(message: str):
        # Shown in this answer only: it is not stored, so it cannot be shown again.
        row, token = created[0]
        context = {**_tokens_context(request), "form": TokenForm(), "created": {"row": row, "token": token}}
        return render(request, "tenancy/account_tokens.html", context, status=201)

    dialog = Dialog(
        form=bound(TokenForm, request),
        perform=perform,
        title="Create a token",
        submit="Create token",
        template="tenancy/account_tokens.html",
        context=_tokens_context(request),
    )
    return dialog_respond(request, dialog, done=done)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = selectors.token_get(user=request.user, pk=token_id)
    if token is None:
        raise Http404()
    services.token_revoke(token=token, actor=actor_for(request), request=request)
    messages.success(request, f"Token {token.prefix}… revoked: it no longer works.")
    return redirect("tokens:list")
