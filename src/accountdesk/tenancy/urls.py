from django.urls import include, path

from accountdesk.tenancy import admin_views

app_name = "settings"
urlpatterns = [
    path("", admin_views.overview, name="overview"),
    path("staff/", admin_views.staff_list, name="staff"),
    path("staff/<int:user_id>/", admin_views.staff_edit, name="staff_edit"),
    path(
        "staff/<int:user_id>/password-reset/", admin_views.staff_password_reset, name="staff_password_reset"
    ),
    path("staff/<int:user_id>/mfa-reset/", admin_views.staff_mfa_reset, name="staff_mfa_reset"),
    path("security/", admin_views.security, name="security"),
    path("custom-fields/", admin_views.custom_fields, name="custom_fields"),
    path("custom-fields/<int:item_id>/", admin_views.custom_fields, name="custom_field_edit"),
    path("alerts/", admin_views.alerts, name="alerts"),
    path("alerts/<int:item_id>/", admin_views.alerts, name="alert_edit"),
    path("groups/", admin_views.groups, name="groups"),
    path("groups/<int:item_id>/", admin_views.groups, name="group_edit"),
    path("tags/", admin_views.tags, name="tags"),
    path("tags/<int:item_id>/", admin_views.tags, name="tag_edit"),
    path("usage/", admin_views.usage, name="usage"),
    path("device-types/", admin_views.device_types, name="device_types"),
    path("device-types/<int:item_id>/", admin_views.device_types, name="device_type_edit"),
    # The security log's pages (named in this "settings" namespace): the audit app serves them.
    path("security-log/", include("accountdesk.audit.urls")),
    path("<str:section>/<int:item_id>/delete/", admin_views.catalogue_delete, name="catalogue_delete"),
]
