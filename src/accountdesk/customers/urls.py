from django.urls import path

from accountdesk.customers import activity_views, settings_views, views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("<int:customer_id>/status/", views.status_change, name="status_change"),
    path("<int:customer_id>/status/history/", views.status_history, name="status_history"),
    path("<int:customer_id>/archive/", views.customer_archive, name="archive"),
    path("<int:customer_id>/unarchive/", views.customer_unarchive, name="unarchive"),
    path("<int:customer_id>/alerts/new/", views.alert_add, name="alert_add"),
    path("<int:customer_id>/alerts/<int:alert_id>/dismiss/", views.alert_dismiss, name="alert_dismiss"),
]

# Tabs under /customers/<id>/ in the shared "tabs" namespace (names prefixed to stay unique).
customer_urlpatterns = [
    path("details/", views.customer_details, name="customer_details"),
    path("details/edit/", views.customer_edit, name="customer_edit"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/new/", views.contact_add, name="contact_add"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/remove/", views.contact_remove, name="contact_remove"),
    path("contacts/<int:contact_id>/primary/", views.contact_make_primary, name="contact_make_primary"),
    path("custom-fields/", views.custom_fields, name="custom_fields"),
    path("activity/", activity_views.activity_feed, name="activity"),
    path("events/", activity_views.event_log, name="event_log"),
]

# Settings pages in the "settings" namespace (see accountdesk.urls).
settings_urlpatterns = [
    path("custom-fields/", settings_views.custom_fields, name="custom_fields"),
    path("custom-fields/<int:item_id>/", settings_views.custom_fields, name="custom_field_edit"),
    path("alerts/", settings_views.alerts, name="alerts"),
    path("alerts/<int:item_id>/", settings_views.alerts, name="alert_edit"),
    path("groups/", settings_views.groups, name="groups"),
    path("groups/<int:item_id>/", settings_views.groups, name="group_edit"),
    path("tags/", settings_views.tags, name="tags"),
    path("tags/<int:item_id>/", settings_views.tags, name="tag_edit"),
    path("<str:section>/<int:item_id>/delete/", settings_views.catalogue_delete, name="catalogue_delete"),
]
