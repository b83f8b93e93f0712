"""Settings > Webhooks: the provider's endpoints, each with its delivery log (admins only)."""

from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import bound
from accountdesk.core.forms import ConfirmForm
from accountdesk.core.views_support import actor_for, pager_links
from accountdesk.tenancy.admin_views import admin_page, settings_dialog, settings_page
from accountdesk.webhooks import selectors, services
from accountdesk.webhooks.events import EVENTS
from accountdesk.webhooks.forms import EndpointForm
from accountdesk.webhooks.models import Endpoint

SECTION = "webhooks"
# The list shows at most this many endpoints (a provider has a handful).
ENDPOINTS_SHOWN = 100


def _secret_shown(request, endpoint: Endpoint, title: str):
    """The one answer that holds the secret: it is not shown again."""
    return settings_page(
        request, "webhooks/settings_secret.html", SECTION, {"endpoint": endpoint, "title": title}, status=201
    )


@never_cache
@admin_page
@require_http_methods(["GET", "POST"])
def endpoint_list(request):
    provider = request.user.provider
    created = []

    def perform(data) -> str:
        created.append(
            services.endpoint_create(provider=provider, actor=actor_for(request), request=request, **data)
        )
        return ""

    endpoints = selectors.endpoint_list(provider=provider, limit=ENDPOINTS_SHOWN).items
    return settings_dialog(
        request,
        section=SECTION,
        template="webhooks/settings_webhooks.html",
        form=bound(EndpointForm, request),
        perform=perform,
        title="Add an endpoint",
        submit="Add endpoint",
        success_url=reverse("settings:webhooks"),
        context={"endpoints": endpoints},
        done=lambda message: _secret_shown(request, created[0], "Endpoint added"),
    )


@admin_page
@require_http_methods(["GET", "POST"])
def endpoint_detail(request, endpoint_id: int):
    """The endpoint's settings (a form), its actions, and its delivery log with each attempt."""
    endpoint = selectors.endpoint_get(provider=request.user.provider, pk=endpoint_id)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}

    def perform(data) -> str:
        services.endpoint_update(endpoint=endpoint, actor=actor_for(request), request=request, **data)
        return "Endpoint saved."

    log = selectors.delivery_log(endpoint=endpoint, cursor=request.GET.get("cursor") or None, limit=25)
    return settings_dialog(
        request,
        section=SECTION,
        template="webhooks/settings_endpoint.html",
        form=bound(EndpointForm, request, initial=initial),
        perform=perform,
        title="Endpoint",
        success_url=reverse("settings:webhook", args=[endpoint.pk]),
        context={
            "endpoint": endpoint,
            "deliveries": log.items,
            "event_labels": EVENTS,
            **pager_links(request, log),
        },
    )


def _confirm(
    request,
    endpoint: Endpoint,
    *,
    perform,
    title: str,
    submit: str,
    intro: str,
    success_url: str,
    danger: bool = False,
    done=None,
):
    return settings_dialog(
        request,
        section=SECTION,
        template="webhooks/settings_confirm.html",
        form=bound(ConfirmForm, request),
        perform=perform,
        title=title,
        submit=submit,
        success_url=success_url,
        done=done,
        context={"endpoint": endpoint, "intro": intro, "danger": danger},
    )


@never_cache
@admin_page
@require_http_methods(["GET", "POST"])
def endpoint_rotate(request, endpoint_id: int):
    endpoint = selectors.endpoint_get(provider=request.user.provider, pk=endpoint_id)
    rotated = []

    def perform(data) -> str:
        rotated.append(
            services.endpoint_secret_rotate(endpoint=endpoint, actor=actor_for(request), request=request)
        )
        return ""

    return _confirm(
        request,
        endpoint,
        perform=perform,
        title="Rotate the signing secret",
        submit="Rotate secret",
        intro="A new secret signs every attempt from now on and the current one stops at once: "
        "put the new one in your receiver right away.",
        success_url=reverse("settings:webhook", args=[endpoint.pk]),
        done=lambda message: _secret_shown(request, rotated[0], "New signing secret"),
    )


@admin_page
@require_http_methods(["GET", "POST"])
def endpoint_enable(request, endpoint_id: int):
    endpoint = selectors.endpoint_get(provider=request.user.provider, pk=endpoint_id)

    def perform(data) -> str:
        services.endpoint_enable(endpoint=endpoint, actor=actor_for(request), request=request)
        return "Endpoint enabled: new events are sent to it again."

    return _confirm(
        request,
        endpoint,
        perform=perform,
        title="Enable the endpoint",
        submit="Enable",
        intro="New events are sent to it again and its failures are forgotten. Deliveries that failed "
        "while it was off stay failed: replay those that matter from its delivery log.",
        success_url=reverse("settings:webhook", args=[endpoint.pk]),
    )


@admin_page
@require_http_methods(["GET", "POST"])
def endpoint_delete(request, endpoint_id: int):
    endpoint = selectors.endpoint_get(provider=request.user.provider, pk=endpoint_id)

    def perform(data) -> str:
        services.endpoint_delete(endpoint=endpoint, actor=actor_for(request), request=request)
        return f"Endpoint {endpoint.url} deleted."

    return _confirm(
        request,
        endpoint,
        perform=perform,
        title="Delete the endpoint",
        submit="Delete endpoint",
        intro="No more events are sent to it, and its delivery log is deleted with it. "
        "This cannot be undone.",
        success_url=reverse("settings:webhooks"),
        danger=True,
    )


@admin_page
@require_http_methods(["GET", "POST"])
def delivery_replay(request, endpoint_id: int, delivery_id: int):
    endpoint = selectors.endpoint_get(provider=request.user.provider, pk=endpoint_id)
    delivery = selectors.delivery_get(endpoint=endpoint, pk=delivery_id)

    def perform(data) -> str:
        services.delivery_replay(delivery=delivery, actor=actor_for(request), request=request)
        return f"{delivery.event_type} {delivery.event_id} queued to be sent again."

    return _confirm(
        request,
        endpoint,
        perform=perform,
        title=f"Replay {delivery.event_type} {delivery.event_id}",
        submit="Replay",
        intro="The same event (same id and body, signed afresh) is sent again now, and "
        "retried on the usual schedule if it fails.",
        success_url=reverse("settings:webhook", args=[endpoint.pk]),
    )
