from django.urls import path

from accountdesk.network import settings_views, views

customer_urlpatterns = [
    path("equipment/", views.equipment_list, name="network_equipment"),
]

# Settings > Device types, in the "settings" namespace (see accountdesk.urls).
settings_urlpatterns = [
    path("device-types/", settings_views.device_types, name="device_types"),
    path("device-types/<int:item_id>/", settings_views.device_types, name="device_type_edit"),
]
