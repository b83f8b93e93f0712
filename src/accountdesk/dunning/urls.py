from django.urls import path

from accountdesk.dunning import views

customer_urlpatterns = [
    path("collections/promise/", views.promise, name="dunning_promise"),
]

# Settings > Collections, in the "settings" namespace (see accountdesk.urls).
settings_urlpatterns = [
    path("collections/", views.policy, name="collections"),
]
