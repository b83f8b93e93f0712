from django.urls import path, re_path

from accountdesk.imports import settings_views

# Settings > Import, in the "settings" namespace (see accountdesk.urls).
settings_urlpatterns = [
    path("import/", settings_views.import_page, name="import"),
    path("import/<int:job_id>/", settings_views.import_job, name="import_job"),
    path("import/<int:job_id>/apply/", settings_views.import_apply, name="import_apply"),
    re_path(r"^import/template\.(?P<kind>csv|xlsx)$", settings_views.import_template, name="import_template"),
]
