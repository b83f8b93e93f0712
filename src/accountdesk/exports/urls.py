from django.urls import path

from accountdesk.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("start/", views.export_start, name="start"),
    path("<int:job_id>/panel/", views.export_panel, name="panel"),
    path("<int:job_id>/download/", views.export_download, name="download"),
]

# Settings > Security log > Export, in the "settings" namespace (see accountdesk.urls).
settings_urlpatterns = [
    path("security-log/export/", views.security_log_export, name="security_log_export"),
]
