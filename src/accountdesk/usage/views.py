from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from accountdesk.core import clock
from accountdesk.customers.page import customer_dialog, customer_page
from accountdesk.messaging.models import Channel
from accountdesk.subscriptions.selectors import subscription_metered
from accountdesk.usage import selectors, services
from accountdesk.usage.forms import ChannelForm
from accountdesk.usage.schemas import usage_notification_out


@login_required
@require_GET
def usage_tab(request, customer_id: int):
    """The current billing period by day (roll-ups) and a minute window the user picks (loaded by
    the page from the API, at most three days)."""
    context = customer_page(request, customer_id, tab="usage")
    customer = context["customer"]
    subscription = subscription_metered(customer=customer)
    context["subscription"] = subscription
    if subscription is not None:
        first, after = selectors.current_period(subscription)
        period = selectors.usage_period(subscription=subscription, first=first, after=after)
        context.update(
            period_first=period.first,
            period_last=period.last,
            used=period.used,
            allowance=period.allowance,
            percent=period.percent,
            graph=period.graph,
            minute_day=clock.today().isoformat(),
        )
    notifications = selectors.usage_notification_list(customer=customer, limit=10).items
    # A folded notification follows (newest first) the one whose message carried it.
    thresholds = {n.pk: n.threshold for n in notifications}
    context["notifications"] = [
        {
            **usage_notification_out(n),
            "folded": n.folded_into_id is not None,
            "folded_into": None if n.folded_into_id is None else thresholds.get(n.folded_into_id),
        }
        for n in notifications
    ]
    context["channel"] = Channel(selectors.usage_preference_channel(customer=customer)).label
    return render(request, "usage/tab.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def usage_channel(request, customer_id: int):
    """The customer's notification channel: a dialog on the Usage tab (a page without JavaScript)."""

    def perform(customer, data, actor) -> str:
        preference = services.usage_preference_set(customer=customer, channel=data["channel"], actor=actor)
        return f"Usage notifications go by {Channel(preference.channel).label}."

    return customer_dialog(
        request,
        customer_id,
        tab="usage",
        permission="customers.edit",
        form=ChannelForm,
        form_kwargs=lambda customer: {
            "initial": {"channel": selectors.usage_preference_channel(customer=customer)}
        },
        title="Usage notifications",
        submit="Save",
        intro="Thresholds are the same for every customer; administrators set them in Settings.",
        perform=perform,
    )
