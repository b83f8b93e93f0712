from django.urls import path

from accountdesk.search import views

customer_urlpatterns = [
    path("ask/", views.ask_page, name="search_ask"),
]
