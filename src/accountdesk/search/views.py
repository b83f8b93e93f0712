"""The "Ask about this customer" box: the dashboard includes the form, this answers it.

With HTMX the answer (or the form's error) replaces the box's answer area in place; without
JavaScript the same POST answers with a page of its own holding the box and the answer."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import bound
from accountdesk.core.errors import NotFound
from accountdesk.core.limits import RateLimited, work_rate_check
from accountdesk.core.views_support import is_htmx, require_perm
from accountdesk.customers import selectors as customers
from accountdesk.customers.page import customer_page
from accountdesk.search.engine import ask
from accountdesk.search.forms import AskForm


@login_required
@require_perm("customers.view")
@require_http_methods(["GET", "POST"])
def ask_page(request, customer_id: int):
    """GET: the box on a page of its own. POST: answer the question (400 with the error inline)."""
    if is_htmx(request):
        context, template = {"customer": _customer(request, customer_id)}, "search/_ask_result.html"
    else:
        context, template = customer_page(request, customer_id, tab="dashboard"), "search/page.html"
    form = bound(AskForm, request)
    answer, status, retry_after = None, 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                work_rate_check(user_id=request.user.pk, work="ask")
            except RateLimited as error:
                form.add_error("question", error.message)
                status, retry_after = 429, error.retry_after
            else:
                question = form.cleaned_data["question"]
                answer = ask(viewer=request.user, customer=context["customer"], question=question)
        else:
            status = 400
    response = render(request, template, {**context, "ask_form": form, "answer": answer}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _customer(request, customer_id):
    try:
        return customers.customer_get(provider=request.user.provider, pk=customer_id)
    except NotFound:
        raise Http404("No such customer") from None
