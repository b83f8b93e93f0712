from django.urls import path

from accountdesk.dashboard import views

# The dashboard is built on every app's selectors, so the customer page itself (/customers/<id>/,
# "tabs:dashboard") lives here rather than in customers/.
customer_urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("dashboard/actions/<slug:action>/", views.dashboard_action, name="dashboard_action"),
    path("dashboard/explain/<slug:metric>/", views.dashboard_explain, name="dashboard_explain"),
    path("dashboard/notes/<int:note_id>/", views.dashboard_note_view, name="dashboard_note"),
    path("dashboard/<slug:section>/", views.dashboard_section, name="dashboard_section"),
]
