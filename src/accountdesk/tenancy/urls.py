from django.urls import path

from accountdesk.tenancy import admin_views

app_name = "settings"
urlpatterns = [
    path("", admin_views.overview, name="overview"),
    path("custom-fields/", admin_views.overview, name="custom_fields"),
]
