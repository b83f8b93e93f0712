"""Settings > Collections (administrators) and the promise-to-pay dialog on the customer page."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core import clock
from accountdesk.core.dates import date_text
from accountdesk.core.dialogs import bound
from accountdesk.core.views_support import actor_for
from accountdesk.customers.page import customer_dialog
from accountdesk.dunning import selectors, services
from accountdesk.dunning.forms import PolicyForm, PromiseForm
from accountdesk.tenancy.admin_views import admin_page, settings_dialog


@admin_page
@require_http_methods(["GET", "POST"])
def policy(request):
    """The provider's collections policy: its steps in order, each at a number of days overdue."""
    provider = request.user.provider
    current, steps = selectors.policy_get(provider=provider)
    initial = PolicyForm.initial_from(current.enabled if current else False, steps)
    form = bound(PolicyForm, request, initial=initial)

    def perform(data) -> str:
        services.dunning_policy_save(
            provider=provider, enabled=data["enabled"], steps=form.steps(), actor=actor_for(request)
        )
        return "Collections policy saved."

    return settings_dialog(
        request, section="collections", template="dunning/settings_collections.html", form=form,
        perform=perform, title="Collections", submit="Save policy",
        success_url=reverse("settings:collections"),
        context={
            "policy": current, "steps": steps, "placeholders": services.PLACEHOLDERS,
            # The saved steps and two empty rows (four rows at least); a row with input always shows.
            "rows_shown": max(len(steps) + 2, 4),
        },
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def promise(request, customer_id: int):
    """Pause collections for a customer who promises to pay by a date."""

    def perform(customer, data, actor) -> str:
        state = services.promise_to_pay_make(
            customer=customer, until=data["until"], note=data["note"], actor=actor
        )
        return f"Promise to pay by {date_text(state.promise_until)} recorded: collections pause until then."

    return customer_dialog(
        request,
        customer_id,
        tab="dashboard",
        permission="dunning.promise",
        form=PromiseForm,
        form_kwargs=lambda customer: {"initial": {"until": clock.today() + services.PROMISE_DEFAULT}},
        title="Promise to pay",
        submit="Record promise",
        intro="No collections step (reminder, late fee, block) is taken for this customer until the day "
        "after this date. The promise lapses by itself.",
        perform=perform,
    )
