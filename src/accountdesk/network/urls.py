from django.urls import path

from accountdesk.network import views

customer_urlpatterns = [
    path("equipment/", views.equipment_list, name="network_equipment"),
]
