from django.urls import path

from accountdesk.webhooks import settings_views as views

# Settings > Webhooks, in the "settings" namespace (see accountdesk.urls). Deleting is "remove/":
# customers' "<section>/<id>/delete/" is tried first in that namespace.
settings_urlpatterns = [
    path("webhooks/", views.endpoint_list, name="webhooks"),
    path("webhooks/<int:endpoint_id>/", views.endpoint_detail, name="webhook"),
    path("webhooks/<int:endpoint_id>/rotate/", views.endpoint_rotate, name="webhook_rotate"),
    path("webhooks/<int:endpoint_id>/enable/", views.endpoint_enable, name="webhook_enable"),
    path("webhooks/<int:endpoint_id>/remove/", views.endpoint_delete, name="webhook_delete"),
    path(
        "webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/replay/",
        views.delivery_replay,
        name="webhook_replay",
    ),
]
