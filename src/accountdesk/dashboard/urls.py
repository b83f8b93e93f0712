from django.urls import path

from accountdesk.dashboard import views

# The page itself is "customers:dashboard" (/customers/<id>/); these live under it in "tabs".
customer_urlpatterns = [
    path("dashboard/actions/<slug:action>/", views.dashboard_action, name="dashboard_action"),
    path("dashboard/notes/<int:note_id>/", views.dashboard_note_view, name="dashboard_note"),
    path("dashboard/<slug:section>/", views.dashboard_section, name="dashboard_section"),
]
