from django.urls import path

from accountdesk.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("<int:customer_id>/", views.customer_dashboard, name="dashboard"),
]
