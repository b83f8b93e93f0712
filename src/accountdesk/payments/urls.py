from django.urls import path

from accountdesk.payments import views

app_name = "payments"
urlpatterns = [
    path("test-gateway/pay/<str:token>/", views.test_checkout, name="test_checkout"),
    path("test-gateway/pay/<str:token>/confirm/", views.test_confirm, name="test_confirm"),
    path("test-gateway/pay/<str:token>/cancel/", views.test_cancel, name="test_cancel"),
    path("webhooks/<slug:gateway>/", views.webhook, name="webhook"),
]
