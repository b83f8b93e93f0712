from django.urls import path

from accountdesk.customers import activity_views, settings_views
from accountdesk.customers.views import actions, pages

app_name = "customers"
urlpatterns = [
    path("", pages.customer_list, name="list"),
    path("new/", actions.customer_create, name="create"),
    path("<int:customer_id>/status/", actions.status_change, name="status_change"),
    path("<int:customer_id>/status/history/", pages.status_history, name="status_history"),
    path("<int:customer_id>/archive/", actions.customer_archive, name="archive"),
    path("<int:customer_id>/unarchive/", actions.customer_unarchive, name="unarchive"),
    path("<int:customer_id>/alerts/new/", actions.alert_add, name="alert_add"),
    path("<int:customer_id>/alerts/<int:alert_id>/dismiss/", actions.alert_dismiss, name="alert_dismiss"),
]

# Tabs under /customers/<id>/ in the shared "tabs" namespace (names prefixed to stay unique).
customer_urlpatterns = [
    path("details/", pages.customer_details, name="customer_details"),
    path("details/edit/", actions.customer_edit, name="customer_edit"),
    path("contacts/", pages.contact_list, name="contacts"),
    path("contacts/new/", actions.contact_add, name="contact_add"),
    path("contacts/<int:contact_id>/edit/", actions.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/remove/", actions.contact_remove, name="contact_remove"),
    path("contacts/<int:contact_id>/primary/", actions.contact_make_primary, name="contact_make_primary"),
    path("custom-fields/", actions.custom_fields, name="custom_fields"),
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
