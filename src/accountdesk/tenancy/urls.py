"""Tenancy's Settings pages. The "settings" namespace is assembled in accountdesk.urls from every
app's `settings_urlpatterns` (each app serves and registers its own sections)."""

from django.urls import path

from accountdesk.tenancy import admin_views

settings_urlpatterns = [
    path("", admin_views.overview, name="overview"),
    path("staff/", admin_views.staff_list, name="staff"),
    path("staff/<int:user_id>/", admin_views.staff_edit, name="staff_edit"),
    path(
        "staff/<int:user_id>/password-reset/", admin_views.staff_password_reset, name="staff_password_reset"
    ),
    path("staff/<int:user_id>/mfa-reset/", admin_views.staff_mfa_reset, name="staff_mfa_reset"),
    path("security/", admin_views.security, name="security"),
]
