"""Settings > Security log, in the "settings" namespace (see accountdesk.urls)."""

from django.urls import path

from accountdesk.audit import views

settings_urlpatterns = [
    path("security-log/", views.security_log, name="security_log"),
]
