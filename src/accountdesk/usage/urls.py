from django.urls import path

from accountdesk.usage import settings_views, views

customer_urlpatterns = [
    path("usage/", views.usage_tab, name="usage"),
    path("usage/channel/", views.usage_channel, name="usage_channel"),
]

# Settings > Usage notifications, in the "settings" namespace (see accountdesk.urls).
settings_urlpatterns = [
    path("usage/", settings_views.thresholds, name="usage"),
]
