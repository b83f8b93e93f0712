from django.urls import path

from accountdesk.search import settings_views, views

customer_urlpatterns = [
    path("ask/", views.ask_page, name="search_ask"),
]

# Settings > Unanswered questions, in the "settings" namespace (see accountdesk.urls).
settings_urlpatterns = [
    path("unanswered-questions/", settings_views.unanswered, name="unanswered"),
]
