"""Settings > Security log, included by accountdesk.tenancy.urls (so the names are "settings:...")."""

from django.urls import path

from accountdesk.audit import views

urlpatterns = [
    path("", views.security_log, name="security_log"),
    path("export/", views.security_log_export, name="security_log_export"),
]
