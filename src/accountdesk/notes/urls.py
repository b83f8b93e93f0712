from django.urls import path

from accountdesk.notes import views

customer_urlpatterns = [
    path("notes/", views.note_list, name="notes"),
]
