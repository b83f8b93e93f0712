from django.urls import path

from accountdesk.usage import views

customer_urlpatterns = [
    path("usage/", views.usage_tab, name="usage"),
    path("usage/channel/", views.usage_channel, name="usage_channel"),
]
