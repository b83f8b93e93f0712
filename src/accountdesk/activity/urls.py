from django.urls import path

from accountdesk.activity import views

customer_urlpatterns = [
    path("activity/", views.activity_feed, name="activity"),
    path("events/", views.event_log, name="event_log"),
]
