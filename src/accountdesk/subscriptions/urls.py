from django.urls import path

from accountdesk.subscriptions import views

customer_urlpatterns = [
    path("subscriptions/", views.subscription_list, name="subscriptions"),
    path("subscriptions/add/", views.subscription_add, name="subscription_add"),
    path(
        "subscriptions/<int:subscription_id>/<str:action>/",
        views.subscription_action,
        name="subscription_action",
    ),
]
